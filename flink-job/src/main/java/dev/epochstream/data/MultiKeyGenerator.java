package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Several keys, each with its own concept, interleaved round-robin: event g of the run belongs to key
 * g mod K and has the time of event g ({@link EventClock}), so time advances over the whole run while
 * every key keeps its own ids ({@code model-i-n}). Built by {@link Generators#create}; each key's stream is
 * the one a single-key generator of the same key seed would give.
 */
public final class MultiKeyGenerator implements EventGenerator {
    private final AbstractEventGenerator[] keys;
    private long produced;

    MultiKeyGenerator(List<AbstractEventGenerator> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a multi-key generator needs at least one key");
        }
        this.keys = keys.toArray(new AbstractEventGenerator[0]);
    }

    @Override
    public String name() {
        return keys[0].name();
    }

    @Override
    public int featureCount() {
        return keys[0].featureCount();
    }

    @Override
    public Map<String, String> suggestedConfig() {
        return keys[0].suggestedConfig();
    }

    /** The model keys, in the order events cycle through them. */
    public List<String> keys() {
        List<String> out = new ArrayList<>(keys.length);
        for (AbstractEventGenerator g : keys) {
            out.add(g.key());
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public LabelledEvent next() {
        LabelledEvent e = keys[(int) (produced % keys.length)].nextAt(produced);
        produced++;
        return e;
    }
}
