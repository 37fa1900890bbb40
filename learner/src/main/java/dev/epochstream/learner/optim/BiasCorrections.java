package dev.epochstream.learner.optim;

import java.util.Arrays;

/**
 * Adam's bias corrections bc1 = 1 − beta1^step and √bc2 = √(1 − beta2^step), torch 1.13.1's expressions. The
 * power is {@code StrictMath.pow} (fdlibm, the same doubles on every machine), where torch's Python {@code **}
 * calls the C library's {@code pow}: both are within an ulp of beta^step, so they can differ by one ulp. Against
 * glibc, with the default betas, bc1 differed on 1 and √bc2 on 104 of steps 1 to 5,000 (~2 %, the first at step
 * 16): a run matches torch to rounding there, not bit for bit. Looked up by step instead of computed at every step: an optimizer instance serves
 * many models (keys), each at its own step, and at batch size 1 the two {@code pow} calls were a fifth of a
 * logistic step; {@code pow} also allocates until the JIT's C2 compiles it.
 *
 * <p>The table holds steps 1 .. {@link #MAX_TABLE}, grown (doubling) and filled in step order as larger steps
 * are asked for, each entry by the very expression of the direct computation, so a lookup returns the same
 * doubles. Once both {@code beta^step} fall below 2^-60, every later step gives exactly bc1 = √bc2 = 1.0
 * (1 − p rounds to 1.0 for p < 2^-54, and {@code pow}, within an ulp of the decreasing beta^t, stays below
 * 2^-58 from there on); later steps return 1.0 without a table. Steps past the table that have not
 * saturated (betas very close to 1) are computed directly. Not thread-safe (one per optimizer, which its
 * trainer owns); allocates only when the table grows.
 */
final class BiasCorrections {
    /** Largest step kept in the table: 1 MB of doubles at most. */
    static final int MAX_TABLE = 1 << 16;
    private static final double SATURATED = 0x1p-60;

    private final double beta1;
    private final double beta2;
    /** Entry t − 1 holds step t, for t ≤ filled. */
    private double[] bias1 = new double[64];
    private double[] bias2Sqrt = new double[64];
    private int filled;
    /** First step from which both corrections are exactly 1.0; {@code Long.MAX_VALUE} while unknown. */
    private long saturatedFrom = Long.MAX_VALUE;

    /** The corrections of the step passed to the latest {@link #load}. */
    private double loadedBias1;
    private double loadedBias2Sqrt;

    BiasCorrections(double beta1, double beta2) {
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    /** Makes {@link #bias1()} and {@link #bias2Sqrt()} those of {@code step} (≥ 1). */
    void load(long step) {
        if (step >= saturatedFrom) {
            loadedBias1 = 1.0;
            loadedBias2Sqrt = 1.0;
            return;
        }
        if (step > filled && step <= MAX_TABLE) {
            fillTo((int) step);
            if (step >= saturatedFrom) {
                loadedBias1 = 1.0;
                loadedBias2Sqrt = 1.0;
                return;
            }
        }
        if (step <= filled) {
            loadedBias1 = bias1[(int) step - 1];
            loadedBias2Sqrt = bias2Sqrt[(int) step - 1];
        } else {
            loadedBias1 = 1 - StrictMath.pow(beta1, step);
            loadedBias2Sqrt = Math.sqrt(1 - StrictMath.pow(beta2, step));
        }
    }

    /** 1 − beta1^step of the loaded step. */
    double bias1() {
        return loadedBias1;
    }

    /** √(1 − beta2^step) of the loaded step. */
    double bias2Sqrt() {
        return loadedBias2Sqrt;
    }

    private void fillTo(int step) {
        if (step > bias1.length) {
            int size = Math.min(MAX_TABLE, Math.max(step, 2 * bias1.length));
            bias1 = Arrays.copyOf(bias1, size);
            bias2Sqrt = Arrays.copyOf(bias2Sqrt, size);
        }
        for (int t = filled + 1; t <= step; t++) {
            double p1 = StrictMath.pow(beta1, t);
            double p2 = StrictMath.pow(beta2, t);
            bias1[t - 1] = 1 - p1;
            bias2Sqrt[t - 1] = Math.sqrt(1 - p2);
            filled = t;
            if (p1 < SATURATED && p2 < SATURATED) {
                saturatedFrom = t;
                return;
            }
        }
    }
}
