package dev.epochstream.learner.schedule;

/** {@code schedule=constant}: the base rate for every epoch. */
public record ConstantSchedule() implements LearningRateSchedule {

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public ScheduleState newState(double baseLr) {
        return new ScheduleState(baseLr);
    }

    @Override
    public void advance(ScheduleState state, double monitoredLoss) {
        state.setEpochs(state.epochs() + 1);
    }
}
