package dev.epochstream.job;

import dev.epochstream.learner.config.RawConfig;
import java.util.HashMap;
import java.util.Map;

/** Job configurations of a small logistic model, for tests of what the job derives from its keys. */
final class JobConfigs {

    private JobConfigs() {
    }

    /** A [2,1] sigmoid/bce model with a broker that is never contacted, and {@code extra} on top. */
    static JobConfig logistic(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of("model.layers", "2,1", "model.activations", "sigmoid",
                "model.loss", "bce", "kafka.bootstrap.servers", "localhost:1"));
        m.putAll(extra);
        return JobConfig.from(RawConfig.of(m), Map.of());
    }
}
