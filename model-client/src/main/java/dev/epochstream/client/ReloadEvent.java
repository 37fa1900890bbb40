package dev.epochstream.client;

/**
 * A valid, newer snapshot was accepted for {@code key}.
 *
 * @param previousVersion the newest version accepted before, or -1 for the key's first model
 * @param createdAtMillis when the learner took the snapshot
 * @param lagMillis acceptance time minus {@code createdAtMillis}: how long the snapshot took to arrive
 * @param serving true when it now serves; false when a pin holds the key on another version
 * @param source {@code topic-partition@offset} or a file path
 */
public record ReloadEvent(String key, long version, long previousVersion, long createdAtMillis, long lagMillis,
                          boolean serving, String source) {
}
