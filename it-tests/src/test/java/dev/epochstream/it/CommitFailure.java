package dev.epochstream.it;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Throws from {@code notifyCheckpointComplete} of the checkpoint that {@link CommitStall} holds the
 * training task on: the checkpoint has completed, and its metrics transaction is still open. It runs in a
 * task of its own downstream of the training operator (it passes the predictions through), which the stall
 * starves but never backpressures: a task upstream of the trainer (where it used to run) could block in its
 * record writer once the stalled trainer stopped taking input, and so get the notice only after the stall
 * ended and the commit was made (a flaky failure under load). Before throwing it checks, on the
 * read_committed metrics topic, that fewer of the stalled subtask's records are visible than it had
 * before the barrier, and records that in {@link #FAILED_BEFORE_COMMIT}. The failover then cancels the
 * stalled task, so the transaction is committed only by the restored job.
 */
final class CommitFailure<T> implements MapFunction<T, T>, CheckpointListener {
    private static final long serialVersionUID = 1L;

    static final AtomicBoolean FAILED_BEFORE_COMMIT = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    private final Properties client;
    private final String metricsTopic;

    CommitFailure(Properties client, String metricsTopic) {
        this.client = client;
        this.metricsTopic = metricsTopic;
    }

    static void reset() {
        FAILED_BEFORE_COMMIT.set(false);
        FAILED.set(false);
    }

    @Override
    public T map(T value) {
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (checkpointId != CommitStall.STALLED_CHECKPOINT.get() || !FAILED.compareAndSet(false, true)) {
            return;
        }
        int visible = 0;
        for (Records.Message m : Records.readToEnd(client, metricsTopic, Duration.ofSeconds(10))) {
            if (CommitStall.STALLED_KEYS.contains(m.key())) {
                visible++;
            }
        }
        if (visible < CommitStall.stalledRecords) {
            FAILED_BEFORE_COMMIT.set(true);
        } else {
            CommitStall.RELEASE.countDown(); // nothing to prove: the test fails on FAILED_BEFORE_COMMIT
        }
        // the stalled task is released by its cancellation (an interrupt), so it never commits first
        throw new IllegalStateException("injected failure in notifyCheckpointComplete(" + checkpointId + "): "
                + visible + " of " + CommitStall.stalledRecords + " metrics records of " + CommitStall.STALLED_KEYS
                + " committed");
    }
}
