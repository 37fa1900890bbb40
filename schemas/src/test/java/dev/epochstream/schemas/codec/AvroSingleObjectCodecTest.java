package dev.epochstream.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.KnownSchemas;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class AvroSingleObjectCodecTest {

    private final AvroSingleObjectCodec<LabelledEvent> events = AvroSingleObjectCodec.forClass(LabelledEvent.class);

    private static List<SpecificRecord> everyRecord() {
        ModelSnapshot withoutOptimizer = SampleRecords.modelSnapshot();
        withoutOptimizer.setOptimizerState(null);
        EpochMetrics sparseMetrics = SampleRecords.epochMetrics();
        sparseMetrics.setValidation(null);
        sparseMetrics.setTrainingLoss(null);
        sparseMetrics.setFreshnessLagMs(null);
        sparseMetrics.setWindowEnd(SampleRecords.T0.plusSeconds(10));
        DeadLetter bare = SampleRecords.deadLetter();
        bare.setSourceTopic(null);
        bare.setSourcePartition(null);
        bare.setSourceOffset(null);
        bare.setKey("m9");
        List<SpecificRecord> all = new java.util.ArrayList<>(SampleRecords.events());
        all.addAll(List.of(SampleRecords.epochMetrics(), sparseMetrics, SampleRecords.modelSnapshot(), withoutOptimizer,
                SampleRecords.prediction(1), SampleRecords.prediction(0.75), SampleRecords.prediction(List.of(0.1, 0.9)),
                SampleRecords.deadLetter(), bare));
        return all;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroSingleObjectCodec<SpecificRecord> codecFor(SpecificRecord record) {
        return (AvroSingleObjectCodec) AvroSingleObjectCodec.forClass(record.getClass());
    }

    @Test
    void everyRecordRoundTripsThroughSingleObjectEncoding() {
        for (SpecificRecord record : everyRecord()) {
            AvroSingleObjectCodec<SpecificRecord> codec = codecFor(record);
            DecodeResult<SpecificRecord> result = codec.decode(codec.encode(record));
            assertThat(result.isOk()).as(result.message()).isTrue();
            assertThat(result.value()).isEqualTo(record);
        }
    }

    @Test
    void everyRecordRoundTripsThroughPlainBinaryEncoding() throws IOException {
        for (SpecificRecord record : everyRecord()) {
            byte[] bytes = binary(record);
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(record.getSchema());
            assertThat(reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null))).isEqualTo(record);
        }
    }

    @Test
    void headerIsMarkerThenLittleEndianFingerprintThenTheBinaryBody() throws IOException {
        for (SpecificRecord record : everyRecord()) {
            byte[] bytes = codecFor(record).encode(record);
            assertThat(bytes[0]).isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(record.getSchema()));
            assertThat(Arrays.copyOfRange(bytes, 10, bytes.length)).isEqualTo(binary(record));
        }
    }

    @Test
    void plainAvroDecodersReadTheEncoding() throws IOException {
        LabelledEvent event = SampleRecords.sparseEvent();
        byte[] bytes = events.encode(event);
        BinaryMessageDecoder<LabelledEvent> plain =
                new BinaryMessageDecoder<>(SpecificData.get(), LabelledEvent.getClassSchema());
        assertThat(plain.decode(bytes)).isEqualTo(event);
        assertThat(LabelledEvent.fromByteBuffer(ByteBuffer.wrap(bytes))).isEqualTo(event);
        // And the other way: the generated class's own encoder produces what the codec reads.
        assertThat(events.decode(toArray(event.toByteBuffer())).value()).isEqualTo(event);
    }

    @Test
    void dataOfTheOldWriterResolvesToTheCurrentClass() {
        Schema v1 = KnownSchemas.version("LabelledEvent", 1);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "e1");
        old.put("key", "m1");
        old.put("time", SampleRecords.T0.toEpochMilli());
        old.put("features", List.of(1.0, 2.0));
        old.put("label", 2.5);
        old.put("weight", 3.0);
        byte[] bytes = toArray(encodeGeneric(v1, old));

        DecodeResult<LabelledEvent> result = events.decode(bytes);

        assertThat(result.isOk()).as(result.message()).isTrue();
        LabelledEvent expected = SampleRecords.denseEvent(2.5);
        expected.setFeatures(List.of(1.0, 2.0));
        expected.setWeight(3.0);
        assertThat(result.value()).isEqualTo(expected);
        assertThat(result.value().getAttributes()).isNull();
    }

    @Test
    void bytesWithoutTheMarkerAreNotAvro() {
        for (byte[] bytes : new byte[][] {
                "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8), {}, {(byte) 0xC3}, {(byte) 0xC3, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                null}) {
            DecodeResult<LabelledEvent> result = events.decode(bytes);
            assertThat(result.reason()).as(Arrays.toString(bytes)).isEqualTo(DeadLetterReason.NOT_AVRO);
            assertThat(result.value()).isNull();
        }
    }

    @Test
    void anUnregisteredFingerprintIsAnUnknownSchema() {
        byte[] prediction = AvroSingleObjectCodec.forClass(Prediction.class).encode(SampleRecords.prediction(1));
        assertThat(events.decode(prediction).reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);

        // A codec that knows only v2 does not resolve v1 data.
        AvroSingleObjectCodec<LabelledEvent> currentOnly = new AvroSingleObjectCodec<>(LabelledEvent.class, List.of());
        Schema v1 = KnownSchemas.version("LabelledEvent", 1);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "e");
        old.put("key", "k");
        old.put("time", 0L);
        old.put("features", List.of(1.0));
        old.put("weight", 1.0);
        DecodeResult<LabelledEvent> result = currentOnly.decode(toArray(encodeGeneric(v1, old)));
        assertThat(result.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(result.message()).contains("LabelledEvent");
    }

    @Test
    void aBodyCutShortOrFollowedByJunkIsTruncated() {
        byte[] whole = events.encode(SampleRecords.sparseEvent());
        for (int length : new int[] {whole.length - 1, whole.length / 2, 11, 10, 6}) {
            DecodeResult<LabelledEvent> result = events.decode(Arrays.copyOf(whole, length));
            assertThat(result.reason()).as("cut to " + length).isEqualTo(DeadLetterReason.TRUNCATED);
        }
        DecodeResult<LabelledEvent> junk = events.decode(Arrays.copyOf(whole, whole.length + 3));
        assertThat(junk.reason()).isEqualTo(DeadLetterReason.TRUNCATED);
        assertThat(junk.message()).contains("3 trailing bytes");
    }

    @Test
    void aCorruptHugeArrayCountIsTruncatedWithoutAllocatingIt() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(events.encode(SampleRecords.denseEvent(null)), 0, 10);
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(body, null);
        enc.writeString("e");
        enc.writeString("m");
        enc.writeLong(0L);
        enc.writeIndex(0); // dense features
        enc.writeLong(Integer.MAX_VALUE - 16); // block count: 2^31 doubles announced, none present
        enc.writeDouble(1.0);
        enc.flush();

        DecodeResult<LabelledEvent> result = events.decode(body.toByteArray());

        assertThat(result.reason()).isEqualTo(DeadLetterReason.TRUNCATED);
    }

    @Test
    void aLengthPrefixBeyondTheBodyIsTruncatedWithoutAllocatingIt() {
        byte[] bytes = Arrays.copyOf(events.encode(SampleRecords.denseEvent(null)), 17);
        // the id's length: Avro long 2^30 (1 GiB) is zig-zag 2^31, the varint 80 80 80 80 08; then 2 bytes
        byte[] claim = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'i', 'd'};
        System.arraycopy(claim, 0, bytes, 10, claim.length);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        events.decode(events.encode(SampleRecords.denseEvent(null))); // warm up

        long before = threads.getCurrentThreadAllocatedBytes();
        DecodeResult<LabelledEvent> result = events.decode(bytes);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(result.reason()).isEqualTo(DeadLetterReason.TRUNCATED);
        assertThat(result.message()).contains("EOFException");
        assertThat(allocated).as("bytes allocated to refuse it").isLessThan(1L << 20);
    }

    @Test
    void theCodecIsReusableAfterBadInput() {
        LabelledEvent event = SampleRecords.denseEvent(1);
        byte[] good = events.encode(event);
        assertThat(events.decode(Arrays.copyOf(good, 12)).isOk()).isFalse();
        assertThat(events.decode(good).value()).isEqualTo(event);
        assertThat(events.encode(event)).isEqualTo(good);
    }

    @Test
    void arraysWrittenInSeveralBlocksDecodeToTheSameRecord() throws IOException {
        // Avro's blocking encoder splits arrays into blocks with negative counts and byte sizes, which
        // a writer may do: the primitive-array fast path must read every block, as the generic path does
        List<Double> many = new java.util.ArrayList<>();
        List<Integer> indices = new java.util.ArrayList<>();
        for (int i = 0; i < 700; i++) {
            many.add(i * 0.5 - 3.0);
            indices.add(2 * i);
        }
        LabelledEvent dense = LabelledEvent.newBuilder(SampleRecords.denseEvent(1)).setFeatures(many).build();
        LabelledEvent sparse = LabelledEvent.newBuilder(SampleRecords.sparseEvent())
                .setFeatures(new SparseFeatures(1400, indices, many)).setLabel(many).build();
        for (LabelledEvent event : List.of(dense, sparse)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(Arrays.copyOf(events.encode(event), 10)); // the single-object header
            BinaryEncoder blocks = new EncoderFactory().configureBlockSize(256).blockingBinaryEncoder(out, null);
            new SpecificDatumWriter<LabelledEvent>(LabelledEvent.getClassSchema()).write(event, blocks);
            blocks.flush();
            byte[] bytes = out.toByteArray();
            assertThat(bytes).as("blocked, not the plain encoding").isNotEqualTo(events.encode(event));

            DecodeResult<LabelledEvent> result = events.decode(bytes);

            assertThat(result.isOk()).as(result.message()).isTrue();
            assertThat(result.value()).isEqualTo(event);
        }
    }

    private static byte[] binary(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static ByteBuffer encodeGeneric(Schema schema, GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
