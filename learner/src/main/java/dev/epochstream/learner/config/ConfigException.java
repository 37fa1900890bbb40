package dev.epochstream.learner.config;

/**
 * A configuration that cannot work, reported at start-up. The message names the offending key and says
 * how to fix it; {@link #key()} gives the key for tools.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
