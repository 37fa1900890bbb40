package dev.epochstream.connectors.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A {@link LabelledEvent} as one line of JSON (no line terminator), in the shape {@link JsonEventDecoder}
 * reads: {@code time} in epoch milliseconds, an int label as a JSON integer, a double label always with a
 * fraction or exponent ({@code 1.0}), so that it decodes to the same union branch. {@code label} and
 * {@code attributes} are left out when null. Non-finite numbers are written as the bare tokens
 * {@code NaN} / {@code Infinity}, which the decoder refuses as {@code non-finite}.
 *
 * <p>Not thread-safe: one per task.
 */
public final class JsonEventEncoder {

    private final JsonFactory factory = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private final StringWriter buffer = new StringWriter(256);

    /** The event as one JSON line without a line terminator. */
    public String encode(LabelledEvent event) {
        buffer.getBuffer().setLength(0);
        try (JsonGenerator g = factory.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("id", event.getId());
            g.writeStringField("key", event.getKey());
            g.writeNumberField("time", event.getTime().toEpochMilli());
            g.writeFieldName("features");
            if (event.getFeatures() instanceof SparseFeatures sparse) {
                g.writeStartObject();
                g.writeNumberField("size", sparse.getSize());
                g.writeFieldName("indices");
                g.writeStartArray();
                for (int i = 0; i < sparse.getIndices().size(); i++) {
                    g.writeNumber(sparse.getIndices().get(i));
                }
                g.writeEndArray();
                g.writeFieldName("values");
                writeDoubles(g, sparse.getValues());
                g.writeEndObject();
            } else {
                writeDoubles(g, castDoubles(event.getFeatures()));
            }
            Object label = event.getLabel();
            if (label instanceof Integer classIndex) {
                g.writeNumberField("label", classIndex);
            } else if (label instanceof Double value) {
                g.writeNumberField("label", value);
            } else if (label != null) {
                g.writeFieldName("label");
                writeDoubles(g, castDoubles(label));
            }
            g.writeNumberField("weight", event.getWeight());
            if (event.getAttributes() != null) {
                g.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> e : event.getAttributes().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return buffer.toString();
    }

    /** The JSON line as UTF-8 bytes (a Kafka record value). */
    public byte[] encodeUtf8(LabelledEvent event) {
        return encode(event).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Double> castDoubles(Object arrayBranch) {
        return (List<Double>) arrayBranch;
    }

    private static void writeDoubles(JsonGenerator g, List<Double> values) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < values.size(); i++) {
            g.writeNumber(values.get(i));
        }
        g.writeEndArray();
    }
}
