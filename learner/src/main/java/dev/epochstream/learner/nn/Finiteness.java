package dev.epochstream.learner.nn;

/**
 * Whether a run of doubles is all finite, the non-finite-update guard's scan over every parameter and
 * optimizer buffer after each step. With the Vector API ({@link Gemm#vectorApiEnabled()}) the run is scanned
 * in SIMD lanes ({@link VectorizedFiniteness}, unless {@link SimdGuard} saw that kernel compiled without SIMD
 * instructions); otherwise one value at a time. Either way the answer is the
 * same: it depends on no rounding.
 */
public final class Finiteness {

    /**
     * Runs shorter than this are scanned one value at a time: the guard checks a few such runs every step (a
     * bias, its optimizer buffers), where the vector kernel's lane reduction and {@link SimdGuard}'s sampling
     * cost more than the values (8 % of a sparse FTRL step, measured).
     */
    static final int SHORT_RUN = 32;

    private Finiteness() {
    }

    /** True when every {@code a[i]}, {@code from <= i < to}, is finite (neither infinite nor NaN). */
    public static boolean allFinite(double[] a, int from, int to) {
        long sample = to - from >= SHORT_RUN && Gemm.vectorApiEnabled() ? SimdGuard.FINITENESS.start()
                : SimdGuard.SCALAR;
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
