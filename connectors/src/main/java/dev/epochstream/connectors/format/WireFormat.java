package dev.epochstream.connectors.format;

import java.util.Locale;

/** How event records are encoded on the input topic. */
public enum WireFormat {
    /** Avro single-object encoding of {@code LabelledEvent} (any committed version). */
    AVRO,
    /** One JSON object per record, as read by {@link JsonEventDecoder}. */
    JSON;

    /**
     * The format named {@code avro} or {@code json} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static WireFormat fromName(String name) {
        for (WireFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown wire format '" + name + "'; expected avro or json");
    }

    public String lowerCaseName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
