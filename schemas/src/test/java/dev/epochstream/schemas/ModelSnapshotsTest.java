package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.ModelImage;
import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.features.Standardizer;
import java.util.Map;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;

class ModelSnapshotsTest {

    private static final TrainingConfig CONFIG = TrainingConfig.from(RawConfig.of(Map.of("model.layers", "3,2,1",
            "model.activations", "tanh,identity", "model.loss", "mse", "features.standardize", "true")));

    private static ModelSnapshot snapshot(double weight, double mean) {
        double[][] params = {{0.1, 0.2, 0.3, -0.4, -0.5, weight}, {0.01, 0.02}, {1.5, -2.5}, {-0.0}};
        ModelImage image = new ModelImage("k", 3, ModelState.NO_TIME, params, null,
                new Standardizer(10, new double[] {0.5, mean, -1.0}, new double[] {2.0, 3.0, 4.0}), 1, 1, 0, 0, 0, 0, 1);
        return ModelSnapshots.of(CONFIG, image, 0L);
    }

    @Test
    void parametersAndStatisticsArePrimitiveListsWithTheImagesValues() {
        ModelSnapshot s = snapshot(-0.6, 1.0);
        LayerParameters first = s.getParameters().get(0);
        assertThat(first.getWeights()).isInstanceOf(PrimitivesArrays.DoubleArray.class)
                .containsExactly(0.1, 0.2, 0.3, -0.4, -0.5, -0.6);
        assertThat(s.getParameters().get(1).getBiases()).containsExactly(-0.0);
        assertThat(Double.doubleToRawLongBits(s.getParameters().get(1).getBiases().get(0)))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(s.getPreprocessing().getMeans()).isInstanceOf(PrimitivesArrays.DoubleArray.class)
                .containsExactly(0.5, 1.0, -1.0);
        assertThat(s.getPreprocessing().getM2()).containsExactly(2.0, 3.0, 4.0);
        assertThat(ModelSnapshots.problems(s)).isEmpty();
    }

    @Test
    void aNonFiniteParameterOrStatisticInAPrimitiveListIsAProblem() {
        assertThat(ModelSnapshots.problems(snapshot(Double.NaN, 1.0))).containsExactly("layer 0 holds a non-finite parameter");
        assertThat(ModelSnapshots.problems(snapshot(0.0, Double.NEGATIVE_INFINITY)))
                .containsExactly("standardisation statistics do not match 3 dense inputs or are not finite");
    }

    private static ModelSnapshot withOptimizer(long step, long counter, double buffer) {
        ModelSnapshot s = snapshot(0.0, 1.0);
        s.setOptimizerState(OptimizerSnapshot.newBuilder().setName("adam").setStep(step)
                .setCounters(java.util.List.of(counter)).setBuffers(java.util.List.of(java.util.List.of(0.0, buffer)))
                .build());
        return s;
    }

    @Test
    void optimizerStateThatCannotBeResumedFromIsAProblem() {
        assertThat(ModelSnapshots.problems(withOptimizer(5, 0, 0.5))).isEmpty();
        assertThat(ModelSnapshots.problems(withOptimizer(-7, 0, 0.5))).containsExactly("optimizer state: step -7 is negative");
        assertThat(ModelSnapshots.problems(withOptimizer(5, -1, 0.5)))
                .containsExactly("optimizer state: counter 0 is -1, not a count >= 0");
        assertThat(ModelSnapshots.problems(withOptimizer(5, 0, Double.NaN)))
                .containsExactly("optimizer state: buffer 0 holds a non-finite value");
    }

    private static TrainingConfig config(String... overrides) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("model.layers", "3,2,1", "model.activations",
                "tanh,identity", "model.loss", "mse", "features.standardize", "true"));
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        return TrainingConfig.from(RawConfig.of(m));
    }

    @Test
    void architectureMismatchNamesTheKeyAndBothValues() {
        ModelSnapshot s = snapshot(0.0, 1.0);
        assertThat(ModelSnapshots.architectureMismatch(s, config())).isNull();
        // hyper-parameters may change
        assertThat(ModelSnapshots.architectureMismatch(s, config("optimizer", "sgd", "optimizer.lr", "0.5"))).isNull();
        assertThat(ModelSnapshots.architectureMismatch(s, config("model.activations", "relu,identity")))
                .isEqualTo("model.activations is relu,identity in the configuration but tanh,identity in the snapshot");
        assertThat(ModelSnapshots.architectureMismatch(s, config("model.layers", "3,4,1")))
                .isEqualTo("model.layers is 3,4,1 in the configuration but 3,2,1 in the snapshot");
        assertThat(ModelSnapshots.architectureMismatch(s, config("model.loss", "mae")))
                .isEqualTo("model.loss is mae in the configuration but mse in the snapshot");
        assertThat(ModelSnapshots.architectureMismatch(s, config("features.standardize", "false")))
                .isEqualTo("features.standardize is false in the configuration but true in the snapshot");
        assertThat(ModelSnapshots.architectureMismatch(s, config("model.loss", "huber", "model.loss.delta", "2")))
                .startsWith("model.loss is huber");
        // a slope that no activation uses is not part of the architecture (a configuration may not set one, but a
        // snapshot of an older build may carry one)
        ModelSnapshot straySlope = snapshot(0.0, 1.0);
        straySlope.getNetwork().setLeakySlope(0.2);
        assertThat(ModelSnapshots.architectureMismatch(straySlope, config())).isNull();
        ModelSnapshot leaky = ModelSnapshots.of(config("model.activations", "leaky_relu,identity"),
                new ModelImage("k", 0, ModelState.NO_TIME, s.getParameters().isEmpty() ? null : ModelSnapshots.parameters(s),
                        null, null, 0, 0, 0, 0, 0, 0, 0), 0L);
        assertThat(ModelSnapshots.architectureMismatch(leaky, config("model.activations", "leaky_relu,identity",
                "model.leaky-slope", "0.2", "features.standardize", "false")))
                .isEqualTo("model.leaky-slope is 0.2 in the configuration but 0.01 in the snapshot");
    }
}
