package dev.epochstream.schemas;

/**
 * Why an input record was refused: one reason per kind of bad input. The {@link #code()} is the value of
 * {@code DeadLetter.reason} on the dead-letter topic; codes are public contract and never change.
 *
 * <p>Who produces which: the Avro codec ({@code not-avro}, {@code unknown-schema}, {@code truncated}),
 * the JSON decoder ({@code malformed-json}, {@code wrong-type}, {@code missing-field}), the size check
 * before decoding ({@code oversized}), the model-independent {@code EventValidator} ({@code too-long},
 * {@code missing-key}, {@code time-out-of-range} for a time outside the years 0001-9999,
 * {@code bad-sparse-vector}, {@code non-finite}, {@code value-too-large}, {@code bad-weight},
 * {@code bad-label}, {@code label-out-of-range} for a negative class, {@code wrong-dimension} for an empty
 * dense vector), the source's {@code EventDecoder} ({@code time-out-of-range} for a time too far ahead), and
 * the job, which knows the model ({@code wrong-dimension}, {@code bad-label},
 * {@code label-out-of-range}, {@code not-a-distribution}, {@code key-limit}, {@code key-not-allowed},
 * {@code late}).
 */
public enum DeadLetterReason {
    /** {@code not-avro}: the bytes do not start with the Avro single-object marker C3 01. */
    NOT_AVRO("not-avro"),
    /** {@code truncated}: the Avro body ends early, does not decode, or is followed by trailing bytes. */
    TRUNCATED("truncated"),
    /** {@code unknown-schema}: the single-object fingerprint is not one of the known schema versions. */
    UNKNOWN_SCHEMA("unknown-schema"),
    /** {@code malformed-json}: not valid JSON (syntax error, truncated, trailing tokens, duplicate fields). */
    MALFORMED_JSON("malformed-json"),
    /**
     * {@code wrong-type}: a JSON value of a type the event format does not allow in its place (a string
     * where a number is expected; a string, boolean or object as the label). Avro records cannot carry one:
     * their schema fixes the types. Compare {@code bad-label}.
     */
    WRONG_TYPE("wrong-type"),
    /** {@code missing-field}: a required field ({@code id} or {@code features}) is absent or null. */
    MISSING_FIELD("missing-field"),
    /** {@code missing-key}: the model key is absent or empty. */
    MISSING_KEY("missing-key"),
    /** {@code wrong-dimension}: the feature vector's dimension does not fit the model (or is zero). */
    WRONG_DIMENSION("wrong-dimension"),
    /** {@code bad-sparse-vector}: size &lt; 1, indices and values of different lengths, or indices not
     * strictly increasing within [0, size). */
    BAD_SPARSE_VECTOR("bad-sparse-vector"),
    /** {@code non-finite}: a feature, label or weight is NaN or infinite (including JSON numbers such as
     * 1e400 that overflow a double). */
    NON_FINITE("non-finite"),
    /** {@code value-too-large}: a feature or regression label with |x| &gt; {@code EventValidator.MAX_ABS_VALUE}
     * (1e12): such values overflow the squared terms of training and standardisation. */
    VALUE_TOO_LARGE("value-too-large"),
    /** {@code bad-weight}: the event weight is negative or above the value bound. */
    BAD_WEIGHT("bad-weight"),
    /**
     * {@code bad-label}: a label of a type the format allows that the model's loss cannot take: a fractional
     * number or an array where a class index is expected, a class index for a distribution loss, an array
     * of the wrong width, or an empty array. A missing label is no error: the event is only predicted.
     */
    BAD_LABEL("bad-label"),
    /** {@code label-out-of-range}: a class index outside [0, classes) (negative indices always). */
    LABEL_OUT_OF_RANGE("label-out-of-range"),
    /** {@code not-a-distribution}: a target for a distribution loss (KL) that is not non-negative summing to 1. */
    NOT_A_DISTRIBUTION("not-a-distribution"),
    /**
     * {@code oversized}: the record's bytes exceed the configured limit; not decoded at all. The dead
     * letter keeps only the first bytes of the value, so that it fits in a record itself.
     */
    OVERSIZED("oversized"),
    /** {@code key-limit}: a new key arrived while the job already holds its maximum number of models. */
    KEY_LIMIT("key-limit"),
    /** {@code key-not-allowed}: the key is not in the configured allow-list. */
    KEY_NOT_ALLOWED("key-not-allowed"),
    /** {@code late}: the event arrived after its epoch closed (beyond the allowed lateness). */
    LATE("late"),
    /**
     * {@code too-long}: the model key or the event id is longer than 1,024 UTF-8 bytes
     * ({@code EventValidator.MAX_KEY_BYTES}). Both travel in every record about the event (metrics, snapshots,
     * dead letters, Kafka record keys): unbounded, one record could make those too large to write.
     */
    TOO_LONG("too-long"),
    /**
     * {@code time-out-of-range}: the event time is outside the years 0001 to 9999
     * ({@code EventValidator.MIN_TIME_MILLIS} to {@code MAX_TIME_MILLIS}: what ISO-8601's four-digit years, and
     * most consumers' date types, can hold), or, with event-time windows, further ahead than the job's
     * {@code events.max-future} of its Kafka record's timestamp or the wall clock, whichever is earlier: one
     * far-future event would lift its partition's watermark for good and make every later event late.
     */
    TIME_OUT_OF_RANGE("time-out-of-range");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    /** The stable lower-case code written to {@code DeadLetter.reason}. */
    public String code() {
        return code;
    }

    /**
     * The reason with the given code.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static DeadLetterReason fromCode(String code) {
        for (DeadLetterReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown dead-letter reason code '" + code + "'");
    }

    @Override
    public String toString() {
        return code;
    }
}
