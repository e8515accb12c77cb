package io.ember.command;

import io.ember.engine.Database;
import io.ember.engine.Engine;
import io.ember.engine.KeyTable;
import io.ember.testing.TestServer;
import io.ember.type.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Looks inside a running Ember from a test, on the engine thread: what a key's meta word says
 * (encoding, TTL), the dirty counter, and planting a key of another type (the list commands are
 * another family) for WRONGTYPE cases. Reads the table directly, so it touches no statistics.
 */
final class EngineProbe {
    private EngineProbe() {}

    static <T> T onEngine(TestServer s, Callable<T> task) {
        try {
            return s.server().engine().loop().submit(task).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyTable table(TestServer s) {
        return s.server().engine().db(0).table();
    }

    /** What OBJECT ENCODING would say for a live key of db 0, or null when it does not exist. */
    static String encoding(TestServer s, String key) {
        return onEngine(s, () -> {
            Database db = s.server().engine().db(0);
            int ref = db.table().find(bytes(key));
            if (ref == 0 || db.expired(ref)) return null;
            return ValueType.encodingName(ValueType.encoding(db.table().meta(ref)));
        });
    }

    /** The key's absolute expiry in unix ms (0: none; -2: the key does not exist). */
    static long expireAt(TestServer s, String key) {
        return onEngine(s, () -> {
            Database db = s.server().engine().db(0);
            int ref = db.table().find(bytes(key));
            if (ref == 0 || db.expired(ref)) return -2L;
            return db.expireAt(ref);
        });
    }

    /** PTTL as Redis computes it: -2 missing, -1 no TTL, else ms left. */
    static long pttl(TestServer s, String key) {
        long when = expireAt(s, key);
        if (when <= 0) return when == 0 ? -1 : -2;
        return Math.max(0, when - System.currentTimeMillis());
    }

    static long dirty(TestServer s) {
        return onEngine(s, () -> s.server().engine().dirty);
    }

    /** {hits, misses} of INFO stats. */
    static long[] hitsMisses(TestServer s) {
        return onEngine(s, () -> {
            Engine e = s.server().engine();
            return new long[] {e.stats.keyspaceHits, e.stats.keyspaceMisses};
        });
    }

    /**
     * Creates (or overwrites) {@code key} as the list ["a"] (what RPUSH key a makes), so string
     * commands meet the wrong type.
     */
    static void putList(TestServer s, String key) {
        onEngine(s, () -> {
            io.ember.type.Quicklist list = new io.ember.type.Quicklist(-2);
            list.pushTail(bytes("a"));
            s.server().engine().db(0).set(bytes(key), list, ValueType.LIST, ValueType.ENC_QUICKLIST, false);
            return null;
        });
    }

    /** Creates (or overwrites) {@code key} with any value object of the given type and encoding. */
    static void putValue(TestServer s, String key, Object value, int type, int encoding) {
        onEngine(s, () -> {
            s.server().engine().db(0).set(bytes(key), value, type, encoding, false);
            return null;
        });
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int size(TestServer s) {
        return onEngine(s, () -> table(s).size());
    }
}
