package dev.epochstream.learner.config;

/** When an epoch's model goes to the snapshot topic ({@code snapshot.publish}). */
public enum PublishMode {
    /** Only when the validation (else prequential) loss is within the tolerance of the best seen. */
    BEST,
    /** Every {@code snapshot.every} trained epochs, whatever the loss. */
    EVERY
}
