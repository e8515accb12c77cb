package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.Strings;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.LongDouble;
import io.ember.util.Numbers;

/**
 * String commands (t_string.c). Values are stored as the {@code byte[]} received; the encoding
 * Redis would report is kept in the key's meta word. APPEND and SETRANGE build a new array and
 * replace the value; the bitmap and HyperLogLog commands change a string's array in place
 * (BitmapCommands), so a string array is never shared between keys (COPY clones it).
 *
 * <p>Keyspace events are fired where t_string.c fires them, after the write and, unless the
 * command replied first (GET option, GETSET, GETDEL, GETEX), before the reply: a RESP3 client
 * subscribed to its own events sees them in that order.
 */
public final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        t.add("get", StringCommands::get);
        t.add("set", StringCommands::set);
        t.add("setnx", StringCommands::setnx);
        t.add("setex", StringCommands::setex);
        t.add("psetex", StringCommands::psetex);
        t.add("getset", StringCommands::getset);
        t.add("getdel", StringCommands::getdel);
        t.add("getex", StringCommands::getex);
        t.add("mget", StringCommands::mget);
        t.add("mset", StringCommands::mset);
        t.add("msetnx", StringCommands::msetnx);
        t.add("append", StringCommands::append);
        t.add("strlen", StringCommands::strlen);
        t.add("incr", StringCommands::incr);
        t.add("decr", StringCommands::decr);
        t.add("incrby", StringCommands::incrby);
        t.add("decrby", StringCommands::decrby);
        t.add("incrbyfloat", StringCommands::incrbyfloat);
        t.add("getrange", StringCommands::getrange);
        t.add("substr", StringCommands::getrange);
        t.add("setrange", StringCommands::setrange);
        t.add("lcs", LcsCommand::lcs);
    }

    /** The string at {@code ref}, or null after replying WRONGTYPE. */
    static byte[] stringOrWrongType(Client c, Database db, int ref) {
        if (db.type(ref) != ValueType.STRING) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return (byte[]) db.value(ref);
    }

    /**
     * GET's reply for {@code key} (getGenericCommand): the value, a null, or WRONGTYPE. Returns
     * false only after WRONGTYPE.
     */
    private static boolean replyValue(Client c, byte[] key) {
        int ref = c.db.lookupRead(key);
        if (ref == 0) {
            c.reply.nullBulk();
            return true;
        }
        byte[] v = stringOrWrongType(c, c.db, ref);
        if (v == null) return false;
        c.reply.bulk(v);
        return true;
    }

    static void get(Client c, byte[][] argv, int argc) {
        replyValue(c, argv[1]);
    }

    // ---- SET and its variants -------------------------------------------------------------------

    static final int NX = 1, XX = 2, GET = 4, KEEPTTL = 8, EX = 16, PX = 32, EXAT = 64, PXAT = 128, PERSIST = 256;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;
    /** parseOptions packs the index of the expire argument above the flag bits. */
    private static final int ARG_SHIFT = 32;

    /**
     * The options of SET (from argv[3]) or GETEX (from argv[2]), as Redis's
     * parseExtendedStringArgumentsOrReply: each option is refused (syntax error) when it clashes
     * with one already seen; repeating the same one is allowed. Returns the flags with the index
     * of the expire argument in the bits above ARG_SHIFT, or -1 after replying.
     */
    private static long parseOptions(Client c, byte[][] argv, int argc, boolean forSet) {
        int flags = 0, expireIndex = 0;
        for (int j = forSet ? 3 : 2; j < argc; j++) {
            int flag = optionFlag(argv[j], forSet);
            boolean ok;
            if ((flag & ANY_EXPIRE) != 0) {
                // One kind of expire (repeating it is fine), not with KEEPTTL/PERSIST, and a value.
                ok = (flags & (KEEPTTL | PERSIST | (ANY_EXPIRE & ~flag))) == 0 && j < argc - 1;
                if (ok) expireIndex = ++j;
            } else {
                ok = switch (flag) {
                    case NX -> (flags & XX) == 0;
                    case XX -> (flags & NX) == 0;
                    case GET -> true;
                    case KEEPTTL -> (flags & (ANY_EXPIRE | PERSIST)) == 0;
                    case PERSIST -> (flags & (ANY_EXPIRE | KEEPTTL)) == 0;
                    default -> false;
                };
            }
            if (!ok) {
                c.reply.error(Errors.SYNTAX);
                return -1;
            }
            flags |= flag;
        }
        return flags | ((long) expireIndex << ARG_SHIFT);
    }

    /** The flag an option word stands for in SET (or GETEX), 0 if it is not one of theirs. */
    private static int optionFlag(byte[] opt, boolean forSet) {
        if (Bytes.eqIgnoreCase(opt, "ex")) return EX;
        if (Bytes.eqIgnoreCase(opt, "px")) return PX;
        if (Bytes.eqIgnoreCase(opt, "exat")) return EXAT;
        if (Bytes.eqIgnoreCase(opt, "pxat")) return PXAT;
        if (!forSet) return Bytes.eqIgnoreCase(opt, "persist") ? PERSIST : 0;
        if (Bytes.eqIgnoreCase(opt, "nx")) return NX;
        if (Bytes.eqIgnoreCase(opt, "xx")) return XX;
        if (Bytes.eqIgnoreCase(opt, "get")) return GET;
        if (Bytes.eqIgnoreCase(opt, "keepttl")) return KEEPTTL;
        return 0;
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]. */
    static void set(Client c, byte[][] argv, int argc) {
        long parsed = parseOptions(c, argv, argc, true);
        if (parsed < 0) return;
        int flags = (int) parsed;
        long when = 0;
        int expireIndex = (int) (parsed >>> ARG_SHIFT);
        if (expireIndex != 0) {
            when = expireTime(c, argv[expireIndex], (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "set");
            if (when == 0) return;
        }
        if (setGeneric(c, argv[1], argv[2], flags, when, false) && Rewrites.on(c)) {
            // Redis propagates any expiry as SET key value PXAT ms (dropping NX/XX/GET), or
            // without its GET arguments.
            if (when != 0) setPxat(c, argv[1], argv[2], when);
            else if ((flags & GET) != 0) Rewrites.as(c, Rewrites.without(argv, argc, 3, "get"));
        }
    }

    private static void setPxat(Client c, byte[] key, byte[] value, long when) {
        Rewrites.as(c, Rewrites.SET, key, value, Rewrites.PXAT, Numbers.toBytes(when));
    }

    /** SETNX key value: 1 if set, 0 if the key existed. */
    static void setnx(Client c, byte[][] argv, int argc) {
        setGeneric(c, argv[1], argv[2], NX, 0, true);
    }

    /** SETEX key seconds value. */
    static void setex(Client c, byte[][] argv, int argc) {
        long when = expireTime(c, argv[2], true, true, "setex");
        if (when != 0 && setGeneric(c, argv[1], argv[3], 0, when, false) && Rewrites.on(c)) {
            setPxat(c, argv[1], argv[3], when);
        }
    }

    /** PSETEX key milliseconds value. */
    static void psetex(Client c, byte[][] argv, int argc) {
        long when = expireTime(c, argv[2], false, true, "psetex");
        if (when != 0 && setGeneric(c, argv[1], argv[3], 0, when, false) && Rewrites.on(c)) {
            setPxat(c, argv[1], argv[3], when);
        }
    }

    /**
     * Parses an expire argument into absolute unix ms (getExpireMillisecondsOrReply). Returns 0
     * after replying with an error.
     */
    static long expireTime(Client c, byte[] arg, boolean seconds, boolean relative, String commandName) {
        if (!Numbers.isLong(arg)) {
            c.reply.error(Errors.NOT_INTEGER);
            return 0;
        }
        long v = Numbers.parseLong(arg);
        if (v <= 0 || (seconds && v > Long.MAX_VALUE / 1000)) {
            c.reply.error(Errors.invalidExpire(commandName));
            return 0;
        }
        if (seconds) v *= 1000;
        if (relative) v += c.engine.nowMs(); // may wrap negative, as in C: caught below
        if (v <= 0) {
            c.reply.error(Errors.invalidExpire(commandName));
            return 0;
        }
        return v;
    }

    /**
     * setGenericCommand: GET's reply first when asked, then NX/XX, then the write. The TTL is
     * dropped unless KEEPTTL (or replaced by {@code expireAt}). {@code intReply} is SETNX's 1/0.
     * Returns true when the key was written.
     */
    private static boolean setGeneric(Client c, byte[] key, byte[] value, int flags, long expireAt, boolean intReply) {
        Database db = c.db;
        if ((flags & GET) != 0 && !replyValue(c, key)) return false;
        int ref = db.lookupWrite(key);
        boolean found = ref != 0;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if (intReply) c.reply.integer(0);
            else if ((flags & GET) == 0) c.reply.nullBulk();
            return false;
        }
        int enc = Strings.encodingFor(value);
        if (found) {
            db.replace(ref, value, ValueType.STRING, enc);
            if ((flags & KEEPTTL) == 0) db.setExpireAt(ref, expireAt);
        } else {
            ref = db.add(key, value, ValueType.STRING, enc);
            if (expireAt != 0) db.setExpireAt(ref, expireAt);
        }
        c.engine.dirty++;
        KeyEvents.fire(c, KeyspaceEvents.STRING, "set", key);
        if (expireAt != 0) KeyEvents.fire(c, KeyspaceEvents.GENERIC, "expire", key);
        if (intReply) c.reply.integer(1);
        else if ((flags & GET) == 0) c.reply.ok();
        return true;
    }

    /** GETSET key value: GET then SET (the TTL is dropped). */
    static void getset(Client c, byte[][] argv, int argc) {
        if (!replyValue(c, argv[1])) return;
        byte[] v = argv[2];
        c.db.set(argv[1], v, ValueType.STRING, Strings.encodingFor(v), false);
        KeyEvents.fire(c, KeyspaceEvents.STRING, "set", argv[1]);
        c.engine.dirty++;
        if (Rewrites.on(c)) Rewrites.as(c, Rewrites.SET, argv[1], v);
    }

    /** GETDEL key: GET, then delete the key if it held a string. */
    static void getdel(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = stringOrWrongType(c, c.db, ref);
        if (v == null) return;
        c.reply.bulk(v);
        c.db.delete(argv[1]);
        KeyEvents.del(c, argv[1]);
        c.engine.dirty++;
        Rewrites.del(c, argv[1]);
    }

    /** GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]. */
    static void getex(Client c, byte[][] argv, int argc) {
        long parsed = parseOptions(c, argv, argc, false);
        if (parsed < 0) return;
        int flags = (int) parsed;
        int expireIndex = (int) (parsed >>> ARG_SHIFT);
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = stringOrWrongType(c, db, ref);
        if (v == null) return;
        // As in Redis, the expire argument is validated only once the key is known to be a string.
        long when = 0;
        if (expireIndex != 0) {
            when = expireTime(c, argv[expireIndex], (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "getex");
            if (when == 0) return;
        }
        c.reply.bulk(v);
        if ((flags & (EXAT | PXAT)) != 0 && ExpireCommands.alreadyExpired(c, when)) {
            db.delete(argv[1]); // an absolute time already past deletes the key
            KeyEvents.del(c, argv[1]);
            c.engine.dirty++;
            Rewrites.del(c, argv[1]);
        } else if (when != 0) {
            db.setExpireAt(ref, when);
            db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.GENERIC, "expire", argv[1]);
            c.engine.dirty++;
            Rewrites.pexpireat(c, argv[1], when);
        } else if ((flags & PERSIST) != 0 && db.expireAt(ref) != 0) {
            db.setExpireAt(ref, 0);
            db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.GENERIC, "persist", argv[1]);
            c.engine.dirty++;
            if (Rewrites.on(c)) Rewrites.as(c, Rewrites.PERSIST, argv[1]);
        }
    }

    // ---- multi-key ------------------------------------------------------------------------------

    /** MGET key...: a null for a missing key or a key of another type. */
    static void mget(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        c.reply.arrayHeader(argc - 1);
        for (int j = 1; j < argc; j++) {
            int ref = db.lookupRead(argv[j]);
            if (ref == 0 || db.type(ref) != ValueType.STRING) c.reply.nullBulk();
            else c.reply.bulk((byte[]) db.value(ref));
        }
    }

    static void mset(Client c, byte[][] argv, int argc) {
        msetGeneric(c, argv, argc, false);
    }

    static void msetnx(Client c, byte[][] argv, int argc) {
        msetGeneric(c, argv, argc, true);
    }

    /** MSET / MSETNX key value [key value ...]; MSETNX sets nothing if any key exists. */
    private static void msetGeneric(Client c, byte[][] argv, int argc, boolean nx) {
        if (argc % 2 == 0) {
            c.reply.error(Errors.wrongArgs(c.lastCommand));
            return;
        }
        Database db = c.db;
        if (nx) {
            for (int j = 1; j < argc; j += 2) {
                if (db.lookupWrite(argv[j]) != 0) {
                    c.reply.integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < argc; j += 2) {
            byte[] v = argv[j + 1];
            db.set(argv[j], v, ValueType.STRING, Strings.encodingFor(v), false);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "set", argv[j]);
        }
        c.engine.dirty += (argc - 1) / 2;
        if (nx) c.reply.integer(1);
        else c.reply.ok();
    }

    // ---- in-place edits -------------------------------------------------------------------------

    /** Longest Java array we try to allocate (the VM refuses a few bytes below Integer.MAX_VALUE). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * checkStringLength: would a string of {@code size + append} bytes pass proto-max-bulk-len
     * (and fit a Java array)? Replies with the error when not.
     */
    private static boolean checkStringLength(Client c, long size, long append) {
        long total = size + append;
        if (total > c.engine.config.protoMaxBulkLen || total < size || total < append || total > MAX_ARRAY) {
            c.reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return false;
        }
        return true;
    }

    /** APPEND key value: the new length. A new key is stored as SET would store it. */
    static void append(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        byte[] add = argv[2];
        int ref = db.lookupWrite(argv[1]);
        int len;
        if (ref == 0) {
            db.add(argv[1], add, ValueType.STRING, Strings.encodingFor(add));
            len = add.length;
        } else {
            byte[] old = stringOrWrongType(c, db, ref);
            if (old == null || !checkStringLength(c, old.length, add.length)) return;
            // Redis unshares the value (dbUnshareStringValue), so the result is always raw.
            db.replace(ref, Bytes.concat(old, add), ValueType.STRING, ValueType.ENC_RAW);
            len = old.length + add.length;
        }
        KeyEvents.fire(c, KeyspaceEvents.STRING, "append", argv[1]);
        c.engine.dirty++;
        c.reply.integer(len);
    }

    static void strlen(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        byte[] v = stringOrWrongType(c, c.db, ref);
        if (v != null) c.reply.integer(v.length);
    }

    /** GETRANGE (and SUBSTR) key start end: inclusive, negative indexes count from the end. */
    static void getrange(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2]) || !Numbers.isLong(argv[3])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.parseLong(argv[2]), end = Numbers.parseLong(argv[3]);
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.bulk(Bytes.EMPTY);
            return;
        }
        byte[] v = stringOrWrongType(c, c.db, ref);
        if (v == null) return;
        long n = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.reply.bulk(Bytes.EMPTY);
            return;
        }
        if (start < 0) start = n + start;
        if (end < 0) end = n + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= n) end = n - 1;
        if (start > end || n == 0) c.reply.bulk(Bytes.EMPTY);
        else c.reply.bulk(v, (int) start, (int) (end - start + 1));
    }

    /** SETRANGE key offset value: overwrite from offset, zero-padding; returns the new length. */
    static void setrange(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long offset = Numbers.parseLong(argv[2]);
        if (offset < 0) {
            c.reply.error("ERR offset is out of range");
            return;
        }
        byte[] value = argv[3];
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            if (value.length == 0) {
                c.reply.integer(0);
                return;
            }
            if (!checkStringLength(c, offset, value.length)) return;
            byte[] nv = new byte[(int) offset + value.length];
            System.arraycopy(value, 0, nv, (int) offset, value.length);
            db.add(argv[1], nv, ValueType.STRING, ValueType.ENC_RAW);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "setrange", argv[1]);
            c.engine.dirty++;
            c.reply.integer(nv.length);
            return;
        }
        byte[] old = stringOrWrongType(c, db, ref);
        if (old == null) return;
        if (value.length == 0) {
            c.reply.integer(old.length);
            return;
        }
        if (!checkStringLength(c, offset, value.length)) return;
        // A new array even when the length does not change (SETRANGE never writes into the stored one).
        byte[] nv = new byte[(int) Math.max(old.length, offset + value.length)];
        System.arraycopy(old, 0, nv, 0, old.length);
        System.arraycopy(value, 0, nv, (int) offset, value.length);
        db.replace(ref, nv, ValueType.STRING, ValueType.ENC_RAW);
        KeyEvents.fire(c, KeyspaceEvents.STRING, "setrange", argv[1]);
        c.engine.dirty++;
        c.reply.integer(nv.length);
    }

    // ---- counters -------------------------------------------------------------------------------

    static void incr(Client c, byte[][] argv, int argc) {
        incrDecr(c, argv[1], 1);
    }

    static void decr(Client c, byte[][] argv, int argc) {
        incrDecr(c, argv[1], -1);
    }

    static void incrby(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        incrDecr(c, argv[1], Numbers.parseLong(argv[2]));
    }

    static void decrby(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long by = Numbers.parseLong(argv[2]);
        if (by == Long.MIN_VALUE) { // its negation does not exist
            c.reply.error("ERR decrement would overflow");
            return;
        }
        incrDecr(c, argv[1], -by);
    }

    /** INCR/DECR/INCRBY/DECRBY: a missing key counts as 0; the result is int-encoded. */
    private static void incrDecr(Client c, byte[] key, long by) {
        Database db = c.db;
        int ref = db.lookupWrite(key);
        long value = 0;
        if (ref != 0) {
            byte[] v = stringOrWrongType(c, db, ref);
            if (v == null) return;
            if (!Numbers.isLong(v)) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            value = Numbers.parseLong(v);
        }
        if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value) || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
            c.reply.error(Errors.OVERFLOW);
            return;
        }
        value += by;
        byte[] nv = Numbers.toBytes(value);
        if (ref != 0) db.replace(ref, nv, ValueType.STRING, ValueType.ENC_INT);
        else db.add(key, nv, ValueType.STRING, ValueType.ENC_INT);
        KeyEvents.fire(c, KeyspaceEvents.STRING, "incrby", key);
        c.engine.dirty++;
        c.reply.integer(value);
    }

    /**
     * INCRBYFLOAT key increment, in x87 long double arithmetic with Redis's exact digits (see
     * {@link LongDouble}). The TTL is kept.
     */
    static void incrbyfloat(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        LongDouble value = LongDouble.of(0);
        if (ref != 0) {
            byte[] v = stringOrWrongType(c, db, ref);
            if (v == null) return;
            value = LongDouble.parse(v); // integers parse exactly, as Redis's (long double) cast is exact
        }
        LongDouble by = value == null ? null : LongDouble.parse(argv[2]);
        if (by == null) {
            c.reply.error(Errors.NOT_FLOAT);
            return;
        }
        LongDouble sum = value.add(by);
        if (sum == null) {
            c.reply.error("ERR increment would produce NaN or Infinity");
            return;
        }
        byte[] nv = sum.toHuman();
        int enc = Strings.encodingForCreated(nv);
        if (ref != 0) db.replace(ref, nv, ValueType.STRING, enc);
        else db.add(argv[1], nv, ValueType.STRING, enc);
        KeyEvents.fire(c, KeyspaceEvents.STRING, "incrbyfloat", argv[1]);
        c.engine.dirty++;
        c.reply.bulk(nv);
        // Always as SET with the result, so float formatting cannot make a replayed value differ.
        if (Rewrites.on(c)) Rewrites.as(c, Rewrites.SET, argv[1], nv, Rewrites.KEEPTTL);
    }
}
