package dev.epochstream.job.state;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The Flink serializer of a validated {@link Example} buffered in an open count window (no Kryo, no Avro):
 * what the trainer reads, so that a closing window does not decode Avro records a second time.
 *
 * <p>Format (version 1): a flags byte (dense or sparse, label, attributes), id and key, time, the features
 * (dense: length and doubles; sparse: size, non-zeros, indices, values), the label (length and doubles),
 * the weight, the attributes (count, then key and value). Doubles are written as their raw IEEE bits, so
 * a value read back is bit-identical. A new layout needs a new flags bit or a new serializer snapshot
 * version, never a change to this one.
 */
public final class ExampleSerializer extends TypeSerializerSingleton<Example> {
    private static final long serialVersionUID = 1L;

    public static final ExampleSerializer INSTANCE = new ExampleSerializer();

    private static final int SPARSE = 1;
    private static final int LABEL = 2;
    private static final int ATTRIBUTES = 4;
    private static final int KNOWN_FLAGS = SPARSE | LABEL | ATTRIBUTES;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Example createInstance() {
        return null;
    }

    /** A deep copy: the arrays and the attribute map are new (the heap backend copies values on snapshot). */
    @Override
    public Example copy(Example from) {
        if (from == null) {
            return null;
        }
        SparseVector s = from.sparse();
        return new Example(from.id(), from.key(), from.time(),
                from.dense() == null ? null : from.dense().clone(),
                s == null ? null : new SparseVector(s.size(), s.indices().clone(), s.values().clone()),
                from.label() == null ? null : from.label().clone(), from.weight(),
                from.attributes() == null ? null : new HashMap<>(from.attributes()));
    }

    @Override
    public Example copy(Example from, Example reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Example e, DataOutputView out) throws IOException {
        int flags = (e.sparse() != null ? SPARSE : 0) | (e.label() != null ? LABEL : 0)
                | (e.attributes() != null ? ATTRIBUTES : 0);
        out.writeByte(flags);
        StringValue.writeString(e.id(), out);
        StringValue.writeString(e.key(), out);
        out.writeLong(e.time());
        if (e.sparse() != null) {
            SparseVector s = e.sparse();
            out.writeInt(s.size());
            int[] idx = s.indices();
            out.writeInt(idx.length);
            for (int i = 0; i < idx.length; i++) {
                out.writeInt(idx[i]);
            }
            writeDoubles(s.values(), out);
        } else {
            out.writeInt(e.dense().length);
            writeDoubles(e.dense(), out);
        }
        if (e.label() != null) {
            out.writeInt(e.label().length);
            writeDoubles(e.label(), out);
        }
        out.writeLong(Double.doubleToRawLongBits(e.weight()));
        if (e.attributes() != null) {
            StringMaps.write(e.attributes(), out);
        }
    }

    @Override
    public Example deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new IOException("buffered example written by a newer format (flags " + Integer.toBinaryString(flags) + ")");
        }
        String id = StringValue.readString(in);
        String key = StringValue.readString(in);
        long time = in.readLong();
        double[] dense = null;
        SparseVector sparse = null;
        if ((flags & SPARSE) != 0) {
            int size = in.readInt();
            int[] idx = new int[in.readInt()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = in.readInt();
            }
            double[] values = new double[idx.length];
            readDoubles(values, in);
            sparse = new SparseVector(size, idx, values);
        } else {
            dense = new double[in.readInt()];
            readDoubles(dense, in);
        }
        double[] label = null;
        if ((flags & LABEL) != 0) {
            label = new double[in.readInt()];
            readDoubles(label, in);
        }
        double weight = Double.longBitsToDouble(in.readLong());
        Map<String, String> attributes = null;
        if ((flags & ATTRIBUTES) != 0) {
            attributes = StringMaps.read(in);
        }
        return new Example(id, key, time, dense, sparse, label, weight, attributes);
    }

    @Override
    public Example deserialize(Example reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private static void writeDoubles(double[] v, DataOutputView out) throws IOException {
        for (int i = 0; i < v.length; i++) {
            out.writeLong(Double.doubleToRawLongBits(v[i]));
        }
    }

    private static void readDoubles(double[] v, DataInputView in) throws IOException {
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.longBitsToDouble(in.readLong());
        }
    }

    @Override
    public TypeSerializerSnapshot<Example> snapshotConfiguration() {
        return new ExampleSerializerSnapshot();
    }

    /** Serializer snapshot; public with a no-arg constructor as Flink requires. */
    public static final class ExampleSerializerSnapshot extends SimpleTypeSerializerSnapshot<Example> {
        public ExampleSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
