package dev.epochstream.learner.schedule;

import dev.epochstream.learner.optim.ConfigChecks;

/**
 * {@code schedule=exponential}: torch 1.13.1 {@code ExponentialLR} in its recursive form: after every
 * epoch {@code lr = lr·gamma}.
 *
 * @param gamma multiplicative factor, {@code schedule.gamma > 0} (torch requires it)
 */
public record ExponentialSchedule(double gamma) implements LearningRateSchedule {

    public ExponentialSchedule {
        ConfigChecks.positive("schedule.gamma", gamma, "set a positive decay factor such as 0.95");
    }

    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public ScheduleState newState(double baseLr) {
        return new ScheduleState(baseLr);
    }

    @Override
    public void advance(ScheduleState state, double monitoredLoss) {
        state.setEpochs(state.epochs() + 1);
        state.setLr(state.lr() * gamma);
    }
}
