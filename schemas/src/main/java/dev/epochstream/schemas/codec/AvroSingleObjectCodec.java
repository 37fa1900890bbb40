package dev.epochstream.schemas.codec;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.KnownSchemas;
import dev.epochstream.schemas.LabelledEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one generated record type: {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the binary body: the bytes of Avro's own
 * {@code BinaryMessageEncoder}. Decoding is built on Avro's {@link BinaryMessageDecoder}, with every
 * committed version of the schema ({@link KnownSchemas}) in a {@link SchemaStore}, so that data of an old
 * writer resolves to the current class.
 *
 * <p>{@link #decode} never throws on bad input: it returns the record, or a refusal with
 * {@code not-avro}, {@code unknown-schema} or {@code truncated} (also for a body that does not decode
 * or has trailing bytes).
 *
 * <p>Not thread-safe: each instance reuses its encoder, decoder and buffers; use one per task.
 *
 * <p>Hardening: array capacities announced by the body are capped before allocation, so that a corrupt
 * count costs nothing (a truncated body then fails as {@code truncated}). String and bytes lengths are
 * checked against the bytes actually present before anything is decoded: a first pass skips over the body
 * with the writer schema ({@link GenericDatumReader#skip}, which allocates nothing), because Avro
 * allocates a string's buffer from its length prefix before reading it, and a 17-byte record claiming a
 * 1 GiB id would otherwise cost 1 GiB (or an OutOfMemoryError, which fails a Flink task).
 *
 * <p>Speed: bodies are read from the byte array directly (not through an InputStream), plain double and
 * int arrays straight into Avro's primitive arrays, and a {@link LabelledEvent} of the current schema
 * by {@link LabelledEventBody} without Avro's grammar, about eight times faster than Avro's message
 * decoder; whatever that reader does not take goes the way described above. Encoding writes the header
 * itself and the body through a buffered encoder, with Avro's primitive double, int and long arrays (a
 * snapshot's parameters) written without boxing ({@link PrimitiveArrayDatumWriter}).
 */
public final class AvroSingleObjectCodec<T extends SpecificRecord> {

    /** Largest initial capacity given to an array while decoding; arrays still grow past it. */
    static final int MAX_INITIAL_ARRAY_CAPACITY = 1024;
    /** C3 01 and the 8-byte fingerprint. */
    private static final int HEADER_BYTES = 10;

    private final Schema schema;
    /** Writes a record's body (Avro's writer, see {@link BoundedSpecificData#createDatumWriter}). */
    private final DatumWriter<T> writer;
    /** C3 01 and the current schema's fingerprint, little-endian: what every encoding starts with. */
    private final byte[] header;
    /** Buffers a body on its way to {@link #out}; replaced after a record that failed half-way. */
    private BinaryEncoder bodyEncoder;
    private final BinaryMessageDecoder<T> decoder;
    private final SchemaStore.Cache writers = new SchemaStore.Cache();
    /** Re-pointed at each record's body: the bounds pass, then the read. */
    private BinaryDecoder body;
    private final SpecificData model;
    /** The resolving reader of each writer schema seen (identity: the store hands out its own instances). */
    private final Map<Schema, DatumReader<T>> readers = new IdentityHashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final ReusableInput in = new ReusableInput();
    /** The current schema's fingerprint, for which {@link #fast} (when there is one) reads the body. */
    private final long fingerprint;
    private final LabelledEventBody fast;

    /**
     * A codec for {@code type} whose writers may be any of {@code writerSchemas} (the current schema is
     * always accepted).
     */
    public AvroSingleObjectCodec(Class<T> type, List<Schema> writerSchemas) {
        this(type, writerSchemas, true);
    }

    /** With {@code fastPath} false, every body goes through Avro's reader (tests compare the two). */
    AvroSingleObjectCodec(Class<T> type, List<Schema> writerSchemas, boolean fastPath) {
        SpecificData classModel = SpecificData.getForClass(type);
        this.schema = classModel.getSchema(type);
        this.model = new BoundedSpecificData(classModel);
        writers.addSchema(schema);
        for (Schema writer : writerSchemas) {
            writers.addSchema(writer);
        }
        @SuppressWarnings("unchecked")
        DatumWriter<T> typed = (DatumWriter<T>) model.createDatumWriter(schema);
        this.writer = typed;
        this.decoder = new BinaryMessageDecoder<>(model, schema, writers);
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
        this.bodyEncoder = EncoderFactory.get().binaryEncoder(out, null);
        this.fast = fastPath && type == LabelledEvent.class ? new LabelledEventBody() : null;
    }

    /** A codec for {@code type} accepting every committed version of its schema. */
    public static <T extends SpecificRecord> AvroSingleObjectCodec<T> forClass(Class<T> type) {
        return new AvroSingleObjectCodec<>(type, KnownSchemas.versionsOf(SpecificData.get().getSchema(type)));
    }

    /** The current (reader and writer) schema. */
    public Schema schema() {
        return schema;
    }

    /** The single-object encoding of {@code record}, with the current schema's fingerprint. */
    public byte[] encode(T record) {
        // The header, then the body through a buffered encoder: Avro's BinaryMessageEncoder writes the same
        // bytes with an unbuffered encoder, a synchronized stream write per value.
        out.reset();
        out.write(header, 0, HEADER_BYTES);
        boolean written = false;
        try {
            writer.write(record, bodyEncoder);
            bodyEncoder.flush();
            written = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        } finally {
            if (!written) {
                // a record that failed half-way left its first fields in the encoder's buffer
                bodyEncoder = EncoderFactory.get().binaryEncoder(out, null);
            }
        }
        return out.toByteArray();
    }

    /** The record in {@code bytes}, or why they are not one. Never throws on bad input. */
    public DecodeResult<T> decode(byte[] bytes) {
        if (bytes == null) {
            return DecodeResult.refused(DeadLetterReason.NOT_AVRO, "no bytes (null record value)");
        }
        boolean header = bytes.length >= HEADER_BYTES && hasMarker(bytes);
        long writerFingerprint = header ? ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() : 0;
        if (fast != null && header && writerFingerprint == fingerprint) {
            @SuppressWarnings("unchecked")
            T event = (T) fast.read(bytes, HEADER_BYTES, bytes.length);
            if (event != null) {
                return DecodeResult.ok(event);
            }
        }
        Schema writer = header ? writers.findByFingerprint(writerFingerprint) : null;
        if (writer == null) {
            return headerRefusal(bytes);
        }
        String beyondTheBytes = boundsProblem(bytes, writer);
        if (beyondTheBytes != null) {
            return DecodeResult.refused(DeadLetterReason.TRUNCATED,
                    schema.getName() + " body does not decode (" + bytes.length + " bytes): " + beyondTheBytes);
        }
        // The body straight from the array, by the writer's resolving reader: Avro's message decoder reads
        // it through an InputStream, a synchronized call per value, which was most of a decode.
        body = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, body);
        T record;
        try {
            record = readerOf(writer).read(null, body);
        } catch (IOException | RuntimeException e) {
            return DecodeResult.refused(DeadLetterReason.TRUNCATED,
                    schema.getName() + " body does not decode (" + bytes.length + " bytes): " + describe(e));
        }
        int trailing;
        try {
            trailing = body.isEnd() ? 0 : body.inputStream().available();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: reading memory", e);
        }
        if (trailing > 0) {
            return DecodeResult.refused(DeadLetterReason.TRUNCATED,
                    trailing + " trailing bytes after the " + schema.getName() + " body");
        }
        return DecodeResult.ok(record);
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> readerOf(Schema writer) {
        return readers.computeIfAbsent(writer, w -> (DatumReader<T>) model.createDatumReader(w, schema));
    }

    /**
     * Why bytes without a full single-object header, or with an unknown writer's fingerprint, are refused:
     * Avro's own message decoder says which, as it always did (it throws before reading any body).
     */
    private DecodeResult<T> headerRefusal(byte[] bytes) {
        in.reset(bytes);
        try {
            decoder.decode(in, null);
        } catch (BadHeaderException e) {
            if (hasMarker(bytes)) {
                // Avro also says "bad header" for a header cut inside the fingerprint.
                return DecodeResult.refused(DeadLetterReason.TRUNCATED,
                        "single-object header cut short (" + bytes.length + " of 10 bytes)");
            }
            return DecodeResult.refused(DeadLetterReason.NOT_AVRO,
                    "not Avro single-object encoding (expected marker C3 01): " + e.getMessage());
        } catch (MissingSchemaException e) {
            return DecodeResult.refused(DeadLetterReason.UNKNOWN_SCHEMA,
                    "unknown writer schema for " + schema.getName() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return DecodeResult.refused(DeadLetterReason.TRUNCATED,
                    schema.getName() + " body does not decode (" + bytes.length + " bytes): " + describe(e));
        }
        throw new IllegalStateException("a full header of a known writer decoded the slow way"); // decode() routes those
    }

    /**
     * Why the body {@code writer} wrote reaches beyond {@code bytes} (a length or count larger than what
     * follows it), or null.
     */
    private String boundsProblem(byte[] bytes, Schema writer) {
        body = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, body);
        try {
            GenericDatumReader.skip(writer, body);
        } catch (IOException | RuntimeException e) {
            return describe(e);
        }
        return null;
    }

    private static boolean hasMarker(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
    }

    private static String describe(Throwable e) {
        // Avro wraps the EOFException of a short body; the innermost cause says what happened.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** A byte-array stream re-pointed at each record instead of allocated per record. */
    private static final class ReusableInput extends ByteArrayInputStream {
        ReusableInput() {
            super(new byte[0]);
        }

        void reset(byte[] bytes) {
            this.buf = bytes;
            this.pos = 0;
            this.count = bytes.length;
            this.mark = 0;
        }
    }

    /**
     * The class's model (same logical-type conversions) with the generated classes' custom decoders off,
     * so that every array goes through {@link CappedReader#newArray}; records are written by
     * {@link PrimitiveArrayDatumWriter} (Avro's bytes, primitive arrays without boxing).
     */
    private static final class BoundedSpecificData extends SpecificData {
        BoundedSpecificData(SpecificData classModel) {
            super(classModel.getClassLoader());
            for (Conversion<?> conversion : classModel.getConversions()) {
                addLogicalTypeConversion(conversion);
            }
            setCustomCoders(false);
        }

        @Override
        public DatumWriter<?> createDatumWriter(Schema schema) {
            return new PrimitiveArrayDatumWriter<>(schema, this);
        }

        @Override
        public DatumReader<?> createDatumReader(Schema writer, Schema reader) {
            return new CappedReader<>(writer, reader, this);
        }
    }

    private static final class CappedReader<D> extends SpecificDatumReader<D> {
        CappedReader(Schema writer, Schema reader, SpecificData data) {
            super(writer, reader, data);
        }

        @Override
        protected Object newArray(Object old, int size, Schema schema) {
            // The count comes from untrusted bytes: never pre-allocate more than a small capacity.
            return super.newArray(old, Math.min(size, MAX_INITIAL_ARRAY_CAPACITY), schema);
        }

        /**
         * Arrays of plain doubles and ints (features, labels, sparse indices: most of an event's bytes) are
         * read straight into Avro's primitive arrays. The generic path asks the array for a reusable element
         * and boxes every value on the way in, which was about a quarter of a source thread's time. Same
         * values, same array class, same errors (the decoder's own reads, including the promotion of an
         * older writer's int, long or float); everything else, and arrays read into an old one, go the
         * generic way.
         */
        @Override
        protected Object readArray(Object old, Schema expected, ResolvingDecoder in) throws IOException {
            Schema element = expected.getElementType();
            boolean plain = old == null && element.getLogicalType() == null;
            if (plain && element.getType() == Schema.Type.DOUBLE) {
                long n = in.readArrayStart();
                Object array = newArray(null, (int) n, expected);
                if (array instanceof PrimitivesArrays.DoubleArray doubles) {
                    for (int at = 0; n > 0; n = in.arrayNext()) {
                        for (long i = 0; i < n; i++) {
                            doubles.add(at++, in.readDouble());
                        }
                    }
                    return doubles;
                }
                return readRest(array, n, element, in);
            }
            if (plain && element.getType() == Schema.Type.INT) {
                long n = in.readArrayStart();
                Object array = newArray(null, (int) n, expected);
                if (array instanceof PrimitivesArrays.IntArray ints) {
                    for (int at = 0; n > 0; n = in.arrayNext()) {
                        for (long i = 0; i < n; i++) {
                            ints.add(at++, in.readInt());
                        }
                    }
                    return ints;
                }
                return readRest(array, n, element, in);
            }
            return super.readArray(old, expected, in);
        }

        /** The generic element loop, for an array class other than Avro's primitive ones. */
        private Object readRest(Object array, long n, Schema element, ResolvingDecoder in) throws IOException {
            for (long at = 0; n > 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    addToArray(array, at++, readWithoutConversion(null, element, in));
                }
            }
            return array;
        }
    }
}
