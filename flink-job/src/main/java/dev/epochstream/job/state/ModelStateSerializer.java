package dev.epochstream.job.state;

import dev.epochstream.learner.epoch.ModelState;
import dev.epochstream.learner.epoch.ModelStateCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The explicit Flink serializer of a key's {@link ModelState} (no Kryo): the learner's versioned
 * {@link ModelStateCodec} format. The codec carries its own format version in every value and reads
 * every released version, so the serializer itself never changes shape and its snapshot is always
 * compatible as is; a value written by a newer, unknown format is refused by the codec with a clear error.
 */
public final class ModelStateSerializer extends TypeSerializerSingleton<ModelState> {
    private static final long serialVersionUID = 1L;

    public static final ModelStateSerializer INSTANCE = new ModelStateSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ModelState createInstance() {
        return null;
    }

    @Override
    public ModelState copy(ModelState from) {
        return from == null ? null : ModelStateCodec.decode(ModelStateCodec.encode(from));
    }

    @Override
    public ModelState copy(ModelState from, ModelState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ModelState record, DataOutputView target) throws IOException {
        ModelStateCodec.write(record, target);
    }

    @Override
    public ModelState deserialize(DataInputView source) throws IOException {
        return ModelStateCodec.read(source);
    }

    @Override
    public ModelState deserialize(ModelState reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<ModelState> snapshotConfiguration() {
        return new ModelStateSerializerSnapshot();
    }

    /** Serializer snapshot; public with a no-arg constructor as Flink requires. */
    public static final class ModelStateSerializerSnapshot extends SimpleTypeSerializerSnapshot<ModelState> {
        public ModelStateSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
