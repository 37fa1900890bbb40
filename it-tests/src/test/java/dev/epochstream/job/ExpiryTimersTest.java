package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * state.ttl keeps a handful of expiry timers per key however many events it sees, and still retires
 * the key (tombstone) once it has been idle for the TTL.
 */
class ExpiryTimersTest {

    @Test
    void aBusyKeyHoldsFewExpiryTimersAndStillExpires() throws Exception {
        JobConfig config = JobConfig.from(RawConfig.of(Map.of("model.layers", "2,1", "model.activations", "sigmoid",
                "model.loss", "bce", "epoch.window", "count:1000000", "state.ttl", "8s",
                "kafka.bootstrap.servers", "localhost:1")), Map.of());
        var op = new KeyedProcessOperator<>(new EpochFunction(config));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(op, LabelledEvent::getKey, Types.STRING)) {
            h.open();
            for (int i = 0; i < 2_000; i++) {
                h.setProcessingTime(i * 5L); // one event every 5 ms for 10 s
                h.processElement(LabelledEvent.newBuilder().setId("e" + i).setKey("k").setTime(Instant.ofEpochMilli(i))
                        .setFeatures(List.of(0.1, 0.2)).setLabel(i % 2).build(), i);
            }
            // one per event would be 2,000; rounded to TTL/8 = 1 s there are at most ~9 outstanding
            assertThat(h.numProcessingTimeTimers()).isLessThanOrEqualTo(10);
            h.setProcessingTime(9_995 + 8_000 + 1_000);
            assertThat(h.getSideOutput(EpochFunction.SNAPSHOTS)).as("a tombstone once idle for the TTL")
                    .anySatisfy(r -> {
                        assertThat(r.getValue().getKey()).isEqualTo("k");
                        assertThat(r.getValue().getSnapshot()).isNull();
                    });
        }
    }
}
