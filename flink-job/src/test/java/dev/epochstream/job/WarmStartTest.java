package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.learner.config.TrainingConfig;
import dev.epochstream.learner.epoch.EpochTrainer;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartTest {
    private final TrainingConfig config = TrainingConfig.from(RawConfig.of(Map.of("model.layers", "2,1",
            "model.activations", "sigmoid", "model.loss", "bce")));
    private final EpochTrainer trainer = new EpochTrainer(config);

    @Test
    void aRetiredKeyComesBackFreshAsAfterARestart() {
        ModelSnapshot a = ModelSnapshots.of(config, trainer.image(trainer.newModel("a"), false), 1L);
        WarmStart warm = WarmStart.ofSnapshots(Map.of("a", a));
        assertThat(warm.lookup("a")).isSameAs(a);
        assertThat(warm.lookup("b")).isNull();

        warm.forget("a"); // state.ttl retired it: the topic now ends with its tombstone
        assertThat(warm.lookup("a")).isNull();
        warm.forget("never-seen");
        WarmStart.none().forget("a"); // nothing to forget, no failure
    }
}
