package dev.epochstream.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A point-in-time copy of the client's gauges and counters, for a metrics exporter or a health page.
 *
 * @param bootstrapped the initial read of the snapshot topic reached its end offsets (always true for
 *     a file-only client)
 * @param reloads snapshots accepted since start
 * @param rejected snapshots rejected since start (sum of {@code rejectedByReason})
 * @param retired tombstones applied since start
 * @param failure why the polling thread stopped, or null while it runs (or for a file-only client)
 * @param keys per served key, in key order
 */
public record ModelClientMetrics(boolean bootstrapped, long reloads, long rejected,
                                 Map<RejectReason, Long> rejectedByReason, long retired, String failure,
                                 Map<String, KeyMetrics> keys) {

    public ModelClientMetrics {
        rejectedByReason = Map.copyOf(rejectedByReason);
        keys = Collections.unmodifiableMap(new TreeMap<>(keys));
    }

    /**
     * @param servingVersion the version answering predictions
     * @param newestVersion the newest version accepted (differs from {@code servingVersion} under a pin)
     * @param pinned an operator pinned the key (or rolled it back)
     * @param createdAtMillis when the serving snapshot was taken
     * @param reloadLagMillis now minus {@code createdAtMillis}: how old the serving model is
     * @param versions versions held for pin and rollback, oldest first
     */
    public record KeyMetrics(long servingVersion, long newestVersion, boolean pinned, long createdAtMillis,
                             long reloadLagMillis, List<Long> versions) {

        public KeyMetrics {
            versions = List.copyOf(versions);
        }
    }
}
