package dev.epochstream.client;

/**
 * One rejected snapshot.
 *
 * @param key the record key (or, for a file, the key inside the snapshot when it decoded; else null)
 * @param version the snapshot's version when it decoded, else -1
 * @param source where it came from: {@code topic-partition@offset} or a file path
 */
public record Rejection(String key, long version, RejectReason reason, String message, String source) {
}
