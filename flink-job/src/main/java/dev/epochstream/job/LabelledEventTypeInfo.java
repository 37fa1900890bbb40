package dev.epochstream.job;

import dev.epochstream.schemas.LabelledEvent;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type of the validated events on the keyBy edge, whose serializer is {@link LabelledEventSerializer}.
 * Set with {@code returns(...)} on the operators before the keyBy only: state keeps its own, explicit
 * descriptors (the time windows' buffer stays Avro as in every savepoint).
 */
public final class LabelledEventTypeInfo extends TypeInformation<LabelledEvent> {
    private static final long serialVersionUID = 1L;

    public static final LabelledEventTypeInfo INSTANCE = new LabelledEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<LabelledEvent> getTypeClass() {
        return LabelledEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<LabelledEvent> createSerializer(SerializerConfig config) {
        return LabelledEventSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "LabelledEventTypeInfo";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return LabelledEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof LabelledEventTypeInfo;
    }
}
