package dev.epochstream.benchmarks.pipeline;

import dev.epochstream.schemas.LabelledEvent;
import org.apache.flink.api.java.functions.KeySelector;

/** The model key of an event, as the job keys its trainer. */
final class EventKey implements KeySelector<LabelledEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(LabelledEvent event) {
        return event.getKey();
    }
}
