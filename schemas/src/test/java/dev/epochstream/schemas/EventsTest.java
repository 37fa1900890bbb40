package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;

/** {@link Events#toExample}: decoded primitive arrays and plain lists of numbers give the same values. */
class EventsTest {

    private static final Schema DOUBLES = Schema.createArray(Schema.create(Schema.Type.DOUBLE));

    private static PrimitivesArrays.DoubleArray primitive(double... values) {
        PrimitivesArrays.DoubleArray a = new PrimitivesArrays.DoubleArray(values.length, DOUBLES);
        for (int i = 0; i < values.length; i++) {
            a.add(i, values[i]);
        }
        return a;
    }

    private static PrimitivesArrays.IntArray primitiveInts(int... values) {
        PrimitivesArrays.IntArray a = new PrimitivesArrays.IntArray(values.length, Schema.createArray(Schema.create(Schema.Type.INT)));
        for (int i = 0; i < values.length; i++) {
            a.add(i, values[i]);
        }
        return a;
    }

    private static LabelledEvent event(Object features, Object label) {
        return LabelledEvent.newBuilder().setId("e1").setKey("k").setTime(Instant.ofEpochMilli(7L))
                .setFeatures(features).setLabel(label).setWeight(1.0).build();
    }

    @Test
    void primitiveArraysAreReadValueForValue() {
        double[] x = {1.5, -0.0, Double.MIN_VALUE, 3e300, -2.25};
        Example e = Events.toExample(event(primitive(x), primitive(0.25, 0.75)));

        assertThat(e.dense()).containsExactly(x);
        assertThat(Double.doubleToRawLongBits(e.dense()[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(e.label()).containsExactly(0.25, 0.75);
        assertThat(e.time()).isEqualTo(7L);
    }

    @Test
    void aDoubleListHandsItsArrayOverAndOtherListsAreCopied() {
        double[] x = {1.5, -0.0, 2.0};
        double[] y = {0.0, 1.0};
        Example shared = Events.toExample(event(new DoubleList(x), new DoubleList(y)));
        assertThat(shared.dense()).isSameAs(x);
        assertThat(shared.label()).isSameAs(y);

        PrimitivesArrays.DoubleArray avro = primitive(x);
        Example copied = Events.toExample(event(avro, List.of(0.0, 1.0)));
        assertThat(copied.dense()).containsExactly(x).isNotSameAs(x);
    }

    @Test
    void listsOfBoxedNumbersGiveTheSameValues() {
        Example e = Events.toExample(event(List.of(1.5, -0.0, 2.0), List.of(0.0, 1.0)));

        assertThat(e.dense()).containsExactly(1.5, -0.0, 2.0);
        assertThat(e.label()).containsExactly(0.0, 1.0);
        assertThat(Events.label(3)).containsExactly(3.0);
        assertThat(Events.label(null)).isNull();
    }

    @Test
    void sparseFeaturesFromPrimitiveAndBoxedArraysGiveTheSameVector() {
        Example decoded = Events.toExample(event(new SparseFeatures(1 << 20, primitiveInts(3, 1_000, 1_048_575),
                primitive(0.5, -0.0, 7.0)), 1.0));
        Example boxed = Events.toExample(event(new SparseFeatures(1 << 20, List.of(3, 1_000, 1_048_575),
                List.of(0.5, -0.0, 7.0)), 1.0));

        for (Example e : List.of(decoded, boxed)) {
            assertThat(e.sparse().size()).isEqualTo(1 << 20);
            assertThat(e.sparse().indices()).containsExactly(3, 1_000, 1_048_575);
            assertThat(e.sparse().values()).containsExactly(0.5, -0.0, 7.0);
            assertThat(Double.doubleToRawLongBits(e.sparse().values()[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        }
    }
}
