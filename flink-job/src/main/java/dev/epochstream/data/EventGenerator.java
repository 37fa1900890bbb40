package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import java.util.Map;

/**
 * An endless, seeded stream of labelled events with a known concept: the same seed gives the same events
 * (ids, times, features, labels) on every machine. Ids are {@code <key>-<n>} with n counted per key from 0;
 * times follow {@link EventClock} over all events of the generator, so they advance in production order.
 *
 * <p>Not thread-safe: one generator per producing thread.
 */
public interface EventGenerator {

    /** The name {@link Generators#create} knows it by, e.g. {@code hyperplane}. */
    String name();

    /** Dimension of the dense feature vector of every event. */
    int featureCount();

    /**
     * Configuration keys ({@code model.*}, {@code optimizer*}, {@code features.*}) of a model that fits this
     * stream: input size, output layer, activation and loss matching the labels.
     */
    Map<String, String> suggestedConfig();

    /** The next event. */
    LabelledEvent next();
}
