package dev.epochstream.it;

import dev.epochstream.schemas.LabelledEvent;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes events through unchanged and records the highest task attempt number it was opened with: 0
 * when the job never restarted. Static, because the MiniCluster runs in the test's JVM and a restarted
 * task is a new instance; {@link #OPENED} tells that the probe really ran.
 */
final class AttemptProbe extends RichMapFunction<LabelledEvent, LabelledEvent> {
    private static final long serialVersionUID = 1L;

    static final AtomicInteger MAX_ATTEMPT = new AtomicInteger(-1);
    static final AtomicInteger OPENED = new AtomicInteger();

    static void reset() {
        MAX_ATTEMPT.set(-1);
        OPENED.set(0);
    }

    @Override
    public void open(OpenContext ctx) {
        OPENED.incrementAndGet();
        MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public LabelledEvent map(LabelledEvent value) {
        return value;
    }
}
