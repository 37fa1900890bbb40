package dev.epochstream.learner.schedule;

import dev.epochstream.learner.optim.ConfigChecks;

/**
 * {@code schedule=step}: torch 1.13.1 {@code StepLR} in its recursive form: after epoch e (counted from
 * 1), {@code lr = lr·gamma} when {@code e % step_size == 0}.
 *
 * @param gamma multiplicative factor, {@code schedule.gamma > 0} (torch's default 0.1)
 * @param stepSize epochs between decays, {@code schedule.step-size >= 1} (torch requires it)
 */
public record StepSchedule(double gamma, int stepSize) implements LearningRateSchedule {

    public static final double DEFAULT_GAMMA = 0.1;

    public StepSchedule {
        ConfigChecks.positive("schedule.gamma", gamma, "set a positive decay factor such as 0.1");
        ConfigChecks.atLeast("schedule.step-size", stepSize, 1, "set the number of epochs between decays");
    }

    /** gamma 0.1, as torch. */
    public StepSchedule(int stepSize) {
        this(DEFAULT_GAMMA, stepSize);
    }

    @Override
    public String name() {
        return "step";
    }

    @Override
    public ScheduleState newState(double baseLr) {
        return new ScheduleState(baseLr);
    }

    @Override
    public void advance(ScheduleState state, double monitoredLoss) {
        long epoch = state.epochs() + 1;
        state.setEpochs(epoch);
        if (epoch % stepSize == 0) {
            state.setLr(state.lr() * gamma);
        }
    }
}
