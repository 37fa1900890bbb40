package dev.epochstream.job;

import dev.epochstream.job.state.StringMaps;
import dev.epochstream.schemas.DoubleList;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The wire format of a validated {@link LabelledEvent} on the job's keyBy edge (source chain → trainer),
 * in place of Flink's generic {@code AvroSerializer}: the time as a long (no {@code Instant} logical-type
 * conversion), doubles as raw IEEE bits read into Avro's primitive {@code double} arrays (no boxing), the
 * rest field by field. Never used for keyed or operator state, and savepoints hold no records in flight,
 * so the format may change between versions (only the in-flight data of an unaligned checkpoint uses
 * it: upgrade across such a change from a savepoint, as for any change of an edge's type).
 *
 * <p>It writes the fields of {@code LabelledEvent} version 2 (id, key, time, features, label, weight,
 * attributes); {@link #FIELDS} is checked against the generated class when this class loads, so a new
 * schema field fails every job at start-up (and the unit test) instead of being dropped silently.
 */
public final class LabelledEventSerializer extends TypeSerializerSingleton<LabelledEvent> {
    private static final long serialVersionUID = 1L;

    public static final LabelledEventSerializer INSTANCE = new LabelledEventSerializer();

    /** The fields this serializer writes, in schema order. */
    static final List<String> FIELDS = List.of("id", "key", "time", "features", "label", "weight", "attributes");

    private static final Schema SPARSE_VALUES_SCHEMA = SparseFeatures.getClassSchema().getField("values").schema();
    private static final Schema SPARSE_INDICES_SCHEMA = SparseFeatures.getClassSchema().getField("indices").schema();

    static {
        List<String> actual = LabelledEvent.getClassSchema().getFields().stream().map(Schema.Field::name).toList();
        if (!actual.equals(FIELDS)) {
            throw new IllegalStateException("LabelledEvent has the fields " + actual + ", LabelledEventSerializer writes "
                    + FIELDS + ": update it with the schema");
        }
    }

    private static final int SPARSE = 1;
    private static final int ATTRIBUTES = 2;
    private static final int LABEL_NONE = 0;
    private static final int LABEL_DOUBLE = 1;
    private static final int LABEL_INT = 2;
    private static final int LABEL_ARRAY = 3;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public LabelledEvent createInstance() {
        return new LabelledEvent();
    }

    /** A deep copy, as Avro's own (used only where Flink must copy: object reuse is on in this job). */
    @Override
    public LabelledEvent copy(LabelledEvent from) {
        return LabelledEvent.newBuilder(from).build();
    }

    @Override
    public LabelledEvent copy(LabelledEvent from, LabelledEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LabelledEvent e, DataOutputView out) throws IOException {
        Object features = e.getFeatures();
        Object label = e.getLabel();
        int labelKind = label == null ? LABEL_NONE : label instanceof Double ? LABEL_DOUBLE
                : label instanceof Integer ? LABEL_INT : LABEL_ARRAY;
        out.writeByte((features instanceof SparseFeatures ? SPARSE : 0) | (e.getAttributes() != null ? ATTRIBUTES : 0)
                | labelKind << 2);
        StringValue.writeString(e.getId(), out);
        StringValue.writeString(e.getKey(), out);
        out.writeLong(e.getTime().toEpochMilli());
        if (features instanceof SparseFeatures s) {
            out.writeInt(s.getSize());
            writeInts(s.getIndices(), out);
            writeDoubles(s.getValues(), out);
        } else {
            writeDoubles(castDoubles(features), out);
        }
        switch (labelKind) {
            case LABEL_DOUBLE -> out.writeLong(Double.doubleToRawLongBits((Double) label));
            case LABEL_INT -> out.writeInt((Integer) label);
            case LABEL_ARRAY -> writeDoubles(castDoubles(label), out);
            default -> {
            }
        }
        out.writeLong(Double.doubleToRawLongBits(e.getWeight()));
        if (e.getAttributes() != null) {
            StringMaps.write(e.getAttributes(), out);
        }
    }

    @Override
    public LabelledEvent deserialize(DataInputView in) throws IOException {
        int flags = in.readUnsignedByte();
        LabelledEvent e = new LabelledEvent();
        e.setId(StringValue.readString(in));
        e.setKey(StringValue.readString(in));
        e.setTime(Instant.ofEpochMilli(in.readLong()));
        if ((flags & SPARSE) != 0) {
            int size = in.readInt();
            int n = in.readInt();
            PrimitivesArrays.IntArray indices = new PrimitivesArrays.IntArray(n, SPARSE_INDICES_SCHEMA);
            for (int i = 0; i < n; i++) {
                indices.add(i, in.readInt());
            }
            e.setFeatures(new SparseFeatures(size, indices, readDoubles(in, SPARSE_VALUES_SCHEMA)));
        } else {
            e.setFeatures(readDoubleList(in));
        }
        switch (flags >>> 2) {
            case LABEL_DOUBLE -> e.setLabel(Double.longBitsToDouble(in.readLong()));
            case LABEL_INT -> e.setLabel(in.readInt());
            case LABEL_ARRAY -> e.setLabel(readDoubleList(in));
            default -> e.setLabel(null);
        }
        e.setWeight(Double.longBitsToDouble(in.readLong()));
        if ((flags & ATTRIBUTES) != 0) {
            e.setAttributes(StringMaps.read(in));
        } else {
            e.setAttributes(null);
        }
        return e;
    }

    @Override
    public LabelledEvent deserialize(LabelledEvent reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @SuppressWarnings("unchecked")
    private static List<Double> castDoubles(Object list) {
        return (List<Double>) list;
    }

    private static void writeInts(List<Integer> values, DataOutputView out) throws IOException {
        int n = values.size();
        out.writeInt(n);
        if (values instanceof PrimitivesArrays.IntArray a) {
            for (int i = 0; i < n; i++) {
                out.writeInt(a.getInt(i));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.writeInt(values.get(i));
            }
        }
    }

    private static void writeDoubles(List<Double> values, DataOutputView out) throws IOException {
        int n = values.size();
        out.writeInt(n);
        if (values instanceof DoubleList d) {
            for (int i = 0; i < n; i++) {
                out.writeLong(Double.doubleToRawLongBits(d.getDouble(i)));
            }
        } else if (values instanceof PrimitivesArrays.DoubleArray d) {
            for (int i = 0; i < n; i++) {
                out.writeLong(Double.doubleToRawLongBits(d.getDouble(i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.writeLong(Double.doubleToRawLongBits(values.get(i)));
            }
        }
    }

    /**
     * Dense features and label arrays: straight into the array a {@link DoubleList} hands over to the learner's
     * {@code Example} (no copy per event there).
     */
    private static DoubleList readDoubleList(DataInputView in) throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        return new DoubleList(values);
    }

    private static PrimitivesArrays.DoubleArray readDoubles(DataInputView in, Schema schema) throws IOException {
        int n = in.readInt();
        PrimitivesArrays.DoubleArray values = new PrimitivesArrays.DoubleArray(n, schema);
        for (int i = 0; i < n; i++) {
            values.add(i, Double.longBitsToDouble(in.readLong()));
        }
        return values;
    }

    @Override
    public TypeSerializerSnapshot<LabelledEvent> snapshotConfiguration() {
        return new LabelledEventSerializerSnapshot();
    }

    /** Serializer snapshot; public with a no-arg constructor as Flink requires. */
    public static final class LabelledEventSerializerSnapshot extends SimpleTypeSerializerSnapshot<LabelledEvent> {
        public LabelledEventSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
