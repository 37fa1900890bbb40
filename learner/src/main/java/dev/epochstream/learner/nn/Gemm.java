package dev.epochstream.learner.nn;

import java.util.Locale;

/**
 * How the dense products of training and scoring are computed ({@code learner.gemm}). Sparse first layers
 * keep their own kernels whichever is chosen.
 */
public enum Gemm {
    /** Plain loops in a fixed summation order: bit-identical results on every machine (the default). */
    REPRODUCIBLE("reproducible"),
    /**
     * A BLAS dgemm ({@link BlasProducts}): much faster on large layers, reproducible only on the same machine
     * and BLAS library.
     */
    BLAS("blas");

    private final String configName;

    Gemm(String configName) {
        this.configName = configName;
    }

    /** The value as written in a config, e.g. {@code blas}. */
    public String configName() {
        return configName;
    }

    /** @throws IllegalArgumentException for a name that is not a {@link #configName()} (case-insensitive) */
    public static Gemm fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Gemm g : values()) {
            if (g.configName.equals(n)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown learner.gemm '" + name + "': use reproducible or blas");
    }

    /**
     * The products for a network of these layer sizes (and a sparse or dense input); one instance per
     * workspace (it may keep scratch).
     * {@link #REPRODUCIBLE} runs {@link VectorizedProducts} when the JVM has the Vector API module and
     * {@link ReproducibleProducts} otherwise: the same doubles either way, the first several times faster.
     */
    DenseProducts products(int[] sizes, boolean sparseInput) {
        if (this == BLAS) {
            return BlasProducts.INSTANCE;
        }
        return VectorApi.ENABLED ? new VectorizedProducts(sizes, sparseInput) : ReproducibleProducts.INSTANCE;
    }

    /**
     * Whether {@link #REPRODUCIBLE} uses the Vector API in this JVM: the module {@code jdk.incubator.vector}
     * was added to it ({@code --add-modules jdk.incubator.vector}, as bin/ scripts, tests and the Docker
     * images do) and the system property {@code epochstream.learner.vector} is not {@code false} (the switch
     * that lets a benchmark compare both in one build). For the job's start-up log.
     */
    public static boolean vectorApiEnabled() {
        return VectorApi.ENABLED;
    }

    /** Looked up once, in a holder so that the enum's own initialisation does not depend on it. */
    private static final class VectorApi {
        static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equalsIgnoreCase(System.getProperty("epochstream.learner.vector", "true").trim());
    }
}
