package io.ember.command;

import io.ember.util.Bytes;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the keys of a command line the way Redis 7.0 does (db.c getKeysFromCommandWithSpecs):
 * from the command's key specs when they are complete and their flags fixed, otherwise with the
 * command's own key finder (Redis's getkeys_proc, reproduced below for the commands that have
 * one). COMMAND GETKEYS / GETKEYSANDFLAGS answer from here; cluster slot checks can too.
 */
public final class CommandKeys {
    private CommandKeys() {}

    // Key flags, in the order COMMAND GETKEYSANDFLAGS lists them.
    public static final int RO = 1, RW = 1 << 1, OW = 1 << 2, RM = 1 << 3, ACCESS = 1 << 4, UPDATE = 1 << 5,
            INSERT = 1 << 6, DELETE = 1 << 7, NOT_KEY = 1 << 8, INCOMPLETE = 1 << 9, VARIABLE_FLAGS = 1 << 10;
    static final String[] FLAG_NAMES = {"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
        "not_key", "incomplete", "variable_flags"};

    static int flagBits(List<String> names) {
        int bits = 0;
        for (String n : names) {
            for (int i = 0; i < FLAG_NAMES.length; i++) {
                if (FLAG_NAMES[i].equalsIgnoreCase(n)) bits |= 1 << i;
            }
        }
        return bits;
    }

    /** The flag names of a flags word, in Redis's order. */
    public static List<String> flagNames(int bits) {
        List<String> out = new ArrayList<>(4);
        for (int i = 0; i < FLAG_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) out.add(FLAG_NAMES[i]);
        }
        return out;
    }

    /** doesCommandHaveKeys: a key finder of its own, or a key spec for something that is a key. */
    public static boolean hasKeys(CommandSpec cmd) {
        if (hasOwnFinder(cmd.fullName)) return true;
        for (KeySpec s : cmd.keySpecs) {
            if ((s.flagBits & NOT_KEY) == 0) return true;
        }
        return false;
    }

    /**
     * The keys of {@code argv} (argv[0] is the command name) as {pos, flags} pairs; empty when
     * the arguments name no key or do not fit the command's syntax.
     */
    public static List<int[]> find(CommandSpec cmd, byte[][] argv, int argc) {
        boolean hasKeySpec = false, variableFlags = false;
        for (KeySpec s : cmd.keySpecs) {
            if ((s.flagBits & NOT_KEY) == 0) hasKeySpec = true;
            if ((s.flagBits & VARIABLE_FLAGS) != 0) variableFlags = true;
        }
        if (hasKeySpec && !variableFlags) {
            List<int[]> bySpec = bySpecs(cmd, argv, argc);
            if (bySpec != null) return bySpec;
        }
        List<int[]> out = new ArrayList<>();
        ownFinder(cmd.fullName, argv, argc, out);
        return out;
    }

    /** getKeysUsingKeySpecs: null when a spec is invalid for these arguments. */
    private static List<int[]> bySpecs(CommandSpec cmd, byte[][] argv, int argc) {
        List<int[]> found = new ArrayList<>();
        for (int i = 0; i < cmd.keySpecs.size(); i++) {
            if (!cmd.keySpecs.get(i).positions(cmd, argv, argc, found, i)) return null;
        }
        for (int[] k : found) k[1] = cmd.keySpecs.get(k[1]).flagBits;
        return found;
    }

    private static boolean hasOwnFinder(String name) {
        return ownFinder(name, null, 0, null);
    }

    /**
     * The commands whose keys their specs cannot fully describe, each with Redis's getkeys_proc
     * logic. With {@code out == null} only answers whether the command has such a finder.
     */
    private static boolean ownFinder(String name, byte[][] argv, int argc, List<int[]> out) {
        switch (name) {
            case "set", "bitfield", "sort", "sort_ro", "migrate", "georadius", "georadiusbymember", "xread",
                 "xreadgroup", "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "zunionstore",
                 "zinterstore", "zdiffstore", "zunion", "zinter", "zdiff", "sintercard", "zintercard", "lmpop",
                 "zmpop", "blmpop", "bzmpop" -> { }
            default -> {
                return false;
            }
        }
        if (out == null) return true;
        switch (name) {
            case "set" -> setKeys(argv, argc, out);
            case "bitfield" -> bitfieldKeys(argv, argc, out);
            case "sort" -> sortKeys(argv, argc, out);
            case "sort_ro" -> out.add(new int[] {1, RO | ACCESS});
            case "migrate" -> migrateKeys(argv, argc, out);
            case "georadius", "georadiusbymember" -> georadiusKeys(argv, argc, out);
            case "xread", "xreadgroup" -> xreadKeys(argv, argc, out);
            case "zunionstore", "zinterstore", "zdiffstore" -> countedKeys(1, 2, 3, argv, argc, out);
            case "zunion", "zinter", "zdiff", "sintercard", "zintercard", "lmpop", "zmpop" ->
                    countedKeys(0, 1, 2, argv, argc, out);
            default -> countedKeys(0, 2, 3, argv, argc, out); // eval*, fcall*, blmpop, bzmpop
        }
        return true;
    }

    /** SET overwrites its key unless GET also reads it. */
    private static void setKeys(byte[][] argv, int argc, List<int[]> out) {
        int flags = OW | UPDATE;
        for (int i = 3; i < argc; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "get")) {
                flags = RW | ACCESS | UPDATE;
                break;
            }
        }
        out.add(new int[] {1, flags});
    }

    /** BITFIELD only reads when every operation is a GET (OVERFLOW aside). */
    private static void bitfieldKeys(byte[][] argv, int argc, List<int[]> out) {
        boolean readOnly = true;
        for (int i = 2; i < argc; i++) {
            int remaining = argc - i - 1;
            if (Bytes.eqIgnoreCase(argv[i], "get") && remaining >= 2) {
                i += 2;
            } else if (Bytes.eqIgnoreCase(argv[i], "overflow") && remaining >= 1) {
                i += 1;
            } else {
                readOnly = false; // SET, INCRBY, or a syntax error: assume a write
                break;
            }
        }
        out.add(new int[] {1, readOnly ? RO | ACCESS : RW | ACCESS | UPDATE});
    }

    /** SORT key [BY p] [LIMIT o c] [GET p ...] [STORE dest]: the last STORE wins. */
    private static void sortKeys(byte[][] argv, int argc, List<int[]> out) {
        out.add(new int[] {1, RO | ACCESS});
        int store = 0;
        for (int i = 2; i < argc; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "limit")) i += 2;
            else if (Bytes.eqIgnoreCase(argv[i], "get") || Bytes.eqIgnoreCase(argv[i], "by")) i += 1;
            else if (Bytes.eqIgnoreCase(argv[i], "store") && i + 1 < argc) store = i + 1;
        }
        if (store != 0) out.add(new int[] {store, OW | UPDATE});
    }

    /** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 u pw] [KEYS k ...]. */
    private static void migrateKeys(byte[][] argv, int argc, List<int[]> out) {
        int first = 3, num = 1;
        for (int i = 6; i < argc; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "keys")) {
                if (argv[3].length > 0) return; // KEYS needs the key argument empty
                first = i + 1;
                num = argc - first;
                break;
            }
            if (Bytes.eqIgnoreCase(argv[i], "auth")) i += 1;
            else if (Bytes.eqIgnoreCase(argv[i], "auth2")) i += 2;
        }
        for (int i = 0; i < num; i++) out.add(new int[] {first + i, RW | ACCESS | DELETE});
    }

    /** GEORADIUS[BYMEMBER] key ... [STORE k] [STOREDIST k]: the last store option wins. */
    private static void georadiusKeys(byte[][] argv, int argc, List<int[]> out) {
        int stored = -1;
        for (int i = 5; i < argc; i++) {
            if ((Bytes.eqIgnoreCase(argv[i], "store") || Bytes.eqIgnoreCase(argv[i], "storedist")) && i + 1 < argc) {
                stored = i + 1;
                i++;
            }
        }
        out.add(new int[] {1, 0});
        if (stored != -1) out.add(new int[] {stored, 0});
    }

    /** XREAD/XREADGROUP ... STREAMS k1 k2 ... id1 id2 ...: half the arguments after STREAMS. */
    private static void xreadKeys(byte[][] argv, int argc, List<int[]> out) {
        int streams = -1;
        for (int i = 1; i < argc; i++) {
            if (Bytes.eqIgnoreCase(argv[i], "block") || Bytes.eqIgnoreCase(argv[i], "count")) {
                i++;
            } else if (Bytes.eqIgnoreCase(argv[i], "group")) {
                i += 2;
            } else if (Bytes.eqIgnoreCase(argv[i], "noack")) {
                continue;
            } else {
                if (Bytes.eqIgnoreCase(argv[i], "streams")) streams = i;
                break;
            }
        }
        int num = argc - streams - 1;
        if (streams == -1 || num == 0 || num % 2 != 0) return;
        num /= 2;
        for (int i = streams + 1; i < argc - num; i++) out.add(new int[] {i, 0});
    }

    /**
     * genericGetKeys: a key count at {@code countAt} (read like C's atoi), the keys from
     * {@code firstAt}, and a destination at {@code storeAt} (0 = none) listed after them.
     */
    private static void countedKeys(int storeAt, int countAt, int firstAt, byte[][] argv, int argc, List<int[]> out) {
        long num = atoi(argv[countAt]);
        if (num < 1 || num > argc - firstAt) return;
        for (int i = 0; i < num; i++) out.add(new int[] {firstAt + i, 0});
        if (storeAt != 0) out.add(new int[] {storeAt, 0});
    }

    /** C's atoi: optional blanks and sign, then digits up to the first non-digit. */
    static long atoi(byte[] s) {
        int i = 0;
        while (i < s.length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        long v = 0;
        while (i < s.length && s[i] >= '0' && s[i] <= '9' && v < Integer.MAX_VALUE) v = v * 10 + (s[i++] - '0');
        return negative ? -v : v;
    }
}
