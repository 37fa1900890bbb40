package dev.epochstream.learner.nn;

/**
 * In-place sort of an int range that allocates nothing (heapsort), unlike {@code Arrays.sort}, whose
 * run-merging path allocates a buffer for input made of sorted runs (exactly the concatenated sparse rows
 * this sorts).
 */
final class IntSort {

    private IntSort() {
    }

    /** Sorts {@code a[0 .. n)} ascending. */
    static void sort(int[] a, int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(a, i, n);
        }
        for (int end = n - 1; end > 0; end--) {
            int t = a[0];
            a[0] = a[end];
            a[end] = t;
            siftDown(a, 0, end);
        }
    }

    /** Sorts {@code a[0 .. n)} and removes duplicates; returns the distinct count. */
    static int sortDistinct(int[] a, int n) {
        sort(a, n);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || a[i] != a[m - 1]) {
                a[m++] = a[i];
            }
        }
        return m;
    }

    private static void siftDown(int[] a, int i, int n) {
        int v = a[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) {
                break;
            }
            if (c + 1 < n && a[c + 1] > a[c]) {
                c++;
            }
            if (a[c] <= v) {
                break;
            }
            a[i] = a[c];
            i = c;
        }
        a[i] = v;
    }
}
