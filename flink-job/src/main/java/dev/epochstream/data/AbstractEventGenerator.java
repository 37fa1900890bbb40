package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part every generator shares: the model key, the per-key event counter behind the ids and the
 * assembly of a {@link LabelledEvent}. Subclasses only draw features and a label.
 */
abstract class AbstractEventGenerator implements EventGenerator {
    private final String key;
    private final double[] features;
    private long produced;

    AbstractEventGenerator(String key, int featureCount) {
        this.key = Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("a generator needs a non-blank model key");
        }
        this.features = new double[featureCount];
    }

    /** The model key of every event. */
    public final String key() {
        return key;
    }

    @Override
    public final int featureCount() {
        return features.length;
    }

    @Override
    public final LabelledEvent next() {
        return nextAt(produced);
    }

    /**
     * The next event of this key, stamped with the time of event {@code globalIndex} of the whole run (a
     * multi-key run interleaves keys and keeps one clock).
     */
    final LabelledEvent nextAt(long globalIndex) {
        Object label = draw(features);
        List<Double> values = new ArrayList<>(features.length);
        for (double v : features) {
            values.add(v);
        }
        LabelledEvent e = new LabelledEvent(key + "-" + produced, key, EventClock.timeOf(globalIndex), values, label,
                1.0, null);
        produced++;
        return e;
    }

    /**
     * The suggested configuration of the built-in generators: Adam at lr 0.01 (fast enough to follow drift
     * with windows of a few hundred events) on the given network and loss, optionally standardised inputs.
     */
    static Map<String, String> suggested(String layers, String activations, String loss, boolean standardize) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model.layers", layers);
        m.put("model.activations", activations);
        m.put("model.loss", loss);
        m.put("optimizer", "adam");
        m.put("optimizer.lr", "0.01");
        if (standardize) {
            m.put("features.standardize", "true");
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Draws the next point into {@code out} (all of it) and returns its label: an {@link Integer} class index
     * or a {@link Double} target.
     */
    abstract Object draw(double[] out);
}
