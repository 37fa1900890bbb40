package dev.epochstream.client;

/** A snapshot file given to {@link ModelClient#loadFile} was rejected; the previous model keeps serving. */
public final class SnapshotRejectedException extends ModelClientException {

    private final Rejection rejection;

    public SnapshotRejectedException(Rejection rejection) {
        super("snapshot from " + rejection.source() + " rejected (" + rejection.reason().code() + "): "
                + rejection.message());
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }
}
