package dev.epochstream.schemas.codec;

import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Reads the body of a {@link LabelledEvent} written with the current schema straight from the bytes: the
 * events topic's hot path, where Avro's schema-resolving reader spent most of a source thread's time
 * walking its grammar once per double. It builds exactly the objects Avro's reader builds (the same
 * primitive arrays, a {@link HashMap} sized by the map's first block, strings decoded as UTF-8 with
 * replacement), so a record read here equals the one Avro reads.
 *
 * <p>It accepts only what it can read exactly as Avro would and returns null for everything else: a
 * block with a byte-size prefix, a length or count that the remaining bytes cannot hold, a varint longer
 * than the values it expects, an unknown union branch, bytes left over. The caller then hands the bytes to
 * Avro, which reads them or names the refusal as before. Not thread-safe (one per codec).
 */
final class LabelledEventBody {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final Schema DENSE = branch(LabelledEvent.getClassSchema(), "features", 0);
    private static final Schema INDICES = SparseFeatures.getClassSchema().getField("indices").schema();
    private static final Schema VALUES = SparseFeatures.getClassSchema().getField("values").schema();
    private static final Schema LABEL_ARRAY = branch(LabelledEvent.getClassSchema(), "label", 3);

    /** Thrown (without a stack trace) to give up on a body this reader does not take. */
    private static final RuntimeException GIVE_UP = new RuntimeException("not for the fast path", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private byte[] b;
    private int pos;
    private int end;

    /** The event in {@code bytes[offset, end)}, or null when Avro's reader must decide. */
    LabelledEvent read(byte[] bytes, int offset, int end) {
        this.b = bytes;
        this.pos = offset;
        this.end = end;
        try {
            LabelledEvent e = new LabelledEvent();
            e.setId(string());
            e.setKey(string());
            e.setTime(Instant.ofEpochMilli(varLong()));
            switch (varInt()) {
                case 0 -> e.setFeatures(doubles(DENSE));
                case 1 -> {
                    int size = varInt();
                    e.setFeatures(new SparseFeatures(size, ints(INDICES), doubles(VALUES)));
                }
                default -> throw GIVE_UP;
            }
            switch (varInt()) {
                case 0 -> e.setLabel(null);
                case 1 -> e.setLabel(readDouble());
                case 2 -> e.setLabel(varInt());
                case 3 -> e.setLabel(doubles(LABEL_ARRAY));
                default -> throw GIVE_UP;
            }
            e.setWeight(readDouble());
            switch (varInt()) {
                case 0 -> e.setAttributes(null);
                case 1 -> e.setAttributes(stringMap());
                default -> throw GIVE_UP;
            }
            return pos == end ? e : null;
        } catch (RuntimeException giveUp) {
            return null;
        } finally {
            this.b = null;
        }
    }

    private PrimitivesArrays.DoubleArray doubles(Schema schema) {
        long n = count(8);
        PrimitivesArrays.DoubleArray array = new PrimitivesArrays.DoubleArray((int) n, schema);
        for (int at = 0; n > 0; n = count(8)) {
            for (long i = 0; i < n; i++) {
                array.add(at++, readDouble());
            }
        }
        return array;
    }

    private PrimitivesArrays.IntArray ints(Schema schema) {
        long n = count(1);
        PrimitivesArrays.IntArray array = new PrimitivesArrays.IntArray((int) n, schema);
        for (int at = 0; n > 0; n = count(1)) {
            for (long i = 0; i < n; i++) {
                array.add(at++, varInt());
            }
        }
        return array;
    }

    private Map<String, String> stringMap() {
        long n = count(2);
        Map<String, String> map = new HashMap<>((int) n);
        for (; n > 0; n = count(2)) {
            for (long i = 0; i < n; i++) {
                String k = string();
                map.put(k, string());
            }
        }
        return map;
    }

    /** The next block's item count, which the remaining bytes must be able to hold; 0 ends the array or map. */
    private long count(int minBytesPerItem) {
        long n = varLong();
        if (n < 0 || n > (end - pos) / minBytesPerItem) {
            throw GIVE_UP; // a byte-size-prefixed block, or more items than bytes
        }
        return n;
    }

    private String string() {
        long n = varLong();
        if (n < 0 || n > end - pos) {
            throw GIVE_UP;
        }
        String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
        pos += (int) n;
        return s;
    }

    private double readDouble() {
        if (end - pos < 8) {
            throw GIVE_UP;
        }
        double d = Double.longBitsToDouble((long) LONG_LE.get(b, pos));
        pos += 8;
        return d;
    }

    /** A zig-zag varint int of at most 5 bytes whose bits all fit in 32 (Avro drops the rest). */
    private int varInt() {
        int start = pos;
        long raw = rawVarint(5);
        if (raw >>> 32 != 0 || pos - start > 5) {
            throw GIVE_UP;
        }
        int n = (int) raw;
        return (n >>> 1) ^ -(n & 1);
    }

    /** A zig-zag varint long of at most 9 bytes (63 bits: every long this schema carries in practice). */
    private long varLong() {
        long raw = rawVarint(9);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private long rawVarint(int maxBytes) {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= end) {
                throw GIVE_UP;
            }
            int x = b[pos++] & 0xff;
            raw |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                return raw;
            }
        }
        throw GIVE_UP;
    }

    private static Schema branch(Schema record, String field, int index) {
        return record.getField(field).schema().getTypes().get(index);
    }
}
