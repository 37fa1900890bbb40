package dev.epochstream.job;

import dev.epochstream.schemas.ModelSnapshot;
import java.util.Objects;

/**
 * A record for the compacted snapshot topic: a new model version, or a tombstone (null snapshot) that
 * retires a key whose state expired. A Flink POJO.
 */
public final class SnapshotMessage {
    private String key;
    private ModelSnapshot snapshot;

    public SnapshotMessage() {
    }

    public static SnapshotMessage of(ModelSnapshot snapshot) {
        SnapshotMessage m = new SnapshotMessage();
        m.key = snapshot.getKey();
        m.snapshot = snapshot;
        return m;
    }

    public static SnapshotMessage tombstone(String key) {
        SnapshotMessage m = new SnapshotMessage();
        m.key = Objects.requireNonNull(key);
        return m;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    /** The snapshot, or null for a tombstone. */
    public ModelSnapshot getSnapshot() {
        return snapshot;
    }

    public void setSnapshot(ModelSnapshot snapshot) {
        this.snapshot = snapshot;
    }
}
