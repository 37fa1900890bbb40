package dev.epochstream.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long command on stderr: on a terminal a bar redrawn in place ({@code \r}) at most five times
 * a second, elsewhere (a log file, CI) one plain line every ten seconds, so logs stay readable.
 */
final class ProgressBar {
    static final long TERMINAL_PERIOD_NANOS = 200_000_000L;
    static final long LINE_PERIOD_NANOS = 10_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastDraw;
    private boolean drawn;

    /**
     * @param total the count at completion, or 0 when unknown (then no bar, only the count and rate)
     * @param terminal redraw in place (stderr is a terminal) rather than print periodic lines
     * @param nanoClock {@code System::nanoTime}, or a test's clock
     */
    ProgressBar(PrintStream out, String label, long total, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastDraw = start;
    }

    /** Reports {@code done} units; draws only when the period since the last drawing has passed. */
    void update(long done) {
        long now = nanoClock.getAsLong();
        if (now - lastDraw < (terminal ? TERMINAL_PERIOD_NANOS : LINE_PERIOD_NANOS)) {
            return;
        }
        lastDraw = now;
        if (terminal) {
            out.print("\r" + render(done, now) + "\u001b[K");
            drawn = true;
        } else {
            out.println(label + ": " + render(done, now));
        }
        out.flush();
    }

    /** Clears the bar, so that the final line starts on a clean line. */
    void finish() {
        if (terminal && drawn) {
            out.print("\r\u001b[K");
            out.flush();
        }
    }

    /** Seconds since the bar was made. */
    double elapsedSeconds() {
        return (nanoClock.getAsLong() - start) / 1e9;
    }

    /** E.g. {@code [#########.....................]  30%  3000/10000 events  1500 ev/s}. */
    String render(long done, long now) {
        double seconds = Math.max((now - start) / 1e9, 1e-9);
        String rate = String.format(Locale.ROOT, "%.0f ev/s", done / seconds);
        if (total <= 0) {
            return done + " events  " + rate;
        }
        int filled = (int) Math.min(WIDTH, WIDTH * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.min(100, 100 * done / total)) + "  " + done + "/"
                + total + " events  " + rate;
    }
}
