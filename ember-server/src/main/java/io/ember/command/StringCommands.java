package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.type.Strings;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/** String commands (t_string.c). Values are stored as the {@code byte[]} received. */
public final class StringCommands {
    private StringCommands() {}

    static void register(CommandTable t) {
        t.add("get", StringCommands::get);
        t.add("set", StringCommands::set);
    }

    /** The string at {@code ref}, or null after replying WRONGTYPE. */
    static byte[] stringOrWrongType(Client c, Database db, int ref) {
        if (db.type(ref) != ValueType.STRING) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return (byte[]) db.value(ref);
    }

    static void get(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        byte[] v = stringOrWrongType(c, c.db, ref);
        if (v != null) c.reply.bulk(v);
    }

    private static final int NX = 1, XX = 2, GET = 4, KEEPTTL = 8, EX = 16, PX = 32, EXAT = 64, PXAT = 128;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]. */
    static void set(Client c, byte[][] argv, int argc) {
        int flags = 0;
        byte[] expireArg = null;
        for (int j = 3; j < argc; j++) {
            byte[] opt = argv[j];
            boolean hasNext = j < argc - 1;
            if (Bytes.eqIgnoreCase(opt, "nx") && (flags & XX) == 0) {
                flags |= NX;
            } else if (Bytes.eqIgnoreCase(opt, "xx") && (flags & NX) == 0) {
                flags |= XX;
            } else if (Bytes.eqIgnoreCase(opt, "get")) {
                flags |= GET;
            } else if (Bytes.eqIgnoreCase(opt, "keepttl") && (flags & ANY_EXPIRE) == 0) {
                flags |= KEEPTTL;
            } else if (Bytes.eqIgnoreCase(opt, "ex") && (flags & (KEEPTTL | ANY_EXPIRE & ~EX)) == 0 && hasNext) {
                flags |= EX;
                expireArg = argv[++j];
            } else if (Bytes.eqIgnoreCase(opt, "px") && (flags & (KEEPTTL | ANY_EXPIRE & ~PX)) == 0 && hasNext) {
                flags |= PX;
                expireArg = argv[++j];
            } else if (Bytes.eqIgnoreCase(opt, "exat") && (flags & (KEEPTTL | ANY_EXPIRE & ~EXAT)) == 0 && hasNext) {
                flags |= EXAT;
                expireArg = argv[++j];
            } else if (Bytes.eqIgnoreCase(opt, "pxat") && (flags & (KEEPTTL | ANY_EXPIRE & ~PXAT)) == 0 && hasNext) {
                flags |= PXAT;
                expireArg = argv[++j];
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        long when = 0;
        if (expireArg != null) {
            when = expireTime(c, expireArg, (flags & (EX | EXAT)) != 0, (flags & (EX | PX)) != 0, "set");
            if (when == 0) return;
        }
        setGeneric(c, argv[1], argv[2], flags, when);
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
        if (relative) v += c.engine.nowMs();
        if (v <= 0) {
            c.reply.error(Errors.invalidExpire(commandName));
            return 0;
        }
        return v;
    }

    private static void setGeneric(Client c, byte[] key, byte[] value, int flags, long expireAt) {
        Database db = c.db;
        if ((flags & GET) != 0) {
            int ref = db.lookupRead(key);
            if (ref == 0) {
                c.reply.nullBulk();
            } else {
                byte[] old = stringOrWrongType(c, db, ref);
                if (old == null) return;
                c.reply.bulk(old);
            }
        }
        int ref = db.lookupWrite(key);
        boolean found = ref != 0;
        if (((flags & NX) != 0 && found) || ((flags & XX) != 0 && !found)) {
            if ((flags & GET) == 0) c.reply.nullBulk();
            return;
        }
        int enc = Strings.encodingFor(value);
        if (found) {
            db.replace(ref, value, ValueType.STRING, enc);
            if ((flags & KEEPTTL) == 0 && expireAt == 0) db.setExpireAt(ref, 0);
        } else {
            ref = db.add(key, value, ValueType.STRING, enc);
        }
        if (expireAt != 0) db.setExpireAt(ref, expireAt);
        c.engine.dirty++;
        if ((flags & GET) == 0) c.reply.ok();
    }
}
