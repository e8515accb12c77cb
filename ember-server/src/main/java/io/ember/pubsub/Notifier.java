package io.ember.pubsub;

import io.ember.config.ServerConfig;
import io.ember.util.Bytes;

/**
 * Keyspace notifications (Redis's notify.c): an event on a key is published as the event name on
 * {@code __keyspace@<db>__:<key>} (class K) and as the key on {@code __keyevent@<db>__:<event>}
 * (class E), when the event's class is enabled in notify-keyspace-events. Commands call
 * {@link #notify} after their change; with notifications off (the default) it costs one test.
 */
public final class Notifier {
    private final ServerConfig config;
    private final PubSub pubsub;

    public Notifier(ServerConfig config, PubSub pubsub) {
        this.config = config;
        this.pubsub = pubsub;
    }

    /** Whether events of {@code type} are published at all (callers may skip building arguments). */
    public boolean enabled(int type) {
        int flags = config.notifyKeyspaceEvents;
        return (flags & type) != 0 && (flags & (KeyspaceEvents.KEYSPACE | KeyspaceEvents.KEYEVENT)) != 0;
    }

    /** notifyKeyspaceEvent(type, event, key, dbid). */
    public void notify(int type, String event, byte[] key, int db) {
        if (!enabled(type)) return;
        int flags = config.notifyKeyspaceEvents;
        byte[] eventBytes = Bytes.ascii(event);
        if ((flags & KeyspaceEvents.KEYSPACE) != 0) {
            pubsub.publish(channel("__keyspace@", db, key), eventBytes);
        }
        if ((flags & KeyspaceEvents.KEYEVENT) != 0) {
            pubsub.publish(channel("__keyevent@", db, eventBytes), key);
        }
    }

    private static byte[] channel(String prefix, int db, byte[] suffix) {
        byte[] head = Bytes.ascii(prefix + db + "__:");
        byte[] ch = new byte[head.length + suffix.length];
        System.arraycopy(head, 0, ch, 0, head.length);
        System.arraycopy(suffix, 0, ch, head.length, suffix.length);
        return ch;
    }
}
