package dev.epochstream.learner.features;

/** Why an event's features cannot enter a model; the kinds map one to one to dead-letter reasons. */
public record FeatureProblem(Kind kind, String message) {

    public enum Kind {
        WRONG_DIMENSION("wrong-dimension"),
        BAD_SPARSE_VECTOR("bad-sparse-vector"),
        NON_FINITE("non-finite"),
        TOO_LARGE("value-too-large");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        /** The dead-letter reason code of this kind, as the job and {@code replay} report it. */
        public String code() {
            return code;
        }
    }
}
