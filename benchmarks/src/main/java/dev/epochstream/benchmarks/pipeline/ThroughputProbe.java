package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.schemas.LabelledEvent;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A pass-through map just before the keyed operator that notes when the first and the last event went by
 * and how many did. The MiniCluster runs in this JVM and loads the job's classes from the application
 * class path, so the subtasks and {@link PipelineRun} share these static counters; {@link #reset()} before
 * each run.
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
        long now = System.nanoTime();
        // the first event is set once; afterwards only a cheap read per event
        if (FIRST.get() == Long.MAX_VALUE) {
            FIRST.accumulateAndGet(now, Math::min);
        }
        LAST.accumulateAndGet(now, Math::max);
        COUNT.incrementAndGet();
        return event;
    }
}
