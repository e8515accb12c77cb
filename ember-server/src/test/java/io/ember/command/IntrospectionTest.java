package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespReader;
import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * COMMAND and its subcommands against redis-server 7.0: for every command Ember registers, INFO
 * and DOCS equal Redis's (subcommand lists compared as sets, restricted to what Ember
 * implements), and GETKEYS / GETKEYSANDFLAGS find the same keys for command lines generated from
 * each command's documented arguments.
 */
class IntrospectionTest {
    static Differential d;
    static int resp3;

    @BeforeAll
    static void start() {
        d = new Differential();
        resp3 = d.newConnection();
        d.on(resp3, Differential.Mode.TYPE_ONLY, "HELLO", "3");
    }

    @AfterAll
    static void stop() {
        d.close();
    }

    static CommandTable emberTable() {
        return d.ember().server().engine().commands;
    }

    /** Full names of everything Ember registers: commands and their subcommands. */
    /** Commands of later Redis versions (redis72-commands.resp3): redis-server 7.0 cannot be compared. */
    static final Set<String> LATER_THAN_70 = Set.of("waitaof");

    /** Every implemented command Redis 7.0 has, subcommands included. */
    static List<String> emberNames() {
        List<String> names = new ArrayList<>();
        for (CommandSpec c : emberTable().all()) {
            if (LATER_THAN_70.contains(c.fullName)) continue;
            names.add(c.fullName);
            for (CommandSpec s : c.subcommands()) names.add(s.fullName);
        }
        return names;
    }

    /** One command on a fresh connection to redis-server or Ember. */
    static byte[] once(boolean ember, String... cmd) {
        try (RawConnection c = ember ? d.ember().raw() : d.redis().raw()) {
            return c.call(cmd);
        }
    }

    static RespValue value(byte[] reply) {
        return new RespReader(reply).read();
    }

    /** A canonical text of a value; the entries of "subcommands" sorted so order does not matter. */
    static String canon(RespValue v) {
        return switch (v) {
            case RespValue.Bulk b -> "$" + b;
            case RespValue.Simple s -> "+" + s;
            case RespValue.Int i -> ":" + i.value();
            case RespValue.Null n -> "_";
            case RespValue.Array a -> {
                StringBuilder sb = new StringBuilder(a.kind() + "[");
                for (RespValue x : a.items()) sb.append(canon(x)).append(',');
                yield sb.append(']').toString();
            }
            case RespValue.Map m -> {
                StringBuilder sb = new StringBuilder("{");
                for (RespValue x : m.flat()) sb.append(canon(x)).append(',');
                yield sb.append('}').toString();
            }
            default -> v.toString();
        };
    }

    /** Redis's INFO entry with its subcommand list cut down to Ember's subcommands, sorted. */
    static String infoCanon(RespValue entry, Set<String> keep) {
        if (!(entry instanceof RespValue.Array a)) return canon(entry);
        List<RespValue> items = new ArrayList<>(a.items());
        List<RespValue> subs = new ArrayList<>();
        for (RespValue s : ((RespValue.Array) items.get(9)).items()) {
            String name = ((RespValue.Array) s).items().get(0).toString();
            if (keep == null || keep.contains(name)) subs.add(s);
        }
        subs.sort(Comparator.comparing(s -> ((RespValue.Array) s).items().get(0).toString()));
        items.set(9, new RespValue.Array(RespValue.AggregateKind.ARRAY, subs));
        return canon(new RespValue.Array(a.kind(), items));
    }

    /** A DOCS reply (map name -> docs) with each "subcommands" map cut down and sorted. */
    static String docsCanon(RespValue reply, Set<String> keep) {
        List<RespValue> flat = ((RespValue.Map) asMap(reply)).flat();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            sb.append(flat.get(i)).append("=>");
            List<RespValue> doc = new ArrayList<>(((RespValue.Map) asMap(flat.get(i + 1))).flat());
            for (int j = 0; j + 1 < doc.size(); j += 2) {
                if (!doc.get(j).toString().equals("subcommands")) continue;
                List<RespValue> subs = ((RespValue.Map) asMap(doc.get(j + 1))).flat();
                TreeSet<String> sorted = new TreeSet<>();
                for (int k = 0; k + 1 < subs.size(); k += 2) {
                    if (keep == null || keep.contains(subs.get(k).toString())) {
                        sorted.add(subs.get(k) + "=" + canon(asMap(subs.get(k + 1))));
                    }
                }
                doc.set(j + 1, new RespValue.Bulk(String.join(";", sorted).getBytes(StandardCharsets.ISO_8859_1)));
            }
            for (RespValue x : doc) sb.append(canon(x)).append(',');
            sb.append('\n');
        }
        return sb.toString();
    }

    /** RESP2 maps arrive as flat arrays. */
    static RespValue asMap(RespValue v) {
        return v instanceof RespValue.Array a ? new RespValue.Map(a.items()) : v;
    }

    @Test
    void commandInfoEqualsRedisForEveryImplementedCommand() {
        Set<String> ember = new TreeSet<>(emberNames());
        for (int conn : new int[] {0, resp3}) {
            for (String name : ember) {
                RawConnection[] p = pair(conn);
                RespValue redis = value(p[0].call("COMMAND", "INFO", name));
                RespValue mine = value(p[1].call("COMMAND", "INFO", name));
                RespValue redisEntry = ((RespValue.Array) redis).items().get(0);
                RespValue emberEntry = ((RespValue.Array) mine).items().get(0);
                assertEquals(infoCanon(redisEntry, ember), infoCanon(emberEntry, null), "COMMAND INFO " + name);
            }
        }
    }

    @Test
    void commandDocsEqualsRedisForEveryImplementedCommand() {
        Set<String> ember = new TreeSet<>(emberNames());
        for (int conn : new int[] {0, resp3}) {
            for (String name : ember) {
                RawConnection[] p = pair(conn);
                String redis = docsCanon(value(p[0].call("COMMAND", "DOCS", name)), ember);
                String mine = docsCanon(value(p[1].call("COMMAND", "DOCS", name)), null);
                assertEquals(redis, mine, "COMMAND DOCS " + name);
            }
        }
    }

    private static final List<RawConnection[]> pairs = new ArrayList<>();

    /** Connection pairs of the Differential are private; keep our own, RESP3 ones switched by HELLO. */
    static RawConnection[] pair(int conn) {
        while (pairs.size() <= (conn == 0 ? 0 : 1)) {
            RawConnection r = d.redis().raw(), e = d.ember().raw();
            if (pairs.size() == 1) {
                r.call("HELLO", "3");
                e.call("HELLO", "3");
            }
            pairs.add(new RawConnection[] {r, e});
        }
        return pairs.get(conn == 0 ? 0 : 1);
    }

    @Test
    void wholeTableCountListAndErrorsMatch() {
        CommandTable table = emberTable();
        RespValue all = value(once(true, "COMMAND"));
        assertEquals(table.size(), ((RespValue.Array) all).items().size());
        assertEquals(":" + table.size() + "\r\n", new String(once(true, "COMMAND", "COUNT"), StandardCharsets.ISO_8859_1));
        Set<String> names = new TreeSet<>();
        for (RespValue e : ((RespValue.Array) all).items()) names.add(((RespValue.Array) e).items().get(0).toString());
        Set<String> registered = new TreeSet<>();
        for (CommandSpec c : table.all()) registered.add(c.fullName);
        assertEquals(registered, names);
        assertTrue(names.containsAll(List.of("command", "client", "debug", "get", "set", "monitor", "wait")));

        Set<String> ember = new TreeSet<>(emberNames());
        for (String[] filter : new String[][] {{}, {"FILTERBY", "PATTERN", "c*"}, {"filterby", "aclcat", "connection"},
                {"FILTERBY", "ACLCAT", "WRITE"}, {"FILTERBY", "MODULE", "x"}, {"FILTERBY", "PATTERN", "*|*"},
                {"FILTERBY", "ACLCAT", "nosuch"}}) {
            List<String> args = new ArrayList<>(List.of("COMMAND", "LIST"));
            args.addAll(List.of(filter));
            String[] cmd = args.toArray(String[]::new);
            Set<String> expected = new TreeSet<>();
            for (RespValue v : ((RespValue.Array) value(once(false, cmd))).items()) {
                if (ember.contains(v.toString())) expected.add(v.toString());
            }
            Set<String> actual = new TreeSet<>();
            for (RespValue v : ((RespValue.Array) value(once(true, cmd))).items()) actual.add(v.toString());
            actual.removeAll(LATER_THAN_70);
            assertEquals(expected, actual, String.join(" ", cmd));
        }

        String[][] exact = {
            {"COMMAND", "INFO", "nosuch", "get", "GET", "client|list", "client|nosuch", "get|x", "", "a|b|c"},
            {"COMMAND", "DOCS", "nosuch"}, {"COMMAND", "DOCS", "get", "nosuch", "SET", "client|kill"}, {"COMMAND", "COUNT", "x"},
            {"COMMAND", "FOO"}, {"COMMAND", "HELP"}, {"COMMAND", "HELP", "x"}, {"COMMAND", "LIST", "FOO"},
            {"COMMAND", "LIST", "FILTERBY"}, {"COMMAND", "LIST", "FILTERBY", "PATTERN"}, {"COMMAND", "LIST", "FILTERBY", "X", "y"},
            {"COMMAND", "LIST", "FILTERBY", "PATTERN", "x", "y"}, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "zz*"},
            {"COMMAND", "GETKEYS"}, {"COMMAND", "GETKEYS", "get"}, {"COMMAND", "GETKEYS", "nosuch", "a"},
            {"COMMAND", "GETKEYS", "ping", "x"}, {"COMMAND", "GETKEYS", "get", "a", "b"}, {"COMMAND", "GETKEYS", "client", "nosuch"},
            {"COMMAND", "GETKEYS", "client", "list"}, {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "GET"},
            {"COMMAND", "GETKEYSANDFLAGS", "set", "a", "b", "ex", "1"}, {"COMMAND", "GETKEYS", "SET", "k", "v"},
        };
        for (String[] c : exact) {
            d.check(c);
            d.on(resp3, Differential.Mode.EXACT, c);
        }
        d.assertNoDivergence();
    }

    /** GETKEYS and GETKEYSANDFLAGS for lines built from the docs of every command Ember implements. */
    @Test
    void getKeysMatchesRedisForEveryImplementedCommand() {
        RespValue allDocs = value(once(false, "COMMAND", "DOCS"));
        List<RespValue> flat = ((RespValue.Map) asMap(allDocs)).flat();
        int lines = 0;
        for (String name : emberNames()) {
            for (List<String> line : exampleLines(name, flat)) {
                List<String> args = new ArrayList<>(List.of("COMMAND", "GETKEYS"));
                args.addAll(line);
                d.check(args.toArray(String[]::new));
                args.set(1, "GETKEYSANDFLAGS");
                d.check(args.toArray(String[]::new));
                d.on(resp3, Differential.Mode.EXACT, args.toArray(String[]::new));
                lines++;
            }
        }
        assertTrue(lines > 30, "generated " + lines + " lines");
        d.assertNoDivergence();
    }

    /**
     * Ember's key finder against Redis for every Redis command, implemented or not, so the
     * per-command finders (SORT, MIGRATE, EVAL, ZUNIONSTORE...) are right before their commands land.
     */
    @Test
    void keyFinderMatchesRedisForAllRedisCommands() {
        CommandTable t = new CommandTable();
        RespValue allDocs = value(once(false, "COMMAND", "DOCS"));
        List<RespValue> flat = ((RespValue.Map) asMap(allDocs)).flat();
        List<String> names = new ArrayList<>();
        for (RespValue v : ((RespValue.Array) value(once(false, "COMMAND", "LIST"))).items()) {
            String n = v.toString();
            names.add(n);
            int bar = n.indexOf('|');
            if (t.lookupFullName(n) != null) continue;
            if (bar < 0) t.add(n, (c, a, k) -> { });
            else t.addSub(n.substring(0, bar), n.substring(bar + 1), (c, a, k) -> { });
        }
        List<List<String>> all = new ArrayList<>();
        for (String n : names) all.addAll(exampleLines(n, flat));
        String[][] curated = {
            {"sort", "k", "store", "d"}, {"sort", "k", "limit", "0", "1", "get", "#", "store", "d", "store", "e"},
            {"sort", "k", "by", "store"}, {"sort_ro", "k", "get", "x"},
            {"migrate", "h", "p", "", "0", "5", "copy", "auth", "pw", "keys", "a", "b"}, {"migrate", "h", "p", "k", "0", "5"},
            {"migrate", "h", "p", "k", "0", "5", "keys", "a"}, {"migrate", "h", "p", "", "0", "5", "auth2", "u", "p", "keys", "a"},
            {"eval", "s", "1abc", "k"}, {"eval", "s", "0"}, {"eval", "s", "3", "a"}, {"evalsha_ro", "s", "2", "a", "b", "c"},
            {"fcall", "f", "1", "k", "arg"}, {"zunionstore", "d", "2abc", "a", "b"}, {"zunionstore", "d", "3", "a"},
            {"zinter", "2", "a", "b", "weights", "1", "2"}, {"zdiff", "x", "a"}, {"sintercard", "2", "a", "b", "limit", "1"},
            {"lmpop", "2", "a", "b", "left"}, {"blmpop", "0", "1", "a", "right"}, {"bzmpop", "0", "2abc", "a", "b", "min"},
            {"bitfield", "k", "get", "u8", "0"}, {"bitfield", "k", "overflow", "wrap", "get", "u8", "0"},
            {"bitfield", "k", "get", "u8", "0", "incrby", "u8", "0", "1"}, {"bitfield", "k", "get", "u8"},
            {"set", "k", "v", "get"}, {"set", "k", "v", "nx", "GeT", "ex", "3"}, {"set", "k", "v", "px", "1"},
            {"georadius", "k", "1", "2", "3", "m", "store", "d", "storedist", "e"}, {"georadius", "k", "1", "2", "3", "m", "store"},
            {"georadiusbymember", "k", "m", "3", "km", "storedist", "d"}, {"xread", "count", "1", "streams", "a", "b", "0", "0"},
            {"xread", "count", "streams", "a"}, {"xreadgroup", "group", "g", "c", "noack", "streams", "s", "0"},
            {"xreadgroup", "group", "g", "streams", "streams", "s", "0"}, {"spublish", "ch", "m"}, {"ssubscribe", "a", "b"},
            {"memory", "usage", "k"}, {"object", "encoding", "k"}, {"xinfo", "stream", "s", "full"}, {"mset", "a", "1", "b"},
        };
        for (String[] c : curated) all.add(List.of(c));
        RawConnection redis = d.redis().raw();
        redis.call("HELLO", "3");
        int compared = 0;
        for (List<String> line : all) {
            List<String> args = new ArrayList<>(List.of("COMMAND", "GETKEYSANDFLAGS"));
            args.addAll(line);
            RespValue r = value(redis.call(args.toArray(String[]::new)));
            byte[][] argv = RawConnection.args(line.toArray(String[]::new));
            CommandSpec spec = lookup(t, argv);
            if (spec == null) continue;
            List<String> mine = new ArrayList<>();
            for (int[] k : CommandKeys.find(spec, argv, argv.length)) {
                mine.add(line.get(k[0]) + " " + CommandKeys.flagNames(k[1]));
            }
            if (r instanceof RespValue.Error e) {
                if (e.message().contains("no key arguments")) {
                    assertFalse(CommandKeys.hasKeys(spec), String.join(" ", line));
                } else if (e.message().contains("Invalid arguments specified")) {
                    assertTrue(CommandKeys.hasKeys(spec), String.join(" ", line));
                    assertEquals(List.of(), mine, String.join(" ", line));
                    compared++;
                } else if (e.message().contains("Invalid number of arguments specified")) {
                    assertTrue(CommandKeys.hasKeys(spec), String.join(" ", line));
                }
                continue;
            }
            assertTrue(CommandKeys.hasKeys(spec), String.join(" ", line));
            List<String> expected = new ArrayList<>();
            for (RespValue k : ((RespValue.Array) r).items()) {
                List<RespValue> pair = ((RespValue.Array) k).items();
                List<String> flags = new ArrayList<>();
                for (RespValue f : ((RespValue.Array) pair.get(1)).items()) flags.add(f.toString());
                expected.add(pair.get(0) + " " + flags);
            }
            assertEquals(expected, mine, String.join(" ", line));
            compared++;
        }
        assertTrue(compared > 300, "compared " + compared + " command lines");
        redis.close();
    }

    private static CommandSpec lookup(CommandTable t, byte[][] argv) {
        String name = new String(argv[0], StandardCharsets.ISO_8859_1).toLowerCase();
        CommandSpec base = t.lookupFullName(name);
        if (base == null || argv.length < 2 || !base.isContainer()) return base;
        return t.lookupFullName(name + "|" + new String(argv[1], StandardCharsets.ISO_8859_1));
    }

    /** Clients that read the whole table at connect time (Lettuce, Jedis) parse Ember's answers. */
    @Test
    void lettuceAndJedisReadTheCommandTable() {
        CommandTable table = emberTable();
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", d.ember().port()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals(table.size(), c.sync().command().size());
            assertEquals((long) table.size(), c.sync().commandCount());
            assertEquals(1, c.sync().commandInfo("get").size());
        } finally {
            client.shutdown();
        }
        try (Jedis j = d.ember().jedis()) {
            assertEquals(table.size(), j.command().size());
            assertEquals(2, j.command().get("get").getArity());
            assertEquals("Get the value of a key", j.commandDocs("get").get("get").getSummary());
            assertEquals(List.of("a"), j.commandGetKeys("SET", "a", "b"));
            assertTrue(j.commandList().contains("client|list"));
        }
    }

    // ---- command lines generated from COMMAND DOCS argument specs ----

    /** Up to three lines per command: all optional arguments, none, and the other alternatives. */
    static List<List<String>> exampleLines(String fullName, List<RespValue> allDocsFlat) {
        RespValue.Map docs = findDocs(fullName, allDocsFlat);
        List<List<String>> out = new ArrayList<>();
        if (docs == null) return out;
        RespValue args = docs.get("arguments");
        for (int variant = 0; variant < 3; variant++) {
            List<String> line = new ArrayList<>(List.of(fullName.split("\\|")));
            int[] counter = {0};
            if (args instanceof RespValue.Array a) generate(a.items(), variant, line, counter);
            if (!out.contains(line)) out.add(line);
        }
        return out;
    }

    private static RespValue.Map findDocs(String fullName, List<RespValue> flat) {
        String[] parts = fullName.split("\\|");
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (!flat.get(i).toString().equals(parts[0])) continue;
            RespValue.Map m = (RespValue.Map) asMap(flat.get(i + 1));
            if (parts.length == 1) return m;
            if (m.get("subcommands") == null) return null;
            List<RespValue> subs = ((RespValue.Map) asMap(m.get("subcommands"))).flat();
            for (int j = 0; j + 1 < subs.size(); j += 2) {
                if (subs.get(j).toString().equals(fullName)) return (RespValue.Map) asMap(subs.get(j + 1));
            }
        }
        return null;
    }

    /** variant 0: every optional, multiples twice; 1: no optionals, once; 2: optionals once, last alternative. */
    private static void generate(List<RespValue> args, int variant, List<String> line, int[] counter) {
        for (RespValue a : args) {
            RespValue.Map m = (RespValue.Map) asMap(a);
            Set<String> flags = new TreeSet<>();
            if (m.get("flags") instanceof RespValue.Array f) for (RespValue x : f.items()) flags.add(x.toString());
            if (flags.contains("optional") && variant == 1) continue;
            int reps = flags.contains("multiple") && variant == 0 ? 2 : 1;
            for (int r = 0; r < reps; r++) {
                RespValue token = m.get("token");
                if (token != null && (r == 0 || flags.contains("multiple_token"))) line.add(token.toString());
                String type = m.get("type").toString();
                switch (type) {
                    case "key" -> line.add("key" + counter[0]++);
                    case "integer" -> line.add("2");
                    case "double" -> line.add("1.5");
                    case "unix-time" -> line.add("1700000000");
                    case "pure-token" -> { }
                    case "oneof" -> {
                        List<RespValue> alts = ((RespValue.Array) m.get("arguments")).items();
                        generate(List.of(alts.get(variant == 2 ? alts.size() - 1 : 0)), variant, line, counter);
                    }
                    case "block" -> generate(((RespValue.Array) m.get("arguments")).items(), variant, line, counter);
                    default -> line.add("v" + counter[0]++);
                }
            }
        }
    }
}
