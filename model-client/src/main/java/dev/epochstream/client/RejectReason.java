package dev.epochstream.client;

import java.util.Locale;

/** Why a snapshot was not served. The previous model of its key keeps serving in every case. */
public enum RejectReason {
    /** The bytes are not an Avro single-object ModelSnapshot (garbage, truncated, trailing bytes). */
    UNDECODABLE,
    /** The single-object header names a writer schema this client does not know. */
    UNKNOWN_SCHEMA,
    /** The parameters do not match the stored checksum. */
    CHECKSUM_MISMATCH,
    /**
     * Unfit to serve: unknown activation or loss, shapes that disagree with the declared layers,
     * preprocessing that does not fit the input, non-finite parameters.
     */
    INVALID_MODEL,
    /** The record key differs from the key inside the snapshot. */
    KEY_MISMATCH,
    /** Older than the newest version already accepted for the key. */
    STALE,
    /** The same version as the newest one already accepted for the key. */
    DUPLICATE,
    /**
     * Written before a tombstone that retired its key: its record timestamp is not later than the tombstone's.
     * Such a snapshot is left over in another partition than the tombstone's once partitions were added to
     * the topic, and may be read after the tombstone.
     */
    RETIRED;

    /** Lower-case, dash-separated name for logs and metrics, e.g. {@code checksum-mismatch}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
