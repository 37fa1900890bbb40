package dev.epochstream.job;

import dev.epochstream.connectors.kafka.EventOrDeadLetter;
import dev.epochstream.schemas.LabelledEvent;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits the decoded source stream: valid events whose key passes {@code keys.allow} go on to training,
 * everything else becomes a dead letter (decoding failures as the source produced them, disallowed keys
 * with reason {@code key-not-allowed}).
 */
final class EventRouter extends ProcessFunction<EventOrDeadLetter, LabelledEvent> {
    private static final long serialVersionUID = 1L;
    private final String keysAllow;
    private final JobConfig.EventsFormat format;
    private final int maxRecordBytes;
    /** {@code keys.allow}'s matcher, reset per event instead of a new one per event. */
    private transient Matcher allowed;
    private transient DeadLetters deadLetters;
    private transient Counter deadLettered;

    EventRouter(String keysAllow, JobConfig.EventsFormat format, int maxRecordBytes) {
        this.keysAllow = keysAllow;
        this.format = format;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext ctx) {
        allowed = Pattern.compile(keysAllow).matcher("");
        deadLetters = new DeadLetters(format, maxRecordBytes);
        deadLettered = getRuntimeContext().getMetricGroup().counter("eventsDeadLettered");
    }

    @Override
    public void processElement(EventOrDeadLetter in, Context ctx, Collector<LabelledEvent> out) {
        if (!in.isEvent()) {
            deadLettered.inc();
            ctx.output(EpochFunction.DEAD_LETTERS, in.getDeadLetter());
            return;
        }
        LabelledEvent e = in.getEvent();
        if (!allowed.reset(e.getKey()).matches()) {
            deadLettered.inc();
            ctx.output(EpochFunction.DEAD_LETTERS, deadLetters.of(e, "key-not-allowed", "key '" + e.getKey()
                    + "' (event " + e.getId() + ") does not match keys.allow=" + keysAllow,
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        out.collect(e);
    }
}
