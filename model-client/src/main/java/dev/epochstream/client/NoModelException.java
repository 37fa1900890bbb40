package dev.epochstream.client;

/** {@code predict}, {@code pin} or {@code rollback} on a key that has no model to serve. */
public final class NoModelException extends ModelClientException {

    /** Why the key has no model. */
    public enum Reason {
        /** The client was built to follow other keys only. */
        NOT_FOLLOWED,
        /** No valid snapshot of the key has been seen (yet: before the bootstrap ends, perhaps not read yet). */
        NOT_LOADED,
        /**
         * The key's last record on the topic is a tombstone, and this client served the key before it (the
         * latest 100,000 such keys are remembered; older ones, and keys never served, read NOT_LOADED).
         */
        RETIRED
    }

    private final String key;
    private final Reason reason;

    public NoModelException(String key, Reason reason, String message) {
        super(message);
        this.key = key;
        this.reason = reason;
    }

    public String key() {
        return key;
    }

    public Reason reason() {
        return reason;
    }
}
