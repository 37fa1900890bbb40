package dev.epochstream.job;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.ModelSnapshot;
import dev.epochstream.schemas.ModelSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A snapshot file holds one {@link ModelSnapshot} in Avro single-object encoding, byte for byte the
 * value of a record on the snapshot topic, so files and topics are interchangeable.
 */
public final class SnapshotFiles {
    private SnapshotFiles() {
    }

    public static void write(Path file, ModelSnapshot snapshot) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(snapshot));
    }

    /** The snapshot in {@code file}; an I/O error or undecodable bytes are an {@link IOException} with the reason. */
    public static ModelSnapshot read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "snapshot file not found");
        }
        DecodeResult<ModelSnapshot> r = AvroSingleObjectCodec.forClass(ModelSnapshot.class).decode(Files.readAllBytes(file));
        if (!r.isOk()) {
            throw new IOException(file + " is not a model snapshot (" + r.reason().code() + ": " + r.message() + ")");
        }
        return r.value();
    }

    /**
     * As {@link #read}, and refuses a snapshot unfit to serve or train from ({@link ModelSnapshots#problems}):
     * {@code what} names it in the message (e.g. "--init model.snap").
     */
    public static ModelSnapshot readUsable(Path file, String what) throws IOException {
        ModelSnapshot s = read(file);
        List<String> problems = ModelSnapshots.problems(s);
        if (!problems.isEmpty()) {
            throw new IOException(what + " is not a usable snapshot: " + String.join("; ", problems));
        }
        return s;
    }
}
