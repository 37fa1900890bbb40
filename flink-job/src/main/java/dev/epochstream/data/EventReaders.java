package dev.epochstream.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Opens a file of events in one of the {@link FileFormat}s. */
public final class EventReaders {
    private EventReaders() {
    }

    /**
     * A reader of {@code file} (UTF-8; a line that is not UTF-8 is a bad line). For LIBSVM without a dimension in the options, the file is read once
     * first for its largest index.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when it cannot be read, or is gzip-compressed, or its CSV header is unusable, or a LIBSVM file has no index
     */
    public static EventReader open(Path file, FileFormat format, ReaderOptions options, Consumer<BadLine> onBadLine)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "events file not found");
        }
        String source = file.toString();
        return switch (format) {
            case CSV -> {
                BufferedReader in = TextFiles.open(file);
                try {
                    yield new CsvEventReader(in, source, options, onBadLine);
                } catch (IOException | RuntimeException e) {
                    in.close();
                    throw e;
                }
            }
            case JSONL -> new JsonLinesEventReader(TextFiles.open(file), source,
                    onBadLine);
            case LIBSVM -> {
                int dimension = options.dimension();
                if (dimension == 0) {
                    try (BufferedReader scan = TextFiles.open(file)) {
                        dimension = LibsvmEventReader.maxIndex(scan);
                    }
                    if (dimension == 0) {
                        throw new IOException(source + ": no index:value pairs in the file, so no dimension;"
                                + " give the dimension explicitly");
                    }
                }
                yield new LibsvmEventReader(TextFiles.open(file), source, options,
                        dimension, onBadLine);
            }
        };
    }
}
