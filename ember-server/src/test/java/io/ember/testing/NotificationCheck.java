package io.ember.testing;

import io.ember.testing.Differential.Mode;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications compared with redis-server: enables notify-keyspace-events on both,
 * subscribes one more connection of each to every keyspace and keyevent channel, and after each
 * command compares the notifications both published, in order (read up to a PING fence).
 */
public final class NotificationCheck {
    /**
     * How a script runs its commands: {@code NotificationCheck::run} (the events' order) or
     * {@code SelfSubscriber::run} (the events relative to the reply), so one script serves both.
     */
    public interface Runner {
        void run(String... cmd);
    }

    private final Differential d;
    private final int subscriber;

    public NotificationCheck(Differential d, String classes) {
        this.d = d;
        d.check("config", "set", "notify-keyspace-events", classes);
        subscriber = d.newConnection();
        d.on(subscriber, Mode.EXACT, "psubscribe", "__key*__:*");
    }

    /** Runs {@code cmd} on connection 0, compares its reply and then the notifications it caused. */
    public byte[] run(String... cmd) {
        byte[] reply = d.check(cmd);
        fence();
        return reply;
    }

    /** Like {@link #run} with a reply compared by {@code mode} (SPOP, HRANDFIELD...). */
    public byte[] run(Mode mode, String... cmd) {
        byte[] reply = d.check(mode, cmd);
        fence();
        return reply;
    }

    /** Compares every notification received so far, in order. */
    public void fence() {
        byte[] r = d.on(subscriber, Mode.EXACT, "ping");
        for (int i = 0; i < 10_000 && !isPong(r); i++) r = d.next(subscriber, Mode.EXACT, "notification");
    }

    private static boolean isPong(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1).startsWith("*2\r\n$4\r\npong\r\n");
    }
}
