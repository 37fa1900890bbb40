package dev.epochstream.cli;

import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.connectors.format.EventValidator;
import dev.epochstream.connectors.format.JsonEventDecoder;
import dev.epochstream.data.EventClock;
import dev.epochstream.data.TextFiles;
import dev.epochstream.learner.data.Example;
import dev.epochstream.schemas.DeadLetterReason;
import dev.epochstream.schemas.Events;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.file.DataFileReader;
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

    /**
     * Hands every record of {@code file} to the visitor, decoded and validated as the job's formats do, or
     * with the reason it is not an event: a line that is not UTF-8, a record that fails
     * {@link EventValidator}, an Avro block that cannot be read (the reader goes on at the next block).
     * A JSON line without {@code time} gets {@link EventClock#timeOf}(line), so the same file gives the same
     * events.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when it cannot be read at all: gzip-compressed, an Avro header that is damaged or of
     *     another record type (the message names the file)
     */
    static void read(Path file, Visitor visitor) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "events file not found");
        }
        if (isAvroContainer(file)) {
            readAvro(file, visitor);
            return;
        }
        JsonEventDecoder decoder = new JsonEventDecoder();
        try (BufferedReader r = TextFiles.open(file)) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (n == 1) {
                    line = TextFiles.stripBom(line);
                }
                if (line.isBlank()) {
                    continue;
                }
                int notUtf8 = TextFiles.notUtf8At(line);
                if (notUtf8 > 0) {
                    visitor.accept(n, DecodeResult.refused(DeadLetterReason.MALFORMED_JSON, TextFiles.notUtf8Reason(notUtf8)));
                    continue;
                }
                visitor.accept(n, decoder.decode(line, EventClock.timeOf(n).toEpochMilli()));
            }
        }
    }

    private static void readAvro(Path file, Visitor visitor) throws IOException {
        DataFileReader<LabelledEvent> events;
        try {
            events = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(LabelledEvent.class));
        } catch (IOException | AvroRuntimeException e) {
            throw new IOException(file + ": a damaged Avro container file, its header cannot be read ("
                    + describe(e) + ")");
        }
        try (events) {
            Schema writer = events.getSchema();
            SchemaCompatibility.SchemaPairCompatibility c =
                    SchemaCompatibility.checkReaderWriterCompatibility(LabelledEvent.getClassSchema(), writer);
            if (c.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IOException(file + ": an Avro container file of " + writer.getFullName()
                        + " records, which cannot be read as " + LabelledEvent.getClassSchema().getFullName()
                        + " (" + c.getResult().getIncompatibilities().stream().findFirst()
                                .map(i -> i.getMessage() + " at " + i.getLocation()).orElse(c.getDescription()) + ")");
            }
            long n = 0;
            while (true) {
                long blockStart = events.previousSync();
                LabelledEvent e;
                try {
                    if (!events.hasNext()) {
                        break;
                    }
                    e = events.next();
                } catch (AvroRuntimeException ex) {
                    visitor.accept(n + 1, DecodeResult.refused(DeadLetterReason.TRUNCATED,
                            "a block of records after byte " + blockStart + " cannot be read (" + describe(ex)
                                    + "); going on at the next block"));
                    events.sync(blockStart + 1);
                    if (events.previousSync() <= blockStart) {
                        break; // no later block: the rest of the file is unreadable
                    }
                    continue;
                }
                n++;
                Refusal r = EventValidator.validate(e);
                visitor.accept(n, r == null ? DecodeResult.ok(e) : DecodeResult.refused(r.reason(), r.message()));
            }
        }
    }

    /** What went wrong, from the innermost cause (the outer ones only wrap it), on one line. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof java.io.EOFException) {
            return "the file ends early";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
    }

    private static boolean isAvroContainer(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return java.util.Arrays.equals(head, AVRO_MAGIC);
        }
    }
}
