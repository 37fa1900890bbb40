package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntSortTest {

    /** The plain reference: a library sort, then keep each value that differs from the one before. */
    private static int[] sortedDistinct(int[] a, int n) {
        int[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || s[i] != s[m - 1]) {
                s[m++] = s[i];
            }
        }
        return Arrays.copyOf(s, m);
    }

    private static void check(IntSort sorter, int[] a, int n, int bound) {
        int[] expected = sortedDistinct(a, n);
        int[] tail = Arrays.copyOfRange(a, n, a.length);
        int m = sorter.sortDistinct(a, n, bound, a, new int[n]); // in place
        assertThat(Arrays.copyOf(a, m)).as("n=%d bound=%d", n, bound).isEqualTo(expected);
        assertThat(Arrays.copyOfRange(a, n, a.length)).as("beyond n untouched").isEqualTo(tail);
    }

    @Test
    void matchesLibrarySortAndDedupOverRandomShapesAndBounds() {
        SplittableRandom random = new SplittableRandom(11);
        IntSort sorter = new IntSort(); // one instance throughout: scratch and counts are reused
        int[] sizes = {0, 1, 2, 3, 5, 7, 17, IntSort.INSERTION_BELOW - 1, IntSort.INSERTION_BELOW,
            IntSort.INSERTION_BELOW + 1, 100, 960, 5000};
        int[] bounds = {1, 2, 3, 7, 1000, 2047, 2048, 2049, 1 << 20, (1 << 20) + 1, 1 << 22, 1 << 30,
            Integer.MAX_VALUE};
        for (int n : sizes) {
            for (int bound : bounds) {
                for (int trial = 0; trial < 3; trial++) {
                    int[] a = new int[n + 4];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = random.nextInt(bound);
                    }
                    check(sorter, a, n, bound);
                }
            }
        }
    }

    @Test
    void concatenatedSortedRowsWithSharedColumnsAsASparseBatchHasThem() {
        SplittableRandom random = new SplittableRandom(12);
        IntSort sorter = new IntSort();
        int bound = 1 << 20;
        int[] common = {0, 5, 77, bound - 1};
        for (int rows : new int[] {1, 3, 32, 33}) {
            int[] a = new int[rows * 34];
            int n = 0;
            for (int r = 0; r < rows; r++) {
                int[] row = new int[30];
                for (int k = 0; k < row.length; k++) {
                    row[k] = random.nextInt(bound);
                }
                int[] withCommon = Arrays.copyOf(row, row.length + common.length);
                System.arraycopy(common, 0, withCommon, row.length, common.length);
                int[] distinctRow = sortedDistinct(withCommon, withCommon.length);
                System.arraycopy(distinctRow, 0, a, n, distinctRow.length);
                n += distinctRow.length;
            }
            check(sorter, a, n, bound);
        }
    }

    @Test
    void extremesOfTheRangeAndAllEqual() {
        IntSort sorter = new IntSort();
        int[] a = new int[200];
        Arrays.fill(a, Integer.MAX_VALUE - 1);
        a[17] = 0;
        a[199] = 0;
        check(sorter, a, 200, Integer.MAX_VALUE);
        int[] same = new int[100];
        Arrays.fill(same, 3);
        check(sorter, same, 100, 4);
        int[] descending = new int[300];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = 299 - i;
        }
        check(sorter, descending, 300, 300);
    }

    /**
     * The slot variant: the distinct values as the plain reference has them, the input left as it was, and every
     * input's slot pointing at its own value; over sizes on both sides of the insertion-sort threshold and
     * bounds of one to three radix passes, with heavy duplication (small bounds) and little (large).
     */
    @Test
    void slotsPointEveryInputAtItsDistinctValue() {
        SplittableRandom random = new SplittableRandom(13);
        IntSort sorter = new IntSort();
        int[] sizes = {0, 1, 2, 5, 17, IntSort.INSERTION_BELOW - 1, IntSort.INSERTION_BELOW, 100, 960, 5000};
        int[] bounds = {1, 3, 1000, 2049, 1 << 20, 1 << 22, Integer.MAX_VALUE};
        for (int n : sizes) {
            for (int bound : bounds) {
                int[] a = new int[n + 3];
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextInt(bound);
                }
                int[] original = a.clone();
                int[] distinct = new int[n + 3];
                Arrays.fill(distinct, -7);
                int[] slotOf = new int[n + 3];
                Arrays.fill(slotOf, -7);
                int m = sorter.sortDistinct(a, n, bound, distinct, slotOf);
                assertThat(Arrays.copyOf(distinct, m)).as("n=%d bound=%d", n, bound).isEqualTo(sortedDistinct(a, n));
                assertThat(a).as("input untouched").isEqualTo(original);
                for (int p = 0; p < n; p++) {
                    assertThat(slotOf[p]).isBetween(0, m - 1);
                    assertThat(distinct[slotOf[p]]).isEqualTo(a[p]);
                }
                for (int p = n; p < n + 3; p++) {
                    assertThat(slotOf[p]).as("beyond n untouched").isEqualTo(-7);
                    assertThat(distinct[p]).as("beyond n untouched").isEqualTo(-7);
                }
            }
        }
    }
}
