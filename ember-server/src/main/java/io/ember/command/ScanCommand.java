package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.engine.KeyTable;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import io.ember.util.Numbers;

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] (scanGenericCommand in db.c).
 *
 * <p>The cursor is {@link KeyTable#scan}'s reverse-binary bucket cursor, so every key present for
 * the whole iteration is returned at least once even while the table grows or shrinks. Keys are
 * collected first and filtered afterwards (pattern, then type, then expiry), exactly in Redis's
 * order, because the type check and the expiry check may reclaim expired keys and that must not
 * happen while the table is being walked. {@link Options} is shared with HSCAN/SSCAN/ZSCAN.
 */
final class ScanCommand {
    private ScanCommand() {}

    static void register(CommandTable t) {
        t.add("scan", ScanCommand::scan);
    }

    /** The cursor and options of a SCAN-family command. */
    static final class Options {
        /** Unsigned 64-bit cursor. */
        long cursor;
        long count = 10;
        /** Null when there is no pattern or it is exactly "*" (matches everything). */
        byte[] pattern;
        byte[] typeName;

        /**
         * Parses the cursor as Redis does with strtoul (parseScanCursorOrReply): optional sign,
         * decimal digits, the C string ends at the first NUL, a leading space or trailing garbage
         * or overflow is "invalid cursor"; "-1" wraps to 2^64-1 and an empty string is 0.
         */
        boolean parseCursor(Client c, byte[] arg) {
            int end = 0;
            while (end < arg.length && arg[end] != 0) end++;
            if (end > 0 && isSpace(arg[0])) return invalidCursor(c);
            int i = 0;
            boolean negative = false;
            if (i < end && (arg[i] == '+' || arg[i] == '-')) {
                negative = arg[i] == '-';
                i++;
            }
            int digits = i;
            long v = 0;
            boolean overflow = false;
            final long maxDiv10 = Long.divideUnsigned(-1L, 10);
            final int maxMod10 = (int) Long.remainderUnsigned(-1L, 10);
            while (i < end && arg[i] >= '0' && arg[i] <= '9') {
                int d = arg[i++] - '0';
                if (Long.compareUnsigned(v, maxDiv10) > 0 || (v == maxDiv10 && d > maxMod10)) overflow = true;
                else v = v * 10 + d;
            }
            if (i == digits) {
                // No conversion: strtoul points back at the start, which is only fine if empty.
                if (end != 0) return invalidCursor(c);
                cursor = 0;
                return true;
            }
            if (i != end || overflow) return invalidCursor(c);
            cursor = negative ? -v : v;
            return true;
        }

        private static boolean invalidCursor(Client c) {
            c.reply.error("ERR invalid cursor");
            return false;
        }

        private static boolean isSpace(byte b) {
            return b == ' ' || (b >= '\t' && b <= '\r');
        }

        /** Parses MATCH/COUNT (and TYPE when allowed) from argv[first]; false after replying. */
        boolean parseOptions(Client c, byte[][] argv, int argc, int first, boolean allowType) {
            for (int i = first; i < argc; i += 2) {
                boolean hasValue = argc - i >= 2;
                if (Bytes.eqIgnoreCase(argv[i], "count") && hasValue) {
                    if (!Numbers.isLong(argv[i + 1])) {
                        c.reply.error(Errors.NOT_INTEGER);
                        return false;
                    }
                    count = Numbers.parseLong(argv[i + 1]);
                    if (count < 1) {
                        c.reply.error(Errors.SYNTAX);
                        return false;
                    }
                } else if (Bytes.eqIgnoreCase(argv[i], "match") && hasValue) {
                    byte[] p = argv[i + 1];
                    pattern = p.length == 1 && p[0] == '*' ? null : p;
                } else if (Bytes.eqIgnoreCase(argv[i], "type") && allowType && hasValue) {
                    typeName = argv[i + 1];
                } else {
                    c.reply.error(Errors.SYNTAX);
                    return false;
                }
            }
            return true;
        }
    }

    /** Collects the keys of the visited buckets (of the keyspace, or of a set's members for SSCAN). */
    static final class Collector implements KeyTable.RefVisitor {
        private final KeyTable table;
        byte[][] keys;
        int size;

        Collector(KeyTable table, long count) {
            this.table = table;
            this.keys = new byte[(int) Math.min(count + 8, 64)][];
        }

        @Override
        public void visit(int ref) {
            if (size == keys.length) keys = java.util.Arrays.copyOf(keys, size * 2);
            keys[size++] = table.key(ref);
        }
    }

    static void scan(Client c, byte[][] argv, int argc) {
        Options o = new Options();
        if (!o.parseCursor(c, argv[1]) || !o.parseOptions(c, argv, argc, 2, true)) return;
        Database db = c.db;
        KeyTable table = db.table();
        Collector found = new Collector(table, o.count);
        long cursor = o.cursor;
        // At most 10*COUNT buckets per call, so a sparse table cannot stall the engine.
        long maxIterations = o.count * 10;
        do {
            cursor = table.scan(cursor, found);
        } while (cursor != 0 && maxIterations-- != 0 && found.size < o.count);

        int kept = 0;
        for (int i = 0; i < found.size; i++) {
            byte[] key = found.keys[i];
            if (o.pattern != null && !Glob.matches(o.pattern, key, false)) continue;
            if (o.typeName != null) {
                int ref = db.lookupReadNoTouch(key);
                String type = ref == 0 ? "none" : ValueType.typeName(db.type(ref));
                if (!cStringEqualsIgnoreCase(o.typeName, type)) continue;
            }
            int ref = db.peekRaw(key);
            if (ref != 0 && db.expired(ref)) {
                db.deleteExpired(ref);
                continue;
            }
            found.keys[kept++] = key;
        }
        c.reply.arrayHeader(2);
        c.reply.bulkLong(cursor); // Redis prints the cursor as a signed long long
        c.reply.arrayHeader(kept);
        for (int i = 0; i < kept; i++) c.reply.bulk(found.keys[i]);
    }

    /**
     * strcasecmp of a C string (the argument up to its first NUL) with a lower-case literal, for
     * options Redis compares that way (SCAN TYPE, HRANDFIELD WITHVALUES).
     */
    static boolean cStringEqualsIgnoreCase(byte[] arg, String lower) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) n++;
        if (n != lower.length()) return false;
        for (int i = 0; i < n; i++) {
            int ch = arg[i];
            if (ch >= 'A' && ch <= 'Z') ch += 32;
            if (ch != lower.charAt(i)) return false;
        }
        return true;
    }
}
