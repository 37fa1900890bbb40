package dev.epochstream.learner.nn;

/**
 * Sorts and de-duplicates the column indices of a sparse batch in O(n) per digit pass, allocating nothing
 * in steady state (its scratch grows only when a batch has more non-zeros than any before).
 *
 * <p>An LSD radix sort on the bit width of the index bound: {@code ceil(bits / 11)} counting-sort passes of
 * equal digit width (two passes of 10 bits for 2^20 inputs), ping-ponging between the array and a scratch
 * array, then one linear pass that drops duplicates. A comparison sort of the batch's few hundred indices
 * costs ~n·log n unpredictable branches and was a quarter of a sparse step; a digit pass is branch-free.
 * Short ranges (under {@link #INSERTION_BELOW}) use insertion sort, where a pass's bucket counts would cost
 * more than the data.
 *
 * <p>The result is the unique ascending sequence of the distinct input values, so it does not depend on the
 * algorithm. Not thread-safe.
 */
final class IntSort {
    /** Widest digit: 2^11 buckets keep the counts (8 KB a pass, at most 3 passes) in the first-level cache. */
    private static final int MAX_DIGIT_BITS = 11;
    static final int INSERTION_BELOW = 48;

    private final int[] counts = new int[3 << MAX_DIGIT_BITS];
    private int[] scratch = new int[16];

    /**
     * Sorts {@code a[0 .. n)} ascending and removes duplicates, leaving the distinct values in
     * {@code a[0 .. m)}; returns m. Every value must be in {@code [0, bound)}.
     */
    int sortDistinct(int[] a, int n, int bound) {
        if (n < INSERTION_BELOW) {
            insertionSort(a, n);
        } else {
            radixSort(a, n, bound);
        }
        return distinct(a, n);
    }

    private void radixSort(int[] a, int n, int bound) {
        int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(bound - 1));
        int passes = (bits + MAX_DIGIT_BITS - 1) / MAX_DIGIT_BITS;
        int width = (bits + passes - 1) / passes;
        int buckets = 1 << width;
        int mask = buckets - 1;
        if (scratch.length < n) {
            scratch = new int[Math.max(n, 2 * scratch.length)];
        }
        int[] c = counts;
        // every pass's digit histogram before the first scatter: bucket b of pass q is c[q·buckets + b]
        for (int b = 0, end = passes * buckets; b < end; b++) {
            c[b] = 0;
        }
        for (int q = 0, shift = 0; q < passes; q++, shift += width) {
            int base = q * buckets;
            for (int i = 0; i < n; i++) {
                c[base + ((a[i] >>> shift) & mask)]++;
            }
        }
        int[] from = a;
        int[] to = scratch;
        for (int q = 0, shift = 0; q < passes; q++, shift += width) {
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
                int v = from[i];
                to[c[base + ((v >>> shift) & mask)]++] = v;
            }
            int[] t = from;
            from = to;
            to = t;
        }
        if (from != a) {
            System.arraycopy(from, 0, a, 0, n);
        }
    }

    private static void insertionSort(int[] a, int n) {
        for (int i = 1; i < n; i++) {
            int v = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > v) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = v;
        }
    }

    /**
     * Compacts sorted {@code a[0 .. n)} to its distinct values; returns their count. Compares with the
     * previous input value held in a register, not with the last value written, so that no iteration waits
     * on the store of the one before.
     */
    private static int distinct(int[] a, int n) {
        if (n == 0) {
            return 0;
        }
        int m = 1;
        int previous = a[0];
        for (int i = 1; i < n; i++) {
            int v = a[i];
            a[m] = v;
            m += v != previous ? 1 : 0;
            previous = v;
        }
        return m;
    }
}
