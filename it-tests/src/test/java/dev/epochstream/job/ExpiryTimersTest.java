package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * state.ttl keeps a handful of expiry timers per key however many events it sees, and still retires
 * the key (tombstone) once it has been idle for the TTL.
 */
class ExpiryTimersTest {

    private static JobConfig config(String ttl) {
        return JobConfig.from(RawConfig.of(Map.of("model.layers", "2,1", "model.activations", "sigmoid",
                "model.loss", "bce", "epoch.window", "count:1000000", "state.ttl", ttl,
                "kafka.bootstrap.servers", "localhost:1")), Map.of());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> harness(String ttl)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new EpochFunction(config(ttl))),
                LabelledEvent::getKey, Types.STRING);
    }

    private static StateBackend stateBackend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    private static LabelledEvent event(int i) {
        return LabelledEvent.newBuilder().setId("e" + i).setKey("k").setTime(Instant.ofEpochMilli(i))
                .setFeatures(List.of(0.1, 0.2)).setLabel(i % 2).build();
    }

    private static boolean tombstoned(KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> h) {
        var out = h.getSideOutput(EpochFunction.SNAPSHOTS);
        return out != null && out.stream().anyMatch(r -> r.getValue().getSnapshot() == null);
    }

    /** The state after one event of key k at processing time 1 s, under state.ttl=8s (its timer: 9 s). */
    private static OperatorSubtaskState oneEventUnderAnEightSecondTtl() throws Exception {
        try (var h = harness("8s")) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(event(1), 1);
            return h.snapshot(1, 1_000);
        }
    }

    @Test
    void aBusyKeyHoldsFewExpiryTimersAndStillExpires() throws Exception {
        try (var h = harness("8s")) {
            h.open();
            for (int i = 0; i < 2_000; i++) {
                h.setProcessingTime(i * 5L); // one event every 5 ms for 10 s
                h.processElement(event(i), i);
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

    /**
     * A job stopped for longer than state.ttl: on restore every expiry timer is overdue and fires before the source
     * has read the keys' backlog. The key's idle time counts from the restart, so it is retired only if it stays
     * idle for the TTL after it (it used to be retired at once, its model dropped and tombstoned).
     */
    @Test
    void afterAStopLongerThanTheTtlAKeyIsIdleFromTheRestart() throws Exception {
        OperatorSubtaskState saved = oneEventUnderAnEightSecondTtl();
        try (var h = harness("8s")) {
            h.initializeState(saved);
            h.open();
            h.setProcessingTime(3_600_000); // an hour later: the restored timer (~9 s) is long overdue
            assertThat(tombstoned(h)).as("not retired by the timer that fell due while stopped").isFalse();
            h.setProcessingTime(3_600_000 + 7_000);
            assertThat(tombstoned(h)).isFalse();
            h.setProcessingTime(3_600_000 + 8_000 + 1_000);
            assertThat(tombstoned(h)).as("retired once idle for the TTL after the restart").isTrue();
        }
    }

    /**
     * state.ttl turned on at a restore: the saved key had no expiry timer, and it gets no more events. The job's
     * operator arms one for every restored key as it opens, so the key is retired a TTL after the restart (a bare
     * KeyedProcessOperator would keep it for good). On both state backends: each iterates its keys its own way.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aTtlTurnedOnAtARestoreRetiresAKeyThatGetsNoMoreEvents(String backend) throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness("off")) {
            h.setStateBackend(stateBackend(backend));
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(event(1), 1);
            assertThat(h.numProcessingTimeTimers()).isZero();
            saved = h.snapshot(1, 1_000);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new EpochOperator(new EpochFunction(config("8s"))),
                LabelledEvent::getKey, Types.STRING)) {
            h.setStateBackend(stateBackend(backend));
            h.initializeState(saved);
            h.setProcessingTime(3_600_000); // restarted an hour later
            h.open();
            assertThat(h.numProcessingTimeTimers()).as("one expiry timer for the restored key").isEqualTo(1);
            h.setProcessingTime(3_600_000 + 7_000);
            assertThat(tombstoned(h)).isFalse();
            h.setProcessingTime(3_600_000 + 8_000 + 1_000);
            assertThat(tombstoned(h)).as("retired a TTL after the restart").isTrue();
        }
    }

    /** A longer state.ttl on restore: the timer armed under the old TTL re-arms, and the key expires by the new. */
    @Test
    void aLongerTtlOnRestoreExpiresByTheNewTtl() throws Exception {
        OperatorSubtaskState saved = oneEventUnderAnEightSecondTtl();
        try (var h = harness("60s")) {
            h.initializeState(saved);
            h.open();
            h.setProcessingTime(9_500); // the timer armed under 8 s fires: idle 8.5 s, not 60 s
            assertThat(tombstoned(h)).isFalse();
            h.setProcessingTime(9_500 + 60_000 + 7_500); // idle for 60 s since the restart (rounded up to 7.5 s)
            assertThat(tombstoned(h)).as("the re-armed timer retires it").isTrue();
        }
    }
}
