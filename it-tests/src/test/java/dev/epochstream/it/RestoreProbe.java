package dev.epochstream.it;

import dev.epochstream.schemas.LabelledEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Passes events through unchanged and tells the test what the runtime did: which checkpoints completed
 * ({@link #completedCheckpoints}), how many subtasks were initialised from a checkpoint or savepoint
 * ({@link #RESTORED}, the proof that a job really restarted from its state), and the highest task
 * attempt. Static, because the MiniCluster runs in the test's JVM and a restarted task is a new instance.
 */
final class RestoreProbe extends RichMapFunction<LabelledEvent, LabelledEvent>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;

    private static final Set<Long> COMPLETED = ConcurrentHashMap.newKeySet();
    static final AtomicInteger RESTORED = new AtomicInteger();
    static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

    static void reset() {
        COMPLETED.clear();
        RESTORED.set(0);
        MAX_ATTEMPT.set(0);
    }

    /** Distinct checkpoints this probe was told completed since {@link #reset()}. */
    static int completedCheckpoints() {
        return COMPLETED.size();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        if (context.isRestored()) {
            RESTORED.incrementAndGet();
        }
        MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // stateless: the probe only needs to be told about checkpoints
    }

    @Override
    public LabelledEvent map(LabelledEvent value) {
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        COMPLETED.add(checkpointId);
    }
}
