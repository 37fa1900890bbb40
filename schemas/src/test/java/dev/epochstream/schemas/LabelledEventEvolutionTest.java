package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** LabelledEvent v1 (no attributes) and v2 read each other's data: checked by Avro's rules and by decoding. */
class LabelledEventEvolutionTest {

    private static final Schema V1 = KnownSchemas.version("LabelledEvent", 1);
    private static final Schema V2 = KnownSchemas.version("LabelledEvent", 2);

    @Test
    void v2ReadsV1AndV1ReadsV2ByAvroRules() {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(V2, V1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(V1, V2).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void v2ReaderDecodesV1DataWithNullAttributes() throws IOException {
        GenericRecord old = new GenericData.Record(V1);
        old.put("id", "e1");
        old.put("key", "m1");
        old.put("time", 1_700_000_000_123L);
        old.put("features", new GenericData.Array<>(V1.getField("features").schema().getTypes().get(0), List.of(0.5, -2.0)));
        old.put("label", 1);
        old.put("weight", 0.25);
        byte[] bytes = write(new GenericDatumWriter<>(V1), old);

        SpecificDatumReader<LabelledEvent> reader = new SpecificDatumReader<>(V1, LabelledEvent.getClassSchema());
        LabelledEvent read = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(read.getId()).isEqualTo("e1");
        assertThat(read.getKey()).isEqualTo("m1");
        assertThat(read.getTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(read.getFeatures()).isEqualTo(List.of(0.5, -2.0));
        assertThat(read.getLabel()).isEqualTo(1);
        assertThat(read.getWeight()).isEqualTo(0.25);
        assertThat(read.getAttributes()).isNull();
    }

    @Test
    void v1ReaderDecodesV2DataIgnoringAttributes() throws IOException {
        LabelledEvent current = LabelledEvent.newBuilder()
                .setId("e2").setKey("m2").setTime(Instant.ofEpochMilli(42L))
                .setFeatures(SparseFeatures.newBuilder().setSize(10).setIndices(List.of(1, 7))
                        .setValues(List.of(3.0, 4.5)).build())
                .setLabel(List.of(0.0, 1.0)).setWeight(2.0)
                .setAttributes(Map.of("source", "sensor-7"))
                .build();
        byte[] bytes = write(new SpecificDatumWriter<>(LabelledEvent.class), current);

        GenericRecord read = new GenericDatumReader<GenericRecord>(V2, V1)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));

        assertThat(read.getSchema().getField("attributes")).isNull();
        assertThat(read.get("id").toString()).isEqualTo("e2");
        assertThat(read.get("key").toString()).isEqualTo("m2");
        assertThat(read.get("time")).isEqualTo(42L);
        GenericRecord sparse = (GenericRecord) read.get("features");
        assertThat(sparse.get("size")).isEqualTo(10);
        assertThat(sparse.get("indices")).isEqualTo(List.of(1, 7));
        assertThat(sparse.get("values")).isEqualTo(List.of(3.0, 4.5));
        assertThat(read.get("label")).isEqualTo(List.of(0.0, 1.0));
        assertThat(read.get("weight")).isEqualTo(2.0);
    }

    private static <T> byte[] write(org.apache.avro.io.DatumWriter<T> writer, T datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
