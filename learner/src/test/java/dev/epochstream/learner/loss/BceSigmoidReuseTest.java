package dev.epochstream.learner.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.nn.ActivationFunctions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bce gradient's σ(z), computed from the loss term's own exp(−|z|), against the sigmoid it replaces. */
class BceSigmoidReuseTest {

    @Test
    void sigmoidGivenTheLossTermsExponentialIsTheSigmoidBitForBit() {
        SplittableRandom random = new SplittableRandom(5);
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, 0.5, -0.5, 36.7, -36.7,
            709.8, -709.8, 745.2, -745.2, 1e308, -1e308, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        for (int k = 0; k < 200_000; k++) {
            double x = k < edges.length ? edges[k]
                    : k % 2 == 0 ? random.nextGaussian() * 8 : random.nextDouble(-800, 800);
            double expected = ActivationFunctions.sigmoid(x);
            double actual = BinaryCrossEntropyWithLogits.sigmoid(x, StrictMath.exp(-Math.abs(x)));
            if (Double.isNaN(x)) {
                assertThat(actual).isNaN(); // its sign bit may differ; the loss is NaN too, so the step is refused
            } else {
                assertThat(Double.doubleToRawLongBits(actual)).as("x = %s", x)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }
}
