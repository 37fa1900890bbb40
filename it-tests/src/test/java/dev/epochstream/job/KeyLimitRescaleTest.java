package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * keys.max after a change of parallelism: each subtask counts the keys of the key groups it serves now. The
 * per-subtask count alone went whole to one subtask (operator list state is split by entries), which then
 * refused new keys it had room for.
 */
class KeyLimitRescaleTest {
    private static final int MAX_PARALLELISM = 128;

    /** keys.max 6: 6 keys on one subtask, 3 on each of two. */
    private final JobConfig config = JobConfig.from(RawConfig.of(Map.of("model.layers", "2,1",
            "model.activations", "sigmoid", "model.loss", "bce", "epoch.window", "count:100", "keys.max", "6",
            "kafka.bootstrap.servers", "localhost:1")), Map.of());

    @Test
    void eachSubtaskCountsTheKeysOfItsKeyGroupsAfterARescale() throws Exception {
        // on one subtask: two keys that subtask 0 of 2 will serve, two that subtask 1 will
        List<String> first = keysOf(0, 4);
        List<String> second = keysOf(1, 4);
        OperatorSubtaskState one;
        try (var h = harness(1, 0)) {
            h.open();
            for (String key : List.of(first.get(0), first.get(1), second.get(0), second.get(1))) {
                h.processElement(event(key), 0);
            }
            assertThat(deadLetters(h)).isEmpty();
            one = h.snapshot(1, 1);
        }
        for (int subtask = 0; subtask < 2; subtask++) {
            List<String> mine = subtask == 0 ? first : second;
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(one, MAX_PARALLELISM,
                    1, 2, subtask);
            try (var h = harness(2, subtask)) {
                h.initializeState(part);
                h.open();
                h.processElement(event(mine.get(0)), 0); // a key it has
                h.processElement(event(mine.get(2)), 0); // its third key: 3 per subtask allowed
                assertThat(deadLetters(h)).as("subtask %d", subtask).isEmpty();
                h.processElement(event(mine.get(3)), 0); // its fourth: one too many
                assertThat(deadLetters(h)).as("subtask %d", subtask).extracting(d -> d.getReason().toString())
                        .containsExactly("key-limit");
            }
        }
    }

    /** The first {@code n} keys "k0", "k1", ... that subtask {@code subtask} of 2 serves. */
    private static List<String> keysOf(int subtask, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n; i++) {
            String key = "k" + i;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(key, MAX_PARALLELISM);
            if (KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(MAX_PARALLELISM, 2, group) == subtask) {
                keys.add(key);
            }
        }
        return keys;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> harness(int parallelism,
                                                                                                 int subtask)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new EpochFunction(config)),
                LabelledEvent::getKey, Types.STRING, MAX_PARALLELISM, parallelism, subtask);
    }

    private static LabelledEvent event(String key) {
        return LabelledEvent.newBuilder().setId(key + "-e").setKey(key).setTime(Instant.ofEpochMilli(0))
                .setFeatures(List.of(0.1, 0.2)).setLabel(1).build();
    }

    private static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent,
            EpochMetrics> h) {
        List<DeadLetter> out = new ArrayList<>();
        var queue = h.getSideOutput(EpochFunction.DEAD_LETTERS);
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }
}
