package dev.epochstream.kafka.embedded;

import java.time.Duration;

/** Polling with a deadline: the broker's readiness has no event to wait on, only questions to ask. */
final class Waits {

    /** Short enough to add little latency, long enough not to spin on a shared 2-core machine. */
    private static final long POLL_MILLIS = 25;

    /** A condition that may fail while it is not yet true (e.g. a broker not yet listening). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    /**
     * Polls {@code condition} until it holds. An exception counts as "not yet" and becomes the cause of
     * the timeout error, so a timeout says what went wrong last.
     *
     * @throws IllegalStateException naming {@code what} when {@code timeout} passes first
     */
    static void until(Duration timeout, String what, Condition condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + (last == null ? "" : " (last error: " + last + ")"), last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }
}
