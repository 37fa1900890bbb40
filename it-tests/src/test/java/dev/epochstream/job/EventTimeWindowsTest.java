package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.config.RawConfig;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.LabelledEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Event-time windows of one key: every window a watermark passes is trained once, oldest first, with
 * exactly its own events, however many windows one watermark step passes (all of them from one read of
 * the buffer); and a window that takes an event after a restore (whose watermark starts over, so an event
 * the old watermark would have called late is accepted) is still trained when the watermark passes it.
 */
class EventTimeWindowsTest {

    private static final long SIZE = 50;

    private final JobConfig config = JobConfig.from(RawConfig.of(Map.of("model.layers", "2,1",
            "model.activations", "sigmoid", "model.loss", "bce", "epoch.window", "event-time:" + SIZE + "ms",
            "kafka.bootstrap.servers", "localhost:1")), Map.of());

    @Test
    void everyWindowOneWatermarkPassesIsTrainedOnceOldestFirst() throws Exception {
        try (var h = harness()) {
            h.open();
            // 40 windows of 5 events (one every 10 ms), then one watermark past 30 of them
            for (int i = 0; i < 200; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L);
            }
            h.processWatermark(30 * SIZE - 1);

            List<EpochMetrics> first = metrics(h);
            assertThat(first).hasSize(30);
            for (int w = 0; w < 30; w++) {
                EpochMetrics m = first.get(w);
                assertThat(m.getEpoch()).isEqualTo(w + 1);
                assertThat(m.getWindowStart()).isEqualTo(Instant.ofEpochMilli(w * SIZE));
                assertThat(m.getTrained()).as("window %d trains its own 5 events", w).isEqualTo(5L * (w + 1));
                assertThat(m.getPending()).isEqualTo(200 - 5L * (w + 1));
            }

            h.processWatermark(40 * SIZE - 1);
            List<EpochMetrics> all = metrics(h);
            assertThat(all).hasSize(40);
            assertThat(all.get(39).getWindowStart()).isEqualTo(Instant.ofEpochMilli(39 * SIZE));
            assertThat(all.get(39).getTrained()).isEqualTo(200);
            assertThat(all.get(39).getPending()).isZero();
        }
    }

    @Test
    void aWindowThatTakesAnEventAfterARestoreIsTrainedWhenTheWatermarkPassesIt() throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 20; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L);
            }
            h.processWatermark(4 * SIZE - 1); // trains the four windows [0, 200)
            assertThat(metrics(h)).hasSize(4);
            saved = h.snapshot(1, 1);
        }
        try (var h = harness()) {
            h.initializeState(saved);
            h.open();
            // the restored watermark starts over: an event of the trained window [150, 200) is not late
            h.processElement(event("again", 160), 160);
            h.processWatermark(4 * SIZE - 1);
            List<EpochMetrics> after = metrics(h);
            assertThat(after).as("the window [150, 200) trains again, on its new event").hasSize(1);
            assertThat(after.get(0).getWindowStart()).isEqualTo(Instant.ofEpochMilli(3 * SIZE));
            assertThat(after.get(0).getEpoch()).isEqualTo(5);
            assertThat(after.get(0).getTrained()).isEqualTo(21);
        }
    }

    @Test
    void aRestoreUnderAnotherWindowLayoutIsRefusedNamingTheKey() throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 7; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L); // buffered: no watermark yet
            }
            saved = h.snapshot(1, 1);
        }
        for (String other : List.of("count:10", "event-time:100ms", "processing-time:50ms")) {
            try (var h = harness(with("epoch.window", other))) {
                assertThatThrownBy(() -> h.initializeState(saved)).as(other).isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("epoch.window: ").hasMessageContaining("event-time:50ms");
            }
        }
        // what the buffers do not depend on may change (here the learning rate): the buffered windows train
        try (var h = harness(with("optimizer.lr", "0.01"))) {
            h.initializeState(saved);
            h.open();
            h.processWatermark(2 * SIZE - 1);
            assertThat(metrics(h)).hasSize(2).last().satisfies(m -> assertThat(m.getTrained()).isEqualTo(7));
        }
    }

    @Test
    void windowsBufferedBeforeARestoreWithALongerLatenessCloseByTheNewLateness() throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness()) { // lateness 0: the windows' timers are armed at 49 and 99
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L);
            }
            saved = h.snapshot(1, 1);
        }
        try (var h = harness(with("epoch.allowed-lateness", "100ms"))) {
            h.initializeState(saved);
            h.open();
            h.processWatermark(99);
            assertThat(metrics(h)).as("the old timers fire, the windows stay open for the new lateness").isEmpty();
            h.processWatermark(149);
            assertThat(metrics(h)).as("[0, 50) closes at 49 + 100, with no new event of the key").hasSize(1);
            h.processWatermark(199);
            assertThat(metrics(h)).hasSize(2).last().satisfies(m -> {
                assertThat(m.getWindowStart()).isEqualTo(Instant.ofEpochMilli(SIZE));
                assertThat(m.getTrained()).isEqualTo(10);
            });
        }
    }

    /**
     * The other way round: timers armed under 100 ms would close the windows at 149 and 199; restored under a
     * lateness of 0, the job's operator arms a timer at the key's first watermark, which closes each window at its
     * end instead.
     */
    @Test
    void windowsBufferedBeforeARestoreWithAShorterLatenessCloseByTheNewLateness() throws Exception {
        OperatorSubtaskState saved;
        try (var h = harness(with("epoch.allowed-lateness", "100ms"))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L);
            }
            saved = h.snapshot(1, 1);
        }
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new EpochOperator(new EpochFunction(config)),
                LabelledEvent::getKey, Types.STRING)) {
            h.initializeState(saved);
            h.open();
            h.processWatermark(SIZE - 1);
            assertThat(metrics(h)).as("[0, 50) closes at 49, not at 149").hasSize(1)
                    .first().satisfies(m -> assertThat(m.getTrained()).isEqualTo(5));
            h.processWatermark(2 * SIZE - 1);
            assertThat(metrics(h)).as("[50, 100) at 99, by the timer the first armed").hasSize(2)
                    .last().satisfies(m -> assertThat(m.getWindowStart()).isEqualTo(Instant.ofEpochMilli(SIZE)));
        }
    }

    @Test
    void anAllowedLatenessBeyondTheRangeOfTimersKeepsWindowsOpenUntilTheEndOfInput() throws Exception {
        // the longest duration there is: every window end plus it is past Long.MAX_VALUE milliseconds; wrapped
        // around, the sum was negative and every event "late"
        try (var h = harness(with("epoch.allowed-lateness", Long.MAX_VALUE + "ms"))) {
            h.open();
            for (int i = 0; i < 7; i++) {
                h.processElement(event("e" + i, i * 10L), i * 10L);
            }
            h.processWatermark(1_800_000_000_000L);
            assertThat(metrics(h)).as("no window closes before the end of input").isEmpty();
            assertThat(h.getSideOutput(EpochFunction.DEAD_LETTERS)).as("no event is late").isNullOrEmpty();
            h.processWatermark(Long.MAX_VALUE);
            assertThat(metrics(h)).as("the end of input closes both windows").hasSize(2)
                    .last().satisfies(m -> assertThat(m.getTrained()).isEqualTo(7));
        }
    }

    private JobConfig with(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("model.layers", "2,1", "model.activations", "sigmoid",
                "model.loss", "bce", "epoch.window", "event-time:" + SIZE + "ms", "kafka.bootstrap.servers", "localhost:1"));
        m.put(key, value);
        return JobConfig.from(RawConfig.of(m), Map.of());
    }

    private KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> harness() throws Exception {
        return harness(config);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> harness(JobConfig config)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new EpochFunction(config)),
                LabelledEvent::getKey, Types.STRING);
    }

    private static LabelledEvent event(String id, long time) {
        return LabelledEvent.newBuilder().setId(id).setKey("k").setTime(Instant.ofEpochMilli(time))
                .setFeatures(List.of(0.1 * (time % 7), 0.2)).setLabel((int) (time / 10) % 2).build();
    }

    private static List<EpochMetrics> metrics(KeyedOneInputStreamOperatorTestHarness<String, LabelledEvent, EpochMetrics> h) {
        return h.extractOutputValues();
    }
}
