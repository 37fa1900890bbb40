package dev.epochstream.it;

import dev.epochstream.schemas.EpochMetrics;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * A failure inside the training operator, without a test hook in it: this map consumes the trainer's
 * metrics with the same parallelism, so Flink chains it into the trainer's task, and a chained output is
 * a plain method call. Once {@link #ARMED}, it throws on the first metrics record, from inside
 * {@code EpochFunction}'s emit: the exception unwinds the training operator in the middle of an epoch
 * (its update done, its outputs half sent) and fails its task. {@link #TASKS} and
 * {@link #THROWN_INSIDE_TRAINER} let the test check both claims.
 */
final class TrainerTaskFailure extends RichMapFunction<EpochMetrics, EpochMetrics> {
    private static final long serialVersionUID = 1L;
    private static final String TRAINER_CLASS = "dev.epochstream.job.EpochFunction";

    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean THROWN_INSIDE_TRAINER = new AtomicBoolean();
    /** Names of the tasks this map ran in. */
    static final Set<String> TASKS = ConcurrentHashMap.newKeySet();

    static void reset() {
        ARMED.set(false);
        FAILED.set(false);
        THROWN_INSIDE_TRAINER.set(false);
        TASKS.clear();
    }

    @Override
    public void open(OpenContext ctx) {
        TASKS.add(getRuntimeContext().getTaskInfo().getTaskName());
    }

    @Override
    public EpochMetrics map(EpochMetrics value) {
        if (ARMED.get() && FAILED.compareAndSet(false, true)) {
            THROWN_INSIDE_TRAINER.set(StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getClassName().equals(TRAINER_CLASS))));
            throw new IllegalStateException("injected failure in the training task at epoch " + value.getEpoch()
                    + " of " + value.getKey());
        }
        return value;
    }
}
