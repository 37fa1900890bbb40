package dev.epochstream.learner.metric;

import java.io.DataOutput;
import java.io.IOException;

/**
 * A mergeable metric accumulator, in the manner of River's metrics: updated one row at a time (each
 * implementation has its own {@code update} signature and value getters), combined with {@link #merge},
 * emptied with {@link #reset}. Everything {@link Rolling} needs to keep the last K epochs of one.
 *
 * <p>Implementations are mutable and not thread-safe. {@code update}, {@code merge} and {@code reset}
 * allocate nothing.
 *
 * @param <M> the implementing type
 */
public interface Metric<M extends Metric<M>> {

    /** Number of rows (or examples) accumulated. */
    long count();

    /**
     * Adds {@code other}'s rows to this accumulator, as if they had been fed here after this one's rows.
     * {@code other} is not modified. Throws {@link IllegalArgumentException} when the shapes differ.
     */
    void merge(M other);

    /** Forgets every row; the shape (classes, outputs) is kept. */
    void reset();

    /** An independent deep copy (not for hot paths). */
    M copy();

    /**
     * Writes the full state in a versioned binary form that the implementation's static
     * {@code readFrom(DataInput)} reads back bit-identically.
     */
    void writeTo(DataOutput out) throws IOException;
}
