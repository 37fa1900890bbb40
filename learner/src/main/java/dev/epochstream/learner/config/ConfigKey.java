package dev.epochstream.learner.config;

/**
 * One documented configuration key. Key names are public contract: they never change once released.
 *
 * @param name the key, e.g. {@code optimizer.lr}
 * @param defaultValue the default as written in a properties file, or null when the key is required
 *     or has no default (its doc then says what absence means)
 * @param required whether a value must be given
 * @param doc one or two sentences for README.md and {@code --help}
 */
public record ConfigKey(String name, String defaultValue, boolean required, String doc) {

    public static ConfigKey required(String name, String doc) {
        return new ConfigKey(name, null, true, doc);
    }

    public static ConfigKey optional(String name, String defaultValue, String doc) {
        return new ConfigKey(name, defaultValue, false, doc);
    }
}
