package dev.epochstream.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.connectors.format.WireFormat;
import dev.epochstream.schemas.DeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class EventDeserializationSchemaTest {

    private static ConsumerRecord<byte[], byte[]> record(long timestamp, byte[] key, byte[] value) {
        return new ConsumerRecord<>("events", 2, 41L, timestamp, TimestampType.CREATE_TIME,
                key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, new RecordHeaders(),
                Optional.empty());
    }

    private static List<EventOrDeadLetter> run(EventDeserializationSchema schema, ConsumerRecord<byte[], byte[]> r)
            throws Exception {
        List<EventOrDeadLetter> out = new ArrayList<>();
        // Through Java serialization, as Flink ships it to the task.
        InstantiationUtil.clone(schema).deserialize(r, new ListCollector<>(out));
        return out;
    }

    @Test
    void aGoodAvroRecordBecomesAnEvent() throws Exception {
        LabelledEvent event = dev.epochstream.schemas.LabelledEvent.newBuilder().setId("e").setKey("k")
                .setTime(Instant.ofEpochMilli(5)).setFeatures(List.of(1.0)).build();
        byte[] bytes = AvroSingleObjectCodec.forClass(LabelledEvent.class).encode(event);
        assertThat(run(new EventDeserializationSchema(WireFormat.AVRO, 1000), record(9L, null, bytes)))
                .containsExactly(EventOrDeadLetter.ofEvent(event));
    }

    @Test
    void aJsonEventWithoutTimeGetsTheRecordTimestamp() throws Exception {
        byte[] json = "{\"id\":\"e\",\"key\":\"k\",\"features\":[1]}".getBytes(StandardCharsets.UTF_8);
        List<EventOrDeadLetter> out = run(new EventDeserializationSchema(WireFormat.JSON, 1000), record(1234L, null, json));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).getEvent().getTime()).isEqualTo(Instant.ofEpochMilli(1234L));
    }

    @Test
    void aBadRecordBecomesADeadLetterWithItsSource() throws Exception {
        byte[] value = "{\"id\":\"e\",\"key\":\"k\",\"features\":[1e400]}".getBytes(StandardCharsets.UTF_8);
        long before = System.currentTimeMillis();
        List<EventOrDeadLetter> out = run(new EventDeserializationSchema(WireFormat.JSON, 1000),
                record(7L, "k".getBytes(StandardCharsets.UTF_8), value));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).isEvent()).isFalse();
        DeadLetter d = out.get(0).getDeadLetter();
        assertThat(d.getReason()).isEqualTo("non-finite");
        assertThat(d.getMessage()).contains("features[0]");
        assertThat(d.getOriginalBytes()).isEqualTo(ByteBuffer.wrap(value));
        assertThat(d.getSourceTopic()).isEqualTo("events");
        assertThat(d.getSourcePartition()).isEqualTo(2);
        assertThat(d.getSourceOffset()).isEqualTo(41L);
        assertThat(d.getKey()).isEqualTo("k");
        assertThat(d.getTime().toEpochMilli()).isBetween(before, System.currentTimeMillis());
    }

    @Test
    void nullAndOversizedValuesAreDeadLetters() throws Exception {
        EventDeserializationSchema avro = new EventDeserializationSchema(WireFormat.AVRO, 8);
        assertThat(run(avro, record(1L, null, null)).get(0).getDeadLetter().getReason()).isEqualTo("not-avro");
        DeadLetter big = run(avro, record(1L, null, new byte[9])).get(0).getDeadLetter();
        assertThat(big.getReason()).isEqualTo("oversized");
        assertThat(big.getKey()).isNull();
    }

    @Test
    void aDeadLetterKeepsOnlyWhatFitsInARecord() throws Exception {
        int limit = 64 * 1024;
        byte[] value = new byte[100_000];
        new java.util.SplittableRandom(1).nextBytes(value);
        DeadLetter big = run(new EventDeserializationSchema(WireFormat.AVRO, limit), record(1L, null, value)).get(0).getDeadLetter();
        assertThat(big.getReason()).isEqualTo("oversized");
        // 64 KiB less the 8 KiB headroom for the other fields
        byte[] kept = java.util.Arrays.copyOf(value, 57_344);
        assertThat(big.getOriginalBytes()).isEqualTo(ByteBuffer.wrap(kept));
        assertThat(big.getMessage()).endsWith("(originalBytes keeps the first 57344 of 100000 bytes)");
        assertThat(AvroSingleObjectCodec.forClass(DeadLetter.class).encode(big).length).isLessThan(limit);

        // a refused record that fits keeps every byte, and a small limit leaves half of itself for the rest
        byte[] nan = "{\"id\":\"e\",\"key\":\"k\",\"features\":[NaN]}".getBytes(StandardCharsets.UTF_8);
        DeadLetter small = run(new EventDeserializationSchema(WireFormat.JSON, 2 * nan.length), record(1L, null, nan))
                .get(0).getDeadLetter();
        assertThat(small.getReason()).isEqualTo("non-finite");
        assertThat(small.getOriginalBytes()).isEqualTo(ByteBuffer.wrap(nan));
        assertThat(small.getMessage()).doesNotContain("originalBytes");
    }

    @Test
    void theProducedTypeIsAFlinkPojo() {
        assertThat(new EventDeserializationSchema(WireFormat.JSON, 10).getProducedType()).isInstanceOf(PojoTypeInfo.class);
    }
}
