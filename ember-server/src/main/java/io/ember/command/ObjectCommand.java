package io.ember.command;

import io.ember.client.Client;
import io.ember.config.ServerConfig;
import io.ember.engine.Database;
import io.ember.type.ValueType;
import io.ember.util.Numbers;

/**
 * OBJECT ENCODING|FREQ|IDLETIME|REFCOUNT|HELP (object.c). Lookups never touch the key's LRU/LFU
 * (LOOKUP_NOTOUCH) but do count hits and misses; a missing key is a null reply.
 */
final class ObjectCommand {
    private ObjectCommand() {}

    static void register(CommandTable t) {
        t.addSub("object", "encoding", ObjectCommand::encoding);
        t.addSub("object", "freq", ObjectCommand::freq);
        t.addSub("object", "idletime", ObjectCommand::idletime);
        t.addSub("object", "refcount", ObjectCommand::refcount);
        t.addSub("object", "help", ObjectCommand::help);
    }

    /** Redis's OBJ_SHARED_REFCOUNT, the refcount of its shared small integers. */
    static final long SHARED_REFCOUNT = Integer.MAX_VALUE;
    /** Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS). */
    static final long SHARED_INTEGERS = 10000;

    /** The key's ref, or 0 after replying null. */
    private static int lookup(Client c, byte[] key) {
        int ref = c.db.lookupReadNoTouchNoNotify(key); // OBJECT fires no keymiss in Redis
        if (ref == 0) c.reply.nullBulk();
        return ref;
    }

    static void encoding(Client c, byte[][] argv, int argc) {
        int ref = lookup(c, argv[2]);
        if (ref != 0) c.reply.bulk(ValueType.encodingName(c.db.encoding(ref)));
    }

    /**
     * Redis keeps no reference counts that a client can change, except that an int-encoded string
     * in 0..9999 is one shared object (refcount INT_MAX) whenever shared integers are in use
     * (maxmemory is 0, or the policy is not LRU/LFU). Ember has no maxmemory yet (always 0).
     */
    static void refcount(Client c, byte[][] argv, int argc) {
        int ref = lookup(c, argv[2]);
        if (ref == 0) return;
        Database db = c.db;
        boolean shared = db.type(ref) == ValueType.STRING && db.encoding(ref) == ValueType.ENC_INT
                && sharedIntegersInUse(c.engine.config) && isSharedInteger((byte[]) db.value(ref));
        c.reply.integer(shared ? SHARED_REFCOUNT : 1);
    }

    /** tryObjectEncoding's condition for using a shared integer. */
    static boolean sharedIntegersInUse(ServerConfig config) {
        long maxmemory = 0; // "maxmemory" is not supported yet: always 0
        return maxmemory == 0 || !(config.lruPolicy() || config.lfuPolicy());
    }

    private static boolean isSharedInteger(byte[] v) {
        if (!Numbers.isLong(v)) return false;
        long n = Numbers.parseLong(v);
        return n >= 0 && n < SHARED_INTEGERS;
    }

    static void idletime(Client c, byte[][] argv, int argc) {
        int ref = lookup(c, argv[2]);
        if (ref == 0) return;
        if (c.engine.config.lfuPolicy()) {
            c.reply.error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
                    + "switching between policies at runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        int lru = ValueType.lru(c.db.table().meta(ref));
        c.reply.integer(c.engine.evictionClock.idleMillis(lru) / 1000);
    }

    static void freq(Client c, byte[][] argv, int argc) {
        int ref = lookup(c, argv[2]);
        if (ref == 0) return;
        if (!c.engine.config.lfuPolicy()) {
            c.reply.error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                    + "that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        int bits = ValueType.lru(c.db.table().meta(ref));
        c.reply.integer(c.engine.evictionClock.decayedCounter(bits));
    }

    static void help(Client c, byte[][] argv, int argc) {
        Help.reply(c, "OBJECT",
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }
}
