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

    DenseProducts products() {
        return this == BLAS ? BlasProducts.INSTANCE : ReproducibleProducts.INSTANCE;
    }
}
