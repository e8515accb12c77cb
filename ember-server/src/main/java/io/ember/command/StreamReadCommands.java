package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Blocking;
import io.ember.engine.Database;
import io.ember.type.StreamGroup;
import io.ember.type.StreamGroup.Consumer;
import io.ember.type.StreamGroup.Nack;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.Map;

/**
 * XREAD and XREADGROUP (t_stream.c xreadCommand), including BLOCK through {@link Blocking}.
 *
 * <p>Blocking follows Redis 7.0's serveClientsBlockedOnStreamKey: the client parks with its IDs
 * resolved ("$" becomes the stream's last ID at the time it blocked, which is why the command is
 * parked with a rewritten argument list); XADD signals the key; when the command runs again it
 * serves only the key that became ready, and only if that stream's last ID is past the one it
 * waits for (for a group: the group's last delivered ID, re-read at that moment). A group
 * destroyed meanwhile ends the wait with -NOGROUP.
 */
final class StreamReadCommands {
    private StreamReadCommands() {}

    static void register(CommandTable t) {
        t.add("xread", (c, argv, argc) -> xread(c, argv, argc, false));
        t.add("xreadgroup", (c, argv, argc) -> xread(c, argv, argc, true));
    }

    /** The ">" ID of XREADGROUP, as Redis encodes it. */
    private static final StreamId NEW_ONLY = StreamId.MAX;

    static void xread(Client c, byte[][] argv, int argc, boolean group) {
        long timeout = -1, count = 0;
        int streamsArg = 0, streamsCount = 0;
        byte[] groupName = null, consumerName = null;
        boolean noack = false;
        long[] num = new long[1];
        String cmd = group ? "xreadgroup" : "xread";
        for (int i = 1; i < argc; i++) {
            int more = argc - i - 1;
            byte[] o = argv[i];
            if (Bytes.eqIgnoreCase(o, "block") && more > 0) {
                i++;
                if (!Args.longOrReply(c, argv[i], "timeout is not an integer or out of range", num)) return;
                if (num[0] < 0) {
                    c.reply.error("ERR timeout is negative");
                    return;
                }
                timeout = num[0];
            } else if (Bytes.eqIgnoreCase(o, "count") && more > 0) {
                i++;
                if (!Args.longOrReply(c, argv[i], null, num)) return;
                count = Math.max(0, num[0]);
            } else if (Bytes.eqIgnoreCase(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streamsCount = argc - streamsArg;
                if (streamsCount % 2 != 0) {
                    c.reply.error("ERR Unbalanced '" + cmd + "' list of streams: for each stream key an ID or '$' must be specified.");
                    return;
                }
                streamsCount /= 2;
                break;
            } else if (Bytes.eqIgnoreCase(o, "group") && more >= 2) {
                if (!group) {
                    c.reply.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                groupName = argv[i + 1];
                consumerName = argv[i + 2];
                i += 2;
            } else if (Bytes.eqIgnoreCase(o, "noack")) {
                if (!group) {
                    c.reply.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                noack = true;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        if (streamsArg == 0) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (group && groupName == null) {
            c.reply.error("ERR Missing GROUP option for XREADGROUP");
            return;
        }
        // XREADGROUP is never propagated itself: what it changed goes out as XCLAIM/XGROUP commands
        if (group) c.engine.propagation.prevent();
        Database db = c.db;
        byte[] ready = c.engine.blocking.readyKey(c);
        if (ready != null) {
            serveWoken(c, db, argv, argc, streamsArg, streamsCount, ready, groupName, consumerName, noack, count);
            return;
        }
        StreamId[] ids = new StreamId[streamsCount];
        StreamGroup[] groups = group ? new StreamGroup[streamsCount] : null;
        for (int i = streamsArg + streamsCount; i < argc; i++) {
            int idx = i - streamsArg - streamsCount;
            byte[] key = argv[i - streamsCount];
            int ref = db.lookupRead(key);
            if (ref != 0 && db.type(ref) != ValueType.STREAM) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
            StreamValue s = ref == 0 ? null : (StreamValue) db.value(ref);
            if (group) {
                if (s == null || (groups[idx] = s.groups.get(groupName)) == null) {
                    c.reply.error("NOGROUP No such key '" + Bytes.latin1(key) + "' or consumer group '"
                            + Bytes.latin1(groupName) + "' in XREADGROUP with GROUP option");
                    return;
                }
            }
            byte[] a = argv[i];
            if (a.length == 1 && a[0] == '$') {
                if (group) {
                    c.reply.error("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history"
                            + " of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID"
                            + " would just return an empty result set.");
                    return;
                }
                ids[idx] = s != null ? s.lastId : StreamId.MIN;
                continue;
            } else if (a.length == 1 && a[0] == '>') {
                if (!group) {
                    c.reply.error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group>"
                            + " <consumer> option.");
                    return;
                }
                ids[idx] = NEW_ONLY;
                continue;
            }
            if ((ids[idx] = StreamArgs.parseId(c, a, true, 0, null)) == null) return;
        }
        int handle = -1;
        long served = 0;
        for (int i = 0; i < streamsCount; i++) {
            byte[] key = argv[streamsArg + i];
            int ref = db.lookupRead(key);
            if (ref == 0) continue;
            if (group) StreamCommands.beforeInPlaceChange(db, ref);
            StreamValue s = (StreamValue) db.value(ref);
            StreamId gt = ids[i];
            boolean serve = false, history = false;
            Consumer consumer = null;
            if (group) {
                if (!gt.equals(NEW_ONLY)) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0 && s.lastEntryId().compareTo(groups[i].lastId) > 0) {
                    serve = true;
                    gt = groups[i].lastId;
                }
            } else if (s.length() > 0 && s.lastEntryId().compareTo(gt) > 0) {
                serve = true;
            }
            if (!serve) continue;
            if (served++ == 0) handle = c.reply.deferLength();
            StreamId start = gt.next();
            if (!c.reply.resp3()) c.reply.arrayHeader(2);
            c.reply.bulk(key);
            // 7.0 looks the consumer up (or creates it, an event) only when it serves it something.
            boolean created = group && !groups[i].consumers.containsKey(consumerName);
            if (group) consumer = StreamGroupCommands.lookupOrCreateConsumer(c, groups[i], consumerName, key);
            // Without NOACK the XCLAIMs propagated for the entries create the consumer
            if (created && noack) StreamGroupCommands.propagateConsumerCreation(c, key, groupName, consumerName);
            if (history) replyHistory(c, s, start, count, consumer);
            else replyRange(c, s, start, count, group ? groups[i] : null, consumer, noack, key, groupName);
            if (group) {
                c.engine.dirty++;
                db.signalModified(key);
            }
        }
        if (served > 0) {
            if (c.reply.resp3()) c.reply.setDeferredMap(handle, served);
            else c.reply.setDeferredArray(handle, served);
            return;
        }
        if (timeout != -1) {
            if (!c.engine.blocking.canBlock(c)) {
                c.reply.nullArray();
                return;
            }
            long deadline = timeout == 0 ? 0 : c.engine.nowMs() + timeout;
            // Park with "$" resolved to the ID it stood for now.
            byte[][] parked = java.util.Arrays.copyOf(argv, argc);
            for (int i = 0; i < streamsCount; i++) {
                if (!ids[i].equals(NEW_ONLY) || !group) parked[streamsArg + streamsCount + i] = ids[i].toBytes();
            }
            c.engine.blocking.block(c, db, argv, streamsArg, streamsCount, deadline, parked, argc,
                    Blocking.TimeoutReply.NULL_ARRAY);
            return;
        }
        c.reply.nullArray();
    }

    /** serveClientsBlockedOnStreamKey: a parked XREAD/XREADGROUP runs again for one ready key. */
    private static void serveWoken(Client c, Database db, byte[][] argv, int argc, int streamsArg, int streamsCount,
                                   byte[] ready, byte[] groupName, byte[] consumerName, boolean noack, long count) {
        int idx = -1;
        for (int i = 0; i < streamsCount; i++) {
            if (java.util.Arrays.equals(argv[streamsArg + i], ready)) {
                idx = i;
                break;
            }
        }
        int ref = db.lookup(ready);
        if (idx < 0 || ref == 0 || db.type(ref) != ValueType.STREAM) {
            blockAgain(c, db, argv, argc, streamsArg, streamsCount);
            return;
        }
        StreamValue s = (StreamValue) db.value(ref);
        StreamGroup g = null;
        StreamId gt;
        if (groupName != null) {
            g = s.groups.get(groupName);
            if (g == null) {
                c.reply.error("NOGROUP the consumer group this client was blocked on no longer exists");
                return;
            }
            gt = g.lastId;
            StreamCommands.beforeInPlaceChange(db, ref);
        } else {
            gt = StreamArgs.parseIdQuiet(argv[streamsArg + streamsCount + idx], true, 0, null);
        }
        if (s.lastId.compareTo(gt) <= 0) {
            blockAgain(c, db, argv, argc, streamsArg, streamsCount);
            return;
        }
        if (c.reply.resp3()) {
            c.reply.mapHeader(1);
        } else {
            c.reply.arrayHeader(1);
            c.reply.arrayHeader(2);
        }
        c.reply.bulk(ready);
        Consumer consumer = null;
        if (g != null) {
            c.engine.propagation.prevent();
            boolean created = !g.consumers.containsKey(consumerName);
            consumer = StreamGroupCommands.lookupOrCreateConsumer(c, g, consumerName, ready);
            if (created && noack) StreamGroupCommands.propagateConsumerCreation(c, ready, groupName, consumerName);
        }
        replyRange(c, s, gt.next(), count, g, consumer, noack, ready, groupName);
        if (g != null) db.signalModified(ready);
    }

    private static void blockAgain(Client c, Database db, byte[][] argv, int argc, int streamsArg, int streamsCount) {
        c.engine.blocking.block(c, db, argv, streamsArg, streamsCount, 0, argv, argc, Blocking.TimeoutReply.NULL_ARRAY);
    }

    /**
     * streamReplyWithRange from {@code start} to the end, at most {@code count} (0 = all); with a
     * group, advances its last ID and records each entry as pending for {@code consumer}; each
     * such entry is propagated as an XCLAIM, and with NOACK the new last ID as an XGROUP SETID.
     */
    private static void replyRange(Client c, StreamValue s, StreamId start, long count, StreamGroup g, Consumer consumer,
                                   boolean noack, byte[] key, byte[] groupName) {
        int handle = c.reply.deferLength();
        long n = 0;
        long now = c.engine.nowMs();
        if (start != null) {
            StreamValue.Cursor e = s.range(start, StreamId.MAX, false);
            while (e.next()) {
                StreamId id = e.id();
                if (g != null && id.compareTo(g.lastId) > 0) s.advanceGroup(g, id);
                StreamCommands.replyEntry(c, e);
                if (g != null && !noack) {
                    Nack nack = g.pel.get(id);
                    if (nack == null) {
                        nack = new Nack(consumer, now, 1);
                        g.pel.put(id, nack);
                        consumer.pel.put(id, nack);
                    } else {
                        nack.consumer.pel.remove(id);
                        nack.consumer = consumer;
                        nack.deliveryTime = now;
                        nack.deliveryCount = 1;
                        consumer.pel.put(id, nack);
                    }
                    StreamGroupCommands.propagateClaim(c, key, groupName, g, id.toBytes(), nack);
                }
                if (++n == count) break;
            }
        }
        if (g != null && noack && n > 0) StreamGroupCommands.propagateGroupId(c, key, groupName, g);
        c.reply.setDeferredArray(handle, n);
    }

    /** streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from {@code start}. */
    private static void replyHistory(Client c, StreamValue s, StreamId start, long count, Consumer consumer) {
        int handle = c.reply.deferLength();
        long n = 0;
        long now = c.engine.nowMs();
        if (start != null) {
            for (Map.Entry<StreamId, Nack> e : consumer.pel.tailMap(start, true).entrySet()) {
                if (count != 0 && n >= count) break;
                StreamValue.Cursor fv = s.find(e.getKey());
                if (fv == null) {
                    c.reply.arrayHeader(2);
                    StreamCommands.replyId(c, e.getKey());
                    c.reply.nullArray();
                } else {
                    StreamCommands.replyEntry(c, fv);
                    e.getValue().deliveryTime = now;
                    e.getValue().deliveryCount++;
                }
                n++;
            }
        }
        c.reply.setDeferredArray(handle, n);
    }
}
