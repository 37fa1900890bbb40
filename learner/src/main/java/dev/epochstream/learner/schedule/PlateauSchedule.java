package dev.epochstream.learner.schedule;

import dev.epochstream.learner.optim.ConfigChecks;

/**
 * {@code schedule=plateau}: torch 1.13.1 {@code ReduceLROnPlateau} with mode "min", threshold 1e-4
 * relative, cooldown 0 and eps 1e-8. After each epoch:
 * <pre>
 *   if loss < best·(1 − 1e-4):  best = loss, bad = 0      (a non-finite loss never improves)
 *   else:                       bad = bad + 1
 *   if bad > patience:          new = max(lr·factor, min_lr); lr = new if lr − new > 1e-8; bad = 0
 * </pre>
 *
 * @param factor {@code schedule.factor} in (0, 1) (torch's default 0.1)
 * @param patience epochs without improvement tolerated, {@code schedule.patience >= 0} (default 10)
 * @param minLr lower bound of the rate, {@code schedule.min-lr >= 0} (default 0)
 */
public record PlateauSchedule(double factor, int patience, double minLr) implements LearningRateSchedule {

    /** torch's relative improvement threshold. */
    public static final double THRESHOLD = 1e-4;
    /** torch's smallest change of rate that is applied. */
    public static final double EPS = 1e-8;

    public PlateauSchedule {
        if (!(factor > 0 && factor < 1)) {
            throw ConfigChecks.invalid("schedule.factor", "in (0, 1)", factor, "set a reduction factor such as 0.1");
        }
        ConfigChecks.atLeast("schedule.patience", patience, 0, "set the number of epochs to wait, e.g. 10");
        ConfigChecks.nonNegative("schedule.min-lr", minLr, "use 0 for no lower bound");
    }

    /** torch defaults: factor 0.1, patience 10, min_lr 0. */
    public static PlateauSchedule defaults() {
        return new PlateauSchedule(0.1, 10, 0);
    }

    @Override
    public String name() {
        return "plateau";
    }

    @Override
    public ScheduleState newState(double baseLr) {
        return new ScheduleState(baseLr);
    }

    @Override
    public void advance(ScheduleState state, double monitoredLoss) {
        state.setEpochs(state.epochs() + 1);
        if (Double.isFinite(monitoredLoss) && monitoredLoss < state.best() * (1 - THRESHOLD)) {
            state.setBest(monitoredLoss);
            state.setBadEpochs(0);
        } else {
            state.setBadEpochs(state.badEpochs() + 1);
        }
        if (state.badEpochs() > patience) {
            double old = state.lr();
            double reduced = Math.max(old * factor, minLr);
            if (old - reduced > EPS) {
                state.setLr(reduced);
            }
            state.setBadEpochs(0);
        }
    }
}
