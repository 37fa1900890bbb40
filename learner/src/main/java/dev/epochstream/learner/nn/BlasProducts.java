package dev.epochstream.learner.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;

/**
 * The dense products through a BLAS {@code dgemm} ({@code learner.gemm=blas}): dev.ludovic.netlib picks,
 * once per JVM, the system's native BLAS through JNI (libblas.so.3, e.g. OpenBLAS; another library with
 * {@code -Ddev.ludovic.netlib.blas.nativeLib=...}), else its Java Vector API version (needs
 * {@code --add-modules jdk.incubator.vector}), else a plain Java translation; {@link #implementationName()}
 * says which.
 *
 * <p><b>Reproducible only per machine and library</b>: a BLAS blocks and vectorises its sums and may use
 * fused multiply-adds, so the results differ in the last bits from {@link ReproducibleProducts} and
 * between CPUs, BLAS builds and versions; the same binary library on the same CPU with the same inputs
 * gives the same doubles (one thread per call). Predictions and gradients agree with the reproducible
 * products to rounding (relative ~1e-15 per product), and training converges alike.
 *
 * <p>Row-major data is what a column-major BLAS sees as the transpose, with the row length as leading
 * dimension: row-major x (n x in) is column-major xᵀ (in x n, ld in), W (out x in) is Wᵀ (in x out, ld in),
 * δ (n x out) is δᵀ (out x n, ld out). Each product below is written in those column-major views; arrays
 * are passed with offset 0 and never copied. The bias terms are plain loops (bias added last, as the
 * reproducible forward). Stateless; thread-safe as the chosen BLAS is.
 */
public final class BlasProducts implements DenseProducts {
    static final BlasProducts INSTANCE = new BlasProducts();

    private static final String NO_TRANSPOSE = "N";
    private static final String TRANSPOSE = "T";

    private final BLAS blas;

    private BlasProducts() {
        this.blas = BLAS.getInstance();
    }

    /**
     * The BLAS implementation that {@code learner.gemm=blas} uses in this JVM: the class name of
     * dev.ludovic.netlib's choice, e.g. {@code dev.ludovic.netlib.blas.JNIBLAS} (native),
     * {@code ...VectorBLAS} or {@code ...Java11BLAS}. Loads it on first call; for the job's start-up log.
     */
    public static String implementationName() {
        return INSTANCE.blas.getClass().getName();
    }

    @Override
    public void forward(double[] x, int n, int in, double[] w, double[] b, int out, double[] z) {
        // zᵀ (out x n) = W · xᵀ = (Wᵀ)ᵀ · xᵀ: A = Wᵀ view transposed, B = xᵀ view
        blas.dgemm(TRANSPOSE, NO_TRANSPOSE, out, n, in, 1.0, w, 0, in, x, 0, in, 0.0, z, 0, out);
        for (int r = 0; r < n; r++) {
            int zo = r * out;
            for (int o = 0; o < out; o++) {
                z[zo + o] += b[o];
            }
        }
    }

    @Override
    public void weightGradient(double[] delta, double[] x, int n, int in, int out, double[] dw, double[] db) {
        // dWᵀ (in x out) = xᵀ · δ = (xᵀ view) · (δᵀ view)ᵀ
        blas.dgemm(NO_TRANSPOSE, TRANSPOSE, in, out, n, 1.0, x, 0, in, delta, 0, out, 0.0, dw, 0, in);
        Arrays.fill(db, 0, out, 0.0);
        for (int r = 0; r < n; r++) {
            int d = r * out;
            for (int o = 0; o < out; o++) {
                db[o] += delta[d + o];
            }
        }
    }

    @Override
    public void inputGradient(double[] delta, double[] w, int n, int in, int out, double[] g) {
        // gᵀ (in x n) = Wᵀ · δᵀ = (Wᵀ view) · (δᵀ view)
        blas.dgemm(NO_TRANSPOSE, NO_TRANSPOSE, in, n, out, 1.0, w, 0, in, delta, 0, out, 0.0, g, 0, in);
    }
}
