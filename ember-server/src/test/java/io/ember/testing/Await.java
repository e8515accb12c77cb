package io.ember.testing;

import java.util.function.BooleanSupplier;

/** Waiting for something another thread or the server does, with a deadline. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} every 10 ms; fails with {@code what} after {@code seconds}. */
    public static void until(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting: " + what);
            Thread.sleep(10);
        }
    }
}
