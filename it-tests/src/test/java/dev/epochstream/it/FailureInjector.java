package dev.epochstream.it;

import dev.epochstream.schemas.LabelledEvent;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes events through and, once armed, throws on the first event it sees after at least two
 * checkpoints completed, once per test: the failure happens mid-stream, after committed transactions.
 * Static counters, because the MiniCluster runs in the test's JVM and a restarted task is a new instance.
 */
final class FailureInjector extends RichMapFunction<LabelledEvent, LabelledEvent> implements CheckpointListener {
    private static final long serialVersionUID = 1L;

    static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

    static void reset() {
        COMPLETED_CHECKPOINTS.set(0);
        ARMED.set(false);
        FAILED.set(false);
        MAX_ATTEMPT.set(0);
    }

    @Override
    public void open(OpenContext ctx) {
        MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public LabelledEvent map(LabelledEvent value) {
        if (ARMED.get() && COMPLETED_CHECKPOINTS.get() >= 2 && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure before event " + value.getId());
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        COMPLETED_CHECKPOINTS.incrementAndGet();
    }
}
