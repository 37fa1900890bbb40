package dev.epochstream.data;

/**
 * How the file readers fill what a file does not say.
 *
 * @param defaultKey the model key of events whose line has none (CSV without a {@code key} column, LIBSVM)
 * @param dimension LIBSVM: the feature dimension; 0 = the largest index in the file
 */
public record ReaderOptions(String defaultKey, int dimension) {
    public ReaderOptions {
        if (defaultKey == null || defaultKey.isBlank()) {
            throw new IllegalArgumentException("defaultKey must be a non-blank model key");
        }
        if (dimension < 0) {
            throw new IllegalArgumentException("dimension must be >= 0 (0 = the largest index), got " + dimension);
        }
    }

    /** Key {@code model-0} (as a single-key generator), LIBSVM dimension from the file. */
    public static ReaderOptions defaults() {
        return new ReaderOptions("model-0", 0);
    }

    public ReaderOptions withDefaultKey(String key) {
        return new ReaderOptions(key, dimension);
    }

    public ReaderOptions withDimension(int d) {
        return new ReaderOptions(defaultKey, d);
    }
}
