package io.ember.command;

import io.ember.client.Client;
import io.ember.type.StreamId;
import io.ember.util.Bytes;
import io.ember.util.Numbers;

/**
 * Stream arguments parsed as t_stream.c parses them: IDs (streamGenericParseIDOrReply, whose
 * numbers go through string2ull, so " 1" and "+1" are accepted through strtoull), interval IDs
 * with "(", and the trimming options shared by XADD and XTRIM.
 */
final class StreamArgs {
    private StreamArgs() {}

    static final String INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

    /** Set by {@link #parseId} when an "ms-*" ID was given (XADD only). */
    static final class ParsedId {
        StreamId id;
        boolean seqGiven = true;
    }

    /**
     * streamGenericParseIDOrReply: "-" and "+" unless {@code strict}; "ms" alone takes
     * {@code missingSeq}; "ms-*" only when {@code allowAutoSeq}. Null after replying.
     */
    static StreamId parseId(Client c, byte[] arg, boolean strict, long missingSeq, ParsedId autoSeq) {
        StreamId id = parseIdQuiet(arg, strict, missingSeq, autoSeq);
        if (id == null) c.reply.error(INVALID_ID);
        return id;
    }

    static StreamId parseIdQuiet(byte[] arg, boolean strict, long missingSeq, ParsedId autoSeq) {
        int len = arg.length;
        if (len > 127) return null;
        if (len == 1 && arg[0] == '-') return strict ? null : StreamId.MIN;
        if (len == 1 && arg[0] == '+') return strict ? null : StreamId.MAX;
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        if (dash < 0) {
            long[] ms = new long[1];
            if (!string2ull(arg, 0, len, ms)) return null;
            return new StreamId(ms[0], missingSeq);
        }
        long[] ms = new long[1], seq = new long[1];
        if (!string2ull(arg, 0, dash, ms)) return null;
        if (autoSeq != null && dash + 2 == len && arg[dash + 1] == '*') {
            autoSeq.seqGiven = false;
            return new StreamId(ms[0], 0);
        }
        if (!string2ull(arg, dash + 1, len - dash - 1, seq)) return null;
        return new StreamId(ms[0], seq[0]);
    }

    /** string2ull: string2ll for non-negative values, else strtoull's rules (spaces, sign). */
    static boolean string2ull(byte[] b, int off, int len, long[] out) {
        if (Numbers.isLong(b, off, len)) {
            long v = Numbers.parseLong(b, off, len);
            if (v < 0) return false;
            out[0] = v;
            return true;
        }
        int i = off, end = off + len;
        while (i < end && (b[i] == ' ' || (b[i] >= 9 && b[i] <= 13))) i++;
        boolean neg = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) neg = b[i++] == '-';
        if (i == end || len == 0) return false;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) return false; // ERANGE
            long nv = v * 10 + d;
            if (Long.compareUnsigned(nv, v * 10) < 0) return false;
            v = nv;
        }
        out[0] = neg ? -v : v;
        return true;
    }

    /**
     * An interval bound (streamParseIntervalIDOrReply): "(id" is exclusive and then strict.
     * {@code exclusive[0]} tells which. Null after replying.
     */
    static StreamId parseInterval(Client c, byte[] arg, long missingSeq, boolean[] exclusive) {
        exclusive[0] = arg.length > 1 && arg[0] == '(';
        if (exclusive[0]) return parseId(c, java.util.Arrays.copyOfRange(arg, 1, arg.length), true, missingSeq, null);
        return parseId(c, arg, false, missingSeq, null);
    }

    /** streamAddTrimArgs: what XADD and XTRIM parsed. */
    static final class TrimArgs {
        static final int NONE = 0, MAXLEN = 1, MINID = 2;
        int strategy = NONE;
        long maxLen;
        StreamId minId;
        boolean approx;
        /** The index of the MAXLEN count or MINID id argument (rewritten when approx). */
        int trimIndex;
        long limit;
        boolean noMkStream;
        /** XADD: the ID argument's index, its value (null for "*") and whether "ms-*" was given. */
        int idIndex;
        StreamId id;
        boolean seqGiven = true;
    }

    /** streamParseAddOrTrimArgsOrReply; null after replying. */
    static TrimArgs parseAddOrTrim(Client c, byte[][] argv, int argc, boolean xadd) {
        TrimArgs a = new TrimArgs();
        boolean limitGiven = false;
        long[] num = new long[1];
        int i = 2;
        for (; i < argc; i++) {
            int more = argc - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((Bytes.eqIgnoreCase(opt, "maxlen") || Bytes.eqIgnoreCase(opt, "minid")) && more > 0) {
                boolean maxlen = Bytes.eqIgnoreCase(opt, "maxlen");
                if (a.strategy != TrimArgs.NONE) {
                    c.reply.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    return null;
                }
                a.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && next[0] == '~') {
                    a.approx = true;
                    i++;
                } else if (more >= 2 && next.length == 1 && next[0] == '=') {
                    i++;
                }
                a.trimIndex = i + 1;
                if (maxlen) {
                    if (!Args.longOrReply(c, argv[i + 1], null, num)) return null;
                    if (num[0] < 0) {
                        c.reply.error("ERR The MAXLEN argument must be >= 0.");
                        return null;
                    }
                    a.maxLen = num[0];
                    a.strategy = TrimArgs.MAXLEN;
                } else {
                    a.minId = parseId(c, argv[i + 1], true, 0, null);
                    if (a.minId == null) return null;
                    a.strategy = TrimArgs.MINID;
                }
                i++;
            } else if (Bytes.eqIgnoreCase(opt, "limit") && more > 0) {
                if (!Args.longOrReply(c, argv[i + 1], null, num)) return null;
                if (num[0] < 0) {
                    c.reply.error("ERR The LIMIT argument must be >= 0.");
                    return null;
                }
                a.limit = num[0];
                limitGiven = true;
                i++;
            } else if (xadd && Bytes.eqIgnoreCase(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                ParsedId p = new ParsedId();
                a.id = parseId(c, opt, true, 0, p);
                if (a.id == null) return null;
                a.seqGiven = p.seqGiven;
                break;
            } else {
                c.reply.error(Errors.SYNTAX);
                return null;
            }
        }
        if (a.limit != 0 && a.strategy == TrimArgs.NONE) {
            c.reply.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            return null;
        }
        if (!xadd && a.strategy == TrimArgs.NONE) {
            c.reply.error("ERR syntax error, XTRIM must be called with a trimming strategy");
            return null;
        }
        if (limitGiven) {
            if (!a.approx) {
                c.reply.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
                return null;
            }
        } else {
            a.limit = a.approx ? 100L * c.engine.config.streamNodeMaxEntries : 0; // as Redis: 100 nodes' worth
        }
        a.idIndex = i;
        return a;
    }
}
