package dev.epochstream.cli;

import dev.epochstream.schemas.EpochMetrics;
import dev.epochstream.schemas.MetricValues;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code watch} shows: per model key the latest {@link EpochMetrics} record as a table row and the
 * recent prequential loss and accuracy (R² for regression) as sparklines.
 */
final class MetricsBoard {
    /** Epochs kept per key for the charts. */
    static final int HISTORY = 40;

    private final String keyFilter;
    private final String ramp;
    private final Map<String, KeyHistory> keys = new TreeMap<>();
    private long records;
    private long skipped;

    /**
     * @param keyFilter show only this key, or null for all
     * @param ramp the sparkline characters ({@link TerminalChart#BLOCKS} or {@link TerminalChart#ASCII})
     */
    MetricsBoard(String keyFilter, String ramp) {
        this.keyFilter = keyFilter;
        this.ramp = ramp;
    }

    /** Takes one record into account (ignored when another key is asked for). */
    void add(EpochMetrics m) {
        String key = m.getKey();
        if (keyFilter != null && !keyFilter.equals(key)) {
            return;
        }
        records++;
        keys.computeIfAbsent(key, k -> new KeyHistory()).add(m);
    }

    /** Counts a record that was not an EpochMetrics record. */
    void skip() {
        skipped++;
    }

    long records() {
        return records;
    }

    /** The table, then one chart line per key, then a count line. */
    String render() {
        StringBuilder sb = new StringBuilder();
        String format = "%-20s %7s %7s %8s %-14s %10s %10s %9s %7s%n";
        sb.append(String.format(Locale.ROOT, format, "KEY", "EPOCH", "VERSION", "EVENTS", "PREQUENTIAL", "LOSS", "LR",
                "PUBLISHED", "LAG"));
        for (Map.Entry<String, KeyHistory> e : keys.entrySet()) {
            EpochMetrics m = e.getValue().latest;
            MetricValues p = m.getPrequential();
            sb.append(String.format(Locale.ROOT, format, clip(e.getKey(), 20), m.getEpoch(), m.getModelVersion(),
                    m.getSeen(), quality(m), number(p.getLoss()), number(m.getLearningRate()),
                    m.getPublished() ? "yes" : "no", lag(m.getFreshnessLagMs())));
        }
        if (!keys.isEmpty()) {
            sb.append(System.lineSeparator());
        }
        for (Map.Entry<String, KeyHistory> e : keys.entrySet()) {
            KeyHistory h = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-20s loss %s  %s %s%n", clip(e.getKey(), 20),
                    pad(TerminalChart.sparkline(h.loss, h.start(), h.size, ramp)),
                    h.regression ? "R²" : "acc", pad(TerminalChart.sparkline(h.quality, h.start(), h.size, ramp))));
        }
        sb.append(String.format(Locale.ROOT, "%d keys, %d epoch records%s%n", keys.size(), records,
                skipped > 0 ? ", " + skipped + " records skipped (not EpochMetrics)" : ""));
        return sb.toString();
    }

    private static String quality(EpochMetrics m) {
        MetricValues p = m.getPrequential();
        if ("regression".equals(m.getTaskType())) {
            return "R² " + number(p.getR2());
        }
        return "acc " + number(p.getAccuracy());
    }

    private static String number(Double v) {
        if (v == null || v.isNaN()) {
            return "-";
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String lag(Long millis) {
        if (millis == null) {
            return "-";
        }
        return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }

    private static String pad(String spark) {
        return spark + " ".repeat(HISTORY - spark.length());
    }

    /** A key's latest record and its last {@link #HISTORY} losses and accuracies (or R²), in a ring. */
    private static final class KeyHistory {
        final double[] loss = new double[HISTORY];
        final double[] quality = new double[HISTORY];
        EpochMetrics latest;
        boolean regression;
        int next;
        int size;

        void add(EpochMetrics m) {
            latest = m;
            regression = "regression".equals(m.getTaskType());
            MetricValues p = m.getPrequential();
            loss[next] = orNaN(p.getLoss());
            quality[next] = orNaN(regression ? p.getR2() : p.getAccuracy());
            next = (next + 1) % HISTORY;
            size = Math.min(size + 1, HISTORY);
        }

        int start() {
            return (next - size + HISTORY) % HISTORY;
        }

        private static double orNaN(Double v) {
            return v == null ? Double.NaN : v;
        }
    }
}
