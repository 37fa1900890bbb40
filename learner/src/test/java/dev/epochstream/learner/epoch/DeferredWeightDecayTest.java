package dev.epochstream.learner.epoch;

import static dev.epochstream.learner.epoch.TestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import dev.epochstream.learner.optim.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The epoch trainer catches deferred weight decay of sparse columns up (SGD with weight decay on a sparse
 * first layer), and that catch-up is not an update: an epoch that trains nothing keeps the model's version.
 */
class DeferredWeightDecayTest {
    private static final int INPUTS = 5000; // above the trainer's sparse-input threshold

    private final EpochTrainer trainer = new EpochTrainer(config("model.layers", INPUTS + ",1",
            "model.activations", "sigmoid", "model.loss", "bce", "optimizer", "sgd", "optimizer.lr", "0.1",
            "optimizer.weight-decay", "0.1", "train.batch-size", "2"));

    @Test
    void anEpochThatOnlyCatchesUpKeepsTheVersion() {
        ModelState m = trainer.newModel("k");
        trainer.trainEpoch(m, List.of(event("a", 1, 1.0), event("b", 2, 0.0)), 0, 1, 0);
        assertThat(m.version()).isEqualTo(1);

        // a model stored before every epoch ended caught up: column 7 still owes the steps since step 0
        ModelImage image = trainer.image(m, true);
        OptimizerState opt = image.optimizer();
        double[] currentStep = opt.buffer(opt.buffers().length - image.parameters().length - 1);
        currentStep[7] = 0;
        ModelState restored = trainer.restore(image);

        List<Example> unlabelled = new ArrayList<>();
        unlabelled.add(event("c", 3, null));
        EpochResult r = trainer.trainEpoch(restored, unlabelled, 1, 2, 0);

        assertThat(restored.version()).as("no update was applied").isEqualTo(1);
        assertThat(r.modelVersion()).isEqualTo(1);
    }

    private static Example event(String id, int column, Double label) {
        return new Example(id, "k", 1000L, null, new SparseVector(INPUTS, new int[] {column}, new double[] {1.0}),
                label == null ? null : new double[] {label}, 1.0, null);
    }
}
