package dev.epochstream.learner.config;

import java.time.Duration;
import java.util.Locale;

/** Parses durations written as a number and a unit: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i == t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a whole number and a unit, e.g. 250ms, 10s, 5m, 1h, 1d");
        }
        String unit = t.substring(i).trim();
        try {
            long n = Long.parseLong(t.substring(0, i));
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("'" + text + "' has unknown unit '" + unit
                        + "': use ms, s, m, h or d");
            };
            d.toMillis(); // timers and format() work in milliseconds: the duration must fit in a long of them
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            // too many digits, or too many milliseconds: without this an overflow escaped as a bare exception
            throw new IllegalArgumentException("'" + text + "' is too large: a duration must fit in 2^63 milliseconds");
        }
    }

    /** The shortest exact written form, e.g. 90s → "90s", 2h → "2h". */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0 && ms != 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
