package dev.epochstream.data;

import dev.epochstream.connectors.format.JsonEventDecoder;
import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.codec.DecodeResult;
import java.io.BufferedReader;
import java.util.function.Consumer;

/**
 * JSON lines: one event per line with the LabelledEvent field names, exactly as the job's JSON format
 * ({@link JsonEventDecoder}) reads a record value, with the same refusals. A line without {@code time} gets
 * {@link EventClock#timeOf}(line) rather than the decoder's ingestion time, so the same file gives the same
 * events.
 */
public final class JsonLinesEventReader extends LineEventReader {
    private final JsonEventDecoder decoder = new JsonEventDecoder();

    public JsonLinesEventReader(BufferedReader in, String source, Consumer<BadLine> onBadLine) {
        super(in, source, onBadLine);
    }

    @Override
    LabelledEvent parse(String line, long number) throws BadLineException {
        DecodeResult<LabelledEvent> r = decoder.decode(line, EventClock.timeOf(number).toEpochMilli());
        if (!r.isOk()) {
            throw new BadLineException(r.reason().code() + ": " + r.message());
        }
        return r.value();
    }
}
