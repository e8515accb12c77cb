package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Blocking;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.resp.Reply;
import io.ember.type.Listpack;
import io.ember.type.Quicklist;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/**
 * List commands (t_list.c, Redis 7.0). A list is a {@link Quicklist}; OBJECT ENCODING always says
 * "quicklist". Lists are changed in place: every write signals the key and adds its changes to
 * {@code engine.dirty}; a list left empty is deleted.
 *
 * <p>Keyspace notifications follow t_list.c 7.0 call for call, including where they fall
 * relative to the reply (a RESP3 client subscribed to its own keys sees the push before or after
 * the reply as in Redis): pushes fire lpush/rpush after the reply; pops fire lpop/rpop after it,
 * then "del" when the list is emptied; LMOVE fires the destination's push, the reply, then the
 * source's pop. The "new" event of a created list comes from {@link Database#add}.
 *
 * <p>Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) park the client through
 * {@link Blocking} when nothing can be served; when a key they wait for is created, Blocking runs
 * the command again and it serves the client from that key only, as 7.0's serveClientsBlockedOnKey
 * does (see docs/blocking.md). Inside MULTI they answer at once with their null reply.
 */
public final class ListCommands {
    private ListCommands() {}

    static void register(CommandTable t) {
        t.add("lpush", (c, argv, argc) -> push(c, argv, argc, true, false));
        t.add("rpush", (c, argv, argc) -> push(c, argv, argc, false, false));
        t.add("lpushx", (c, argv, argc) -> push(c, argv, argc, true, true));
        t.add("rpushx", (c, argv, argc) -> push(c, argv, argc, false, true));
        t.add("lpop", (c, argv, argc) -> pop(c, argv, argc, true));
        t.add("rpop", (c, argv, argc) -> pop(c, argv, argc, false));
        t.add("llen", ListCommands::llen);
        t.add("lindex", ListCommands::lindex);
        t.add("lset", ListCommands::lset);
        t.add("lrange", ListCommands::lrange);
        t.add("ltrim", ListCommands::ltrim);
        t.add("linsert", ListCommands::linsert);
        t.add("lrem", ListCommands::lrem);
        t.add("lpos", ListCommands::lpos);
        t.add("lmove", ListCommands::lmove);
        t.add("rpoplpush", ListCommands::rpoplpush);
        t.add("lmpop", ListCommands::lmpop);
        t.add("blpop", (c, argv, argc) -> blockingPop(c, argv, argc, 1, argc - 2, true, argc - 1, -1));
        t.add("brpop", (c, argv, argc) -> blockingPop(c, argv, argc, 1, argc - 2, false, argc - 1, -1));
        t.add("blmove", ListCommands::blmove);
        t.add("brpoplpush", ListCommands::brpoplpush);
        t.add("blmpop", ListCommands::blmpop);
    }

    private static final String OUT_OF_RANGE = "ERR index out of range";
    private static final String MUST_BE_POSITIVE = "value is out of range, must be positive";
    /** LEFT/RIGHT arguments: LEFT is the head. */
    private static final int INVALID_WHERE = -1, HEAD = 1, TAIL = 0;

    // ---- helpers ------------------------------------------------------------------------------

    /** The list at {@code ref}, or null after replying WRONGTYPE. */
    private static Quicklist listOrWrongType(Client c, Database db, int ref) {
        if (db.type(ref) != ValueType.LIST) {
            c.reply.error(Errors.WRONGTYPE);
            return null;
        }
        return (Quicklist) db.value(ref);
    }

    /** A new empty list stored at {@code key} (creation wakes clients blocked on it). */
    private static Quicklist create(Client c, byte[] key) {
        Quicklist ql = new Quicklist(c.engine.config.listMaxListpackSize);
        c.db.add(key, ql, ValueType.LIST, ValueType.ENC_QUICKLIST);
        return ql;
    }

    /**
     * listElementsRemoved: fires lpop/rpop, deletes the key once empty (firing "del"), signals
     * it, counts the changes. Called after the popped elements were replied.
     */
    private static void elementsRemoved(Client c, byte[] key, Quicklist ql, boolean head, long removed) {
        KeyEvents.fire(c, KeyspaceEvents.LIST, head ? "lpop" : "rpop", key);
        deleteIfEmpty(c, key, ql);
        c.db.signalModified(key);
        c.engine.dirty += removed;
    }

    /** A list left empty by a write is deleted, with Redis's generic "del" event. */
    private static void deleteIfEmpty(Client c, byte[] key, Quicklist ql) {
        if (ql.size() != 0) return;
        c.db.delete(key);
        KeyEvents.del(c, key);
    }


    /** An element straight from its listpack: integers as decimal bulks, strings without a copy. */
    private static void replyElement(Reply r, byte[] lp, int p) {
        if (Listpack.isInt(lp, p)) r.bulkLong(Listpack.intValue(lp, p));
        else r.bulk(lp, Listpack.stringStart(lp, p), Listpack.stringLength(lp, p));
    }

    /** getListPositionFromObjectOrReply: LEFT or RIGHT, else a syntax error. */
    private static int where(Client c, byte[] arg) {
        if (Bytes.eqIgnoreCase(arg, "left")) return HEAD;
        if (Bytes.eqIgnoreCase(arg, "right")) return TAIL;
        c.reply.error(Errors.SYNTAX);
        return INVALID_WHERE;
    }

    /** getRangeLongFromObjectOrReply(0..LONG_MAX or 1..LONG_MAX): the value, or -1 after replying "ERR msg". */
    private static long atLeastOrReply(Client c, byte[] arg, long min, String msg) {
        if (!Numbers.isLong(arg) || Numbers.parseLong(arg) < min) {
            c.reply.error("ERR " + msg);
            return -1;
        }
        return Numbers.parseLong(arg);
    }

    /**
     * addListRangeReply: the elements from start to end (inclusive, negative from the tail), in
     * reverse order when asked. Start is found by skipping whole nodes.
     */
    private static void replyRange(Client c, Quicklist ql, long start, long end, boolean reverse) {
        long llen = ql.size();
        if (start < 0) start += llen;
        if (end < 0) end += llen;
        if (start < 0) start = 0;
        if (start > end || start >= llen) {
            c.reply.emptyArray();
            return;
        }
        if (end >= llen) end = llen - 1;
        long n = end - start + 1;
        c.reply.arrayHeader(n);
        Quicklist.Cursor cur = ql.cursorAt(reverse ? end : start, !reverse);
        for (long i = 0; i < n; i++) {
            replyElement(c.reply, cur.listpack(), cur.offset());
            cur.next();
        }
    }

    /** Pops up to {@code count} elements from one end, replying them as an array (LPOP/RPOP count). */
    private static long popRange(Client c, Quicklist ql, boolean head, long count) {
        long n = Math.min(count, ql.size());
        if (head) {
            replyRange(c, ql, 0, n - 1, false);
            ql.deleteRange(0, n);
        } else {
            replyRange(c, ql, -n, -1, true);
            ql.deleteRange(-n, n);
        }
        return n;
    }

    /**
     * listPopRangeAndReplyWithKey: [key, [elements]] (LMPOP, BLMPOP). Propagated as LPOP/RPOP key
     * with the number of elements popped.
     */
    private static void popRangeWithKey(Client c, byte[] key, Quicklist ql, boolean head, long count) {
        c.reply.arrayHeader(2);
        c.reply.bulk(key);
        long n = popRange(c, ql, head, count);
        elementsRemoved(c, key, ql, head, n);
        if (Rewrites.on(c)) Rewrites.as(c, head ? LPOP : RPOP, key, Numbers.toBytes(n));
    }

    private static final byte[] LPOP = Bytes.ascii("LPOP"), RPOP = Bytes.ascii("RPOP");
    private static final byte[] LMOVE = Bytes.ascii("LMOVE"), RPOPLPUSH = Bytes.ascii("RPOPLPUSH");
    /** What Redis writes for the ends of a woken BLMOVE (its shared.left/right objects). */
    private static final byte[] LEFT = Bytes.ascii("left"), RIGHT = Bytes.ascii("right");

    // ---- push and pop -------------------------------------------------------------------------

    /** LPUSH/RPUSH key element..., and LPUSHX/RPUSHX ({@code xx}: only onto an existing list). */
    private static void push(Client c, byte[][] argv, int argc, boolean head, boolean xx) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        Quicklist ql;
        if (ref != 0) {
            if ((ql = listOrWrongType(c, db, ref)) == null) return;
        } else if (xx) {
            c.reply.integer(0);
            return;
        } else {
            ql = create(c, argv[1]);
        }
        for (int j = 2; j < argc; j++) {
            if (head) ql.pushHead(argv[j]);
            else ql.pushTail(argv[j]);
        }
        c.engine.dirty += argc - 2;
        c.reply.integer(ql.size());
        db.signalModified(argv[1]);
        KeyEvents.fire(c, KeyspaceEvents.LIST, head ? "lpush" : "rpush", argv[1]);
    }

    /** LPOP/RPOP key [count]: a bulk without count; with one, an array (a null array when the key is missing). */
    private static void pop(Client c, byte[][] argv, int argc, boolean head) {
        if (argc > 3) {
            c.reply.error(Errors.wrongArgs(c.lastCommand));
            return;
        }
        boolean hasCount = argc == 3;
        long count = 0;
        if (hasCount && (count = atLeastOrReply(c, argv[2], 0, MUST_BE_POSITIVE)) < 0) return;
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            if (hasCount) c.reply.nullArray();
            else c.reply.nullBulk();
            return;
        }
        Quicklist ql = listOrWrongType(c, db, ref);
        if (ql == null) return;
        if (hasCount && count == 0) {
            c.reply.emptyArray();
            return;
        }
        if (!hasCount) {
            c.reply.bulk(head ? ql.popHead() : ql.popTail());
            elementsRemoved(c, argv[1], ql, head, 1);
        } else {
            long n = popRange(c, ql, head, count);
            elementsRemoved(c, argv[1], ql, head, n);
        }
    }

    // ---- reads --------------------------------------------------------------------------------

    static void llen(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Quicklist ql = listOrWrongType(c, c.db, ref);
        if (ql != null) c.reply.integer(ql.size());
    }

    /** LINDEX key index: the key and its type are checked before the index is parsed, as in Redis. */
    static void lindex(Client c, byte[][] argv, int argc) {
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.nullBulk();
            return;
        }
        Quicklist ql = listOrWrongType(c, c.db, ref);
        if (ql == null) return;
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        Quicklist.Cursor cur = ql.cursorAt(Numbers.parseLong(argv[2]), true);
        if (cur == null) c.reply.nullBulk();
        else replyElement(c.reply, cur.listpack(), cur.offset());
    }

    static void lrange(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2]) || !Numbers.isLong(argv[3])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.emptyArray();
            return;
        }
        Quicklist ql = listOrWrongType(c, c.db, ref);
        if (ql != null) replyRange(c, ql, Numbers.parseLong(argv[2]), Numbers.parseLong(argv[3]), false);
    }

    /**
     * LPOS key element [RANK rank] [COUNT num] [MAXLEN len]: the index of the rank-th match (from
     * the tail when rank is negative), or with COUNT an array of up to num matches (0: all),
     * looking at no more than len elements (0: all).
     */
    static void lpos(Client c, byte[][] argv, int argc) {
        long rank = 1, count = -1, maxlen = 0; // count -1: no COUNT option
        for (int j = 3; j < argc; j++) {
            boolean more = j < argc - 1;
            if (Bytes.eqIgnoreCase(argv[j], "rank") && more) {
                if (!Numbers.isLong(argv[++j])) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                rank = Numbers.parseLong(argv[j]);
                if (rank == 0) {
                    c.reply.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                            + "or use negative to start from the end of the list");
                    return;
                }
            } else if (Bytes.eqIgnoreCase(argv[j], "count") && more) {
                if ((count = atLeastOrReply(c, argv[++j], 0, "COUNT can't be negative")) < 0) return;
            } else if (Bytes.eqIgnoreCase(argv[j], "maxlen") && more) {
                if ((maxlen = atLeastOrReply(c, argv[++j], 0, "MAXLEN can't be negative")) < 0) return;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) rank = -rank; // LONG_MIN stays negative, as in C: every match then counts
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            if (count != -1) c.reply.emptyArray();
            else c.reply.nullBulk();
            return;
        }
        Quicklist ql = listOrWrongType(c, c.db, ref);
        if (ql == null) return;
        int deferred = count != -1 ? c.reply.deferLength() : -1;
        long llen = ql.size();
        long index = 0, matches = 0, matchIndex = -1, found = 0;
        Quicklist.Cursor cur = ql.cursorAt(fromTail ? -1 : 0, !fromTail);
        for (; cur.valid() && (maxlen == 0 || index < maxlen); cur.next(), index++) {
            if (!cur.matches(argv[2])) continue;
            matches++;
            matchIndex = fromTail ? llen - index - 1 : index;
            if (matches >= rank) {
                if (count == -1) break; // matchIndex is the answer
                found++;
                c.reply.integer(matchIndex);
                if (count != 0 && matches - rank + 1 >= count) break;
            }
            matchIndex = -1; // a match before the wanted rank is no answer
        }
        if (count != -1) c.reply.setDeferredArray(deferred, found);
        else if (matchIndex != -1) c.reply.integer(matchIndex);
        else c.reply.nullBulk();
    }

    // ---- writes in the middle -----------------------------------------------------------------

    /** LSET key index element: the key and type first, then the index; "no such key" / "index out of range". */
    static void lset(Client c, byte[][] argv, int argc) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        Quicklist ql = listOrWrongType(c, db, ref);
        if (ql == null) return;
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (!ql.set(Numbers.parseLong(argv[2]), argv[3])) {
            c.reply.error(OUT_OF_RANGE);
            return;
        }
        c.reply.ok();
        db.signalModified(argv[1]);
        KeyEvents.fire(c, KeyspaceEvents.LIST, "lset", argv[1]);
        c.engine.dirty++;
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
    static void linsert(Client c, byte[][] argv, int argc) {
        boolean after;
        if (Bytes.eqIgnoreCase(argv[2], "after")) after = true;
        else if (Bytes.eqIgnoreCase(argv[2], "before")) after = false;
        else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Quicklist ql = listOrWrongType(c, db, ref);
        if (ql == null) return;
        for (Quicklist.Cursor cur = ql.cursorAt(0, true); cur.valid(); cur.next()) {
            if (cur.matches(argv[3])) {
                ql.insert(cur, argv[4], after);
                db.signalModified(argv[1]);
                KeyEvents.fire(c, KeyspaceEvents.LIST, "linsert", argv[1]); // before the reply, as Redis
                c.engine.dirty++;
                c.reply.integer(ql.size());
                return;
            }
        }
        c.reply.integer(-1);
    }

    /** LREM key count element: removes up to |count| matches from the head (count > 0) or tail (< 0), all for 0. */
    static void lrem(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long toRemove = Numbers.parseLong(argv[2]);
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        Quicklist ql = listOrWrongType(c, db, ref);
        if (ql == null) return;
        boolean fromTail = toRemove < 0;
        if (fromTail) toRemove = -toRemove;
        long removed = 0;
        Quicklist.Cursor cur = ql.cursorAt(fromTail ? -1 : 0, !fromTail);
        while (cur.valid()) {
            if (!cur.matches(argv[3])) {
                cur.next();
                continue;
            }
            cur.delete();
            removed++;
            if (toRemove != 0 && removed == toRemove) break;
        }
        c.engine.dirty += removed;
        if (removed > 0) {
            db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.LIST, "lrem", argv[1]);
        }
        deleteIfEmpty(c, argv[1], ql);
        c.reply.integer(removed);
    }

    /** LTRIM key start stop: keeps the range (nothing when it is empty); replies OK even without the key. */
    static void ltrim(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2]) || !Numbers.isLong(argv[3])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.parseLong(argv[2]), end = Numbers.parseLong(argv[3]);
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref == 0) {
            c.reply.ok();
            return;
        }
        Quicklist ql = listOrWrongType(c, db, ref);
        if (ql == null) return;
        long llen = ql.size();
        if (start < 0) start += llen;
        if (end < 0) end += llen;
        if (start < 0) start = 0;
        long ltrim, rtrim;
        if (start > end || start >= llen) {
            ltrim = llen;
            rtrim = 0;
        } else {
            if (end >= llen) end = llen - 1;
            ltrim = start;
            rtrim = llen - end - 1;
        }
        ql.deleteRange(0, ltrim);
        ql.deleteRange(-rtrim, rtrim);
        KeyEvents.fire(c, KeyspaceEvents.LIST, "ltrim", argv[1]); // even when nothing was trimmed, as Redis
        deleteIfEmpty(c, argv[1], ql);
        db.signalModified(argv[1]);
        c.engine.dirty += ltrim + rtrim;
        c.reply.ok();
    }

    // ---- moving between lists -----------------------------------------------------------------

    static void lmove(Client c, byte[][] argv, int argc) {
        int from = where(c, argv[3]);
        if (from == INVALID_WHERE) return;
        int to = where(c, argv[4]);
        if (to == INVALID_WHERE) return;
        lmoveGeneric(c, argv, from == HEAD, to == HEAD, false);
    }

    static void rpoplpush(Client c, byte[][] argv, int argc) {
        lmoveGeneric(c, argv, false, true, false);
    }

    /**
     * lmoveGenericCommand: pops from argv[1], pushes onto argv[2] (created if missing), replies the
     * element. The destination's type is checked before anything is popped; source and
     * destination may be the same list (a rotation). Serving a woken BLMOVE/BRPOPLPUSH does not
     * count as a change in 7.0's dirty counter ({@code woken}). Events: the destination's push
     * (after its "new"), then the reply, then the source's pop and "del" (lmoveHandlePush order).
     * Returns true when an element moved.
     */
    private static boolean lmoveGeneric(Client c, byte[][] argv, boolean fromHead, boolean toHead, boolean woken) {
        Database db = c.db;
        int sref = db.lookupWrite(argv[1]);
        if (sref == 0) {
            c.reply.nullBulk();
            return false;
        }
        Quicklist src = listOrWrongType(c, db, sref);
        if (src == null) return false;
        int dref = db.lookupWrite(argv[2]);
        Quicklist dst = null;
        if (dref != 0 && (dst = listOrWrongType(c, db, dref)) == null) return false;
        byte[] value = fromHead ? src.popHead() : src.popTail();
        if (dst == null) dst = create(c, argv[2]);
        db.signalModified(argv[2]);
        if (toHead) dst.pushHead(value);
        else dst.pushTail(value);
        KeyEvents.fire(c, KeyspaceEvents.LIST, toHead ? "lpush" : "rpush", argv[2]);
        c.reply.bulk(value);
        KeyEvents.fire(c, KeyspaceEvents.LIST, fromHead ? "lpop" : "rpop", argv[1]);
        deleteIfEmpty(c, argv[1], src);
        db.signalModified(argv[1]);
        if (!woken) c.engine.dirty++;
        return true;
    }

    // ---- LMPOP / BLMPOP -----------------------------------------------------------------------

    /** The parsed tail of LMPOP/BLMPOP: numkeys, the LEFT/RIGHT end and COUNT. */
    private record MpopArgs(int numKeys, boolean head, long count) {}

    /** Parses "numkeys key... LEFT|RIGHT [COUNT n]" from argv[numKeysIdx] (lmpopGenericCommand), or null after replying. */
    private static MpopArgs mpopArgs(Client c, byte[][] argv, int argc, int numKeysIdx) {
        long numKeys = atLeastOrReply(c, argv[numKeysIdx], 1, "numkeys should be greater than 0");
        if (numKeys < 0) return null;
        if (numKeys >= argc - numKeysIdx - 1) { // no room left for LEFT|RIGHT
            c.reply.error(Errors.SYNTAX);
            return null;
        }
        int whereIdx = numKeysIdx + (int) numKeys + 1;
        int where = where(c, argv[whereIdx]);
        if (where == INVALID_WHERE) return null;
        long count = -1;
        for (int j = whereIdx + 1; j < argc; j++) {
            if (count == -1 && Bytes.eqIgnoreCase(argv[j], "count") && j < argc - 1) {
                if ((count = atLeastOrReply(c, argv[++j], 1, "count should be greater than 0")) < 0) return null;
            } else {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
        }
        return new MpopArgs((int) numKeys, where == HEAD, count == -1 ? 1 : count);
    }

    /** LMPOP numkeys key... LEFT|RIGHT [COUNT n]: [key, [elements]] from the first non-empty list, or a null array. */
    static void lmpop(Client c, byte[][] argv, int argc) {
        MpopArgs a = mpopArgs(c, argv, argc, 1);
        if (a == null) return;
        Database db = c.db;
        for (int j = 0; j < a.numKeys; j++) {
            byte[] key = argv[2 + j];
            int ref = db.lookupWrite(key);
            if (ref == 0) continue;
            Quicklist ql = listOrWrongType(c, db, ref);
            if (ql == null) return;
            popRangeWithKey(c, key, ql, a.head, a.count);
            return;
        }
        c.reply.nullArray();
    }

    static void blmpop(Client c, byte[][] argv, int argc) {
        MpopArgs a = mpopArgs(c, argv, argc, 2);
        if (a != null) blockingPop(c, argv, argc, 3, a.numKeys, a.head, 1, a.count);
    }

    // ---- blocking pops ------------------------------------------------------------------------

    /**
     * blockingPopGenericCommand (BLPOP, BRPOP, BLMPOP): pops from the first non-empty list among
     * the keys, else blocks on all of them. {@code count} is -1 for BLPOP/BRPOP (reply [key,
     * element]) and BLMPOP's count otherwise (reply [key, [elements]]). A woken client is served
     * from the key that became ready, if it still holds a list; otherwise it keeps waiting.
     */
    private static void blockingPop(Client c, byte[][] argv, int argc, int firstKey, int numKeys, boolean head,
                                    int timeoutIdx, long count) {
        long deadline = BlockingTimeout.parse(c, argv[timeoutIdx]);
        if (deadline < 0) return;
        Database db = c.db;
        byte[] ready = c.engine.blocking.readyKey(c);
        if (ready != null) {
            int ref = db.lookupWrite(ready);
            if (ref != 0 && db.type(ref) == ValueType.LIST) {
                servePop(c, ready, (Quicklist) db.value(ref), head, count, true);
                c.engine.propagation.force(); // a woken pop leaves dirty alone but is propagated
                return;
            }
        } else {
            for (int j = 0; j < numKeys; j++) {
                byte[] key = argv[firstKey + j];
                int ref = db.lookupWrite(key);
                if (ref == 0) continue;
                Quicklist ql = listOrWrongType(c, db, ref);
                if (ql == null) return;
                servePop(c, key, ql, head, count, false);
                return;
            }
        }
        if (!c.engine.blocking.canBlock(c)) {
            c.reply.nullArray(); // inside MULTI: as if the timeout had passed
            return;
        }
        c.engine.blocking.block(c, db, argv, firstKey, numKeys, deadline, argv, argc, Blocking.TimeoutReply.NULL_ARRAY);
    }

    /** Pops for BLPOP/BRPOP ({@code count} -1) or BLMPOP; 7.0's dirty counter ignores a woken BLPOP's pop. */
    private static void servePop(Client c, byte[] key, Quicklist ql, boolean head, long count, boolean woken) {
        if (count != -1) {
            popRangeWithKey(c, key, ql, head, count);
            return;
        }
        byte[] value = head ? ql.popHead() : ql.popTail();
        c.reply.arrayHeader(2);
        c.reply.bulk(key);
        c.reply.bulk(value);
        elementsRemoved(c, key, ql, head, woken ? 0 : 1);
        if (Rewrites.on(c)) Rewrites.as(c, head ? LPOP : RPOP, key); // BLPOP/BRPOP as LPOP/RPOP
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(Client c, byte[][] argv, int argc) {
        int from = where(c, argv[3]);
        if (from == INVALID_WHERE) return;
        int to = where(c, argv[4]);
        if (to == INVALID_WHERE) return;
        long deadline = BlockingTimeout.parse(c, argv[5]);
        if (deadline >= 0) blmoveGeneric(c, argv, argc, from == HEAD, to == HEAD, deadline);
    }

    static void brpoplpush(Client c, byte[][] argv, int argc) {
        long deadline = BlockingTimeout.parse(c, argv[3]);
        if (deadline >= 0) blmoveGeneric(c, argv, argc, false, true, deadline);
    }

    /**
     * blmoveGenericCommand: LMOVE when the source has elements, else block on it (a null bulk
     * inside MULTI; a null array on timeout, as 7.0 answers every timed-out list command).
     */
    private static void blmoveGeneric(Client c, byte[][] argv, int argc, boolean fromHead, boolean toHead, long deadline) {
        Database db = c.db;
        int ref = db.lookupWrite(argv[1]);
        if (ref != 0 && db.type(ref) != ValueType.LIST) {
            if (c.engine.blocking.readyKey(c) == null) {
                c.reply.error(Errors.WRONGTYPE);
                return;
            }
            ref = 0; // woken for a key that is not a list: 7.0 leaves the client waiting
        }
        if (ref != 0) {
            boolean woken = c.engine.blocking.readyKey(c) != null;
            if (!lmoveGeneric(c, argv, fromHead, toHead, woken)) return;
            if (woken) c.engine.propagation.force(); // not counted in dirty, still propagated
            if (Rewrites.on(c)) {
                // As LMOVE/RPOPLPUSH; a woken BLMOVE names its ends in Redis's lowercase words
                boolean brpoplpush = argc == 4;
                if (brpoplpush) Rewrites.as(c, RPOPLPUSH, argv[1], argv[2]);
                else if (woken) Rewrites.as(c, LMOVE, argv[1], argv[2], fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT);
                else Rewrites.as(c, LMOVE, argv[1], argv[2], argv[3], argv[4]);
            }
        } else if (!c.engine.blocking.canBlock(c)) {
            c.reply.nullBulk();
        } else {
            c.engine.blocking.block(c, db, argv, 1, 1, deadline, argv, argc, Blocking.TimeoutReply.NULL_ARRAY);
        }
    }
}
