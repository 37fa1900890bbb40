package dev.epochstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import dev.epochstream.schemas.DoubleList;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LabelledEventSerializerTest {

    private static final AvroSingleObjectCodec<LabelledEvent> AVRO = AvroSingleObjectCodec.forClass(LabelledEvent.class);

    private static LabelledEvent roundTrip(LabelledEvent e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        LabelledEventSerializer.INSTANCE.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        LabelledEvent back = LabelledEventSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return back;
    }

    /** Equal as Avro records, equal Avro bytes (what dead letters carry), equal learner examples. */
    private static void assertSame(LabelledEvent back, LabelledEvent e) {
        assertThat(back).isEqualTo(e);
        assertThat(AVRO.encode(back)).isEqualTo(AVRO.encode(e));
        assertThat(Events.toExample(back)).usingRecursiveComparison().isEqualTo(Events.toExample(e));
    }

    private static List<Double> doubles(SplittableRandom r, int n) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add(r.nextDouble(-1e6, 1e6));
        }
        return v;
    }

    @Test
    void everyFeatureAndLabelKindComesBackAsTheSameRecord() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        List<Object> labels = new ArrayList<>();
        labels.add(null);
        labels.add(3);
        labels.add(-0.0);
        labels.add(2.5e-310);
        labels.add(doubles(r, 4));
        List<Map<String, String>> attributes = new ArrayList<>();
        attributes.add(null);
        attributes.add(Map.of());
        attributes.add(Map.of("country", "fr", "é", ""));
        for (Object label : labels) {
            for (Map<String, String> a : attributes) {
                LabelledEvent dense = LabelledEvent.newBuilder().setId("id-" + r.nextInt()).setKey("model-ü")
                        .setTime(Instant.ofEpochMilli(1_700_000_000_000L + r.nextInt(1000))).setFeatures(doubles(r, 17))
                        .setLabel(label).setWeight(0.75).setAttributes(a).build();
                assertSame(roundTrip(dense), dense);
                LabelledEvent sparse = LabelledEvent.newBuilder(dense).setFeatures(SparseFeatures.newBuilder().setSize(1000)
                        .setIndices(List.of(0, 5, 999)).setValues(doubles(r, 3)).build()).build();
                assertSame(roundTrip(sparse), sparse);
            }
        }
    }

    @Test
    void aDecodedEventsPrimitiveArraysComeBackToo() throws IOException {
        LabelledEvent e = LabelledEvent.newBuilder().setId("a").setKey("k").setTime(Instant.ofEpochMilli(-5))
                .setFeatures(List.of(1.0, 2.0)).setLabel(List.of(0.25, 0.75)).build();
        LabelledEvent decoded = AVRO.decode(AVRO.encode(e)).value(); // Avro's own primitive double arrays
        assertSame(roundTrip(decoded), e);
        assertSame(roundTrip(roundTrip(decoded)), e);
    }

    @Test
    void theExampleOfAReadEventTakesItsFeaturesArrayWithoutACopy() throws IOException {
        LabelledEvent e = LabelledEvent.newBuilder().setId("a").setKey("k").setTime(Instant.ofEpochMilli(3))
                .setFeatures(List.of(1.0, -0.0, 2.5)).setLabel(List.of(0.25, 0.75)).build();
        LabelledEvent back = roundTrip(e);
        assertThat(back.getFeatures()).isInstanceOf(DoubleList.class);
        Example example = Events.toExample(back);
        assertThat(example.dense()).isSameAs(((DoubleList) back.getFeatures()).array())
                .containsExactly(1.0, -0.0, 2.5);
        assertThat(example.label()).isSameAs(((DoubleList) back.getLabel()).array());
        // and a read event goes round again, and into Avro, as any other
        assertSame(roundTrip(back), e);
        LabelledEvent copy = LabelledEventSerializer.INSTANCE.copy(back);
        assertThat(copy).isEqualTo(e);
        assertThat(copy.getFeatures()).isNotSameAs(back.getFeatures());
    }

    @Test
    void itWritesExactlyTheFieldsOfTheSchema() {
        assertThat(LabelledEvent.getClassSchema().getFields()).extracting(Schema.Field::name)
                .containsExactlyElementsOf(LabelledEventSerializer.FIELDS);
    }

    @Test
    void copiesAreEqualButNotShared() {
        LabelledEvent e = LabelledEvent.newBuilder().setId("a").setKey("k").setTime(Instant.ofEpochMilli(1))
                .setFeatures(new ArrayList<>(List.of(1.0, 2.0))).setLabel(1).build();
        LabelledEvent c = LabelledEventSerializer.INSTANCE.copy(e);
        assertThat(c).isEqualTo(e).isNotSameAs(e);
        assertThat(c.getFeatures()).isNotSameAs(e.getFeatures());
    }
}
