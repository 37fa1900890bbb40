package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import java.io.Closeable;
import java.io.IOException;

/**
 * Events read from a file, one line at a time. A line that is not a valid event is handed to the reader's
 * bad-line listener as a {@link BadLine} and skipped; it never ends the reading. Every event passed the
 * structural checks of the job's decoder ({@code EventValidator}), so what is produced is what the job
 * accepts. Where a file gives no id or time, a line's id is {@code <key>-<line>} and its time
 * {@link EventClock#timeOf}(line): stable for the same file.
 */
public interface EventReader extends Closeable {

    /** The next event, or null at the end of the input. */
    LabelledEvent next() throws IOException;

    /** Bad lines skipped so far. */
    long badLines();
}
