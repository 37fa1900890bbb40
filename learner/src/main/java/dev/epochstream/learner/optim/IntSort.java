package dev.epochstream.learner.optim;

/**
 * Sorts and de-duplicates column indices in O(n) per digit pass, allocating nothing in steady state (its scratch
 * grows only when asked to sort more values than ever before). {@link Parameters#ascendingTouchedOrder()} sorts the
 * touched columns of a sparse gradient with it, for the sums that must run in index order (clipping's norm); a
 * sparse batch's columns themselves are de-duplicated, unsorted, by a hash table ({@code nn.ColumnSlots}), which
 * costs less.
 *
 * <p>An LSD radix sort on the bit width of the index bound: {@code ceil(bits / 11)} counting-sort passes of
 * equal digit width (two passes of 10 bits for 2^20 inputs), ping-ponging between the array and a scratch
 * array, then one linear pass that drops duplicates. A comparison sort of the batch's few hundred indices
 * costs ~n·log n unpredictable branches and was a quarter of a sparse step; a digit pass is branch-free.
 * Short ranges (under {@link #INSERTION_BELOW}) use insertion sort, where a pass's bucket counts would cost
 * more than the data.
 *
 * <p>Each value is sorted with its position packed beside it in a long ({@code value·2^32 + position}), so
 * that the sort can also tell every input where its value landed among the distinct ones
 * ({@link #sortDistinct(int[], int, int, int[], int[])}): for distinct inputs, each one's rank.
 *
 * <p>The result is the unique ascending sequence of the distinct input values, so it does not depend on the
 * algorithm. Not thread-safe.
 */
final class IntSort {
    /** Widest digit: 2^11 buckets keep the counts (8 KB a pass, at most 3 passes) in the first-level cache. */
    private static final int MAX_DIGIT_BITS = 11;
    static final int INSERTION_BELOW = 48;

    private final int[] counts = new int[3 << MAX_DIGIT_BITS];
    /** Value·2^32 + position keys and the radix passes' other buffer; grow-only. */
    private long[] keys = new long[16];
    private long[] scratch = new long[16];

    /**
     * Writes the distinct values of {@code values[0 .. n)} ascending into {@code distinct[0 .. m)} and returns m,
     * and {@code slotOf[p]} = the position in {@code distinct} of {@code values[p]}, for every p < n (what a
     * packed per-column buffer is indexed by). Every value must be in {@code [0, bound)}. {@code distinct} may
     * be {@code values}.
     */
    int sortDistinct(int[] values, int n, int bound, int[] distinct, int[] slotOf) {
        if (keys.length < n) {
            keys = new long[Math.max(n, 2 * keys.length)];
            scratch = new long[keys.length];
        }
        long[] k = keys;
        // the position rides in the low half, so that it stays with its value through the sort
        for (int p = 0; p < n; p++) {
            k[p] = (long) values[p] << 32 | p;
        }
        long[] sorted = k;
        if (n < INSERTION_BELOW) {
            insertionSort(k, n);
        } else {
            sorted = radixSort(n, bound);
        }
        return distinct(sorted, n, distinct, slotOf);
    }

    /** Sorts {@code keys[0 .. n)} by their value half; returns the buffer holding the result. */
    private long[] radixSort(int n, int bound) {
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(bound - 1));
        int passes = (bits + MAX_DIGIT_BITS - 1) / MAX_DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int buckets = 1 << width;
        int mask = buckets - 1;
        int[] c = counts;
        long[] from = keys;
        // every pass's digit histogram before the first scatter: bucket b of pass q is c[q·buckets + b]
        for (int b = 0, end = passes * buckets; b < end; b++) {
            c[b] = 0;
        }
        for (int q = 0, shift = 32; q < passes; q++, shift += width) {
            int base = q * buckets;
            for (int i = 0; i < n; i++) {
                c[base + ((int) (from[i] >>> shift) & mask)]++;
            }
        }
        long[] to = scratch;
        for (int q = 0, shift = 32; q < passes; q++, shift += width) {
            // counts -> first position of each bucket
            int base = q * buckets;
            int sum = 0;
            for (int b = base; b < base + buckets; b++) {
                int k = c[b];
                c[b] = sum;
                sum += k;
            }
            // stable scatter: equal digits keep the order of the previous pass
            for (int i = 0; i < n; i++) {
                long v = from[i];
                to[c[base + ((int) (v >>> shift) & mask)]++] = v;
            }
            long[] t = from;
            from = to;
            to = t;
        }
        return from;
    }

    private static void insertionSort(long[] a, int n) {
        for (int i = 1; i < n; i++) {
            long v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /**
     * Writes the distinct values of sorted {@code keys[0 .. n)} into {@code out}, and each key's slot among them
     * at its position in {@code slotOf}; returns their count. Compares with the previous value held in a
     * register, not with the last value written, so that no iteration waits on the store of the one before.
     */
    private static int distinct(long[] keys, int n, int[] out, int[] slotOf) {
        int m = 0;
        int previous = -1; // values are >= 0
        for (int i = 0; i < n; i++) {
            long key = keys[i];
            int v = (int) (key >>> 32);
            m += v != previous ? 1 : 0;
            out[m - 1] = v;
            slotOf[(int) key] = m - 1;
            previous = v;
        }
        return m;
    }
}
