package dev.epochstream.kafka.embedded;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A topic to create on the embedded broker: its name, partition count and topic-level configs
 * (e.g. {@code cleanup.policy=compact}, {@code max.message.bytes}). Replication is always 1: the broker
 * is a single node. Immutable; the {@code with...} methods return a new spec.
 *
 * <pre>{@code
 * TopicSpec.of("model-snapshots", 1).compacted().withConfig("max.message.bytes", "4194304")
 * }</pre>
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    /** Kafka's own limit on topic name length. */
    private static final int MAX_NAME_LENGTH = 249;

    public TopicSpec {
        Objects.requireNonNull(name, "topic name");
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.matches("[a-zA-Z0-9._-]+")
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("illegal topic name '" + name
                    + "': 1 to 249 characters of [a-zA-Z0-9._-], not '.' or '..'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic '" + name + "': partitions must be >= 1, got " + partitions);
        }
        Objects.requireNonNull(configs, "topic configs");
        for (Map.Entry<String, String> e : configs.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("topic '" + name + "': config keys and values must not be null");
            }
        }
        // Insertion order kept so that descriptions and logs read as written.
        configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
    }

    /** A topic with {@code partitions} partitions and the broker's default configs. */
    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** A single-partition topic with the broker's default configs. */
    public static TopicSpec of(String name) {
        return of(name, 1);
    }

    /** This spec with {@code key=value} added (or replaced). */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> next = new LinkedHashMap<>(configs);
        next.put(key, value);
        return new TopicSpec(name, partitions, next);
    }

    /** This spec with {@code cleanup.policy=compact}: the broker keeps the latest record per key. */
    public TopicSpec compacted() {
        return withConfig("cleanup.policy", "compact");
    }

    /** This spec under another name, e.g. to stamp out unique topics from a template. */
    public TopicSpec withName(String newName) {
        return new TopicSpec(newName, partitions, configs);
    }
}
