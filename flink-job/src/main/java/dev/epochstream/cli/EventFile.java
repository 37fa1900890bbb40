package dev.epochstream.cli;

import dev.epochstream.schemas.codec.DecodeResult;
import dev.epochstream.connectors.format.JsonEventDecoder;
import dev.epochstream.learner.data.Example;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads a file of events: JSON lines (the LabelledEvent field names), or an Avro object container file
 * of LabelledEvent records (recognised by its {@code Obj\1} magic). Every record is handed to the
 * visitor with its 1-based line (or record) number, decoded or with the reason it could not be.
 */
final class EventFile {
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};

    interface Visitor {
        void accept(long line, DecodeResult<LabelledEvent> result) throws IOException;
    }

    interface ExampleVisitor {
        void accept(long line, Example example) throws IOException;
    }

    /**
     * Reads the file as learner examples; a record that cannot be decoded or converted is reported on
     * {@code err} with its line number and reason, counted in {@code bad[0]}, and skipped.
     */
    static void readExamples(Path file, PrintStream err, long[] bad, ExampleVisitor visitor) throws IOException {
        read(file, (line, result) -> {
            if (!result.isOk()) {
                bad[0]++;
                err.println(file + ":" + line + ": skipped (" + result.reason().code() + "): " + result.message());
                return;
            }
            Example e;
            try {
                e = Events.toExample(result.value());
            } catch (IllegalArgumentException ex) {
                bad[0]++;
                err.println(file + ":" + line + ": skipped: " + ex.getMessage());
                return;
            }
            visitor.accept(line, e);
        });
    }

    private EventFile() {
    }

    static void read(Path file, Visitor visitor) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "events file not found");
        }
        if (isAvroContainer(file)) {
            try (InputStream in = Files.newInputStream(file);
                 DataFileStream<LabelledEvent> events = new DataFileStream<>(in, new SpecificDatumReader<>(LabelledEvent.class))) {
                long n = 0;
                while (events.hasNext()) {
                    visitor.accept(++n, DecodeResult.ok(events.next()));
                }
            }
            return;
        }
        JsonEventDecoder decoder = new JsonEventDecoder();
        long ingestion = System.currentTimeMillis();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                visitor.accept(n, decoder.decode(line, ingestion));
            }
        }
    }

    private static boolean isAvroContainer(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return java.util.Arrays.equals(head, AVRO_MAGIC);
        }
    }
}
