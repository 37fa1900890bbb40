package dev.epochstream.learner.optim;

/**
 * Mutable per-model state of an optimizer: a step counter (torch's {@code state['step']}, the number
 * of completed steps), a few scalar counters, and buffers whose number and lengths the optimizer
 * chooses in {@link Optimizer#newState(Parameters)} (for Adam: exp_avg and exp_avg_sq per tensor).
 *
 * <p>Kept apart from the immutable {@link OptimizerConfig} so that a copy or a checkpoint never mixes one
 * model's state into another's. The layout is plain arrays so that encoding, backup and restore are
 * generic and allocation-free.
 */
public final class OptimizerState {
    private long step;
    private final long[] counters;
    private final double[][] buffers;
    /**
     * The configuration name of the optimizer whose state this is ({@code adam}, {@code sgd}, ...), or null when
     * unknown (state written before the name was kept): buffers of the same layout can mean different things
     * (Adam's exp_avg and Adadelta's square_avg), so only the name tells whether another optimizer may continue it.
     */
    private String kind;

    public OptimizerState(int counterCount, double[][] buffers) {
        this.counters = new long[counterCount];
        this.buffers = buffers;
    }

    /** Number of completed optimizer steps. */
    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    public long[] counters() {
        return counters;
    }

    public double[][] buffers() {
        return buffers;
    }

    public double[] buffer(int index) {
        return buffers[index];
    }

    /** The name of the optimizer this state belongs to, or null when unknown. */
    public String kind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    /**
     * True when this state can go on under the optimizer whose fresh state is {@code fresh}: the same layout, and
     * the same optimizer unless either does not say which.
     */
    public boolean continuableAs(OptimizerState fresh) {
        return continuableAs(fresh.kind, fresh.counters.length, fresh.bufferLengths());
    }

    /** {@link #continuableAs(OptimizerState)} against a fresh state's kind and layout. */
    public boolean continuableAs(String freshKind, int counterCount, int[] bufferLengths) {
        if (counters.length != counterCount || buffers.length != bufferLengths.length) {
            return false;
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i].length != bufferLengths[i]) {
                return false;
            }
        }
        return kind == null || freshKind == null || kind.equals(freshKind);
    }

    /** The length of every buffer, in order. */
    public int[] bufferLengths() {
        int[] lengths = new int[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            lengths[i] = buffers[i].length;
        }
        return lengths;
    }

    /** True when {@code other} has the same number of counters and buffers of the same lengths. */
    public boolean sameLayout(OptimizerState other) {
        if (other.counters.length != counters.length || other.buffers.length != buffers.length) {
            return false;
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i].length != other.buffers[i].length) {
                return false;
            }
        }
        return true;
    }

    /** Copies this state (not its {@link #kind}) into {@code target}, which must have the same layout; allocates nothing. */
    public void copyTo(OptimizerState target) {
        target.step = step;
        System.arraycopy(counters, 0, target.counters, 0, counters.length);
        for (int i = 0; i < buffers.length; i++) {
            System.arraycopy(buffers[i], 0, target.buffers[i], 0, buffers[i].length);
        }
    }

    /** A deep copy with the same layout (not for hot paths). */
    public OptimizerState copy() {
        double[][] b = new double[buffers.length][];
        for (int i = 0; i < buffers.length; i++) {
            b[i] = buffers[i].clone();
        }
        OptimizerState s = new OptimizerState(counters.length, b);
        copyTo(s);
        s.kind = kind;
        return s;
    }

    /** True when every buffer entry is finite. */
    public boolean allFinite() {
        for (double[] b : buffers) {
            for (double v : b) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
