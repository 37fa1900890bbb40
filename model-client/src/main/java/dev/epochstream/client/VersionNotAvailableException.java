package dev.epochstream.client;

import java.util.List;

/** {@code pin} to a version the client does not hold, or {@code rollback} with no older valid version. */
public final class VersionNotAvailableException extends ModelClientException {

    private final String key;
    private final List<Long> available;

    public VersionNotAvailableException(String key, String what, List<Long> available) {
        super(what + " for model '" + key + "': the client holds versions " + available);
        this.key = key;
        this.available = List.copyOf(available);
    }

    public String key() {
        return key;
    }

    /** The versions that can be pinned, oldest first. */
    public List<Long> available() {
        return available;
    }
}
