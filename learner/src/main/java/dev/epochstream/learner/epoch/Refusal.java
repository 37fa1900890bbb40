package dev.epochstream.learner.epoch;

import dev.epochstream.learner.features.FeatureProblem;

/**
 * Why an event cannot be used by a model; each kind maps one to one to a documented dead-letter reason.
 */
public record Refusal(Kind kind, String message) {

    /** The refusal of an event whose features cannot enter the model: the one mapping of the two kinds. */
    public static Refusal of(FeatureProblem problem) {
        return new Refusal(switch (problem.kind()) {
            case WRONG_DIMENSION -> Kind.WRONG_DIMENSION;
            case BAD_SPARSE_VECTOR -> Kind.BAD_SPARSE_VECTOR;
            case NON_FINITE -> Kind.NON_FINITE;
            case TOO_LARGE -> Kind.VALUE_TOO_LARGE;
        }, problem.message());
    }

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
