package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Engine;
import io.ember.persist.rdb.RdbLoader;
import java.io.IOException;
import io.ember.engine.Database;
import io.ember.type.Quicklist;
import io.ember.type.ValueType;
import io.ember.util.Bytes;
import io.ember.util.Glob;
import io.ember.util.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * DEBUG (debug.c): the subcommands tests and tools rely on. DEBUG is one command in Redis's
 * table (not a container), so it parses its own subcommand and answers Redis's "unknown
 * subcommand or wrong number of arguments" for anything else. The dispatcher already applies
 * enable-debug-command.
 */
final class DebugCommand {
    private DebugCommand() {}

    static void register(CommandTable t) {
        t.add("debug", DebugCommand::debug);
    }

    static void debug(Client c, byte[][] argv, int argc) {
        byte[] sub = argv[1];
        if (argc == 2 && Bytes.eqIgnoreCase(sub, "help")) {
            help(c, argv);
        } else if (argc == 2 && Bytes.eqIgnoreCase(sub, "digest")) {
            digest(c);
        } else if (Bytes.eqIgnoreCase(sub, "digest-value")) {
            digestValue(c, argv, argc);
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "object")) {
            object(c, argv[2]);
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "sleep")) {
            sleep(c, argv[2]);
        } else if (Bytes.eqIgnoreCase(sub, "reload")) {
            reload(c, argv, argc);
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "protocol")) {
            protocol(c, argv[2]);
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "set-active-expire")) {
            c.engine.activeExpireEnabled = atoi(argv[2]) != 0;
            c.reply.ok();
        } else if (argc == 2 && Bytes.eqIgnoreCase(sub, "stringmatch-test")) {
            stringMatchFuzz();
            c.reply.simple("Apparently Redis did not crash: test passed");
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "error")) {
            c.reply.error(Bytes.latin1(argv[2]));
        } else if (argc == 3 && Bytes.eqIgnoreCase(sub, "log")) {
            c.engine.log.warning("DEBUG LOG: " + Bytes.latin1(argv[2]));
            c.reply.ok();
        } else {
            Help.subcommandSyntaxError(c, argv);
        }
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: SAVE, empty every database, load the dump back
     * (a running BGSAVE is stopped first, as the foreground save needs the temp file name).
     */
    private static void reload(Client c, byte[][] argv, int argc) {
        boolean merge = false, flush = true, save = true;
        for (int j = 2; j < argc; j++) {
            if (Bytes.eqIgnoreCase(argv[j], "merge")) merge = true;
            else if (Bytes.eqIgnoreCase(argv[j], "noflush")) flush = false;
            else if (Bytes.eqIgnoreCase(argv[j], "nosave")) save = false;
            else {
                c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                return;
            }
        }
        Engine e = c.engine;
        if (save) {
            e.persistence.cancelBgsave();
            if (!e.persistence.saveForeground()) {
                c.reply.error("ERR");
                return;
            }
        }
        if (flush) {
            KeyspaceCommands.emptyAll(e, false);
            e.scripting.functions.flush(); // the file's libraries replace the current ones
        }
        try {
            RdbLoader.loadFile(e, e.config.dir.resolve(e.config.dbfilename), merge);
        } catch (IOException ex) {
            e.log.warning("Error trying to load the RDB dump: " + ex.getMessage());
            c.reply.error("ERR Error trying to load the RDB dump, check server logs.");
            return;
        }
        e.log.warning("DB reloaded by DEBUG RELOAD");
        c.reply.ok();
    }

    /** Redis 7.0's DEBUG HELP entries for the subcommands Ember implements, in Redis's order. */
    private static final List<String> HELP = List.of(
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified keys.",
            "ERROR <string>",
            "    Return a Redis protocol error with <string> as message. Useful for clients",
            "    unit tests to simulate Redis errors.",
            "LOG <message>",
            "    Write <message> to the server log.",
            "OBJECT <key>",
            "    Show low level info about `key` and associated value.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "RELOAD [option ...]",
            "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
            "    * MERGE: conflicting keys will be loaded from RDB.",
            "    * NOFLUSH: the existing database will not be removed before load, but",
            "      conflicting keys will generate an exception and kill the server.",
            "    * NOSAVE: the database will be loaded from an existing RDB file.",
            "    Examples:",
            "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
            "      the database.",
            "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
            "      existing RDB file.",
            "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
            "      file to the database.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "STRINGMATCH-TEST",
            "    Run a fuzz tester against the stringmatchlen() function.");

    private static void help(Client c, byte[][] argv) {
        Help.reply(c, argv[0], HELP);
    }

    private static void digest(Client c) {
        try {
            c.reply.simple(DatasetDigest.hex(DatasetDigest.dataset(c.engine)));
        } catch (DatasetDigest.UnsupportedType e) {
            unsupported(c, e);
        }
    }

    /** DIGEST-VALUE key ...: per key, the value digest alone (zeros for a missing key); expired keys count. */
    private static void digestValue(Client c, byte[][] argv, int argc) {
        List<String> out = new ArrayList<>(argc - 2);
        for (int j = 2; j < argc; j++) {
            byte[] d = new byte[20];
            int ref = c.db.peekRaw(argv[j]);
            try {
                if (ref != 0) DatasetDigest.valueDigest(c.db, ref, d);
            } catch (DatasetDigest.UnsupportedType e) {
                unsupported(c, e);
                return;
            }
            out.add(DatasetDigest.hex(d));
        }
        c.reply.arrayHeader(out.size());
        for (String s : out) c.reply.simple(s);
    }

    private static void unsupported(Client c, DatasetDigest.UnsupportedType e) {
        c.reply.error("ERR DEBUG DIGEST does not support values of type '" + ValueType.typeName(e.type) + "' yet");
    }

    /**
     * OBJECT key, in Redis's line format. The key is read without expiring it. Small integers
     * report Redis's shared-object refcount, since Redis shares them whenever maxmemory is 0
     * (always so in Ember for now). serializedlength is the RDB size of the string without LZF
     * compression (see docs/introspection.md).
     */
    private static void object(Client c, byte[] key) {
        Database db = c.db;
        int ref = db.peekRaw(key);
        if (ref == 0) {
            c.reply.error(Errors.NO_SUCH_KEY);
            return;
        }
        Object value = db.value(ref);
        int encoding = db.encoding(ref);
        int lru = ValueType.lru(db.table().meta(ref));
        long refcount = 1;
        long serialized = 0;
        if (db.type(ref) == ValueType.STRING) {
            byte[] s = (byte[]) value;
            if (encoding == ValueType.ENC_INT) {
                long v = Numbers.parseLong(s);
                if (v >= 0 && v < 10000) refcount = Integer.MAX_VALUE;
            }
            serialized = rdbStringLength(s, encoding == ValueType.ENC_INT);
        }
        String extra = "";
        if (value instanceof Quicklist ql) {
            serialized = rdbQuicklistLength(ql);
            extra = quicklistFields(ql);
        }
        c.reply.simple("Value at:0x" + Long.toHexString(0x7f0000000000L | (System.identityHashCode(value) & 0xffffffffL) << 4)
                + " refcount:" + refcount
                + " encoding:" + ValueType.encodingName(encoding)
                + " serializedlength:" + serialized
                + " lru:" + lru
                + " lru_seconds_idle:" + c.engine.evictionClock.idleMillis(lru) / 1000 + extra);
    }

    /** The quicklist part of DEBUG OBJECT: nodes, average entries per node, fill, compression, listpack bytes. */
    private static String quicklistFields(Quicklist ql) {
        // %.2f on the exact double: ties between two printable values go to even, as in glibc
        String avg = new java.math.BigDecimal((double) ql.size() / ql.nodeCount())
                .setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return " ql_nodes:" + ql.nodeCount() + " ql_avg_node:" + avg + " ql_listpack_max:" + ql.fill()
                + " ql_compressed:0 ql_uncompressed_size:" + ql.listpackBytes();
    }

    /** RDB_TYPE_LIST_QUICKLIST_2 size: node count, then per node its container and listpack (LZF aside). */
    private static long rdbQuicklistLength(Quicklist ql) {
        long n = rdbLengthSize(ql.nodeCount());
        for (int i = 0; i < ql.nodeCount(); i++) {
            int bytes = io.ember.type.Listpack.totalBytes(ql.node(i));
            n += 1 + rdbLengthSize(bytes) + bytes;
        }
        return n;
    }

    /** Bytes an RDB file spends on a string (rdbSaveStringObject), LZF compression aside. */
    static long rdbStringLength(byte[] s, boolean intEncoded) {
        if ((intEncoded || s.length <= 11) && Numbers.isLong(s)) {
            long v = Numbers.parseLong(s);
            if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) return 2;
            if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 3;
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        }
        return rdbLengthSize(s.length) + s.length;
    }

    private static int rdbLengthSize(long len) {
        if (len < (1 << 6)) return 1;
        if (len < (1 << 14)) return 2;
        if (len <= 0xffffffffL) return 5;
        return 9;
    }

    /**
     * SLEEP seconds: blocks the engine, like Redis. The argument is read as C's strtod reads
     * it (a leading number; anything else counts as 0), and a negative time sleeps not at all.
     */
    private static void sleep(Client c, byte[] arg) {
        long micros = (long) (strtod(Bytes.latin1(arg)) * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply.ok();
    }

    private static final java.util.regex.Pattern LEADING_NUMBER =
            java.util.regex.Pattern.compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static double strtod(String s) {
        java.util.regex.Matcher m = LEADING_NUMBER.matcher(s);
        return m.find() ? Double.parseDouble(m.group().trim()) : 0;
    }

    /** C's atoi on a small argument (SET-ACTIVE-EXPIRE): the leading integer, 0 if none. */
    private static long atoi(byte[] s) {
        return CommandKeys.atoi(s);
    }

    /** PROTOCOL type: one reply of each RESP shape, as Redis sends it in RESP2 and RESP3. */
    private static void protocol(Client c, byte[] type) {
        String t = Bytes.latin1(type).toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "string" -> c.reply.bulk("Hello World");
            case "integer" -> c.reply.integer(12345);
            case "double" -> c.reply.doubleFormatted(Bytes.ascii("3.141"));
            case "bignum" -> c.reply.bigNumber("1234567999999999999999999999999999999");
            case "null" -> c.reply.nullBulk();
            case "array", "set", "map" -> {
                if (t.equals("array")) c.reply.arrayHeader(3);
                else if (t.equals("set")) c.reply.setHeader(3);
                else c.reply.mapHeader(3);
                for (int j = 0; j < 3; j++) {
                    c.reply.integer(j);
                    if (t.equals("map")) c.reply.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (c.reply.resp3()) {
                    c.reply.attributeHeader(1);
                    c.reply.bulk("key-popularity");
                    c.reply.arrayHeader(2);
                    c.reply.bulk("key:123");
                    c.reply.integer(90);
                }
                // Attributes are not replies: a real reply must follow.
                c.reply.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (!c.reply.resp3()) {
                    c.reply.error("ERR RESP2 is not supported by this command");
                    return;
                }
                c.reply.pushHeader(2);
                c.reply.bulk("server-cpu-usage");
                c.reply.integer(42);
                // Pushes are out of band: the command still owes its caller a reply.
                c.reply.bulk("Some real reply following the push reply");
            }
            case "true" -> c.reply.bool(true);
            case "false" -> c.reply.bool(false);
            case "verbatim" -> c.reply.verbatim("This is a verbatim\nstring");
            default -> c.reply.error("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /**
     * STRINGMATCH-TEST (stringmatchlen_fuzz_test): ten million random patterns against random
     * strings, to prove the matcher never crashes or recurses without bound.
     */
    private static void stringMatchFuzz() {
        Random rnd = new Random(0x5eed);
        byte[] str = new byte[32], pat = new byte[32];
        long matches = 0;
        for (int cycle = 0; cycle < 10_000_000; cycle++) {
            int slen = rnd.nextInt(32), plen = rnd.nextInt(32);
            for (int j = 0; j < slen; j++) str[j] = (byte) rnd.nextInt(128);
            for (int j = 0; j < plen; j++) pat[j] = (byte) rnd.nextInt(128);
            if (Glob.matches(java.util.Arrays.copyOf(pat, plen), java.util.Arrays.copyOf(str, slen), false)) matches++;
        }
        if (matches < 0) throw new IllegalStateException(); // keeps the loop from being optimised away
    }
}
