package dev.epochstream.learner.schedule;

/**
 * A learning-rate schedule that advances once per epoch window. Stateless apart from its immutable
 * configuration; the evolving rate lives in {@link ScheduleState}.
 */
public interface LearningRateSchedule {

    /** The configuration name ({@code schedule=...}), e.g. "step". */
    String name();

    /** State at the start of training, with rate {@code baseLr}. */
    ScheduleState newState(double baseLr);

    /**
     * Advances by one epoch: updates {@code state.lr()} for the next epoch. {@code monitoredLoss} is the
     * epoch's validation loss (else its prequential loss); only reduce-on-plateau reads it, and a
     * non-finite value counts as no improvement.
     */
    void advance(ScheduleState state, double monitoredLoss);
}
