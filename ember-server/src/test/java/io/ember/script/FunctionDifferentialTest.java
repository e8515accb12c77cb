package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.Differential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FUNCTION and FCALL on redis-server 7.0 and on Ember, replies compared byte for byte (RESP2 and
 * RESP3): every FUNCTION subcommand and its errors, redis.register_function's two forms and their
 * errors, the load-time API, flags, FCALL/FCALL_RO, DUMP/RESTORE with each policy.
 */
class FunctionDifferentialTest {
    private Differential d;

    @BeforeEach
    void start() {
        d = new Differential();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private void load(String body) {
        d.check("function", "load", "#!lua name=lib\n" + body);
        d.check("function", "delete", "lib");
    }

    @Test
    void loadErrorsAndLoadTimeApi() {
        String[] bodies = {
            "redis.register_function('f', function(keys, args) return 1 end)",
            "redis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes'}, description='d'}",
            "redis.register_function{function_name='f', callback=function() end, flags={'bad'}}",
            "redis.register_function{function_name='f', callback=function() end, flags='no-writes'}",
            "redis.register_function{function_name='f', callback=function() end, flags={1}}",
            "redis.register_function{function_name='f', callback=function() end, flags={}}",
            "redis.register_function{function_name='f', callback=function() end, flags={'NO-WRITES', 'Allow-Oom'}}",
            "redis.register_function{function_name='f', callback=function() end, foo=1}",
            "redis.register_function{function_name='f'}",
            "redis.register_function{callback=function() end}",
            "redis.register_function{function_name=1, callback=function() end}",
            "redis.register_function{function_name={}, callback=function() end}",
            "redis.register_function{function_name='f', callback=1}",
            "redis.register_function{function_name='f', callback=function() end, description=2}",
            "redis.register_function{function_name='f', callback=function() end, description={}}",
            "redis.register_function{[1]='f'}",
            "redis.register_function{function_name='', callback=function() end}",
            "redis.register_function('f')",
            "redis.register_function('f', 1)",
            "redis.register_function({}, function() end)",
            "redis.register_function(1, function() end)",
            "redis.register_function()",
            "redis.register_function('a', 'b', 'c')",
            "redis.register_function('bad-name', function() end)",
            "redis.register_function('f', function() end) redis.register_function('f', function() end)",
            "return 1",
            "x = 1",
            "local s = string.format('%d', 1)",
            "redis.call('ping')",
            "redis.setresp(3)",
            "error('boom')",
            "syntax error here",
            "redis.log(redis.LOG_WARNING, 'loading') redis.register_function('f', function() return 1 end)",
            "local v = redis.REDIS_VERSION .. redis.REDIS_VERSION_NUM .. redis.LOG_NOTICE "
                    + "redis.register_function('f', function() return v end)",
            "redis.foo = 1",
            "redis.register_function('f', function() return 1 end) return redis.register_function('g', function() end)",
        };
        for (String b : bodies) load(b);
        String[] shebangs = {
            "#!lua name=lib foo=bar\nredis.register_function('f', function() end)",
            "#!lua\nredis.register_function('f', function() end)",
            "#!lua name=lib",
            "lua name=lib\n",
            "#!js name=lib\n",
            "#!LUA name=lib\nredis.register_function('f', function() end)",
            "#!lua NAME=lib\nredis.register_function('f', function() end)",
            "#!lua name=lib-4\n",
            "#!lua name=\n",
            "#!lua name=a name=b\n",
            "#!lua name=\"unbalanced\n",
            "#!\n",
        };
        for (String s : shebangs) {
            d.check("function", "load", s);
            d.check("function", "flush");
        }
        d.check("function", "load", "foo", "bar");
        d.check("function", "load", "replace", "foo", "bar");
        d.check("function", "load");
        d.assertNoDivergence();
    }

    @Test
    void loadReplaceAndCollisions() {
        d.check("function", "load", "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)");
        d.check("function", "load", "#!lua name=lib1\nredis.register_function('f1', function() return 2 end)");
        d.check("function", "load", "REPLACE", "#!lua name=lib1\nredis.register_function('f1', function() return 2 end)");
        d.check("fcall", "f1", "0");
        d.check("function", "load", "#!lua name=lib2\nredis.register_function('f1', function() end)");
        d.check("function", "load", "#!lua name=lib2\nredis.register_function('F1', function() end)");
        d.check("function", "load", "replace", "#!lua name=lib1\nredis.register_function('g', function() end) x = 1");
        d.check("fcall", "f1", "0"); // the failed replace kept the old library
        d.check("function", "load", "replace", "#!lua name=lib1\nredis.register_function('g', function() return 'g' end)");
        d.check("fcall", "f1", "0");
        d.check("fcall", "G", "0");
        d.check("function", "delete", "lib1");
        d.check("function", "delete", "lib1");
        d.check("function", "delete", "LIB1");
        d.assertNoDivergence();
    }

    @Test
    void fcall() {
        d.check("function", "load", "#!lua name=lib\n"
                + "redis.register_function('echo', function(keys, args) return {keys, args, #keys, #args} end)\n"
                + "redis.register_function('set', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
                + "redis.register_function{function_name='get', callback=function(keys) return redis.call('get', keys[1]) end,"
                + " flags={'no-writes'}}\n"
                + "redis.register_function{function_name='badwrite', callback=function(keys) return redis.call('set', 'x', 1) end,"
                + " flags={'no-writes'}}\n"
                + "redis.register_function('globals', function() return KEYS end)\n"
                + "redis.register_function('err', function() return redis.call('incr', 'str') end)\n"
                + "redis.register_function('raise', function() error('oops') end)\n"
                + "redis.register_function('pcall', function() return redis.pcall('incr', 'str') end)\n"
                + "redis.register_function('status', function() return redis.status_reply('FINE') end)\n"
                + "redis.register_function('regf', function() return redis.register_function end)\n"
                + "redis.register_function('resp3', function() redis.setresp(3) return redis.call('hgetall', 'h') end)\n"
                + "redis.register_function('libs', function() return {cjson.encode({1,2}), bit.band(7, 3), type(struct), type(cmsgpack)} end)\n");
        d.check("fcall", "echo", "2", "a", "b", "c", "d");
        d.check("fcall", "echo", "0");
        d.check("fcall", "ECHO", "1", "k");
        d.check("fcall", "nosuch", "0");
        d.check("fcall", "echo", "x");
        d.check("fcall", "echo", "3", "a");
        d.check("fcall", "echo", "-1");
        d.check("fcall", "set", "1", "k", "v");
        d.check("fcall", "get", "1", "k");
        d.check("fcall_ro", "get", "1", "k");
        d.check("fcall_ro", "set", "1", "k", "v");
        d.check("fcall", "badwrite", "0");
        d.check("fcall_ro", "badwrite", "0");
        d.check("fcall", "globals", "0");
        d.check("set", "str", "abc");
        d.check("fcall", "err", "0");
        d.check("fcall", "raise", "0");
        d.check("fcall", "pcall", "0");
        d.check("fcall", "status", "0");
        d.check("fcall", "regf", "0");
        d.check("hset", "h", "a", "1");
        d.check("fcall", "resp3", "0");
        d.check("fcall", "libs", "0");
        d.check("fcall_ro", "nosuch", "0");
        d.check(Differential.Mode.TYPE_ONLY, "hello", "3");
        d.check("fcall", "resp3", "0");
        d.check("fcall", "echo", "1", "a", "b");
        d.check(Differential.Mode.TYPE_ONLY, "hello", "2");
        d.check("eval", "return redis.call('fcall', 'echo', 0)", "0");
        d.check("multi");
        d.check("fcall", "set", "1", "k", "m");
        d.check("fcall", "get", "1", "k");
        d.check("exec");
        d.assertNoDivergence();
    }

    @Test
    void flagsUnderMaxmemory() {
        d.check("set", "k", "v");
        d.check("function", "load", "#!lua name=lib\n"
                + "redis.register_function('w', function() return redis.call('set', 'k', 'w') end)\n"
                + "redis.register_function{function_name='ro', callback=function() return redis.call('get', 'k') end,"
                + " flags={'no-writes'}}\n"
                + "redis.register_function{function_name='oom', callback=function() return redis.call('set', 'k', 'o') end,"
                + " flags={'allow-oom'}}\n"
                + "redis.register_function{function_name='rooom', callback=function() return redis.call('get', 'k') end,"
                + " flags={'no-writes', 'allow-oom'}}");
        d.check("config", "set", "maxmemory", "1");
        for (String f : new String[] {"w", "ro", "oom", "rooom"}) {
            d.check("fcall", f, "0");
            d.check("fcall_ro", f, "0");
        }
        // EVAL scripts with a shebang follow the same rule (no-writes implies allow-oom)
        for (String sb : new String[] {"#!lua\n", "#!lua flags=no-writes\n", "#!lua flags=allow-oom\n", ""}) {
            d.check("eval", sb + "return redis.call('get', 'k')", "0");
            d.check("eval", sb + "return redis.call('set', 'k', 'e')", "0");
            d.check("eval_ro", sb + "return redis.call('get', 'k')", "0");
        }
        d.check("script", "load", "#!lua\nreturn 'cached'");
        d.check("evalsha", "1eb4db0b001c6dd36df05889d749f9cb553a0553", "0");
        d.check("config", "set", "maxmemory", "0");
        d.check("fcall", "w", "0");
        d.assertNoDivergence();
    }

    @Test
    void manyArguments() {
        d.check("function", "load", "#!lua name=lib\n"
                + "redis.register_function('count', function(keys, args) return {#keys, #args, keys[#keys], args[#args]} end)");
        String[] cmd = new String[3 + 500];
        cmd[0] = "fcall";
        cmd[1] = "count";
        cmd[2] = "200";
        for (int i = 3; i < cmd.length; i++) cmd[i] = "v" + i;
        d.check(cmd);
        d.assertNoDivergence();
    }

    @Test
    void listStatsFlushHelp() {
        d.check("function", "list");
        d.check("function", "stats");
        d.check("function", "load", "#!lua name=alpha\n"
                + "redis.register_function{function_name='a1', callback=function() end, description='first',"
                + " flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}}");
        d.check("function", "load", "#!lua name=beta\nredis.register_function('b1', function() end)");
        for (int proto = 2; proto <= 3; proto++) {
            d.check(Differential.Mode.TYPE_ONLY, "hello", Integer.toString(proto));
            d.check(Differential.Mode.UNORDERED, "function", "list");
            d.check(Differential.Mode.UNORDERED, "function", "list", "withcode");
            d.check("function", "list", "libraryname", "al*");
            d.check("function", "list", "LIBRARYNAME", "B*", "WITHCODE");
            d.check("function", "list", "withcode", "libraryname", "beta");
            d.check("function", "list", "libraryname", "nomatch");
            d.check("function", "list", "libraryname");
            d.check("function", "list", "withcode", "withcode");
            d.check("function", "list", "foo");
            d.check("function", "stats");
        }
        d.check(Differential.Mode.TYPE_ONLY, "hello", "2");
        d.check("function", "flush", "foo");
        d.check("function", "flush", "sync", "extra");
        d.check("function", "flush", "async");
        d.check("function", "list");
        d.check("function", "load", "#!lua name=alpha\nredis.register_function('a1', function() return 'again' end)");
        d.check("fcall", "a1", "0");
        d.check("function", "flush", "SYNC");
        d.check("function", "flush");
        d.check("function", "stats");
        d.check("function", "help");
        d.check("function", "foo");
        d.check("function", "kill");
        d.check("script", "kill");
        d.check("fcall");
        d.check("function");
        d.assertNoDivergence();
    }

    @Test
    void dumpAndRestore() {
        d.check("function", "dump");
        d.check("function", "load", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return args[1] end)");
        byte[] payload = d.check("function", "dump");
        d.check("function", "restore", "foo");
        d.check("function", "restore", "foo", "bar");
        d.check("function", "restore", "foo", "bar", "baz");
        byte[] dump = bulk(payload);
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump);
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump, b("append"));
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump, b("REPLACE"));
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump, b("flush"));
        d.check("fcall", "myfunc", "0", "x");
        d.check("function", "flush");
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump);
        d.check("fcall", "myfunc", "0", "y");
        // a different library holding the same function name
        d.check("function", "flush");
        d.check("function", "load", "#!lua name=other\nredis.register_function('myfunc', function() return 'other' end)");
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump);
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump, b("replace"));
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), dump, b("flush"));
        d.check("function", "list");
        // a corrupt payload, and a key's DUMP given as a function payload
        byte[] bad = dump.clone();
        bad[3] ^= 1;
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), bad);
        d.check("set", "k", "v");
        byte[] keyDump = bulk(d.check("dump", "k"));
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), keyDump);
        d.check("function", "list");
        d.assertNoDivergence();
    }

    @Test
    void dumpOfSeveralLibrariesLoadsOnRedis() {
        d.check("function", "load", "#!lua name=l1\nredis.register_function('f1', function() return 1 end)");
        d.check("function", "load", "#!lua name=l2\nredis.register_function('f2', function() return 2 end)");
        byte[] emberDump = bulk(d.ember().raw().callBytes(b("function"), b("dump")));
        d.check("function", "flush");
        // Ember's payload restored on both servers (library order may differ between the servers' dumps)
        d.onBytes(0, Differential.Mode.EXACT, b("function"), b("restore"), emberDump);
        d.check("fcall", "f1", "0");
        d.check("fcall", "f2", "0");
        // both exist: the error names the first library met in the server's own order
        d.onBytes(0, Differential.Mode.TYPE_ONLY, b("function"), b("restore"), emberDump);
        d.assertNoDivergence();
    }

    @Test
    void commandMetadata() {
        // (FUNCTION's own entry lists its subcommands in an order Redis draws per process)
        d.check("command", "info", "fcall", "fcall_ro", "function|load", "function|list", "function|stats",
                "function|kill", "function|dump", "function|delete", "function|restore", "function|flush", "function|help");
        d.check("command", "docs", "function|list");
        d.check("command", "docs", "fcall");
        d.check("command", "docs", "fcall_ro");
        d.check("command", "getkeys", "fcall", "f", "2", "a", "b", "c");
        d.assertNoDivergence();
    }

    @Test
    void infoCounts() {
        d.check("function", "load", "#!lua name=l1\nredis.register_function('f1', function() end)"
                + " redis.register_function('f2', function() end)");
        d.check("function", "load", "#!lua name=l2\nredis.register_function('g', function() end)");
        for (String field : new String[] {"number_of_functions:3", "number_of_libraries:2"}) {
            String redis = new String(d.redis().raw().call("info", "memory"));
            String ember = new String(d.ember().raw().call("info", "memory"));
            org.junit.jupiter.api.Assertions.assertTrue(redis.contains(field + "\r\n"), redis);
            org.junit.jupiter.api.Assertions.assertTrue(ember.contains(field + "\r\n"), ember);
        }
        d.assertNoDivergence();
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The value of a "$n\r\n...\r\n" reply. */
    private static byte[] bulk(byte[] reply) {
        assertEquals('$', reply[0]);
        int crlf = 1;
        while (reply[crlf] != '\r') crlf++;
        int n = Integer.parseInt(new String(reply, 1, crlf - 1, java.nio.charset.StandardCharsets.US_ASCII));
        return java.util.Arrays.copyOfRange(reply, crlf + 2, crlf + 2 + n);
    }
}
