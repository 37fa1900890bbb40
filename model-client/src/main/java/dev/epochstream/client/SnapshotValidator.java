package dev.epochstream.client;

import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import dev.epochstream.schemas.SnapshotChecksum;
import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import java.util.List;

/**
 * Everything that can be checked on a snapshot alone, before it meets the key's current state: it
 * decodes (known schema, complete body), its checksum matches, {@link ModelSnapshots#problems} finds
 * nothing (activations, loss, shapes against the declared layers, preprocessing, finite parameters), it
 * belongs to the key it was published under, and the learner's predictor accepts it. Version order is
 * checked later, atomically with the swap ({@link ModelRegistry}).
 *
 * <p>Not thread-safe (it reuses one decoder): one per thread.
 */
final class SnapshotValidator {

    /** A snapshot ready to be offered to its key, or why it is not. Exactly one field is set. */
    record Outcome(ServingModel model, Rejection rejection) {
    }

    private final AvroSingleObjectCodec<ModelSnapshot> codec = AvroSingleObjectCodec.forClass(ModelSnapshot.class);

    /**
     * Validates the bytes of one snapshot record. Never throws on bad input.
     *
     * @param recordKey the key the snapshot was published under, or null when there is none (a file)
     * @param source where the bytes came from, for logs and listeners
     */
    Outcome validate(String recordKey, byte[] value, String source) {
        DecodeResult<ModelSnapshot> decoded = codec.decode(value);
        if (!decoded.isOk()) {
            RejectReason reason = decoded.reason() == DeadLetterReason.UNKNOWN_SCHEMA ? RejectReason.UNKNOWN_SCHEMA
                    : RejectReason.UNDECODABLE;
            return rejected(recordKey, -1, reason, decoded.message(), source);
        }
        ModelSnapshot s = decoded.value();
        String key = s.getKey();
        long version = s.getVersion();
        if (recordKey != null && !recordKey.equals(key)) {
            return rejected(recordKey, version, RejectReason.KEY_MISMATCH,
                    "published under key '" + recordKey + "' but holds the model of '" + key + "'", source);
        }
        List<String> problems;
        try {
            problems = ModelSnapshots.problems(s);
        } catch (RuntimeException e) {
            // A decoded record may still hold nulls or values problems() does not expect.
            return rejected(key, version, RejectReason.INVALID_MODEL, "cannot be checked: " + e, source);
        }
        if (!problems.isEmpty()) {
            RejectReason reason = SnapshotChecksum.matches(s) ? RejectReason.INVALID_MODEL : RejectReason.CHECKSUM_MISMATCH;
            return rejected(key, version, reason, String.join("; ", problems), source);
        }
        try {
            return new Outcome(new ServingModel(s), null);
        } catch (RuntimeException e) {
            return rejected(key, version, RejectReason.INVALID_MODEL, "the predictor refuses it: " + e.getMessage(), source);
        }
    }

    private static Outcome rejected(String key, long version, RejectReason reason, String message, String source) {
        return new Outcome(null, new Rejection(key, version, reason, message, source));
    }
}
