package dev.epochstream.learner.optim;

/**
 * Validation shared by the optimizer and schedule config records. Every failure is an
 * {@link IllegalArgumentException} whose message names the config key, the rule, the offending value
 * and what to do, e.g. {@code "optimizer.lr must be > 0 (got -1.0): set a positive learning rate"}.
 *
 * <p>Internal: for the config records of the learner, not a user API.
 */
public final class ConfigChecks {

    private ConfigChecks() {
    }

    /** {@code value > 0} and finite. */
    public static double positive(String key, double value, String hint) {
        if (!(value > 0) || value == Double.POSITIVE_INFINITY) {
            throw invalid(key, "> 0", value, hint);
        }
        return value;
    }

    /** {@code value >= 0} and finite. */
    public static double nonNegative(String key, double value, String hint) {
        if (!(value >= 0) || value == Double.POSITIVE_INFINITY) {
            throw invalid(key, ">= 0", value, hint);
        }
        return value;
    }

    /** {@code 0 <= value < 1}, or {@code 0 <= value <= 1} when {@code oneAllowed}. */
    public static double fraction(String key, double value, boolean oneAllowed, String hint) {
        boolean ok = value >= 0 && (oneAllowed ? value <= 1 : value < 1);
        if (!ok) {
            throw invalid(key, oneAllowed ? "in [0, 1]" : "in [0, 1)", value, hint);
        }
        return value;
    }

    /** {@code value >= min}. */
    public static long atLeast(String key, long value, long min, String hint) {
        if (value < min) {
            throw invalid(key, ">= " + min, value, hint);
        }
        return value;
    }

    /** A cross-field conflict or any other rule: {@code "<key> must be <rule> (got <value>): <hint>"}. */
    public static IllegalArgumentException invalid(String key, String rule, Object value, String hint) {
        String finite = value instanceof Double && ((Double) value).isInfinite() ? "finite and " : "";
        return new IllegalArgumentException(key + " must be " + finite + rule + " (got " + value + "): " + hint);
    }

    // The keys every optimizer shares, checked the same way everywhere.

    /** {@code optimizer.lr > 0}. */
    public static double lr(double lr) {
        return positive("optimizer.lr", lr, "set a positive learning rate");
    }

    /** {@code optimizer.weight-decay >= 0}. */
    public static double weightDecay(double weightDecay) {
        return nonNegative("optimizer.weight-decay", weightDecay, "use 0 to disable weight decay");
    }

    /**
     * {@code optimizer.eps > 0}. Torch also accepts 0; we refuse it because a zero denominator turns
     * every never-updated coordinate into NaN.
     */
    public static double eps(double eps) {
        return positive("optimizer.eps", eps, "set a small positive constant such as 1e-8");
    }

    /** {@code 0 <= beta < 1} for a moment decay rate. */
    public static double beta(String key, double beta) {
        return fraction(key, beta, false, "a decay rate of a running average must be in [0, 1)");
    }
}
