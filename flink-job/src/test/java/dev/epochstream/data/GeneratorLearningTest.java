package dev.epochstream.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.epoch.EpochResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each generator's concept is learnable by the model it suggests, trained by the job's epoch trainer over
 * count windows of 250 events; SEA's abrupt drift shows as a dip in prequential accuracy. Thresholds sit
 * well between chance and the best possible score, with room for a few standard errors of one window
 * (sqrt(p(1−p)/250) ≤ 0.032 for an accuracy).
 */
class GeneratorLearningTest {
    private static final int WINDOW = 250;

    @Test
    void hyperplaneIsLearnedWhileItTurns() {
        List<EpochResult> epochs = Prequential.train(Generators.create("hyperplane", 1, 42), 20_000, WINDOW).get("model-0");
        assertThat(epochs).hasSize(80);
        // Chance is 0.5 (balanced classes); 5% label noise caps accuracy at 0.95. A model that keeps up with the
        // turning plane scores > 0.8 over the last 20 windows; a frozen or untrained one would not.
        assertThat(Prequential.meanAccuracy(epochs, 60, 80)).isGreaterThan(0.80);
        assertThat(Prequential.meanAccuracy(epochs, 0, 2)).isLessThan(0.70);
    }

    @Test
    void randomRbfIsLearned() {
        List<EpochResult> epochs = Prequential.train(Generators.create("rbf", 1, 42), 20_000, WINDOW).get("model-0");
        // 5 classes: chance (always the most frequent class) is at most ~0.4 for 50 random centroids; the
        // overlapping centroids keep even the best rule below 1. > 0.7 over the last 20 windows is learned.
        assertThat(Prequential.meanAccuracy(epochs, 60, 80)).isGreaterThan(0.70);
    }

    @Test
    void friedmanIsLearned() {
        List<EpochResult> epochs = Prequential.train(Generators.create("friedman", 1, 42), 20_000, WINDOW).get("model-0");
        double r2 = 0;
        for (int i = 60; i < 80; i++) {
            r2 += epochs.get(i).prequential().r2();
        }
        // Predicting the mean gives R² = 0; the noise (variance 1 of a total ≈ 24.8) caps it at ≈ 0.96.
        // 10·x4 + 5·x5 alone explain (100 + 25)/12 / 24.8 ≈ 0.42: R² > 0.6 needs the non-linear terms too.
        assertThat(r2 / 20).isGreaterThan(0.6);
    }

    @Test
    void everyKeyOfAMultiKeyRunLearnsItsOwnConcept() {
        Map<String, List<EpochResult>> byKey = Prequential.train(Generators.create("sea", 3, 42), 30_000, WINDOW);
        assertThat(byKey).containsOnlyKeys("model-0", "model-1", "model-2");
        for (List<EpochResult> epochs : byKey.values()) {
            assertThat(epochs).hasSize(40);
            // 10% label noise caps accuracy at 0.9; chance is at most 0.68 (the share of f1+f2 <= 9.5).
            // Windows 35..39 are the last half of a concept block (10 windows per block), after recovery.
            assertThat(Prequential.meanAccuracy(epochs, 35, 40)).isGreaterThan(0.80);
        }
    }

    @Test
    void seaConceptChangeShowsAsADipInPrequentialAccuracy() {
        List<EpochResult> epochs = Prequential.train(Generators.create("sea", 1, 42), 10_000, WINDOW).get("model-0");
        // Blocks of 2,500 events = 10 windows: concepts θ = 8, 9, 7, 9.5 start at windows 0, 10, 20, 30.
        // A model of the old concept misclassifies the points between the lines: 16% from 9 to 7, 20.6% from
        // 7 to 9.5, i.e. an expected accuracy drop of 0.16·0.8 = 0.13 and 0.206·0.8 = 0.16 with 10% noise.
        // Required: a drop of more than 0.05 (over 2 standard errors of one window, well under the expected).
        for (int change : new int[] {20, 30}) {
            double before = Prequential.meanAccuracy(epochs, change - 5, change);
            double right = epochs.get(change).prequential().accuracy();
            double recovered = Prequential.meanAccuracy(epochs, change + 5, change + 10);
            assertThat(right).as("accuracy in window %d, right after the change", change).isLessThan(before - 0.05);
            assertThat(recovered).as("accuracy 5..9 windows after the change at %d", change).isGreaterThan(right + 0.05);
            assertThat(before).isGreaterThan(0.80);
        }
    }
}
