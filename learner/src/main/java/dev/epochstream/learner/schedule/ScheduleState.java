package dev.epochstream.learner.schedule;

/** Mutable state of a learning-rate schedule: the current rate and what reduce-on-plateau tracks. */
public final class ScheduleState {
    /** The configuration name of the schedule ({@code step}, ...), or null when unknown (older state). */
    private String kind;
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

    /** The name of the schedule this state belongs to, or null when unknown. */
    public String kind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public ScheduleState copy() {
        ScheduleState s = new ScheduleState(baseLr, lr, epochs, best, badEpochs);
        s.kind = kind;
        return s;
    }
}
