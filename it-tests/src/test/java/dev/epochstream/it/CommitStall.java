package dev.epochstream.it;

import dev.epochstream.schemas.EpochMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;

/**
 * Holds one subtask of the training task busy after a checkpoint barrier, as a long GC pause would, so
 * that the metrics sink's committer (same task, same mailbox) cannot commit that checkpoint's
 * transaction until {@link #RELEASE} opens or the task is cancelled. It consumes the trainer's metrics
 * and so is chained into the trainer's task ({@link #TASKS}). Once {@link #ARMED}, at the first barrier
 * after which this subtask has uncommitted metrics records, it records the checkpoint
 * ({@link #STALLED_CHECKPOINT}), its keys and how many records they had before the barrier, and puts a
 * mail that waits into the task's mailbox: enqueued during the checkpoint's synchronous part, it is ahead
 * of the checkpoint's completion notice, which can only arrive after the task has acknowledged the
 * checkpoint. (A processing-time callback, enqueued later by the timer thread, could lose that race to a
 * fast checkpoint, as unaligned checkpoints are.) {@link CommitFailure} then fails the job from another task.
 */
final class CommitStall extends AbstractStreamOperator<EpochMetrics>
        implements OneInputStreamOperator<EpochMetrics, EpochMetrics> {
    private static final long serialVersionUID = 1L;
    private static final long MAX_STALL_SECONDS = 20;

    static volatile boolean ARMED;
    static final AtomicLong STALLED_CHECKPOINT = new AtomicLong(-1);
    static final Set<String> STALLED_KEYS = ConcurrentHashMap.newKeySet();
    static volatile int stalledRecords;
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    static final Set<String> TASKS = ConcurrentHashMap.newKeySet();

    private transient Set<String> keys;
    private transient int emitted;
    private transient int emittedAtLastBarrier;

    static void reset() {
        ARMED = false;
        STALLED_CHECKPOINT.set(-1);
        STALLED_KEYS.clear();
        stalledRecords = 0;
        RELEASE = new CountDownLatch(1);
        TASKS.clear();
    }

    @Override
    public void open() throws Exception {
        super.open();
        keys = new java.util.HashSet<>();
        TASKS.add(getRuntimeContext().getTaskInfo().getTaskName());
    }

    @Override
    public void processElement(StreamRecord<EpochMetrics> element) {
        keys.add(element.getValue().getKey());
        emitted++;
        output.collect(element);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        boolean pending = emitted > emittedAtLastBarrier;
        emittedAtLastBarrier = emitted;
        if (ARMED && pending && STALLED_CHECKPOINT.compareAndSet(-1, context.getCheckpointId())) {
            STALLED_KEYS.addAll(keys);
            stalledRecords = emitted;
            CountDownLatch release = RELEASE;
            getContainingTask().getMailboxExecutorFactory().createExecutor(TaskMailbox.MIN_PRIORITY)
                    .execute(() -> awaitRelease(release), "commit stall");
        }
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the task is being cancelled: what the test wants
        }
    }
}
