package dev.epochstream.learner.features;

/** Why an event's features cannot enter a model; the kinds map one to one to dead-letter reasons. */
public record FeatureProblem(Kind kind, String message) {

    public enum Kind { WRONG_DIMENSION, BAD_SPARSE_VECTOR, NON_FINITE, TOO_LARGE }
}
