package dev.epochstream.schemas;

import dev.epochstream.learner.data.SparseVector;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Conversions from the generated Avro records to the learner's own types. Avro decodes arrays of doubles
 * and ints into primitive arrays behind the {@code List}; those are read without boxing an element, so the
 * per-event conversion ({@link Events#toExample}) can use these too. The other way, {@link #toDoubleList}
 * builds such a primitive array for a record the job emits.
 */
public final class LearnerConversions {

    private LearnerConversions() {
    }

    /**
     * The learner's sparse vector with copies of the record's indices and values; check
     * {@link SparseVector#problem()} before use.
     *
     * @throws IllegalArgumentException when size &lt; 1 or indices and values differ in length
     */
    public static SparseVector toSparseVector(SparseFeatures features) {
        return new SparseVector(features.getSize(), toIntArray(features.getIndices()), toArray(features.getValues()));
    }

    /** A copy of a list of numbers as an array of doubles. */
    public static double[] toArray(List<? extends Number> values) {
        double[] out = new double[values.size()];
        if (values instanceof PrimitivesArrays.DoubleArray d) {
            for (int i = 0; i < out.length; i++) {
                out[i] = d.getDouble(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i).doubleValue();
            }
        }
        return out;
    }

    /** A copy of a list of ints as an array. */
    public static int[] toIntArray(List<Integer> values) {
        int[] out = new int[values.size()];
        if (values instanceof PrimitivesArrays.IntArray a) {
            for (int i = 0; i < out.length; i++) {
                out[i] = a.getInt(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
        }
        return out;
    }

    /**
     * A copy of {@code values} as Avro's primitive double list of {@code arraySchema} (an
     * {@code array<double>}): no boxed element, read back without boxing by the codec's writer and
     * {@link SnapshotChecksum}, and a {@code List<Double>} for every other reader.
     */
    public static List<Double> toDoubleList(double[] values, Schema arraySchema) {
        PrimitivesArrays.DoubleArray out = new PrimitivesArrays.DoubleArray(values.length, arraySchema);
        for (int i = 0; i < values.length; i++) {
            out.add(i, values[i]);
        }
        return out;
    }
}
