package dev.epochstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.epochstream.learner.data.Example;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;

/** {@link Events#toExample}: decoded primitive double arrays and plain lists of numbers give the same values. */
class EventsTest {

    private static final Schema DOUBLES = Schema.createArray(Schema.create(Schema.Type.DOUBLE));

    private static PrimitivesArrays.DoubleArray primitive(double... values) {
        PrimitivesArrays.DoubleArray a = new PrimitivesArrays.DoubleArray(values.length, DOUBLES);
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
    void listsOfBoxedNumbersGiveTheSameValues() {
        Example e = Events.toExample(event(List.of(1.5, -0.0, 2.0), List.of(0.0, 1.0)));

        assertThat(e.dense()).containsExactly(1.5, -0.0, 2.0);
        assertThat(e.label()).containsExactly(0.0, 1.0);
        assertThat(Events.label(3)).containsExactly(3.0);
        assertThat(Events.label(null)).isNull();
    }
}
