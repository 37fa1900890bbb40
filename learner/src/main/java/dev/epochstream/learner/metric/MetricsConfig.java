package dev.epochstream.learner.metric;

/**
 * Immutable metric settings.
 *
 * @param rollingEpochs K of {@code metrics.rolling-epochs}: how many of the latest epochs the rolling
 *     metrics cover, at least 1 (1 = the current epoch only)
 */
public record MetricsConfig(int rollingEpochs) {

    /** Configuration key of {@link #rollingEpochs()}; public contract. */
    public static final String ROLLING_EPOCHS_KEY = "metrics.rolling-epochs";

    public MetricsConfig {
        if (rollingEpochs < 1) {
            throw new IllegalArgumentException(ROLLING_EPOCHS_KEY + " must be >= 1, got " + rollingEpochs);
        }
    }
}
