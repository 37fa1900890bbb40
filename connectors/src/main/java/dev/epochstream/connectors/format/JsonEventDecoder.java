package dev.epochstream.connectors.format;

import dev.epochstream.schemas.codec.DecodeResult;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object (one line of a JSON-lines file, or one Kafka record value) to a {@link LabelledEvent}
 * that has passed {@link EventValidator}:
 * <pre>{"id": "e1", "key": "m1", "time": 1700000000000, "features": [0.1, 2.0], "label": 1}</pre>
 * <ul>
 *   <li>{@code id} string and {@code features} are required ({@code missing-field}); {@code key} a
 *       non-empty string ({@code missing-key});</li>
 *   <li>{@code time} integer milliseconds since the epoch; absent or null: the ingestion time given;</li>
 *   <li>{@code features} an array of numbers, or {@code {"size": N, "indices": [...], "values": [...]}};</li>
 *   <li>{@code label} absent/null (prediction only), a number (an integer token that fits an int is a
 *       class index, any other number a value) or an array of numbers;</li>
 *   <li>{@code weight} a number, default 1; {@code attributes} an object of strings. Other fields are
 *       ignored, so producers may add fields before the schema does.</li>
 * </ul>
 * Refusals: {@code malformed-json} (syntax, truncation, trailing tokens, duplicate field names),
 * {@code wrong-type} (a field of the wrong JSON type, or a top level that is not an object), {@code
 * non-finite} (NaN/Infinity tokens, numbers overflowing a double such as 1e400), and every refusal of
 * {@link EventValidator}.
 *
 * <p>Not thread-safe by contract (one per task), although the current implementation holds no mutable state.
 */
public final class JsonEventDecoder {

    private final ObjectMapper mapper = JsonMapper.builder()
            // NaN and Infinity tokens parse so that they can be refused as non-finite, not as malformed.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Decodes UTF-8 bytes; {@code ingestionTimeMillis} is the event time when {@code time} is absent. */
    public DecodeResult<LabelledEvent> decode(byte[] utf8, long ingestionTimeMillis) {
        if (utf8 == null) {
            return DecodeResult.refused(DeadLetterReason.MALFORMED_JSON, "no bytes (null record value)");
        }
        JsonNode root;
        try {
            root = mapper.readTree(utf8);
        } catch (JacksonException e) {
            return DecodeResult.refused(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            return DecodeResult.refused(DeadLetterReason.MALFORMED_JSON, String.valueOf(e.getMessage()));
        }
        return decode(root, ingestionTimeMillis);
    }

    /** Decodes one line of text. */
    public DecodeResult<LabelledEvent> decode(String line, long ingestionTimeMillis) {
        return decode(line == null ? null : line.getBytes(StandardCharsets.UTF_8), ingestionTimeMillis);
    }

    private static DecodeResult<LabelledEvent> decode(JsonNode root, long ingestionTimeMillis) {
        if (root == null || root.isMissingNode()) {
            return DecodeResult.refused(DeadLetterReason.MALFORMED_JSON, "empty record");
        }
        LabelledEvent event;
        try {
            event = toEvent(root, ingestionTimeMillis);
        } catch (RefusedException e) {
            return DecodeResult.refused(e.reason, e.getMessage());
        }
        Refusal refusal = EventValidator.validate(event);
        return refusal == null ? DecodeResult.ok(event) : DecodeResult.refused(refusal.reason(), refusal.message());
    }

    private static LabelledEvent toEvent(JsonNode root, long ingestionTimeMillis) throws RefusedException {
        if (!root.isObject()) {
            throw new RefusedException(DeadLetterReason.WRONG_TYPE, "expected a JSON object, got " + root.getNodeType());
        }
        JsonNode id = present(root, "id");
        if (id == null) {
            throw new RefusedException(DeadLetterReason.MISSING_FIELD, "field 'id' is missing");
        }
        JsonNode key = present(root, "key");
        if (key == null) {
            throw new RefusedException(DeadLetterReason.MISSING_KEY, "field 'key' is missing");
        }
        JsonNode features = present(root, "features");
        if (features == null) {
            throw new RefusedException(DeadLetterReason.MISSING_FIELD, "field 'features' is missing");
        }
        JsonNode time = present(root, "time");
        JsonNode weight = present(root, "weight");
        return LabelledEvent.newBuilder()
                .setId(text(id, "id"))
                .setKey(text(key, "key"))
                .setTime(Instant.ofEpochMilli(time == null ? ingestionTimeMillis : millis(time)))
                .setFeatures(features(features))
                .setLabel(label(present(root, "label")))
                .setWeight(weight == null ? 1.0 : number(weight, "weight"))
                .setAttributes(attributes(present(root, "attributes")))
                .build();
    }

    /** The field's value, or null when it is absent or JSON null. */
    private static JsonNode present(JsonNode object, String field) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode node, String field) throws RefusedException {
        if (!node.isTextual()) {
            throw wrongType(field, "a string", node);
        }
        return node.textValue();
    }

    private static long millis(JsonNode node) throws RefusedException {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType("time", "integer milliseconds", node);
        }
        return node.longValue();
    }

    private static double number(JsonNode node, String field) throws RefusedException {
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        // Integers beyond a double's range become +-Infinity here and are refused as non-finite later.
        return node.doubleValue();
    }

    private static Object features(JsonNode node) throws RefusedException {
        if (node.isArray()) {
            return numbers(node, "features");
        }
        if (!node.isObject()) {
            throw wrongType("features", "an array or a sparse {size, indices, values} object", node);
        }
        JsonNode size = present(node, "size");
        JsonNode indices = present(node, "indices");
        JsonNode values = present(node, "values");
        if (size == null || indices == null || values == null) {
            throw new RefusedException(DeadLetterReason.BAD_SPARSE_VECTOR,
                    "sparse features need 'size', 'indices' and 'values'");
        }
        return new SparseFeatures(integer(size, "features.size"), integers(indices, "features.indices"),
                numbers(values, "features.values"));
    }

    private static int integer(JsonNode node, String field) throws RefusedException {
        if (!node.isIntegralNumber()) {
            throw wrongType(field, "an integer", node);
        }
        if (!node.canConvertToInt()) {
            throw new RefusedException(DeadLetterReason.BAD_SPARSE_VECTOR, field + " " + node + " is out of range");
        }
        return node.intValue();
    }

    private static List<Integer> integers(JsonNode node, String field) throws RefusedException {
        if (!node.isArray()) {
            throw wrongType(field, "an array of integers", node);
        }
        List<Integer> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(integer(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static List<Double> numbers(JsonNode node, String field) throws RefusedException {
        if (!node.isArray()) {
            throw wrongType(field, "an array of numbers", node);
        }
        List<Double> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isNumber()) {
                throw wrongType(field + "[" + i + "]", "a number", element);
            }
            out.add(element.doubleValue());
        }
        return out;
    }

    private static Object label(JsonNode node) throws RefusedException {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            return numbers(node, "label");
        }
        throw wrongType("label", "a number or an array of numbers", node);
    }

    private static Map<String, String> attributes(JsonNode node) throws RefusedException {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw wrongType("attributes", "an object of strings", node);
        }
        Map<String, String> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            out.put(entry.getKey(), text(entry.getValue(), "attributes." + entry.getKey()));
        }
        return out;
    }

    private static RefusedException wrongType(String field, String expected, JsonNode actual) {
        return new RefusedException(DeadLetterReason.WRONG_TYPE,
                "field '" + field + "' must be " + expected + ", got " + actual.getNodeType());
    }

    /** Control flow for a refusal found deep in the tree; no stack trace (bad input is data). */
    private static final class RefusedException extends Exception {
        final DeadLetterReason reason;

        RefusedException(DeadLetterReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
