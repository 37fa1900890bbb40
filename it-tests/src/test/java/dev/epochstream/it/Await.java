package dev.epochstream.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition with a deadline; a timeout fails the test naming what it waited for. */
final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
