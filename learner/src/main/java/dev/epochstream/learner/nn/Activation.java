package dev.epochstream.learner.nn;

import java.util.Locale;

/**
 * Activation of a dense layer. The configuration names ({@code model.activations}) are the lower-case
 * names returned by {@link #configName()}; they are public contract.
 */
public enum Activation {
    IDENTITY("identity"),
    SIGMOID("sigmoid"),
    TANH("tanh"),
    RELU("relu"),
    /** max(x, slope·x) with slope {@code model.leaky-slope} (default 0.01, as torch.nn.LeakyReLU). */
    LEAKY_RELU("leaky_relu"),
    /** Row-wise softmax; allowed on the last layer only. */
    SOFTMAX("softmax");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Parses a configuration name; throws {@link IllegalArgumentException} listing the known names. */
    public static Activation fromConfigName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.configName.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "': use one of identity, sigmoid, tanh, relu, leaky_relu, softmax");
    }
}
