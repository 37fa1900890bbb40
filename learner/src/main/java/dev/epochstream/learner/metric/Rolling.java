package dev.epochstream.learner.metric;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A metric over the last K epochs: a ring of K accumulators, one per epoch. {@link #startEpoch()} opens
 * a new epoch (recycling the oldest slot once K are held), rows go into {@link #current()}, and
 * {@link #value()} merges the held epochs, oldest first, into one preallocated scratch accumulator.
 *
 * <p>Counts over the window are exact; doubles (log-loss sums, error sums) are summed per epoch and then
 * across epochs, so they may differ from one accumulator fed the same rows in the last bits.
 *
 * <p>Usage: {@code rolling.startEpoch(); rolling.current().update(...); ...; rolling.value().accuracy()}.
 * {@link #startEpoch()}, {@link #current()} and {@link #value()} allocate nothing.
 *
 * @param <M> the accumulator type, e.g. {@link ClassificationMetrics}
 */
public final class Rolling<M extends Metric<M>> {

    /** Decodes one accumulator, e.g. {@code ClassificationMetrics::readFrom}. */
    @FunctionalInterface
    public interface Reader<M> {
        M read(DataInput in) throws IOException;
    }

    private static final int FORMAT_VERSION = 1;
    private static final String NAME = "Rolling";

    private final M[] ring;
    private final M window;
    /** Slot of the current epoch; meaningful once {@code held > 0}. */
    private int head;
    /** Epochs held, at most ring.length. */
    private int held;

    /**
     * A window of {@code config.rollingEpochs()} epochs of accumulators shaped like {@code empty} (its
     * rows, if any, are ignored; it is not kept). No epoch is open until {@link #startEpoch()}.
     */
    public Rolling(MetricsConfig config, M empty) {
        this(config.rollingEpochs(), empty);
    }

    /** As {@link #Rolling(MetricsConfig, Metric)} with K = {@code epochs} (>= 1). */
    @SuppressWarnings("unchecked")
    public Rolling(int epochs, M empty) {
        if (epochs < 1) {
            throw new IllegalArgumentException(MetricsConfig.ROLLING_EPOCHS_KEY + " must be >= 1, got " + epochs);
        }
        // M erases to Metric, so a Metric[] is the runtime type every M[] view needs.
        this.ring = (M[]) new Metric<?>[epochs];
        for (int i = 0; i < epochs; i++) {
            ring[i] = empty.copy();
            ring[i].reset();
        }
        this.window = empty.copy();
        this.window.reset();
    }

    /** K, the number of epochs the window covers. */
    public int epochs() {
        return ring.length;
    }

    /** Epochs currently held: the number of {@link #startEpoch()} calls since the last reset, at most K. */
    public int epochsHeld() {
        return held;
    }

    /** Opens a new, empty epoch; once K epochs are held, the oldest is dropped. */
    public void startEpoch() {
        head = held == 0 ? 0 : (head + 1) % ring.length;
        ring[head].reset();
        if (held < ring.length) {
            held++;
        }
    }

    /** The accumulator of the open epoch, to update. Throws {@link IllegalStateException} before the first epoch. */
    public M current() {
        if (held == 0) {
            throw new IllegalStateException("no epoch started: call startEpoch() before current()");
        }
        return ring[head];
    }

    /**
     * The merge of the held epochs, oldest first (empty, so NaN-valued, before the first epoch). The
     * returned accumulator is internal scratch: read it, don't update or keep it; the next call to
     * {@link #value()} overwrites it.
     */
    public M value() {
        window.reset();
        for (int age = held - 1; age >= 0; age--) {
            window.merge(ring[slot(age)]);
        }
        return window;
    }

    /** Slot of the epoch {@code age} epochs before the current one (0 = current). */
    private int slot(int age) {
        return Math.floorMod(head - age, ring.length);
    }

    /** Drops every epoch. */
    public void reset() {
        for (M m : ring) {
            m.reset();
        }
        window.reset();
        head = 0;
        held = 0;
    }

    /**
     * Format 1: byte version, int K, int epochs held, then the K accumulators in age order (current epoch
     * first, then older ones, then the unused empty slots), each in its own format.
     */
    public void writeTo(DataOutput out) throws IOException {
        StateFormat.writeVersion(out, FORMAT_VERSION);
        out.writeInt(ring.length);
        out.writeInt(held);
        for (int age = 0; age < ring.length; age++) {
            ring[slot(age)].writeTo(out);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote, decoding each accumulator with {@code reader}. Throws
     * {@link IllegalArgumentException} for an unknown format version or inconsistent shapes.
     */
    public static <M extends Metric<M>> Rolling<M> readFrom(DataInput in, Reader<M> reader) throws IOException {
        StateFormat.readVersion(in, FORMAT_VERSION, NAME);
        int k = StateFormat.readDimension(in, 1, NAME, "epochs");
        int held = in.readInt();
        if (held < 0 || held > k) {
            throw new IllegalArgumentException("corrupt " + NAME + " state: " + held + " epochs held of " + k);
        }
        M first = reader.read(in);
        checkUnusedSlotEmpty(0, held, first);
        Rolling<M> r = new Rolling<>(k, first);
        // Stored in age order: slot(age) = floorMod(head - age, K) with head = 0. The decoded accumulators
        // are kept as they are (bit-identical); merging each into the scratch checks their shapes agree.
        r.held = held;
        r.head = 0;
        r.ring[0] = first;
        for (int age = 1; age < k; age++) {
            M m = reader.read(in);
            try {
                r.window.merge(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("corrupt " + NAME + " state: " + e.getMessage(), e);
            }
            checkUnusedSlotEmpty(age, held, m);
            r.ring[r.slot(age)] = m;
        }
        r.window.reset();
        return r;
    }

    private static void checkUnusedSlotEmpty(int age, int held, Metric<?> m) {
        if (age >= held && m.count() != 0) {
            throw new IllegalArgumentException("corrupt " + NAME + " state: unused slot " + age + " holds "
                    + m.count() + " rows");
        }
    }

    /** State equality: same K, same held epochs with equal accumulators in the same age order. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Rolling<?> r) || r.ring.length != ring.length || r.held != held) {
            return false;
        }
        for (int age = 0; age < ring.length; age++) {
            if (!ring[slot(age)].equals(r.ring[r.slot(age)])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * ring.length + held;
        for (int age = 0; age < ring.length; age++) {
            h = 31 * h + ring[slot(age)].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return NAME + "[epochs=" + ring.length + ", held=" + held + ", current=" + (held == 0 ? "none" : ring[head]) + "]";
    }
}
