package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/**
 * Expiry commands (expire.c): EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX|XX|GT|LT, TTL, PTTL,
 * EXPIRETIME, PEXPIRETIME, PERSIST. Expiry times are absolute unix milliseconds; 0 means none.
 */
final class ExpireCommands {
    private ExpireCommands() {}

    static void register(CommandTable t) {
        t.add("expire", (c, argv, argc) -> expireGeneric(c, argv, argc, c.engine.nowMs(), true, "expire"));
        t.add("pexpire", (c, argv, argc) -> expireGeneric(c, argv, argc, c.engine.nowMs(), false, "pexpire"));
        t.add("expireat", (c, argv, argc) -> expireGeneric(c, argv, argc, 0, true, "expireat"));
        t.add("pexpireat", (c, argv, argc) -> expireGeneric(c, argv, argc, 0, false, "pexpireat"));
        t.add("ttl", (c, argv, argc) -> ttlGeneric(c, argv[1], false, false));
        t.add("pttl", (c, argv, argc) -> ttlGeneric(c, argv[1], true, false));
        t.add("expiretime", (c, argv, argc) -> ttlGeneric(c, argv[1], false, true));
        t.add("pexpiretime", (c, argv, argc) -> ttlGeneric(c, argv[1], true, true));
        t.add("persist", ExpireCommands::persist);
    }

    private static final int NX = 1, XX = 2, GT = 4, LT = 8;

    /** The NX|XX|GT|LT flags from argv[3..], or -1 after replying with the error. */
    private static int parseFlags(Client c, byte[][] argv, int argc) {
        int flags = 0;
        for (int j = 3; j < argc; j++) {
            byte[] opt = argv[j];
            if (Bytes.eqIgnoreCase(opt, "nx")) flags |= NX;
            else if (Bytes.eqIgnoreCase(opt, "xx")) flags |= XX;
            else if (Bytes.eqIgnoreCase(opt, "gt")) flags |= GT;
            else if (Bytes.eqIgnoreCase(opt, "lt")) flags |= LT;
            else {
                c.reply.error("ERR Unsupported option " + cString(opt));
                return -1;
            }
        }
        if ((flags & NX) != 0 && (flags & (XX | GT | LT)) != 0) {
            c.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
            return -1;
        }
        if ((flags & (GT | LT)) == (GT | LT)) {
            c.reply.error("ERR GT and LT options at the same time are not compatible");
            return -1;
        }
        return flags;
    }

    /** The argument as C's %s prints it: up to the first NUL. */
    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return Bytes.latin1(b, 0, n);
    }

    /**
     * EXPIRE key seconds, PEXPIRE key ms, EXPIREAT key unix-s, PEXPIREAT key unix-ms [NX|XX|GT|LT].
     * Negative times are allowed; a time already in the past deletes the key (and replies 1).
     * A key without a TTL counts as an infinite TTL for GT and LT.
     */
    static void expireGeneric(Client c, byte[][] argv, int argc, long basetime, boolean seconds, String name) {
        int flags = parseFlags(c, argv, argc);
        if (flags < 0) return;
        byte[] param = argv[2];
        if (!Numbers.isLong(param)) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long when = Numbers.parseLong(param);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                c.reply.error(Errors.invalidExpire(name));
                return;
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - basetime) {
            c.reply.error(Errors.invalidExpire(name));
            return;
        }
        when += basetime;

        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        if (flags != 0) {
            long current = db.expireAt(ref); // 0 = no TTL, i.e. infinite
            if ((flags & NX) != 0 && current != 0
                    || (flags & XX) != 0 && current == 0
                    || (flags & GT) != 0 && (current == 0 || when <= current)
                    || (flags & LT) != 0 && current != 0 && when >= current) {
                c.reply.integer(0);
                return;
            }
        }
        c.engine.dirty++;
        if (ExpireCommands.alreadyExpired(c, when)) {
            db.delete(argv[1]); // a DEL, not an expiry: expired_keys is not counted
            KeyEvents.del(c, argv[1]);
            c.reply.integer(1);
            Rewrites.del(c, argv[1]);
        } else {
            db.setExpireAt(ref, when);
            if (Rewrites.on(c)) {
                // PEXPIREAT key ms, the flags kept as given
                byte[][] r = java.util.Arrays.copyOf(argv, argc);
                r[0] = Rewrites.PEXPIREAT;
                r[2] = io.ember.util.Numbers.toBytes(when);
                Rewrites.as(c, r);
            }
            db.signalModified(argv[1]);
            c.reply.integer(1); // Redis replies before firing "expire" here (after "del" above)
            KeyEvents.fire(c, KeyspaceEvents.GENERIC, "expire", argv[1]);
        }
    }

    /**
     * TTL, PTTL (remaining time) and EXPIRETIME, PEXPIRETIME (absolute time): -2 when the key is
     * missing, -1 when it has no TTL. Seconds are rounded to nearest, as Redis does.
     */
    static void ttlGeneric(Client c, byte[] key, boolean millis, boolean absolute) {
        Database db = c.db;
        int ref = db.lookupReadNoTouch(key);
        if (ref == 0) {
            c.reply.integer(-2);
            return;
        }
        long expire = db.expireAt(ref);
        if (expire == 0) {
            c.reply.integer(-1);
            return;
        }
        long ttl = absolute ? expire : expire - c.engine.nowMs();
        if (ttl < 0) ttl = 0;
        // (ttl+500)/1000 in unsigned arithmetic: Redis's compiled code does not overflow near LLONG_MAX.
        c.reply.integer(millis ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }

    static void persist(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0 || db.expireAt(ref) == 0) {
            c.reply.integer(0);
            return;
        }
        db.setExpireAt(ref, 0);
        db.signalModified(argv[1]);
        KeyEvents.fire(c, KeyspaceEvents.GENERIC, "persist", argv[1]);
        c.engine.dirty++;
        c.reply.integer(1);
    }

    /**
     * checkAlreadyExpired: a time already past deletes the key at once — except while the AOF
     * (or a dump) loads, where later commands in the file may still use the key; it then
     * expires normally once the load is over.
     */
    static boolean alreadyExpired(Client c, long whenMs) {
        return whenMs <= c.engine.nowMs() && c.engine.persistence.loading == null;
    }
}
