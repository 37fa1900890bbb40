package dev.epochstream.data;

import dev.epochstream.schemas.LabelledEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Comma-separated values with a header row. Columns by name (case-insensitive): {@code label} (required:
 * an integer is a class index, another number a value, empty = an unlabelled event that only wants a
 * prediction), optional {@code key}, {@code id}, {@code time} (epoch milliseconds or an ISO-8601 instant)
 * and {@code weight}; every other column is a feature, in header order. Fields may be quoted with
 * {@code "..."} ({@code ""} inside for a quote); a quoted field cannot span lines.
 *
 * <pre>
 * key,x1,x2,label
 * sensor-a,0.5,1.25,1
 * </pre>
 *
 * Bad lines (wrong number of fields, a feature that is not a finite number, ...) are reported with the
 * column's name. A header without a {@code label} column or without feature columns fails the whole file.
 */
public final class CsvEventReader extends LineEventReader {
    private final ReaderOptions options;
    private final int columns;
    private final int labelColumn;
    private final int keyColumn;
    private final int idColumn;
    private final int timeColumn;
    private final int weightColumn;
    private final int[] featureColumns;
    private final String[] names;
    private final List<String> fields = new ArrayList<>();
    private final StringBuilder field = new StringBuilder();

    /**
     * Reads the header now.
     *
     * @throws IOException when the input is empty, or its header has no label or no feature column, or
     *     repeats a column name
     */
    public CsvEventReader(BufferedReader in, String source, ReaderOptions options, Consumer<BadLine> onBadLine)
            throws IOException {
        super(in, source, onBadLine);
        this.options = options;
        String header = readRawLine();
        if (header == null) {
            throw new IOException(source + ": empty CSV file (expected a header row with a 'label' column)");
        }
        try {
            split(header);
        } catch (LineEventReader.BadLineException e) {
            throw new IOException(source + ":" + lineNumber() + ": bad header: " + e.getMessage());
        }
        this.columns = fields.size();
        this.names = fields.toArray(new String[0]);
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].trim();
            if (byName.put(names[i].toLowerCase(Locale.ROOT), i) != null) {
                throw new IOException(source + ":" + lineNumber() + ": column '" + names[i] + "' appears twice in the header");
            }
        }
        this.labelColumn = byName.getOrDefault("label", -1);
        this.keyColumn = byName.getOrDefault("key", -1);
        this.idColumn = byName.getOrDefault("id", -1);
        this.timeColumn = byName.getOrDefault("time", -1);
        this.weightColumn = byName.getOrDefault("weight", -1);
        if (labelColumn < 0) {
            throw new IOException(source + ":" + lineNumber() + ": the header has no 'label' column (columns: "
                    + String.join(",", names) + ")");
        }
        List<Integer> features = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            if (i != labelColumn && i != keyColumn && i != idColumn && i != timeColumn && i != weightColumn) {
                features.add(i);
            }
        }
        if (features.isEmpty()) {
            throw new IOException(source + ":" + lineNumber() + ": the header has no feature columns besides "
                    + String.join(",", names));
        }
        this.featureColumns = features.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The feature columns' names, in the order of the feature vector. */
    public List<String> featureNames() {
        List<String> out = new ArrayList<>(featureColumns.length);
        for (int c : featureColumns) {
            out.add(names[c]);
        }
        return out;
    }

    @Override
    LabelledEvent parse(String line, long number) throws BadLineException {
        split(line);
        if (fields.size() != columns) {
            throw new BadLineException("expected " + columns + " fields as the header, found " + fields.size());
        }
        List<Double> x = new ArrayList<>(featureColumns.length);
        for (int c : featureColumns) {
            String v = fields.get(c);
            if (v.isBlank()) {
                throw new BadLineException("column '" + names[c] + "' is empty");
            }
            x.add(Tokens.number(v, "column '" + names[c] + "'"));
        }
        String labelText = fields.get(labelColumn);
        Object label = labelText.isBlank() ? null : Tokens.label(labelText);
        String key = keyColumn < 0 || fields.get(keyColumn).isBlank() ? options.defaultKey() : fields.get(keyColumn).trim();
        String id = idColumn < 0 || fields.get(idColumn).isBlank() ? key + "-" + number : fields.get(idColumn).trim();
        Instant time = timeColumn < 0 || fields.get(timeColumn).isBlank() ? EventClock.timeOf(number)
                : Tokens.time(fields.get(timeColumn));
        double weight = weightColumn < 0 || fields.get(weightColumn).isBlank() ? 1.0
                : Tokens.number(fields.get(weightColumn), "column '" + names[weightColumn] + "'");
        return new LabelledEvent(id, key, time, x, label, weight, null);
    }

    /** Splits one line into {@link #fields}, RFC 4180 quoting within the line. */
    private void split(String line) throws BadLineException {
        fields.clear();
        field.setLength(0);
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BadLineException("a quoted field is not closed (quoted fields cannot span lines)");
        }
        fields.add(field.toString());
    }
}
