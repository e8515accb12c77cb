package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.persist.rdb.DumpPayload;
import io.ember.persist.rdb.RdbValue;
import io.ember.persist.rdb.RdbValueReader;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import java.io.IOException;

/**
 * RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] (cluster.c's
 * restoreCommand): creates a key from a DUMP payload. The payload is always fully validated
 * (as sanitize-dump-payload yes would), so a corrupt one is refused instead of being stored.
 */
final class RestoreCommand {
    private RestoreCommand() {}

    static void register(CommandTable t) {
        t.add("restore", RestoreCommand::restore);
    }

    static void restore(Client c, byte[][] argv, int argc) {
        boolean replace = false, absttl = false;
        long idle = -1, freq = -1;
        long[] n = new long[1];
        for (int j = 4; j < argc; j++) {
            byte[] a = argv[j];
            boolean more = j + 1 < argc;
            if (Bytes.eqIgnoreCase(a, "replace")) {
                replace = true;
            } else if (Bytes.eqIgnoreCase(a, "absttl")) {
                absttl = true;
            } else if (Bytes.eqIgnoreCase(a, "idletime") && more && freq == -1) {
                if (!Args.longOrReply(c, argv[++j], null, n)) return;
                if (n[0] < 0) {
                    c.reply.error("ERR Invalid IDLETIME value, must be >= 0");
                    return;
                }
                idle = n[0];
            } else if (Bytes.eqIgnoreCase(a, "freq") && more && idle == -1) {
                if (!Args.longOrReply(c, argv[++j], null, n)) return;
                if (n[0] < 0 || n[0] > 255) {
                    c.reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
                    return;
                }
                freq = n[0];
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        byte[] key = argv[1];
        Database db = c.db;
        if (!replace && db.lookupWrite(key) != 0) {
            c.reply.error("BUSYKEY Target key name already exists.");
            return;
        }
        if (!Args.longOrReply(c, argv[2], null, n)) return;
        long ttl = n[0];
        if (ttl < 0) {
            c.reply.error("ERR Invalid TTL value, must be >= 0");
            return;
        }
        byte[] payload = argv[3];
        if (!DumpPayload.verify(payload)) {
            c.reply.error("ERR DUMP payload version or checksum are wrong");
            return;
        }
        RdbValue v;
        try {
            v = DumpPayload.decode(payload, new RdbValueReader(c.engine.config));
        } catch (IOException | RuntimeException e) {
            v = null; // RuntimeException: a decoder bug must not take the server down either
        }
        if (v == null) {
            c.reply.error("ERR Bad data format");
            return;
        }
        boolean deleted = replace && db.delete(key);
        if (ttl != 0 && !absttl) ttl += c.engine.nowMs();
        if (ttl != 0 && ExpireCommands.alreadyExpired(c, ttl)) {
            // Already expired: nothing is created; a replaced key counts as deleted.
            if (deleted) {
                KeyEvents.del(c, key);
                c.engine.dirty++;
                Rewrites.del(c, key);
            }
            c.reply.ok();
            return;
        }
        int bits = c.engine.evictionClock.restored(c.engine.evictionClock.initial(), freq, idle);
        db.addWithMeta(key, v.value(), ValueType.meta(v.type(), v.encoding(), bits), ttl);
        KeyEvents.fire(c, KeyspaceEvents.GENERIC, "restore", key);
        c.reply.ok();
        c.engine.dirty++;
        if (ttl != 0 && !absttl && Rewrites.on(c)) {
            // A relative TTL goes out as an absolute one: RESTORE key ms payload ... ABSTTL
            byte[][] r = java.util.Arrays.copyOf(argv, argc + 1);
            r[2] = io.ember.util.Numbers.toBytes(ttl);
            r[argc] = Rewrites.ABSTTL;
            Rewrites.as(c, r);
        }
    }
}
