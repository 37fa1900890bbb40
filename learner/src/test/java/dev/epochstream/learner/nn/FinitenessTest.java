package dev.epochstream.learner.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Finiteness#allFinite} (the SIMD scan under surefire's Vector API) against {@link Double#isFinite} one
 * value at a time: one infinity or NaN at every position of runs of every length around the vector width,
 * with every offset, among finite values of all magnitudes (whose x − x must stay exactly 0).
 */
class FinitenessTest {
    private static final double[] NOT_FINITE = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
        Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8000000000042L)};

    @Test
    void findsAnyNonFiniteValueWhereverItIs() {
        assertThat(Gemm.vectorApiEnabled()).isTrue();
        SplittableRandom rnd = new SplittableRandom(41);
        for (int length = 0; length <= 40; length++) {
            for (int from = 0; from < 3; from++) {
                double[] a = new double[from + length + 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = rnd.nextBoolean() ? Double.MAX_VALUE * rnd.nextDouble(-1, 1)
                            : Double.MIN_VALUE * rnd.nextInt(-5, 5);
                }
                // values outside [from, from + length) must not count
                a[a.length - 1] = Double.NaN;
                if (from > 0) {
                    a[0] = Double.POSITIVE_INFINITY;
                }
                assertThat(Finiteness.allFinite(a, from, from + length)).as("all finite, length %d", length).isTrue();
                for (int p = from; p < from + length; p++) {
                    double keep = a[p];
                    a[p] = NOT_FINITE[rnd.nextInt(NOT_FINITE.length)];
                    assertThat(Finiteness.allFinite(a, from, from + length))
                            .as("%s at %d of [%d, %d)", a[p], p, from, from + length).isFalse();
                    a[p] = keep;
                }
            }
        }
    }
}
