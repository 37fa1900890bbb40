package dev.epochstream.learner.schedule;

/** Mutable state of a learning-rate schedule: the current rate and what reduce-on-plateau tracks. */
public final class ScheduleState {
    private final double baseLr;
    private double lr;
    private long epochs;
    private double best = Double.POSITIVE_INFINITY;
    private long badEpochs;

    public ScheduleState(double baseLr) {
        this.baseLr = baseLr;
        this.lr = baseLr;
    }

    public ScheduleState(double baseLr, double lr, long epochs, double best, long badEpochs) {
        this.baseLr = baseLr;
        this.lr = lr;
        this.epochs = epochs;
        this.best = best;
        this.badEpochs = badEpochs;
    }

    public double baseLr() {
        return baseLr;
    }

    /** The rate for the next epoch. */
    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    /** Epochs the schedule has advanced over. */
    public long epochs() {
        return epochs;
    }

    public void setEpochs(long epochs) {
        this.epochs = epochs;
    }

    /** Best monitored loss seen (reduce-on-plateau). */
    public double best() {
        return best;
    }

    public void setBest(double best) {
        this.best = best;
    }

    /** Epochs since the last improvement (reduce-on-plateau). */
    public long badEpochs() {
        return badEpochs;
    }

    public void setBadEpochs(long badEpochs) {
        this.badEpochs = badEpochs;
    }

    public ScheduleState copy() {
        return new ScheduleState(baseLr, lr, epochs, best, badEpochs);
    }
}
