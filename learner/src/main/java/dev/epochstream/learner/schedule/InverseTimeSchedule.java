package dev.epochstream.learner.schedule;

import dev.epochstream.learner.optim.ConfigChecks;

/**
 * {@code schedule=inverse-time}: {@code lr = base / (1 + decay·epoch)} after {@code epoch} epochs.
 * Keras {@code InverseTimeDecay} with {@code decay_steps = 1} and {@code staircase = false}, counted in
 * epochs; torch 1.13.1 has no equivalent. Computed from the base rate each time, not recursively.
 *
 * @param decay {@code schedule.decay >= 0}
 */
public record InverseTimeSchedule(double decay) implements LearningRateSchedule {

    public InverseTimeSchedule {
        ConfigChecks.nonNegative("schedule.decay", decay, "set a non-negative decay rate such as 0.5");
    }

    @Override
    public String name() {
        return "inverse-time";
    }

    @Override
    public ScheduleState newState(double baseLr) {
        return new ScheduleState(baseLr);
    }

    @Override
    public void advance(ScheduleState state, double monitoredLoss) {
        long epoch = state.epochs() + 1;
        state.setEpochs(epoch);
        state.setLr(state.baseLr() / (1 + decay * epoch));
    }
}
