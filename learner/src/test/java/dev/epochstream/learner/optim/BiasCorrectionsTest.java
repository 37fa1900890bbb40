package dev.epochstream.learner.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The tabled bias corrections must be the very doubles of the direct formula 1 − beta^step
 * ({@code StrictMath.pow}, as Adam computed them at every step before), for every step in and past the
 * table, asked for in any order, including betas that never saturate within the table.
 */
class BiasCorrectionsTest {

    @Test
    void everyStepInOrderMatchesTheDirectFormulaBitForBit() {
        double[][] betas = {{0.9, 0.999}, {0.0, 0.5}, {0.5, 0.0}, {0.99, 0.9999}, {0.99999, 0.999999}};
        for (double[] b : betas) {
            BiasCorrections table = new BiasCorrections(b[0], b[1]);
            for (long step = 1; step <= BiasCorrections.MAX_TABLE + 2_000; step++) {
                assertStep(table, b, step);
            }
        }
    }

    @Test
    void stepsInAnyOrderAndFarPastTheTableMatchTheDirectFormula() {
        double[][] betas = {{0.9, 0.999}, {0.99999, 0.999999}, {0.8, 0.9999}};
        long[] steps = {5, 1, 70_000, 3, 1_000_000, 41_000, 42_000, 65_536, 65_537, 2, 10_000_000_000L, 64, 65,
            129, 128, 36_000, 50_000, 7};
        for (double[] b : betas) {
            BiasCorrections table = new BiasCorrections(b[0], b[1]);
            for (long step : steps) {
                assertStep(table, b, step);
            }
        }
    }

    @Test
    void defaultBetasSaturateToExactlyOne() {
        BiasCorrections table = new BiasCorrections(0.9, 0.999);
        table.load(100_000);
        assertThat(table.bias1()).isEqualTo(1.0);
        assertThat(table.bias2Sqrt()).isEqualTo(1.0);
        table.load(1);
        assertThat(table.bias1()).isCloseTo(0.1, within(1e-12));
        assertThat(table.bias2Sqrt()).isCloseTo(Math.sqrt(0.001), within(1e-12));
    }

    private static void assertStep(BiasCorrections table, double[] b, long step) {
        table.load(step);
        double bias1 = 1 - StrictMath.pow(b[0], step);
        double bias2Sqrt = Math.sqrt(1 - StrictMath.pow(b[1], step));
        assertThat(Double.doubleToRawLongBits(table.bias1())).as("bias1 betas %s,%s step %d", b[0], b[1], step)
                .isEqualTo(Double.doubleToRawLongBits(bias1));
        assertThat(Double.doubleToRawLongBits(table.bias2Sqrt())).as("bias2 betas %s,%s step %d", b[0], b[1], step)
                .isEqualTo(Double.doubleToRawLongBits(bias2Sqrt));
    }
}
