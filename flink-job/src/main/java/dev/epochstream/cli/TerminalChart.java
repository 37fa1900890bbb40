package dev.epochstream.cli;

import java.nio.charset.Charset;

/**
 * One-line charts for a terminal: a sparkline of eight block heights ({@code ▁▂▃▄▅▆▇█}), scaled between
 * the series' minimum and maximum, or an ASCII ramp when the output charset cannot show the blocks.
 */
final class TerminalChart {
    static final String BLOCKS = "▁▂▃▄▅▆▇█";
    static final String ASCII = "_.-:=+*#";

    private TerminalChart() {
    }

    /** The ramp the default charset can show. */
    static String defaultRamp() {
        return Charset.defaultCharset().newEncoder().canEncode(BLOCKS) ? BLOCKS : ASCII;
    }

    /**
     * {@code count} values of a ring buffer from {@code start} (wrapping), one character each: level
     * {@code round((v − min) / (max − min) · 7)}; a constant series sits at the middle; NaN is a space.
     */
    static String sparkline(double[] ring, int start, int count, String ramp) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double v = ring[(start + i) % ring.length];
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int top = ramp.length() - 1;
        StringBuilder sb = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            double v = ring[(start + i) % ring.length];
            if (Double.isNaN(v)) {
                sb.append(' ');
            } else if (max == min) {
                sb.append(ramp.charAt(top / 2));
            } else {
                sb.append(ramp.charAt((int) Math.round((v - min) / (max - min) * top)));
            }
        }
        return sb.toString();
    }
}
