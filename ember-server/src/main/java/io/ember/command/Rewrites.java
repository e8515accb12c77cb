package io.ember.command;

import io.ember.client.Client;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/**
 * The words of the commands handlers propagate instead of their own (Redis's shared.set,
 * shared.pxat... in rewriteClientCommandVector calls), and small builders for the common
 * rewrites. Handlers call these only after checking {@code c.engine.propagation.enabled()}, so a
 * server nobody listens to allocates nothing. See docs/persistence.md, "What the AOF records".
 */
final class Rewrites {
    private Rewrites() {}

    static final byte[] SET = Bytes.ascii("SET");
    static final byte[] DEL = Bytes.ascii("DEL");
    static final byte[] UNLINK = Bytes.ascii("UNLINK");
    static final byte[] PXAT = Bytes.ascii("PXAT");
    static final byte[] KEEPTTL = Bytes.ascii("KEEPTTL");
    static final byte[] PEXPIREAT = Bytes.ascii("PEXPIREAT");
    static final byte[] PERSIST = Bytes.ascii("PERSIST");
    static final byte[] ABSTTL = Bytes.ascii("ABSTTL");

    /** True when someone listens, so a rewrite is worth building. */
    static boolean on(Client c) {
        return c.engine.propagation.enabled();
    }

    /** The running command propagates as {@code argv}. */
    static void as(Client c, byte[]... argv) {
        c.engine.propagation.rewrite(argv);
    }

    /** PEXPIREAT key ms (EXPIRE, GETEX... with a time in the future). */
    static void pexpireat(Client c, byte[] key, long whenMs) {
        if (on(c)) as(c, PEXPIREAT, key, Numbers.toBytes(whenMs));
    }

    /** DEL key (GETDEL, an expire time already past...). */
    static void del(Client c, byte[] key) {
        if (on(c)) as(c, DEL, key);
    }

    /** argv without the arguments from {@code from} on that equal {@code word} (ignoring case). */
    static byte[][] without(byte[][] argv, int argc, int from, String lowerWord) {
        int n = 0;
        byte[][] out = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            if (j >= from && Bytes.eqIgnoreCase(argv[j], lowerWord)) continue;
            out[n++] = argv[j];
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
