package dev.epochstream.schemas.codec;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BufferedBinaryEncoder;
import org.apache.avro.io.DirectBinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's specific writer, with arrays of plain doubles, ints and longs held in Avro's primitive arrays
 * ({@link PrimitivesArrays.DoubleArray} and co., as {@code ModelSnapshots.of} builds a snapshot's
 * parameters) written without boxing an element or dispatching on its schema: the generic path iterates
 * the list and calls {@code write(schema, Object, encoder)} per element, which was most of the cost of
 * encoding a snapshot.
 *
 * <p>The bytes are Avro's own: the same encoder calls ({@code writeArrayStart}, {@code setItemCount(n)},
 * per element {@code startItem} and {@code writeDouble}/{@code writeInt}/{@code writeLong},
 * {@code writeArrayEnd}). On Avro's plain binary encoders, where {@code startItem} writes nothing and a
 * double is its 8 bytes little-endian of {@link Double#doubleToRawLongBits}, the doubles of a block go out
 * in one {@code writeFixed} call instead. Anything else (other lists, logical element types, other
 * elements) goes Avro's generic way.
 *
 * <p>Not thread-safe (a scratch buffer per writer), like the codec that owns it.
 */
final class PrimitiveArrayDatumWriter<D> extends SpecificDatumWriter<D> {

    /** Writes a long as 8 little-endian bytes at any offset of a byte array. */
    private static final VarHandle LITTLE_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Doubles laid out per {@code writeFixed} call. */
    private static final int CHUNK = 1024;

    /** Grown up to {@link #CHUNK} doubles on first use. */
    private byte[] scratch = new byte[0];

    PrimitiveArrayDatumWriter(Schema schema, SpecificData data) {
        super(schema, data);
    }

    @Override
    protected void writeArray(Schema schema, Object datum, Encoder out) throws IOException {
        Schema element = schema.getElementType();
        if (element.getLogicalType() == null) {
            if (element.getType() == Schema.Type.DOUBLE && datum instanceof PrimitivesArrays.DoubleArray doubles) {
                writeDoubles(doubles, out);
                return;
            }
            if (element.getType() == Schema.Type.INT && datum instanceof PrimitivesArrays.IntArray ints) {
                int n = ints.size();
                out.writeArrayStart();
                out.setItemCount(n);
                for (int i = 0; i < n; i++) {
                    out.startItem();
                    out.writeInt(ints.getInt(i));
                }
                out.writeArrayEnd();
                return;
            }
            if (element.getType() == Schema.Type.LONG && datum instanceof PrimitivesArrays.LongArray longs) {
                int n = longs.size();
                out.writeArrayStart();
                out.setItemCount(n);
                for (int i = 0; i < n; i++) {
                    out.startItem();
                    out.writeLong(longs.getLong(i));
                }
                out.writeArrayEnd();
                return;
            }
        }
        super.writeArray(schema, datum, out);
    }

    private void writeDoubles(PrimitivesArrays.DoubleArray doubles, Encoder out) throws IOException {
        int n = doubles.size();
        out.writeArrayStart();
        out.setItemCount(n);
        if (isPlainBinary(out)) {
            if (scratch.length < 8 * Math.min(n, CHUNK)) {
                scratch = new byte[8 * Math.min(n, CHUNK)];
            }
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                for (int i = from; i < to; i++) {
                    LITTLE_ENDIAN_LONGS.set(scratch, 8 * (i - from), Double.doubleToRawLongBits(doubles.getDouble(i)));
                }
                out.writeFixed(scratch, 0, 8 * (to - from));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.startItem();
                out.writeDouble(doubles.getDouble(i));
            }
        }
        out.writeArrayEnd();
    }

    /**
     * Avro's two binary encoders whose item framing writes nothing (not their blocking subclasses, which
     * count items, nor a validating or JSON encoder): exact classes, so that a subclass never qualifies.
     */
    private static boolean isPlainBinary(Encoder out) {
        Class<?> type = out.getClass();
        return type == BufferedBinaryEncoder.class || type == DirectBinaryEncoder.class;
    }
}
