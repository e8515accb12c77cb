package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.StreamGroup;
import io.ember.type.StreamGroup.Consumer;
import io.ember.type.StreamGroup.Nack;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumer groups (t_stream.c): XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER, XACK,
 * XPENDING, XCLAIM, XAUTOCLAIM. Reading through a group is in {@link StreamReadCommands}.
 *
 * <p>As in Redis 7.0, none of these signal the key as modified: group changes do not invalidate
 * WATCH (XGROUP CREATE MKSTREAM does, by creating the key). XREADGROUP does when it serves.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {}

    static void register(CommandTable t) {
        t.addSub("xgroup", "create", StreamGroupCommands::xgroup);
        t.addSub("xgroup", "setid", StreamGroupCommands::xgroup);
        t.addSub("xgroup", "destroy", StreamGroupCommands::xgroup);
        t.addSub("xgroup", "createconsumer", StreamGroupCommands::xgroup);
        t.addSub("xgroup", "delconsumer", StreamGroupCommands::xgroup);
        t.addSub("xgroup", "help", (c, argv, argc) -> Help.reply(c, argv[0], List.of(
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter.")));
        t.add("xack", StreamGroupCommands::xack);
        t.add("xpending", StreamGroupCommands::xpending);
        t.add("xclaim", StreamGroupCommands::xclaim);
        t.add("xautoclaim", StreamGroupCommands::xautoclaim);
    }

    static String noGroup(byte[] key, byte[] group) {
        return "NOGROUP No such key '" + Bytes.latin1(key) + "' or consumer group '" + Bytes.latin1(group) + "'";
    }

    // ---- what group changes propagate as (streamPropagateXCLAIM, streamPropagateGroupID,
    // streamPropagateConsumerCreation): XREADGROUP, XCLAIM and XAUTOCLAIM are never propagated
    // themselves, only through these.

    private static final byte[] XCLAIM = Bytes.ascii("XCLAIM"), XGROUP = Bytes.ascii("XGROUP"),
            SETID = Bytes.ascii("SETID"), CREATECONSUMER = Bytes.ascii("CREATECONSUMER"), ZERO = {'0'},
            TIME = Bytes.ascii("TIME"), RETRYCOUNT = Bytes.ascii("RETRYCOUNT"), FORCE = Bytes.ascii("FORCE"),
            JUSTID = Bytes.ascii("JUSTID"), LASTID = Bytes.ascii("LASTID"), ENTRIESREAD = Bytes.ascii("ENTRIESREAD");

    /** XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID id: the nack as it is now. */
    static void propagateClaim(Client c, byte[] key, byte[] group, StreamGroup g, byte[] id, Nack nack) {
        if (!c.engine.propagation.enabled()) return;
        c.engine.propagation.alsoPropagate(c.db.id, XCLAIM, key, group, nack.consumer.name, ZERO, id,
                TIME, Numbers.toBytes(nack.deliveryTime), RETRYCOUNT, Numbers.toBytes(nack.deliveryCount),
                FORCE, JUSTID, LASTID, g.lastId.toBytes());
    }

    /** XGROUP SETID key group last-id ENTRIESREAD n. */
    static void propagateGroupId(Client c, byte[] key, byte[] group, StreamGroup g) {
        if (!c.engine.propagation.enabled()) return;
        c.engine.propagation.alsoPropagate(c.db.id, XGROUP, SETID, key, group, g.lastId.toBytes(), ENTRIESREAD,
                Numbers.toBytes(g.entriesRead));
    }

    /** XGROUP CREATECONSUMER key group consumer. */
    static void propagateConsumerCreation(Client c, byte[] key, byte[] group, byte[] consumer) {
        if (!c.engine.propagation.enabled()) return;
        c.engine.propagation.alsoPropagate(c.db.id, XGROUP, CREATECONSUMER, key, group, consumer);
    }

    /** streamCreateConsumer with SCC_DEFAULT: counted as a change and notified. */
    static Consumer createConsumer(Client c, StreamGroup g, byte[] name, byte[] key) {
        Consumer con = new Consumer(name.clone(), c.engine.nowMs());
        g.consumers.put(con.name, con);
        c.engine.dirty++;
        c.engine.notifier.notify(KeyspaceEvents.STREAM, "xgroup-createconsumer", key, c.db.id);
        return con;
    }

    /** streamLookupConsumer (refreshing its seen time) or streamCreateConsumer. */
    static Consumer lookupOrCreateConsumer(Client c, StreamGroup g, byte[] name, byte[] key) {
        Consumer con = g.consumers.get(name);
        if (con == null) return createConsumer(c, g, name, key);
        con.seenTime = c.engine.nowMs();
        return con;
    }

    /** The XGROUP subcommands share one parser, as xgroupCommand does. */
    static void xgroup(Client c, byte[][] argv, int argc) {
        byte[] opt = argv[1];
        boolean create = Bytes.eqIgnoreCase(opt, "create");
        boolean mkstream = false;
        long entriesRead = StreamValue.INVALID_ENTRIES_READ;
        long[] num = new long[1];
        if (create && argc >= 5) {
            for (int i = 5; i < argc; ) {
                if (Bytes.eqIgnoreCase(argv[i], "mkstream")) {
                    mkstream = true;
                    i++;
                } else if (Bytes.eqIgnoreCase(argv[i], "entriesread") && i + 1 < argc) {
                    if (!Args.longOrReply(c, argv[i + 1], null, num)) return;
                    if (num[0] < 0 && num[0] != StreamValue.INVALID_ENTRIES_READ) {
                        c.reply.error("ERR value for ENTRIESREAD must be positive or -1");
                        return;
                    }
                    entriesRead = num[0];
                    i += 2;
                } else {
                    Help.subcommandSyntaxError(c, argv);
                    return;
                }
            }
        }
        Database db = c.db;
        byte[] key = argv[2];
        byte[] name = argv[3];
        int ref = db.lookupWrite(key);
        StreamValue s = null;
        if (ref != 0) {
            if ((s = StreamCommands.streamOrWrongType(c, db, ref)) == null) return;
        }
        StreamGroup g = null;
        if (!mkstream) {
            if (s == null) {
                c.reply.error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want"
                        + " to use the MKSTREAM option to create an empty stream automatically.");
                return;
            }
            g = s.groups.get(name);
            if (g == null && !create && !Bytes.eqIgnoreCase(opt, "destroy")) {
                c.reply.error("NOGROUP No such consumer group '" + Bytes.latin1(name) + "' for key name '"
                        + Bytes.latin1(key) + "'");
                return;
            }
        }
        if (create) {
            if (argc > 8) {
                Help.subcommandSyntaxError(c, argv);
                return;
            }
            StreamId id;
            if (argv[4].length == 1 && argv[4][0] == '$') id = s != null ? s.lastId : StreamId.MIN;
            else if ((id = StreamArgs.parseId(c, argv[4], true, 0, null)) == null) return;
            if (s == null) {
                s = new StreamValue();
                db.add(key, s, ValueType.STREAM, ValueType.ENC_STREAM);
            }
            if (s.groups.containsKey(name)) {
                c.reply.error("BUSYGROUP Consumer Group name already exists");
                return;
            }
            s.groups.put(name.clone(), new StreamGroup(id, entriesRead));
            c.reply.ok();
            c.engine.dirty++;
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xgroup-create", key, db.id);
        } else if (Bytes.eqIgnoreCase(opt, "setid")) {
            if (argc != 5 && argc != 7) {
                Help.subcommandSyntaxError(c, argv);
                return;
            }
            StreamId id;
            if (argv[4].length == 1 && argv[4][0] == '$') id = s.lastId;
            else if ((id = StreamArgs.parseId(c, argv[4], false, 0, null)) == null) return;
            if (argc == 7) {
                if (!Bytes.eqIgnoreCase(argv[5], "entriesread")) {
                    Help.subcommandSyntaxError(c, argv);
                    return;
                }
                if (!Args.longOrReply(c, argv[6], null, num)) return;
                if (num[0] < 0 && num[0] != StreamValue.INVALID_ENTRIES_READ) {
                    c.reply.error("ERR value for ENTRIESREAD must be positive or -1");
                    return;
                }
                entriesRead = num[0];
            }
            g.lastId = id;
            g.entriesRead = entriesRead;
            c.reply.ok();
            c.engine.dirty++;
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xgroup-setid", key, db.id);
        } else if (Bytes.eqIgnoreCase(opt, "destroy")) {
            if (g == null) {
                c.reply.integer(0);
                return;
            }
            s.groups.remove(name);
            c.reply.integer(1);
            c.engine.dirty++;
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xgroup-destroy", key, db.id);
            c.engine.blocking.signalKeyAsReady(db, key); // XREADGROUP waiters get -NOGROUP
        } else if (Bytes.eqIgnoreCase(opt, "createconsumer")) {
            if (g.consumers.containsKey(argv[4])) {
                c.reply.integer(0);
                return;
            }
            createConsumer(c, g, argv[4], key);
            c.reply.integer(1);
        } else { // delconsumer
            Consumer con = g.consumers.get(argv[4]);
            long pending = 0;
            if (con != null) {
                pending = con.pel.size();
                for (StreamId id : con.pel.keySet()) g.pel.remove(id);
                g.consumers.remove(argv[4]);
                c.engine.dirty++;
                    c.engine.notifier.notify(KeyspaceEvents.STREAM, "xgroup-delconsumer", key, db.id);
            }
            c.reply.integer(pending);
        }
    }

    /** XACK key group id [id ...]: no event, as in Redis. */
    static void xack(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        StreamGroup g = null;
        if (ref != 0) {
            StreamValue s = StreamCommands.streamOrWrongType(c, db, ref);
            if (s == null) return;
            g = s.groups.get(argv[2]);
        }
        if (g == null) {
            c.reply.integer(0);
            return;
        }
        StreamCommands.beforeInPlaceChange(db, ref);
        StreamId[] ids = new StreamId[argc - 3];
        for (int j = 3; j < argc; j++) {
            if ((ids[j - 3] = StreamArgs.parseId(c, argv[j], true, 0, null)) == null) return;
        }
        long acked = 0;
        for (StreamId id : ids) {
            Nack n = g.pel.remove(id);
            if (n != null) {
                n.consumer.pel.remove(id);
                acked++;
            }
        }
        c.engine.dirty += acked;
        c.reply.integer(acked);
    }

    /** XPENDING key group [[IDLE min-idle] start end count [consumer]]. */
    static void xpending(Client c, byte[][] argv, int argc) {
        boolean summary = argc == 3;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        long[] num = new long[1];
        long minIdle = 0, count = 0;
        StreamId start = null, end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int startIdx = 3;
            if (Bytes.eqIgnoreCase(argv[3], "idle")) {
                if (!Args.longOrReply(c, argv[4], null, num)) return;
                minIdle = num[0];
                if (argc < 8) {
                    c.reply.error(Errors.SYNTAX);
                    return;
                }
                startIdx += 2;
            }
            if (!Args.longOrReply(c, argv[startIdx + 2], null, num)) return;
            count = Math.max(0, num[0]);
            boolean[] ex = new boolean[1];
            if ((start = StreamArgs.parseInterval(c, argv[startIdx], 0, ex)) == null) return;
            if (ex[0] && (start = start.next()) == null) {
                c.reply.error("ERR invalid start ID for the interval");
                return;
            }
            if ((end = StreamArgs.parseInterval(c, argv[startIdx + 1], -1L, ex)) == null) return;
            if (ex[0] && (end = end.prev()) == null) {
                c.reply.error("ERR invalid end ID for the interval");
                return;
            }
            if (startIdx + 3 < argc) consumerName = argv[startIdx + 3];
        }
        Database db = c.db;
        int ref = db.lookupRead(argv[1]);
        StreamGroup g = null;
        if (ref != 0) {
            StreamValue s = StreamCommands.streamOrWrongType(c, db, ref);
            if (s == null) return;
            g = s.groups.get(argv[2]);
        }
        if (g == null) {
            c.reply.error(noGroup(argv[1], argv[2]));
            return;
        }
        if (summary) {
            c.reply.arrayHeader(4);
            c.reply.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                c.reply.nullBulk();
                c.reply.nullBulk();
                c.reply.nullArray();
                return;
            }
            StreamCommands.replyId(c, g.pel.firstKey());
            StreamCommands.replyId(c, g.pel.lastKey());
            int n = 0;
            for (Consumer con : g.consumers.values()) if (!con.pel.isEmpty()) n++;
            c.reply.arrayHeader(n);
            for (Consumer con : g.consumers.values()) {
                if (con.pel.isEmpty()) continue;
                c.reply.arrayHeader(2);
                c.reply.bulk(con.name);
                c.reply.bulkLong(con.pel.size());
            }
            return;
        }
        Map<StreamId, Nack> pel = g.pel;
        if (consumerName != null) {
            Consumer con = g.consumers.get(consumerName);
            if (con == null) {
                c.reply.emptyArray();
                return;
            }
            pel = con.pel;
        }
        long now = c.engine.nowMs();
        List<Map.Entry<StreamId, Nack>> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, Nack> e : ((java.util.NavigableMap<StreamId, Nack>) pel).subMap(start, true, end, true).entrySet()) {
                if (out.size() == count) break;
                if (minIdle != 0 && now - e.getValue().deliveryTime < minIdle) continue;
                out.add(e);
            }
        }
        c.reply.arrayHeader(out.size());
        for (Map.Entry<StreamId, Nack> e : out) {
            Nack n = e.getValue();
            c.reply.arrayHeader(4);
            StreamCommands.replyId(c, e.getKey());
            c.reply.bulk(n.consumer.name);
            c.reply.integer(Math.max(0, now - n.deliveryTime));
            c.reply.integer(n.deliveryCount);
        }
    }

    /** The group named argv[2] of the stream at argv[1], or null after replying (WRONGTYPE, NOGROUP). */
    private static StreamGroup groupOrReply(Client c, byte[][] argv, StreamValue[] stream) {
        int ref = c.db.lookupRead(argv[1]);
        StreamGroup g = null;
        if (ref != 0) {
            StreamValue s = StreamCommands.streamOrWrongType(c, c.db, ref);
            if (s == null) return null;
            stream[0] = s;
            g = s.groups.get(argv[2]);
            if (g != null) StreamCommands.beforeInPlaceChange(c.db, ref);
        }
        if (g == null) c.reply.error(noGroup(argv[1], argv[2]));
        return g;
    }

    /** One claimed entry: its ID (JUSTID) or the entry, null when it is gone. */
    private static void replyClaimed(Client c, StreamValue s, StreamId id, boolean justId) {
        if (justId) {
            StreamCommands.replyId(c, id);
            return;
        }
        StreamValue.Cursor e = s.find(id);
        if (e == null) c.reply.nullBulk();
        else StreamCommands.replyEntry(c, e);
    }

    /** Moves a pending entry to {@code to} (its consumer may be null after FORCE). */
    private static void moveNack(StreamGroup g, Nack n, StreamId id, Consumer to) {
        if (n.consumer != to) {
            if (n.consumer != null) n.consumer.pel.remove(id);
            to.pel.put(id, n);
            n.consumer = to;
        }
    }

    /** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]. */
    static void xclaim(Client c, byte[][] argv, int argc) {
        StreamValue[] sv = new StreamValue[1];
        StreamGroup g = groupOrReply(c, argv, sv);
        if (g == null) return;
        StreamValue s = sv[0];
        long[] num = new long[1];
        if (!Args.longOrReply(c, argv[4], "Invalid min-idle-time argument for XCLAIM", num)) return;
        long minIdle = Math.max(0, num[0]);
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argc; j++) {
            StreamId id = StreamArgs.parseIdQuiet(argv[j], true, 0, null);
            if (id == null) break;
            ids.add(id);
        }
        long now = c.engine.nowMs();
        long retryCount = -1, deliveryTime = -1;
        boolean force = false, justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argc; j++) {
            boolean more = argc - 1 - j > 0;
            byte[] opt = argv[j];
            if (Bytes.eqIgnoreCase(opt, "force")) {
                force = true;
            } else if (Bytes.eqIgnoreCase(opt, "justid")) {
                justId = true;
            } else if (Bytes.eqIgnoreCase(opt, "idle") && more) {
                if (!Args.longOrReply(c, argv[++j], "Invalid IDLE option argument for XCLAIM", num)) return;
                deliveryTime = now - num[0];
            } else if (Bytes.eqIgnoreCase(opt, "time") && more) {
                if (!Args.longOrReply(c, argv[++j], "Invalid TIME option argument for XCLAIM", num)) return;
                deliveryTime = num[0];
            } else if (Bytes.eqIgnoreCase(opt, "retrycount") && more) {
                if (!Args.longOrReply(c, argv[++j], "Invalid RETRYCOUNT option argument for XCLAIM", num)) return;
                retryCount = num[0];
            } else if (Bytes.eqIgnoreCase(opt, "lastid") && more) {
                if ((lastId = StreamArgs.parseId(c, argv[++j], true, 0, null)) == null) return;
            } else {
                c.reply.error("ERR Unrecognized XCLAIM option '" + Bytes.latin1(opt) + "'");
                return;
            }
        }
        c.engine.propagation.prevent();
        // A new last ID counts as one change only when no claim carries it (Redis propagates it
        // with the XCLAIMs it emits, else as an XGROUP SETID).
        boolean lastIdMoved = lastId.compareTo(g.lastId) > 0;
        if (lastIdMoved) g.lastId = lastId;
        long changes = 0;
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
        } else {
            deliveryTime = now;
        }
        Consumer consumer = null;
        int handle = c.reply.deferLength();
        long n = 0;
        for (int i = 0; i < ids.size(); i++) {
            StreamId id = ids.get(i);
            byte[] idArg = argv[5 + i]; // propagated as the caller wrote it
            Nack nack = g.pel.get(id);
            if (!s.contains(id)) {
                if (nack != null) { // the entry is gone: drop it from the PEL
                    propagateClaim(c, argv[1], argv[2], g, idArg, nack); // as it was, before it goes
                    g.pel.remove(id);
                    nack.consumer.pel.remove(id);
                    changes++;
                }
                continue;
            }
            if (force && nack == null) {
                nack = new Nack(null, now, 1);
                g.pel.put(id, nack);
            }
            if (nack == null) continue;
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) continue;
            if (consumer == null) consumer = lookupOrCreateConsumer(c, g, argv[3], argv[1]);
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) nack.deliveryCount = retryCount;
            else if (!justId) nack.deliveryCount++;
            moveNack(g, nack, id, consumer);
            replyClaimed(c, s, id, justId);
            propagateClaim(c, argv[1], argv[2], g, idArg, nack);
            n++;
            changes++;
        }
        if (lastIdMoved && changes == 0) {
            changes = 1;
            propagateGroupId(c, argv[1], argv[2], g);
        }
        c.reply.setDeferredArray(handle, n);
        c.engine.dirty += changes;
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]. */
    static void xautoclaim(Client c, byte[][] argv, int argc) {
        long[] num = new long[1];
        if (!Args.longOrReply(c, argv[4], "Invalid min-idle-time argument for XAUTOCLAIM", num)) return;
        long minIdle = Math.max(0, num[0]);
        boolean[] ex = new boolean[1];
        StreamId start = StreamArgs.parseInterval(c, argv[5], 0, ex);
        if (start == null) return;
        if (ex[0] && (start = start.next()) == null) {
            c.reply.error("ERR invalid start ID for the interval");
            return;
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argc; j++) {
            boolean more = argc - 1 - j > 0;
            if (Bytes.eqIgnoreCase(argv[j], "count") && more) {
                if (!Args.rangeLongOrReply(c, argv[j + 1], 1, Long.MAX_VALUE / 16, "COUNT must be > 0", num)) return;
                count = num[0];
                j++;
            } else if (Bytes.eqIgnoreCase(argv[j], "justid")) {
                justId = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        StreamValue[] sv = new StreamValue[1];
        StreamGroup g = groupOrReply(c, argv, sv);
        if (g == null) return;
        StreamValue s = sv[0];
        // First decide, then reply and change: the cursor and the number of claims precede in the
        // reply the event of a consumer created on the first claim.
        long attempts = count * 10;
        long now = c.engine.nowMs();
        c.engine.propagation.prevent();
        List<StreamId> claimed = new ArrayList<>(), deleted = new ArrayList<>(), visited = new ArrayList<>();
        StreamId at = g.pel.ceilingKey(start);
        while (attempts-- != 0 && count != 0 && at != null) {
            StreamId id = at;
            at = g.pel.higherKey(id);
            if (!s.contains(id)) {
                deleted.add(id);
                visited.add(id);
                count--;
            } else if (minIdle == 0 || now - g.pel.get(id).deliveryTime >= minIdle) {
                claimed.add(id);
                visited.add(id);
                count--;
            }
        }
        c.reply.arrayHeader(3);
        StreamCommands.replyId(c, at == null ? StreamId.MIN : at);
        c.reply.arrayHeader(claimed.size());
        Consumer consumer = null;
        for (StreamId id : claimed) {
            Nack nack = g.pel.get(id);
            if (consumer == null) consumer = lookupOrCreateConsumer(c, g, argv[3], argv[1]);
            nack.deliveryTime = now;
            if (!justId) nack.deliveryCount++;
            moveNack(g, nack, id, consumer);
            replyClaimed(c, s, id, justId);
        }
        // Propagated in PEL order: a claim as it is now, a deleted entry as it was before it goes.
        for (StreamId id : visited) propagateClaim(c, argv[1], argv[2], g, id.toBytes(), g.pel.get(id));
        for (StreamId id : deleted) g.pel.remove(id).consumer.pel.remove(id);
        c.reply.arrayHeader(deleted.size());
        for (StreamId id : deleted) StreamCommands.replyId(c, id);
        long changes = claimed.size() + deleted.size();
        c.engine.dirty += changes;
    }
}
