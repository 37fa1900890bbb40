package dev.epochstream.data;

import dev.epochstream.connectors.deadletter.Refusal;
import dev.epochstream.connectors.format.EventValidator;
import dev.epochstream.schemas.LabelledEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Consumer;

/** The line loop of the text readers: blank lines skipped, bad lines reported with their number, not thrown. */
abstract class LineEventReader implements EventReader {
    private final BufferedReader in;
    private final String source;
    private final Consumer<BadLine> onBadLine;
    private long lineNumber;
    private long bad;

    LineEventReader(BufferedReader in, String source, Consumer<BadLine> onBadLine) {
        this.in = Objects.requireNonNull(in, "reader");
        this.source = Objects.requireNonNull(source, "source");
        this.onBadLine = Objects.requireNonNull(onBadLine, "bad-line listener");
    }

    @Override
    public final LabelledEvent next() throws IOException {
        String line;
        while ((line = nextLine()) != null) {
            if (isSkipped(line)) {
                continue;
            }
            try {
                int notUtf8 = TextFiles.notUtf8At(line);
                if (notUtf8 > 0) {
                    throw new BadLineException(TextFiles.notUtf8Reason(notUtf8));
                }
                LabelledEvent e = parse(line, lineNumber);
                Refusal r = EventValidator.validate(e);
                if (r != null) {
                    throw new BadLineException(r.reason().code() + ": " + r.message());
                }
                return e;
            } catch (BadLineException ex) {
                bad++;
                onBadLine.accept(new BadLine(source, lineNumber, ex.getMessage()));
            }
        }
        return null;
    }

    /**
     * The next raw line (for a header), counted like any line; null at the end.
     *
     * @throws IOException naming the line when it is not UTF-8
     */
    final String readRawLine() throws IOException {
        String line;
        while ((line = nextLine()) != null) {
            if (!isSkipped(line)) {
                int notUtf8 = TextFiles.notUtf8At(line);
                if (notUtf8 > 0) {
                    throw new IOException(source + ":" + lineNumber + ": " + TextFiles.notUtf8Reason(notUtf8));
                }
                return line;
            }
        }
        return null;
    }

    /** The next line, counted; a UTF-8 byte order mark at the start of the file is not part of it. */
    private String nextLine() throws IOException {
        String line = in.readLine();
        if (line != null && ++lineNumber == 1) {
            line = TextFiles.stripBom(line);
        }
        return line;
    }

    final String source() {
        return source;
    }

    final long lineNumber() {
        return lineNumber;
    }

    @Override
    public final long badLines() {
        return bad;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Blank lines (and, where the format has them, comment lines) are not events and not errors. */
    boolean isSkipped(String line) {
        return line.isBlank();
    }

    /** The event of one line. */
    abstract LabelledEvent parse(String line, long number) throws BadLineException;

    /** A line that is not an event; cheap (no stack trace): bad input is data. */
    static final class BadLineException extends Exception {
        private static final long serialVersionUID = 1L;

        BadLineException(String reason) {
            super(reason, null, false, false);
        }
    }
}
