package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.util.Bits;
import io.ember.util.Bytes;
import io.ember.util.Numbers;
import java.util.Arrays;

/**
 * Bitmap commands on strings (bitops.c of Redis 7.0): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
 * BITFIELD, BITFIELD_RO. The bit work itself is in {@link Bits}.
 *
 * <p>Writes change the key's array in place, as Redis changes its sds after
 * dbUnshareStringValue: an array that must grow is replaced by a longer copy
 * ({@link #writableString}); no other key shares a string's array (Values.duplicate clones
 * strings for COPY).
 *
 * <p>As in 7.0.15: a write that leaves every bit as it was (and neither creates nor grows the
 * key) is not a change (no event, no dirty, no WATCH invalidation); BITCOUNT and BITPOS look
 * the key up before parsing their range, so a missing key answers 0 (or BITPOS's default) even
 * with malformed range arguments.
 */
public final class BitmapCommands {
    private BitmapCommands() {}

    static void register(CommandTable t) {
        t.add("setbit", BitmapCommands::setbit);
        t.add("getbit", BitmapCommands::getbit);
        t.add("bitcount", BitmapCommands::bitcount);
        t.add("bitpos", BitmapCommands::bitpos);
        t.add("bitop", BitmapCommands::bitop);
        t.add("bitfield", BitmapCommands::bitfield);
        t.add("bitfield_ro", BitmapCommands::bitfieldRo);
    }

    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";

    /**
     * getBitOffsetFromArgument: a bit offset below proto-max-bulk-len bytes. With {@code bits > 0}
     * the BITFIELD form {@code #n} (n times the type width) is accepted. Returns -1 after replying.
     */
    private static long bitOffsetOrReply(Client c, byte[] arg, int bits) {
        int skip = bits > 0 && arg.length > 0 && arg[0] == '#' ? 1 : 0;
        if (!Numbers.isLong(arg, skip, arg.length - skip)) {
            c.reply.error(BAD_OFFSET);
            return -1;
        }
        long off = Numbers.parseLong(arg, skip, arg.length - skip);
        if (skip == 1) off *= bits; // may wrap negative, as in C: refused below
        if (off < 0 || (off >>> 3) >= c.engine.config.protoMaxBulkLen) {
            c.reply.error(BAD_OFFSET);
            return -1;
        }
        return off;
    }

    /**
     * lookupStringForBitCommand: the string at {@code key}, created or zero-padded so that byte
     * {@code maxByte} exists, as an array the caller may change in place (its encoding becomes
     * "raw", as after dbUnshareStringValue). A longer array replaces the old one quietly;
     * {@code grew[0]} tells the caller it was created or grown (Redis counts that as a change when
     * a write follows). Signalling the change is the caller's job. Returns null after replying
     * (WRONGTYPE, or an array Java cannot allocate).
     */
    private static byte[] writableString(Client c, byte[] key, long maxByte, boolean[] grew) {
        if (maxByte + 1 > StringCommands.MAX_ARRAY) {
            c.reply.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
            return null;
        }
        Database db = c.db;
        int ref = db.lookupWrite(key);
        if (ref == 0) {
            byte[] v = new byte[(int) maxByte + 1];
            db.add(key, v, ValueType.STRING, ValueType.ENC_RAW);
            grew[0] = true;
            return v;
        }
        byte[] old = StringCommands.stringOrWrongType(c, db, ref);
        if (old == null) return null;
        if (old.length > maxByte) {
            // Never shared (COPY clones strings), so only the reported encoding changes.
            if (db.encoding(ref) != ValueType.ENC_RAW) db.setEncoding(ref, ValueType.ENC_RAW);
            grew[0] = false;
            return old;
        }
        byte[] v = Arrays.copyOf(old, (int) maxByte + 1);
        db.replaceQuietly(ref, v);
        db.setEncoding(ref, ValueType.ENC_RAW);
        grew[0] = true;
        return v;
    }

    /** SETBIT key offset value: the bit's previous value. */
    static void setbit(Client c, byte[][] argv, int argc) {
        long offset = bitOffsetOrReply(c, argv[2], 0);
        if (offset < 0) return;
        String err = "ERR bit is not an integer or out of range";
        if (!Numbers.isLong(argv[3])) {
            c.reply.error(err);
            return;
        }
        long on = Numbers.parseLong(argv[3]);
        if ((on & ~1L) != 0) {
            c.reply.error(err);
            return;
        }
        boolean[] grew = new boolean[1];
        byte[] v = writableString(c, argv[1], offset >>> 3, grew);
        if (v == null) return;
        int idx = (int) (offset >>> 3), shift = 7 - (int) (offset & 7);
        int old = (v[idx] >> shift) & 1;
        if (grew[0] || old != on) { // setting a bit to the value it has is not a change
            v[idx] = (byte) ((v[idx] & ~(1 << shift)) | ((int) on << shift));
            c.db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "setbit", argv[1]);
            c.engine.dirty++;
        }
        c.reply.integer(old);
    }

    /** GETBIT key offset: 0 past the end or for a missing key. */
    static void getbit(Client c, byte[][] argv, int argc) {
        long offset = bitOffsetOrReply(c, argv[2], 0);
        if (offset < 0) return;
        int ref = c.db.lookupRead(argv[1]);
        if (ref == 0) {
            c.reply.integer(0);
            return;
        }
        byte[] v = StringCommands.stringOrWrongType(c, c.db, ref);
        if (v == null) return;
        long idx = offset >>> 3;
        c.reply.integer(idx < v.length ? (v[(int) idx] >> (7 - (int) (offset & 7))) & 1 : 0);
    }

    /** The value of a string key for a read-only bit command; null after replying 0 or WRONGTYPE. */
    private static byte[] readString(Client c, byte[] key, long missingReply) {
        int ref = c.db.lookupRead(key);
        if (ref == 0) {
            c.reply.integer(missingReply);
            return null;
        }
        return StringCommands.stringOrWrongType(c, c.db, ref);
    }

    /** BIT or BYTE: 1, 0, or -1 after a syntax error. */
    private static int unitOrReply(Client c, byte[] arg) {
        if (Bytes.eqIgnoreCase(arg, "bit")) return 1;
        if (Bytes.eqIgnoreCase(arg, "byte")) return 0;
        c.reply.error(Errors.SYNTAX);
        return -1;
    }

    /** BITCOUNT key [start end [BYTE|BIT]]. */
    static void bitcount(Client c, byte[][] argv, int argc) {
        byte[] p = readString(c, argv[1], 0);
        if (p == null) return;
        long start, end;
        int firstMask = 0, lastMask = 0;
        if (argc == 4 || argc == 5) {
            long total = p.length;
            if (!Numbers.isLong(argv[2]) || !Numbers.isLong(argv[3])) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            start = Numbers.parseLong(argv[2]);
            end = Numbers.parseLong(argv[3]);
            if (start < 0 && end < 0 && start > end) { // 7.0 answers this before reading the unit
                c.reply.integer(0);
                return;
            }
            int isBit = argc == 5 ? unitOrReply(c, argv[4]) : 0;
            if (isBit < 0) return;
            if (isBit == 1) total <<= 3;
            if (start < 0) start = total + start;
            if (end < 0) end = total + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= total) end = total - 1;
            if (isBit == 1 && start <= end) {
                // Bits of the edge bytes outside the range, subtracted after counting whole bytes.
                firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (argc == 2) {
            start = 0;
            end = p.length - 1;
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (start > end) {
            c.reply.integer(0);
            return;
        }
        long count = Bits.popcount(p, (int) start, (int) (end - start + 1));
        if (firstMask != 0) count -= Integer.bitCount(p[(int) start] & firstMask);
        if (lastMask != 0) count -= Integer.bitCount(p[(int) end] & lastMask);
        c.reply.integer(count);
    }

    /** BITPOS key bit [start [end [BYTE|BIT]]]. */
    static void bitpos(Client c, byte[][] argv, int argc) {
        if (!Numbers.isLong(argv[2])) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        long bitArg = Numbers.parseLong(argv[2]);
        if (bitArg != 0 && bitArg != 1) {
            c.reply.error("ERR The bit argument must be 1 or 0.");
            return;
        }
        int bit = (int) bitArg;
        // A missing key is an infinite run of zeros.
        byte[] p = readString(c, argv[1], bit == 1 ? -1 : 0);
        if (p == null) return;
        long start, end;
        boolean endGiven = false;
        int firstMask = 0, lastMask = 0;
        if (argc >= 4 && argc <= 6) {
            long total = p.length;
            if (!Numbers.isLong(argv[3])) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            start = Numbers.parseLong(argv[3]);
            int isBit = argc == 6 ? unitOrReply(c, argv[5]) : 0;
            if (isBit < 0) return;
            if (argc >= 5) {
                if (!Numbers.isLong(argv[4])) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                end = Numbers.parseLong(argv[4]);
                endGiven = true;
            } else {
                end = total - 1;
            }
            if (isBit == 1) total <<= 3;
            if (start < 0) start = total + start;
            if (end < 0) end = total + end;
            if (start < 0) start = 0;
            if (end < 0) end = 0;
            if (end >= total) end = total - 1;
            if (isBit == 1 && start <= end) {
                firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (argc == 3) {
            start = 0;
            end = p.length - 1;
        } else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        if (start > end) {
            c.reply.integer(-1);
            return;
        }
        c.reply.integer(findBit(p, (int) start, (int) end, bit, firstMask, lastMask, endGiven));
    }

    /**
     * BITPOS's search over bytes {@code [start, end]}, the bits under {@code firstMask} of the
     * first byte and {@code lastMask} of the last being outside the range. A clear bit found only
     * past an explicit end does not count.
     */
    private static long findBit(byte[] p, int start, int end, int bit, int firstMask, int lastMask, boolean endGiven) {
        long bytes = end - start + 1;
        long pos;
        search:
        {
            if (firstMask != 0) {
                int t = bit == 1 ? p[start] & ~firstMask : p[start] | firstMask;
                if (lastMask != 0 && bytes == 1) t = bit == 1 ? t & ~lastMask : t | lastMask;
                pos = Bits.bitposByte(t, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) break search;
                start++;
                bytes--;
            }
            long cur = bytes - (lastMask != 0 ? 1 : 0);
            if (cur > 0) {
                pos = Bits.bitpos(p, start, (int) cur, bit);
                if (bytes == cur || (pos != -1 && pos != cur << 3)) break search;
                start += (int) cur;
                bytes -= cur;
            }
            pos = Bits.bitposByte(bit == 1 ? p[end] & ~lastMask : p[end] | lastMask, bit);
        }
        if (endGiven && bit == 0 && pos == bytes << 3) return -1;
        if (pos != -1) pos += (long) start << 3;
        return pos;
    }

    /** BITOP AND|OR|XOR|NOT destkey key [key ...]: the length of the result, stored or deleted when empty. */
    static void bitop(Client c, byte[][] argv, int argc) {
        byte[] opName = argv[1];
        int op;
        if (Bytes.eqIgnoreCase(opName, "and")) op = Bits.AND;
        else if (Bytes.eqIgnoreCase(opName, "or")) op = Bits.OR;
        else if (Bytes.eqIgnoreCase(opName, "xor")) op = Bits.XOR;
        else if (Bytes.eqIgnoreCase(opName, "not")) op = Bits.NOT;
        else {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int numKeys = argc - 3;
        if (op == Bits.NOT && numKeys != 1) {
            c.reply.error("ERR BITOP NOT must be called with a single source key.");
            return;
        }
        Database db = c.db;
        byte[][] src = new byte[numKeys][];
        int maxlen = 0;
        for (int j = 0; j < numKeys; j++) {
            int ref = db.lookupRead(argv[j + 3]);
            if (ref == 0) continue; // a missing key is an empty string
            byte[] v = StringCommands.stringOrWrongType(c, db, ref);
            if (v == null) return;
            src[j] = v;
            maxlen = Math.max(maxlen, v.length);
        }
        byte[] dest = argv[2];
        if (maxlen > 0) {
            db.set(dest, Bits.bitop(op, src, maxlen), ValueType.STRING, ValueType.ENC_RAW, false);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "set", dest);
            c.engine.dirty++;
        } else if (db.delete(dest)) {
            KeyEvents.del(c, dest);
            c.engine.dirty++;
        }
        c.reply.integer(maxlen);
    }

    static void bitfield(Client c, byte[][] argv, int argc) {
        bitfieldGeneric(c, argv, argc, false);
    }

    static void bitfieldRo(Client c, byte[][] argv, int argc) {
        bitfieldGeneric(c, argv, argc, true);
    }

    private static final int GET = 0, SET = 1, INCRBY = 2;
    private static final String BAD_TYPE =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

    /**
     * BITFIELD key [GET type offset] [SET type offset value] [INCRBY type offset increment]
     * [OVERFLOW WRAP|SAT|FAIL] ...: every operation is parsed (and refused) before any runs; the
     * string is grown once to the farthest bit written. BITFIELD_RO accepts only GET.
     */
    private static void bitfieldGeneric(Client c, byte[][] argv, int argc, boolean readOnlyCommand) {
        int maxOps = (argc - 2) / 3 + 1;
        // One op per row: opcode, overflow, signed, bits, offset, argument.
        int[] opcode = new int[maxOps], owtype = new int[maxOps], bits = new int[maxOps];
        boolean[] signed = new boolean[maxOps];
        long[] offset = new long[maxOps], arg = new long[maxOps];
        int numOps = 0, overflow = Bits.WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < argc; j++) {
            int remaining = argc - j - 1;
            byte[] sub = argv[j];
            int code;
            if (Bytes.eqIgnoreCase(sub, "get") && remaining >= 2) code = GET;
            else if (Bytes.eqIgnoreCase(sub, "set") && remaining >= 3) code = SET;
            else if (Bytes.eqIgnoreCase(sub, "incrby") && remaining >= 3) code = INCRBY;
            else if (Bytes.eqIgnoreCase(sub, "overflow") && remaining >= 1) {
                byte[] name = argv[++j];
                if (Bytes.eqIgnoreCase(name, "wrap")) overflow = Bits.WRAP;
                else if (Bytes.eqIgnoreCase(name, "sat")) overflow = Bits.SAT;
                else if (Bytes.eqIgnoreCase(name, "fail")) overflow = Bits.FAIL;
                else {
                    c.reply.error("ERR Invalid OVERFLOW type specified");
                    return;
                }
                continue;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
            byte[] type = argv[j + 1];
            boolean sign = type.length > 0 && type[0] == 'i';
            if (type.length < 2 || (!sign && type[0] != 'u') || !Numbers.isLong(type, 1, type.length - 1)) {
                c.reply.error(BAD_TYPE);
                return;
            }
            long width = Numbers.parseLong(type, 1, type.length - 1);
            if (width < 1 || width > (sign ? 64 : 63)) {
                c.reply.error(BAD_TYPE);
                return;
            }
            long off = bitOffsetOrReply(c, argv[j + 2], (int) width);
            if (off < 0) return;
            long value = 0;
            if (code != GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, off + width - 1);
                if (!Numbers.isLong(argv[j + 3])) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                value = Numbers.parseLong(argv[j + 3]);
            }
            opcode[numOps] = code;
            owtype[numOps] = overflow;
            signed[numOps] = sign;
            bits[numOps] = (int) width;
            offset[numOps] = off;
            arg[numOps] = value;
            numOps++;
            j += code == GET ? 2 : 3;
        }

        byte[] p;
        boolean[] grew = new boolean[1];
        if (readOnly) {
            int ref = c.db.lookupRead(argv[1]);
            p = ref == 0 ? Bytes.EMPTY : StringCommands.stringOrWrongType(c, c.db, ref);
            if (p == null) return;
        } else {
            if (readOnlyCommand) {
                c.reply.error("ERR BITFIELD_RO only supports the GET subcommand");
                return;
            }
            p = writableString(c, argv[1], highestWrite >>> 3, grew);
            if (p == null) return;
        }

        c.reply.arrayHeader(numOps);
        long[] limit = new long[1];
        int changes = 0;
        for (int i = 0; i < numOps; i++) {
            int w = bits[i];
            long off = offset[i];
            if (opcode[i] == GET) {
                c.reply.integer(signed[i] ? Bits.getSigned(p, off, w) : Bits.getUnsigned(p, off, w));
                continue;
            }
            long oldval = signed[i] ? Bits.getSigned(p, off, w) : Bits.getUnsigned(p, off, w);
            long newval, retval;
            int ovf;
            if (opcode[i] == INCRBY) {
                ovf = signed[i] ? Bits.signedOverflow(oldval, arg[i], w, owtype[i], limit)
                        : Bits.unsignedOverflow(oldval, arg[i], w, owtype[i], limit);
                newval = ovf != 0 ? limit[0] : oldval + arg[i];
                retval = newval;
            } else {
                ovf = signed[i] ? Bits.signedOverflow(arg[i], 0, w, owtype[i], limit)
                        : Bits.unsignedOverflow(arg[i], 0, w, owtype[i], limit);
                newval = ovf != 0 ? limit[0] : arg[i];
                retval = oldval;
            }
            if (ovf != 0 && owtype[i] == Bits.FAIL) {
                c.reply.nullBulk();
            } else {
                c.reply.integer(retval);
                Bits.set(p, off, w, newval);
                if (grew[0] || oldval != newval) changes++;
            }
        }
        if (changes > 0) {
            c.db.signalModified(argv[1]);
            KeyEvents.fire(c, KeyspaceEvents.STRING, "setbit", argv[1]);
            c.engine.dirty += changes;
        }
    }
}
