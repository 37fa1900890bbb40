package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.schemas.LabelledEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A pass-through map just before the keyed operator that notes when the first and the last event went by
 * and how many did. The MiniCluster runs in this JVM and loads the job's classes from the application
 * class path, so the subtasks and {@link PipelineRun} share these static counters; {@link #reset()} before
 * each run.
 *
 * <p>Chained after the job's validation, the map costs one more copy of each event (Flink copies records
 * between chained operators unless object reuse is on): ~10 % of the source thread in the profile. The
 * training run is bound by the training thread, so it can carry that; the ceiling run must not, and its
 * {@link CountingFunction} calls {@link #record()} itself instead.
 */
final class ThroughputProbe implements MapFunction<LabelledEvent, LabelledEvent> {
    private static final long serialVersionUID = 1L;

    private static final AtomicLong FIRST = new AtomicLong(Long.MAX_VALUE);
    private static final AtomicLong LAST = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicLong COUNT = new AtomicLong();

    static void reset() {
        FIRST.set(Long.MAX_VALUE);
        LAST.set(Long.MIN_VALUE);
        COUNT.set(0);
    }

    /** System.nanoTime() of the first event, Long.MAX_VALUE before any. */
    static long firstNanos() {
        return FIRST.get();
    }

    /** System.nanoTime() of the last event so far. */
    static long lastNanos() {
        return LAST.get();
    }

    static long count() {
        return COUNT.get();
    }

    @Override
    public LabelledEvent map(LabelledEvent event) {
        record();
        return event;
    }

    /** Notes one event going by now. */
    static void record() {
        long now = System.nanoTime();
        // the first event is set once; afterwards only a cheap read per event
        if (FIRST.get() == Long.MAX_VALUE) {
            FIRST.accumulateAndGet(now, Math::min);
        }
        LAST.accumulateAndGet(now, Math::max);
        COUNT.incrementAndGet();
    }
}
