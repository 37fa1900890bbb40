package dev.epochstream.learner.metric;

import static dev.epochstream.learner.metric.ClassificationMetricsTest.assertRelClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RollingTest {

    /** Epoch e (0-based) holds rows [BOUNDS[e], BOUNDS[e + 1]): epochs of unequal sizes, one empty. */
    private static final int[] BOUNDS = {0, 120, 300, 300, 410, 700, 1000};

    @Test
    void classificationWindowEqualsFreshAccumulatorOfTheLastKEpochs() {
        int k = 3;
        int classes = 3;
        RandomRows rows = RandomRows.classification(3, 1000, classes);
        Rolling<ClassificationMetrics> rolling = new Rolling<>(new MetricsConfig(k),
                new ClassificationMetrics(classes));
        // K + 3 epochs, checking the window after each one
        for (int e = 0; e + 1 < BOUNDS.length; e++) {
            rolling.startEpoch();
            rows.feed(rolling.current(), BOUNDS[e], BOUNDS[e + 1]);

            ClassificationMetrics expected = new ClassificationMetrics(classes);
            rows.feed(expected, BOUNDS[Math.max(0, e + 1 - k)], BOUNDS[e + 1]);
            ClassificationMetrics window = rolling.value();
            assertThat(rolling.epochsHeld()).isEqualTo(Math.min(e + 1, k));
            assertThat(window.count()).isEqualTo(expected.count());
            assertThat(window.confusionMatrix()).isEqualTo(expected.confusionMatrix());
            assertThat(window.macroF1()).isEqualTo(expected.macroF1());
            assertRelClose(window.logLoss(), expected.logLoss());
        }
        assertThat(rolling.value().count()).isEqualTo(1000 - 300);
    }

    @Test
    void regressionWindowEqualsFreshAccumulatorOfTheLastKEpochs() {
        int k = 2;
        RandomRows rows = RandomRows.regression(9, 1000, 2);
        Rolling<RegressionMetrics> rolling = new Rolling<>(k, new RegressionMetrics(2));
        for (int e = 0; e + 1 < BOUNDS.length; e++) {
            rolling.startEpoch();
            rows.feed(rolling.current(), BOUNDS[e], BOUNDS[e + 1]);
        }
        // the last K = 2 epochs are rows 410 .. 1000
        RegressionMetrics expected = new RegressionMetrics(2);
        rows.feed(expected, 410, 1000);
        RegressionMetrics window = rolling.value();
        assertThat(window.count()).isEqualTo(expected.count());
        assertThat(window.r2()).isCloseTo(expected.r2(), within(1e-12));
        assertRelClose(window.mae(), expected.mae());
        assertRelClose(window.mse(), expected.mse());
    }

    @Test
    void singleEpochWindowAndLossMean() {
        Rolling<LossMean> rolling = new Rolling<>(1, new LossMean());
        rolling.startEpoch();
        rolling.current().update(10.0, 5);
        rolling.startEpoch();
        rolling.current().update(1.0, 2);
        rolling.current().update(4.0, 1);
        // only the second epoch: (1·2 + 4·1) / 3
        assertThat(rolling.value().value()).isCloseTo(2.0, within(1e-12));
        assertThat(rolling.epochsHeld()).isEqualTo(1);
    }

    @Test
    void prototypeRowsAreIgnoredAndNotShared() {
        ClassificationMetrics prototype = new ClassificationMetrics(2);
        prototype.update(1, 1, 0.9);
        Rolling<ClassificationMetrics> rolling = new Rolling<>(2, prototype);
        assertThat(rolling.value().count()).isZero();
        assertThat(rolling.value().accuracy()).isNaN();
        rolling.startEpoch();
        assertThat(rolling.current().count()).isZero();
        rolling.current().update(0, 0, Double.NaN);
        assertThat(prototype.count()).isEqualTo(1);
    }

    @Test
    void currentBeforeAnEpochAndBadKAreRefused() {
        Rolling<LossMean> rolling = new Rolling<>(2, new LossMean());
        assertThatThrownBy(rolling::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("startEpoch");
        assertThatThrownBy(() -> new MetricsConfig(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics.rolling-epochs");
        assertThatThrownBy(() -> new Rolling<>(0, new LossMean())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metrics.rolling-epochs");
    }

    @Test
    void resetDropsEveryEpoch() {
        Rolling<LossMean> rolling = new Rolling<>(2, new LossMean());
        rolling.startEpoch();
        rolling.current().update(1.0, 1);
        rolling.reset();
        assertThat(rolling.epochsHeld()).isZero();
        assertThat(rolling.value().count()).isZero();
        assertThat(rolling).isEqualTo(new Rolling<>(2, new LossMean()));
    }
}
