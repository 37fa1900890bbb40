package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColumnSlotsTest {

    /**
     * Checks one {@link ColumnSlots#assign} against the plain reference (a map from value to the order of its
     * first occurrence): distinct values exactly once in first-seen order, every input's slot at its value, and
     * nothing written past the batch's length.
     */
    private static void check(ColumnSlots slots, int[] values, int n) {
        Map<Integer, Integer> firstSeen = new HashMap<>();
        List<Integer> expected = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (!firstSeen.containsKey(values[p])) {
                firstSeen.put(values[p], expected.size());
                expected.add(values[p]);
            }
        }
        int[] distinct = new int[n + 3];
        int[] slotOf = new int[n + 3];
        Arrays.fill(distinct, -7);
        Arrays.fill(slotOf, -7);
        int[] input = values.clone();
        int m = slots.assign(values, n, distinct, slotOf);
        assertThat(m).as("n=%d", n).isEqualTo(expected.size());
        assertThat(Arrays.copyOf(distinct, m)).as("n=%d", n)
                .isEqualTo(expected.stream().mapToInt(Integer::intValue).toArray());
        for (int p = 0; p < n; p++) {
            assertThat(slotOf[p]).as("n=%d p=%d", n, p).isEqualTo(firstSeen.get(values[p]));
            assertThat(distinct[slotOf[p]]).isEqualTo(values[p]);
        }
        assertThat(Arrays.copyOfRange(distinct, n, n + 3)).as("past the batch").containsOnly(-7);
        assertThat(Arrays.copyOfRange(slotOf, n, n + 3)).as("past the batch").containsOnly(-7);
        assertThat(values).as("input unchanged").isEqualTo(input);
    }

    @Test
    void matchesTheFirstSeenReferenceOverRandomSizesAndRanges() {
        SplittableRandom random = new SplittableRandom(31);
        ColumnSlots slots = new ColumnSlots(); // one instance throughout: the table is reused and grows
        int[] sizes = {0, 1, 2, 3, 5, 7, 17, 100, 960, 5000, 3, 1};
        int[] bounds = {1, 2, 3, 7, 1000, 1 << 20, Integer.MAX_VALUE};
        for (int n : sizes) {
            for (int bound : bounds) {
                for (int trial = 0; trial < 3; trial++) {
                    int[] a = new int[n + 2];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = random.nextInt(bound);
                    }
                    check(slots, a, n);
                }
            }
        }
    }

    @Test
    void duplicatesWithinAndAcrossRowsShareOneSlot() {
        SplittableRandom random = new SplittableRandom(32);
        ColumnSlots slots = new ColumnSlots();
        int bound = 1 << 20;
        for (int rows : new int[] {1, 3, 32, 33}) {
            // per row of 34: columns 0, 5, 77 and bound - 1 that every row has, 29 random ones, and a repeat
            int[] a = random.ints(rows * 34L, 0, bound).toArray();
            for (int start = 0; start < a.length; start += 34) {
                a[start + 3] = 0;
                a[start + 10] = 5;
                a[start + 20] = 77;
                a[start + 33] = bound - 1;
                a[start + 31] = a[start + 4];
            }
            check(slots, a, a.length);
        }
    }

    @Test
    void valuesThatCollideInTheTableStillGetTheirOwnSlots() {
        // multiples of a large power of two share their low bits; the hash must still tell them apart
        ColumnSlots slots = new ColumnSlots();
        int[] a = new int[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 150) << 20;
        }
        check(slots, a, a.length);
        for (int i = 0; i < a.length; i++) {
            a[i] = (a.length - i) * 2048;
        }
        check(slots, a, a.length);
    }

    @Test
    void theTableGrowsToTwiceTheLargestBatch() {
        ColumnSlots slots = new ColumnSlots();
        SplittableRandom random = new SplittableRandom(33);
        for (int n : new int[] {1, 8, 9, 1000, 10, 4097}) {
            int[] a = random.ints(n, 0, 1 << 20).toArray();
            check(slots, a, n);
            assertThat(slots.capacity()).as("n=%d", n).isGreaterThanOrEqualTo(2 * n);
        }
        int capacity = slots.capacity();
        check(slots, new int[] {3, 3, 4}, 3);
        assertThat(slots.capacity()).as("grow-only").isEqualTo(capacity);
    }

    @Test
    void aBatchAfterTheGenerationCounterWrapsDoesNotSeeOldEntries() {
        ColumnSlots slots = new ColumnSlots();
        int[] first = {10, 20, 30, 40};
        check(slots, first, first.length); // generation 1
        // 2^32 - 2 batches later: the next generation wraps to 1 again, and first's entries must read as empty
        slots.skipToGeneration(-1);
        int[] later = {40, 30, 50, 20, 10};
        check(slots, later, later.length);
        check(slots, later, later.length);
        check(slots, first, first.length);
    }

    /**
     * The fused one-output gradient against the plain loop: a sum per column, cleared to 0.0, then every row's
     * δ·value added in row order; columns as {@link ColumnSlots#assign} lists them (checked by {@link #check}).
     */
    @Test
    void assignWithGradientIsAssignAndThePlainGradientLoopBitForBit() {
        SplittableRandom random = new SplittableRandom(34);
        ColumnSlots slots = new ColumnSlots();
        ColumnSlots reference = new ColumnSlots();
        for (int batch = 0; batch < 60; batch++) {
            int n = 1 + random.nextInt(33);
            int range = batch % 3 == 0 ? 16 : 1 << 20; // narrow: rows share most columns
            int[] rowStart = new int[n + 1];
            int[] index = new int[n * 31];
            double[] value = new double[index.length];
            double[] delta = new double[n];
            for (int r = 0; r < n; r++) {
                int[] columns = random.ints(random.nextInt(Math.min(range, 31)), 0, range).sorted().distinct()
                        .toArray();
                System.arraycopy(columns, 0, index, rowStart[r], columns.length);
                for (int p = rowStart[r]; p < rowStart[r] + columns.length; p++) {
                    // signed zeros among the terms: a column's first term -0.0 must still give 0.0 + -0.0 = 0.0
                    value[p] = random.nextInt(8) == 0 ? -0.0 : random.nextGaussian() * Math.exp(random.nextInt(40) - 20);
                }
                rowStart[r + 1] = rowStart[r] + columns.length;
                delta[r] = random.nextInt(10) == 0 ? 0.0 : random.nextGaussian();
            }
            int nnz = rowStart[n];
            int[] expectedColumns = new int[nnz];
            int[] slotOf = new int[nnz];
            int m = reference.assign(index, nnz, expectedColumns, slotOf);
            double[] expected = new double[m];
            for (int r = 0; r < n; r++) {
                for (int p = rowStart[r]; p < rowStart[r + 1]; p++) {
                    expected[slotOf[p]] += delta[r] * value[p];
                }
            }
            int[] distinct = new int[nnz];
            double[] g = new double[nnz];
            Arrays.fill(g, Double.NaN); // nothing is read before it is written
            assertThat(slots.assignWithGradient(rowStart, index, value, n, delta, distinct, g)).isEqualTo(m);
            assertThat(Arrays.copyOf(distinct, m)).isEqualTo(Arrays.copyOf(expectedColumns, m));
            for (int j = 0; j < m; j++) {
                assertThat(Double.doubleToRawLongBits(g[j])).as("batch %d column %d", batch, j)
                        .isEqualTo(Double.doubleToRawLongBits(expected[j]));
            }
        }
    }

    @Test
    void consecutiveBatchesDoNotSeeEachOther() {
        ColumnSlots slots = new ColumnSlots();
        check(slots, new int[] {9, 8, 7, 9}, 4);
        check(slots, new int[] {7, 6, 9}, 3);
        check(slots, new int[] {6, 6, 6}, 3);
    }
}
