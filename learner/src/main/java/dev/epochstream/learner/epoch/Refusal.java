package dev.epochstream.learner.epoch;

/**
 * Why an event cannot be used by a model; each kind maps one to one to a documented dead-letter reason.
 */
public record Refusal(Kind kind, String message) {

    public enum Kind {
        WRONG_DIMENSION("wrong-dimension"),
        BAD_SPARSE_VECTOR("bad-sparse-vector"),
        NON_FINITE("non-finite"),
        VALUE_TOO_LARGE("value-too-large"),
        BAD_LABEL("bad-label"),
        LABEL_OUT_OF_RANGE("label-out-of-range"),
        NOT_A_DISTRIBUTION("not-a-distribution");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The dead-letter reason code. */
        public String code() {
            return code;
        }
    }
}
