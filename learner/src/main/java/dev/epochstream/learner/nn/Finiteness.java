package dev.epochstream.learner.nn;

/**
 * Whether a run of doubles is all finite, the non-finite-update guard's scan over every parameter and
 * optimizer buffer after each step. With the Vector API ({@link Gemm#vectorApiEnabled()}) the run is scanned
 * in SIMD lanes ({@link VectorizedFiniteness}, unless {@link SimdGuard} saw that kernel compiled without SIMD
 * instructions); otherwise one value at a time. Either way the answer is the
 * same: it depends on no rounding.
 */
public final class Finiteness {

    private Finiteness() {
    }

    /** True when every {@code a[i]}, {@code from <= i < to}, is finite (neither infinite nor NaN). */
    public static boolean allFinite(double[] a, int from, int to) {
        long sample = Gemm.vectorApiEnabled() ? SimdGuard.FINITENESS.start() : SimdGuard.SCALAR;
        if (sample != SimdGuard.SCALAR) {
            boolean finite = VectorizedFiniteness.allFinite(a, from, to);
            SimdGuard.FINITENESS.finish(sample);
            return finite;
        }
        for (int i = from; i < to; i++) {
            if (!Double.isFinite(a[i])) {
                return false;
            }
        }
        return true;
    }
}
