package dev.epochstream.data;

import dev.epochstream.data.LineEventReader.BadLineException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Number tokens of the text formats, parsed as the JSON decoder reads JSON numbers. */
final class Tokens {
    private Tokens() {
    }

    /**
     * A label token: an integer that fits an int is a class index ({@link Integer}), any other number a
     * value ({@link Double}), as the JSON decoder does; a leading {@code +} is allowed (LIBSVM's {@code +1}).
     */
    static Object label(String token) throws BadLineException {
        String t = token.trim();
        if (isInteger(t)) {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException tooLarge) {
                // falls through: a double
            }
        }
        return number(t, "label");
    }

    /** A finite double, or a bad line naming {@code what}. */
    static double number(String token, String what) throws BadLineException {
        String t = token.trim();
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new BadLineException(what + ": '" + t + "' is not a number");
        }
        if (!Double.isFinite(v) || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
            throw new BadLineException(what + ": '" + t + "' is not a finite number");
        }
        return v;
    }

    /** Event time: integer epoch milliseconds or an ISO-8601 instant ({@code 2024-01-01T00:00:00Z}). */
    static Instant time(String token) throws BadLineException {
        String t = token.trim();
        if (isInteger(t)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw new BadLineException("time: '" + t + "' is out of range");
            }
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new BadLineException("time: '" + t + "' is neither epoch milliseconds nor an ISO-8601 instant");
        }
    }

    static boolean isInteger(String t) {
        int start = !t.isEmpty() && (t.charAt(0) == '-' || t.charAt(0) == '+') ? 1 : 0;
        if (t.length() == start) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
