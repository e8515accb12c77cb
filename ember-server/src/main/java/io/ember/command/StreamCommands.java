package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.StreamId;
import io.ember.type.StreamValue;
import io.ember.type.ValueType;

/**
 * Stream entries (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID. Consumer
 * groups are in {@link StreamGroupCommands}, XREAD/XREADGROUP in {@link StreamReadCommands},
 * XINFO in {@link StreamInfoCommand}. A stream emptied by XDEL or XTRIM stays (Redis keeps
 * empty streams: their last ID and groups still matter).
 */
final class StreamCommands {
    private StreamCommands() {}

    static void register(CommandTable t) {
        t.add("xadd", StreamCommands::xadd);
        t.add("xlen", StreamCommands::xlen);
        t.add("xrange", (c, argv, argc) -> xrange(c, argv, argc, false));
        t.add("xrevrange", (c, argv, argc) -> xrange(c, argv, argc, true));
        t.add("xdel", StreamCommands::xdel);
        t.add("xtrim", StreamCommands::xtrim);
        t.add("xsetid", StreamCommands::xsetid);
        StreamGroupCommands.register(t);
        StreamReadCommands.register(t);
        StreamInfoCommand.register(t);
    }

    /** The stream at {@code ref}, or null after a WRONGTYPE reply. */
    static StreamValue streamOrWrongType(Client c, Database db, int ref) {
        if (db.type(ref) != ValueType.STREAM) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return (StreamValue) db.value(ref);
    }

    /**
     * XACK, XCLAIM, XAUTOCLAIM and XREADGROUP look their key up for reading, as Redis does (the
     * hit/miss counters), yet change the stream's groups in place: a snapshot in progress (BGSAVE)
     * must copy the key first, which lookupWrite would have done.
     */
    static void beforeInPlaceChange(Database db, int ref) {
        if (db.table().guard != null) db.table().guard.beforeChange(ref);
    }

    static void replyId(Client c, StreamId id) {
        c.reply.bulk(id.toBytes());
    }

    /** The cursor's entry as [id, [field, value, ...]], straight from the node's bytes. */
    static void replyEntry(Client c, StreamValue.Cursor e) {
        c.reply.arrayHeader(2);
        replyId(c, e.id());
        int n = e.strings();
        c.reply.arrayHeader(n);
        e.rewind();
        byte[] buf = e.buf();
        for (int i = 0; i < n; i++) {
            e.nextString();
            c.reply.bulk(buf, e.stringAt(), e.stringLength());
        }
    }

    static void xadd(Client c, byte[][] argv, int argc) {
        StreamArgs.TrimArgs a = StreamArgs.parseAddOrTrim(c, argv, argc, true);
        if (a == null) return;
        int fieldPos = a.idIndex + 1;
        if (argc - fieldPos < 2 || (argc - fieldPos) % 2 == 1) {
            c.reply.error(Errors.wrongArgs(c.lastCommand));
            return;
        }
        if (a.id != null && a.seqGiven && a.id.isZero()) {
            c.reply.error("ERR The ID specified in XADD must be greater than 0-0");
            return;
        }
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        StreamValue s;
        if (ref == 0) {
            if (a.noMkStream) {
                c.reply.nullBulk();
                return;
            }
            s = new StreamValue();
            db.add(argv[1], s, ValueType.STREAM, ValueType.ENC_STREAM);
        } else {
            s = streamOrWrongType(c, db, ref);
            if (s == null) return;
        }
        if (s.lastId.equals(StreamId.MAX)) {
            c.reply.error("ERR The stream has exhausted the last possible ID, unable to add more items");
            return;
        }
        StreamId id = nextId(s, a, c.engine.nowMs());
        if (id == null) {
            c.reply.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            return;
        }
        s.append(id, argv, fieldPos, argc, c.engine.config.streamNodeMaxBytes, c.engine.config.streamNodeMaxEntries);
        replyId(c, id);
        db.signalModified(argv[1]);
        c.engine.notifier.notify(KeyspaceEvents.STREAM, "xadd", argv[1], db.id);
        c.engine.dirty++;
        if (a.strategy != StreamArgs.TrimArgs.NONE && trim(s, a) > 0) {
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xtrim", argv[1], db.id);
        }
        c.engine.blocking.signalKeyAsReady(db, argv[1]);
        if (Rewrites.on(c) && (a.approx || a.id == null || !a.seqGiven)) {
            // The generated ID, and an approximate trim as the exact one it turned out to be
            byte[][] r = java.util.Arrays.copyOf(argv, argc);
            if (a.approx) exactTrim(r, s, a);
            if (a.id == null || !a.seqGiven) r[a.idIndex] = id.toBytes();
            Rewrites.as(c, r);
        }
    }

    private static final byte[] EQUALS = {'='};

    /**
     * MAXLEN|MINID ~ n becomes MAXLEN = (length now) or MINID = (first ID, deleted entries
     * included), so a replay trims exactly what this server did.
     */
    private static void exactTrim(byte[][] r, StreamValue s, StreamArgs.TrimArgs a) {
        r[a.trimIndex - 1] = EQUALS;
        r[a.trimIndex] = a.strategy == StreamArgs.TrimArgs.MAXLEN ? io.ember.util.Numbers.toBytes(s.length())
                : s.firstIdWithTombstones().toBytes();
    }

    /** The ID of a new entry (streamAppendItem's checks), or null if not above the top item. */
    private static StreamId nextId(StreamValue s, StreamArgs.TrimArgs a, long nowMs) {
        StreamId last = s.lastId;
        StreamId id;
        if (a.id == null) {
            id = Long.compareUnsigned(nowMs, last.ms) > 0 ? new StreamId(nowMs, 0) : last.next();
        } else if (a.seqGiven) {
            id = a.id;
        } else if (a.id.ms == last.ms) {
            if (last.seq == -1L) return null;
            id = new StreamId(last.ms, last.seq + 1);
        } else {
            id = new StreamId(a.id.ms, 0);
        }
        return id.compareTo(last) > 0 ? id : null;
    }

    private static long trim(StreamValue s, StreamArgs.TrimArgs a) {
        boolean maxlen = a.strategy == StreamArgs.TrimArgs.MAXLEN;
        return s.trim(a.maxLen, maxlen ? null : a.minId, a.approx, a.limit);
    }

    static void xlen(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        StreamValue s = streamOrWrongType(c, c.db, ref);
        if (s != null) c.reply.integer(s.length());
    }

    /** XRANGE key start end [COUNT n] / XREVRANGE key end start [COUNT n]. */
    static void xrange(Client c, byte[][] argv, int argc, boolean rev) {
        boolean[] ex = new boolean[1];
        StreamId start = StreamArgs.parseInterval(c, rev ? argv[3] : argv[2], 0, ex);
        if (start == null) return;
        if (ex[0] && (start = start.next()) == null) {
            c.reply.error("ERR invalid start ID for the interval");
            return;
        }
        StreamId end = StreamArgs.parseInterval(c, rev ? argv[2] : argv[3], -1L, ex);
        if (end == null) return;
        if (ex[0] && (end = end.prev()) == null) {
            c.reply.error("ERR invalid end ID for the interval");
            return;
        }
        long count = -1;
        long[] num = new long[1];
        for (int j = 4; j < argc; j++) {
            if (io.ember.util.Bytes.eqIgnoreCase(argv[j], "count") && argc - j - 1 >= 1) {
                if (!Args.longOrReply(c, argv[j + 1], null, num)) return;
                count = Math.max(0, num[0]);
                j++;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.emptyArray();
            return;
        }
        StreamValue s = streamOrWrongType(c, c.db, ref);
        if (s == null) return;
        if (count == 0) {
            c.reply.nullArray();
            return;
        }
        replyRange(c, s, start, end, count == -1 ? 0 : count, rev);
    }

    /** streamReplyWithRange without a group: entries in [start, end], at most count (0 = all). */
    static long replyRange(Client c, StreamValue s, StreamId start, StreamId end, long count, boolean rev) {
        int handle = c.reply.deferLength();
        long n = 0;
        StreamValue.Cursor e = s.range(start, end, rev);
        while ((count == 0 || n < count) && e.next()) {
            replyEntry(c, e);
            n++;
        }
        c.reply.setDeferredArray(handle, n);
        return n;
    }

    static void xdel(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        StreamValue s = streamOrWrongType(c, db, ref);
        if (s == null) return;
        StreamId[] ids = new StreamId[argc - 2];
        for (int j = 2; j < argc; j++) {
            if ((ids[j - 2] = StreamArgs.parseId(c, argv[j], true, 0, null)) == null) return;
        }
        long deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                if (id.compareTo(s.maxDeletedId) > 0) s.maxDeletedId = id;
                deleted++;
            }
        }
        if (deleted > 0) {
            db.signalModified(argv[1]);
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xdel", argv[1], db.id);
            c.engine.dirty += deleted;
        }
        c.reply.integer(deleted);
    }

    static void xtrim(Client c, byte[][] argv, int argc) {
        StreamArgs.TrimArgs a = StreamArgs.parseAddOrTrim(c, argv, argc, false);
        if (a == null) return;
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        StreamValue s = streamOrWrongType(c, db, ref);
        if (s == null) return;
        long deleted = trim(s, a);
        if (deleted > 0) {
            c.engine.notifier.notify(KeyspaceEvents.STREAM, "xtrim", argv[1], db.id);
            db.signalModified(argv[1]);
            c.engine.dirty += deleted;
            if (a.approx && Rewrites.on(c)) {
                byte[][] r = java.util.Arrays.copyOf(argv, argc);
                exactTrim(r, s, a);
                Rewrites.as(c, r);
            }
        }
        c.reply.integer(deleted);
    }

    /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id]. */
    static void xsetid(Client c, byte[][] argv, int argc) {
        StreamId id = StreamArgs.parseId(c, argv[2], true, 0, null);
        if (id == null) return;
        long entriesAdded = -1;
        StreamId maxDel = StreamId.MIN;
        long[] num = new long[1];
        for (int i = 3; i < argc; i += 2) {
            boolean more = argc - 1 - i > 0;
            if (io.ember.util.Bytes.eqIgnoreCase(argv[i], "entriesadded") && more) {
                if (!Args.longOrReply(c, argv[i + 1], null, num)) return;
                if (num[0] < 0) {
                    c.reply.error("ERR entries_added must be positive");
                    return;
                }
                entriesAdded = num[0];
            } else if (io.ember.util.Bytes.eqIgnoreCase(argv[i], "maxdeletedid") && more) {
                if ((maxDel = StreamArgs.parseId(c, argv[i + 1], true, 0, null)) == null) return;
                if (id.compareTo(maxDel) < 0) {
                    c.reply.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                    return;
                }
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        StreamValue s = streamOrWrongType(c, db, ref);
        if (s == null) return;
        // 7.0.15 does not compare the new last ID with the current max deleted ID.
        if (s.length() > 0) {
            if (id.compareTo(s.lastEntryId()) < 0) {
                c.reply.error("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && s.length() > entriesAdded) {
                c.reply.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        s.lastId = id;
        if (entriesAdded != -1) s.entriesAdded = entriesAdded;
        if (!maxDel.isZero()) s.maxDeletedId = maxDel;
        c.reply.ok(); // before the event, as in Redis; 7.0 does not signal XSETID to WATCH
        c.engine.notifier.notify(KeyspaceEvents.STREAM, "xsetid", argv[1], db.id);
        c.engine.dirty++;
    }
}
