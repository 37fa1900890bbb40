package dev.epochstream.job.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.epochstream.learner.data.Example;
import dev.epochstream.learner.data.SparseVector;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ExampleSerializerTest {

    private static Example roundTrip(Example e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ExampleSerializer.INSTANCE.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Example back = ExampleSerializer.INSTANCE.deserialize(in);
        assertThat(in.available()).as("every byte read").isZero();
        return back;
    }

    private static void assertBitIdentical(double[] got, double[] want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(Double.doubleToRawLongBits(got[i])).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(want[i]));
        }
    }

    @Test
    void aDenseLabelledExampleWithAttributesComesBackBitIdentical() throws IOException {
        Random r = new Random(3);
        double[] x = new double[17];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        x[3] = -0.0;
        x[5] = Double.longBitsToDouble(0x7ff8000000000123L); // a NaN with a payload
        Example e = new Example("id-1", "key-é", 1_700_000_000_123L, x, null, new double[] {0.25, 0.75}, 0.5,
                Map.of("country", "fr", "device", "ios"));
        Example back = roundTrip(e);
        assertThat(back.id()).isEqualTo("id-1");
        assertThat(back.key()).isEqualTo("key-é");
        assertThat(back.time()).isEqualTo(1_700_000_000_123L);
        assertBitIdentical(back.dense(), x);
        assertThat(back.sparse()).isNull();
        assertBitIdentical(back.label(), new double[] {0.25, 0.75});
        assertThat(back.weight()).isEqualTo(0.5);
        assertThat(back.attributes()).isEqualTo(Map.of("country", "fr", "device", "ios"));
    }

    @Test
    void aSparseUnlabelledExampleWithoutAttributesComesBackWithItsNulls() throws IOException {
        SparseVector s = new SparseVector(1000, new int[] {0, 7, 999}, new double[] {1.5, -2.0, 1e-300});
        Example e = new Example(null, "k", -5L, null, s, null, 1.0, null);
        Example back = roundTrip(e);
        assertThat(back.id()).isNull();
        assertThat(back.dense()).isNull();
        assertThat(back.sparse()).isEqualTo(s);
        assertThat(back.label()).isNull();
        assertThat(back.attributes()).isNull();
        assertThat(back.time()).isEqualTo(-5L);
    }

    @Test
    void anEmptyAttributeMapStaysEmptyNotNull() throws IOException {
        Example e = new Example("a", "k", 0L, new double[0], null, new double[] {1}, 1.0, Map.of());
        assertThat(roundTrip(e).attributes()).isNotNull().isEmpty();
    }

    @Test
    void copiesDoNotShareArraysWithTheOriginal() {
        double[] x = {1, 2, 3};
        double[] y = {1};
        Example e = new Example("a", "k", 1L, x, null, y, 1.0, null);
        Example c = ExampleSerializer.INSTANCE.copy(e);
        x[0] = 99;
        y[0] = 0;
        assertThat(c.dense()).containsExactly(1, 2, 3);
        assertThat(c.label()).containsExactly(1);
        SparseVector s = new SparseVector(4, new int[] {1}, new double[] {2});
        Example sc = ExampleSerializer.INSTANCE.copy(new Example("b", "k", 1L, null, s, null, 1.0, null));
        s.values()[0] = 7;
        assertThat(sc.sparse().values()).containsExactly(2);
    }

    @Test
    void aValueOfANewerFormatIsRefusedNotMisread() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {(byte) 0x80, 0, 0});
        assertThatThrownBy(() -> ExampleSerializer.INSTANCE.deserialize(in)).isInstanceOf(IOException.class)
                .hasMessageContaining("newer format");
    }

    @Test
    void itsSnapshotRestoresAsCompatible() throws IOException {
        TypeSerializerSnapshot<Example> snapshot = ExampleSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<Example> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<Example> c = ExampleSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(read);
        assertThat(c.isCompatibleAsIs()).isTrue();
        assertThat(read.restoreSerializer()).isSameAs(ExampleSerializer.INSTANCE);
    }
}
