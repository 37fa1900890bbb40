package dev.epochstream.cli;

import dev.epochstream.schemas.codec.AvroSingleObjectCodec;
import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.schemas.ModelSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A snapshot file holds one {@link ModelSnapshot} in Avro single-object encoding, byte for byte the
 * value of a record on the snapshot topic, so files and topics are interchangeable.
 */
final class SnapshotFile {
    private SnapshotFile() {
    }

    static void write(Path file, ModelSnapshot snapshot) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, AvroSingleObjectCodec.forClass(ModelSnapshot.class).encode(snapshot));
    }

    static ModelSnapshot read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "snapshot file not found");
        }
        DecodeResult<ModelSnapshot> r = AvroSingleObjectCodec.forClass(ModelSnapshot.class).decode(Files.readAllBytes(file));
        if (!r.isOk()) {
            throw new IOException(file + " is not a model snapshot (" + r.reason().code() + ": " + r.message() + ")");
        }
        return r.value();
    }
}
