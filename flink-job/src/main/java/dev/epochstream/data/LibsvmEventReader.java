package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import dev.epochstream.schemas.SparseFeatures;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * LIBSVM / SVMlight sparse format: {@code label index:value index:value ... [# comment]} with 1-based,
 * strictly increasing indices. Each line becomes an event with sparse features of the given dimension,
 * index i stored at position i−1. The label reads as in the other formats (an integer is a class index, so
 * binary files labelled {@code -1/+1} need relabelling to 0/1 for bce). Lines starting with {@code #} are
 * comments. Events take the default key; ids are {@code <key>-<line>}.
 *
 * <p>Bad lines: a token that is not {@code index:value}, an index below 1 or above the dimension, indices
 * not increasing, a value that is not a finite number.
 */
public final class LibsvmEventReader extends LineEventReader {
    private final ReaderOptions options;
    private final int dimension;
    private final List<Integer> indices = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();

    /**
     * @param dimension the feature dimension (&gt;= 1); {@link EventReaders#open} finds the largest index of
     *     a file when the options give none
     */
    public LibsvmEventReader(BufferedReader in, String source, ReaderOptions options, int dimension,
                             Consumer<BadLine> onBadLine) {
        super(in, source, onBadLine);
        if (dimension < 1) {
            throw new IllegalArgumentException("LIBSVM dimension must be >= 1, got " + dimension);
        }
        this.options = options;
        this.dimension = dimension;
    }

    /** The feature dimension of every event. */
    public int dimension() {
        return dimension;
    }

    @Override
    boolean isSkipped(String line) {
        return line.isBlank() || line.stripLeading().startsWith("#");
    }

    @Override
    LabelledEvent parse(String line, long number) throws BadLineException {
        String[] tokens = content(line).trim().split("\\s+");
        Object label = Tokens.label(tokens[0]);
        indices.clear();
        values.clear();
        int previous = 0;
        for (int t = 1; t < tokens.length; t++) {
            String token = tokens[t];
            int colon = token.indexOf(':');
            if (colon <= 0 || colon == token.length() - 1) {
                throw new BadLineException("token " + t + " '" + token + "' is not index:value");
            }
            String indexText = token.substring(0, colon);
            int index;
            try {
                index = Integer.parseInt(indexText);
            } catch (NumberFormatException e) {
                throw new BadLineException("token " + t + " '" + token + "': index '" + indexText + "' is not an integer");
            }
            if (index < 1 || index > dimension) {
                throw new BadLineException("index " + index + " is outside 1.." + dimension);
            }
            if (index <= previous) {
                throw new BadLineException("index " + index + " after " + previous + ": indices must increase");
            }
            previous = index;
            indices.add(index - 1);
            values.add(Tokens.number(token.substring(colon + 1), "value of index " + index));
        }
        String key = options.defaultKey();
        return new LabelledEvent(key + "-" + number, key, EventClock.timeOf(number),
                new SparseFeatures(dimension, new ArrayList<>(indices), new ArrayList<>(values)), label, 1.0, null);
    }

    /** The line without its trailing {@code # comment}. */
    static String content(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /**
     * The largest index in LIBSVM text, ignoring malformed tokens (they are reported when read), or 0 when
     * there is none.
     */
    static int maxIndex(BufferedReader in) throws java.io.IOException {
        int max = 0;
        String line;
        while ((line = in.readLine()) != null) {
            String[] tokens = content(line).trim().split("\\s+");
            for (int t = 1; t < tokens.length; t++) {
                int colon = tokens[t].indexOf(':');
                if (colon > 0) {
                    try {
                        max = Math.max(max, Integer.parseInt(tokens[t].substring(0, colon)));
                    } catch (NumberFormatException ignored) {
                        // reported as a bad line when the file is read
                    }
                }
            }
        }
        return max;
    }
}
