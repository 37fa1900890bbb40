package dev.epochstream.schemas;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unmodifiable {@code List<Double>} over a {@code double[]}, for Avro {@code array<double>} fields filled by
 * our own readers (the job's keyBy-edge serializer). Avro's {@code PrimitivesArrays.DoubleArray} is filled one
 * {@code add} at a time and keeps its array to itself, so turning an event's features into the learner's
 * {@code double[]} cost a copy (and 512 bytes) per event; this list hands its array over
 * ({@link Events#toExample} shares it with the {@code Example}). Any other code sees an ordinary list (Avro's
 * writers and equality iterate it as a collection).
 */
public final class DoubleList extends AbstractList<Double> implements RandomAccess {
    private final double[] values;

    /** A list over {@code values}, which the caller hands over: nobody may change it afterwards. */
    public DoubleList(double[] values) {
        this.values = values;
    }

    /** The backing array itself, not a copy: read only. */
    public double[] array() {
        return values;
    }

    /** Element {@code index}, unboxed. */
    public double getDouble(int index) {
        return values[index];
    }

    @Override
    public Double get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
