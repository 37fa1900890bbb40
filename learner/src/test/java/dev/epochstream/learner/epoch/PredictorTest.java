package dev.epochstream.learner.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Serving with {@link Predictor} gives bit-identical scores to the trainer, preprocessing included. */
class PredictorTest {
    private final TrainingConfig config = RichModel.config();
    private final EpochTrainer trainer = new EpochTrainer(config);

    private static final List<Example> QUERIES = List.of(
            new Example("q1", "k", 0, new double[] {3.5, -1.25}, null, null, 1, Map.of("color", "red")),
            new Example("q2", "k", 0, new double[] {9, 0}, null, null, 1, Map.of("color", "never-seen", "size", "L")),
            new Example("q3", "k", 0, null, new SparseVector(2, new int[] {1}, new double[] {2}), null, 1, null),
            new Example("q4", "k", 0, new double[] {0, 0}, null, null, 1, Map.of()));

    private Predictor predictor(ModelImage image) {
        return new Predictor(config.network(), config.lossName(), config.lossDelta(), config.lossMargin(),
                image.parameters(), image.standardizer(), config.hashBits(), image.version());
    }

    private static void assertSameScores(Scored served, Scored learned) {
        assertThat(served.scores().length).isEqualTo(learned.scores().length);
        for (int k = 0; k < served.scores().length; k++) {
            assertThat(Double.doubleToRawLongBits(served.scores()[k]))
                    .isEqualTo(Double.doubleToRawLongBits(learned.scores()[k]));
        }
        assertThat(served.predictedClass()).isEqualTo(learned.predictedClass());
        assertThat(served.modelVersion()).isEqualTo(learned.modelVersion());
    }

    @Test
    void servedScoresEqualTheTrainersBitForBit() {
        ModelState m = RichModel.trained(trainer, 4);
        assertThat(m.standardizer().count()).isPositive();
        Predictor p = predictor(trainer.image(m, false));
        assertThat(p.task()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(p.version()).isEqualTo(4);
        for (Example q : QUERIES) {
            assertThat(p.encoder().problem(q)).isNull();
            assertSameScores(p.predict(q), trainer.score(m, q));
        }
    }

    @Test
    void predictorIsUnaffectedByLaterTrainingAndMatchesADecodedState() {
        ModelState m = RichModel.trained(trainer, 3);
        ModelState decoded = ModelStateCodec.decode(ModelStateCodec.encode(m));
        Predictor p = predictor(trainer.image(m, false));
        Scored before = p.predict(QUERIES.get(0));
        assertSameScores(before, trainer.score(decoded, QUERIES.get(0)));

        // the predictor copied parameters and statistics: training the live state does not move it
        trainer.trainEpoch(m, RichModel.window("more", 12, 50), 0, 1, 0);
        assertSameScores(p.predict(QUERIES.get(0)), before);
    }

    @Test
    void refusesParametersOfAnotherShape() {
        double[][] wrong = {new double[30], new double[5]};
        assertThatThrownBy(() -> new Predictor(config.network(), "cce", 1, 1, wrong, null, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4 parameter tensors");
        double[][] badSize = {new double[29], new double[5], new double[15], new double[3]};
        assertThatThrownBy(() -> new Predictor(config.network(), "cce", 1, 1, badSize, null, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 0 has 29 values");
    }
}
