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
}
