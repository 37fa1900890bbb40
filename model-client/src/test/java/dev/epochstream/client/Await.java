package dev.epochstream.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition with a deadline, never a fixed sleep: a test is as fast as the code under test. */
final class Await {
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
