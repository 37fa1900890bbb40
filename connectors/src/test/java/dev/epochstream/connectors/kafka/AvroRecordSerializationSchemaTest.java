package dev.epochstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.KnownSchemas;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.Prediction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class AvroRecordSerializationSchemaTest {

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String hexFingerprint(String schemaName) {
        List<org.apache.avro.Schema> versions = KnownSchemas.versions(schemaName);
        return String.format("%016x", SchemaNormalization.parsingFingerprint64(versions.get(versions.size() - 1)));
    }

    @Test
    void predictionsAreKeyedByModelKeyAndCarryTheFingerprint() throws Exception {
        Prediction p = Prediction.newBuilder().setId("e").setKey("model-1").setPrediction(2).setScores(List.of(0.1))
                .setModelVersion(3).setEventTime(Instant.ofEpochMilli(1)).build();
        AvroRecordSerializationSchema<Prediction> schema =
                InstantiationUtil.clone(AvroRecordSerializationSchema.predictions("predictions"));

        ProducerRecord<byte[], byte[]> r = schema.serialize(p, null, 99L);

        assertThat(r.topic()).isEqualTo("predictions");
        assertThat(r.timestamp()).as("the producer stamps the time of writing").isNull();
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("model-1");
        assertThat(Prediction.fromByteBuffer(ByteBuffer.wrap(r.value()))).isEqualTo(p);
        assertThat(header(r, AvroRecordSerializationSchema.FINGERPRINT_HEADER)).isEqualTo(hexFingerprint("Prediction"))
                .hasSize(16);
        assertThat(header(r, AvroRecordSerializationSchema.VERSION_HEADER)).isNull();
        // The header value equals the fingerprint inside the payload (bytes 2..9, little-endian).
        long inPayload = ByteBuffer.wrap(r.value(), 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(header(r, AvroRecordSerializationSchema.FINGERPRINT_HEADER)).isEqualTo(String.format("%016x", inPayload));
    }

    @Test
    void snapshotsCarryTheirVersion() throws Exception {
        ModelSnapshot s = ModelSnapshot.newBuilder()
                .setKey("m").setVersion(12).setCreatedAt(Instant.ofEpochMilli(0))
                .setNetwork(dev.epochstream.schemas.NetworkSpecRecord.newBuilder().setLayers(List.of(1, 1))
                        .setActivations(List.of("identity")).setLeakySlope(0).setLoss("mse").setLossDelta(1)
                        .setLossMargin(1).setTaskType("regression").setInit("zeros").setSeed(1).build())
                .setPreprocessing(new dev.epochstream.schemas.Preprocessing(1, false, 0L, List.of(), List.of(), 0))
                .setParameters(List.of())
                .setCounters(new dev.epochstream.schemas.TrainingCounters(0L, 0L, 0L, 0L, 0L, 0L, 0L))
                .setChecksum(0L).build();
        ProducerRecord<byte[], byte[]> r = InstantiationUtil.clone(AvroRecordSerializationSchema.snapshots("snapshots"))
                .serialize(s, null, null);
        assertThat(header(r, AvroRecordSerializationSchema.VERSION_HEADER)).isEqualTo("12");
        assertThat(header(r, AvroRecordSerializationSchema.FINGERPRINT_HEADER)).isEqualTo(hexFingerprint("ModelSnapshot"));
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("m");
        assertThat(ModelSnapshot.fromByteBuffer(ByteBuffer.wrap(r.value()))).isEqualTo(s);
    }

    @Test
    void deadLettersWithoutAKeyHaveNoRecordKey() throws Exception {
        DeadLetter d = DeadLetter.newBuilder().setOriginalBytes(ByteBuffer.wrap(new byte[] {1})).setReason("not-avro")
                .setMessage("m").setTime(Instant.ofEpochMilli(3)).build();
        ProducerRecord<byte[], byte[]> r = InstantiationUtil.clone(AvroRecordSerializationSchema.deadLetters("dlq"))
                .serialize(d, null, null);
        assertThat(r.key()).isNull();
        assertThat(DeadLetter.fromByteBuffer(ByteBuffer.wrap(r.value()))).isEqualTo(d);
        assertThat(header(r, AvroRecordSerializationSchema.FINGERPRINT_HEADER)).isEqualTo(hexFingerprint("DeadLetter"));
    }

    @Test
    void metricsAreKeyedByModelKey() throws Exception {
        EpochMetrics m = EpochMetrics.newBuilder().setKey("k7").setEpoch(0).setModelVersion(0).setSeen(0).setTrained(0)
                .setHeldOut(0).setLate(0).setRefused(0).setPending(0).setTaskType("regression")
                .setPrequential(new dev.epochstream.schemas.MetricValues(0L, null, null, null, null, null, null, null,
                        null, null, null, null))
                .setLearningRate(0.1).setRollingEpochs(1)
                .setRolling(new dev.epochstream.schemas.MetricValues(0L, null, null, null, null, null, null, null,
                        null, null, null, null))
                .setOverfitting(false).setUpdateRefused(false).setEarlyStopped(false).setPublished(false)
                .setEmittedAt(Instant.ofEpochMilli(1)).build();
        ProducerRecord<byte[], byte[]> r = InstantiationUtil.clone(AvroRecordSerializationSchema.metrics("metrics"))
                .serialize(m, null, null);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k7");
        assertThat(EpochMetrics.fromByteBuffer(ByteBuffer.wrap(r.value()))).isEqualTo(m);
    }
}
