package io.ember.script;

import io.ember.testing.Differential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripts run on redis-server 7.0 and on Ember, replies compared byte for byte: every conversion
 * rule both ways in RESP2 and RESP3, error texts, the sandbox, the libraries, the script cache.
 */
class ScriptDifferentialTest {
    private static Differential d;

    @BeforeEach
    void start() {
        d = new Differential();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private static void eval(String script, String... keysAndArgs) {
        String[] cmd = new String[keysAndArgs.length + 2];
        cmd[0] = "eval";
        cmd[1] = script;
        System.arraycopy(keysAndArgs, 0, cmd, 2, keysAndArgs.length);
        d.check(cmd);
    }

    private static final String[] LUA_TO_REPLY = {
        "return 1", "return 3.99", "return -3.99", "return 'x'", "return ''", "return true", "return false", "return nil",
        "return {}", "return {1,2,3,'ciao',{1,2}}", "return {1,nil,3}", "return {1,2,{3,{4,false,5}}}",
        "return {ok='fine'}", "return {ok='a\\r\\nb'}", "return {err='My Error'}", "return {err='bad'}",
        "return redis.status_reply('PONG')", "return redis.error_reply('My Error')", "return redis.error_reply('MyError')",
        "return redis.error_reply('-WRONG x')", "return {double=3.5}", "return {double=1e300}", "return {big_number='123456789012345678901234567890'}",
        "return {map={a=1}}", "return {set={x=true}}", "return {verbatim_string={format='txt', string='hi'}}",
        "return 2^53", "return -0.5", "return {ok=1}", "return {err=1}", "return {ok='ok', err='e'}", "return 'a\\0b'",
        "return {'a', {ok='s'}, {err='ERR e'}, true, false}", "return 1e20", "return tostring(1/3)", "return tostring(1e15)",
        "return string.format('%.14g %d %5.2f %s', 0.1, 3, 2.5, 'x')", "return math.huge", "return -math.huge",
        "local t = {} t[1]=1 t[2]=2 t[4]=4 return t", "return {1, {map={a={1,2}}}}",
    };

    @Test
    void luaToReplyResp2() {
        for (String s : LUA_TO_REPLY) eval(s, "0");
        d.assertNoDivergence();
    }

    @Test
    void luaToReplyResp3() {
        d.check(Differential.Mode.TYPE_ONLY, "hello", "3");
        try {
            for (String s : LUA_TO_REPLY) eval(s, "0");
            for (String s : LUA_TO_REPLY) eval("redis.setresp(3) " + s, "0");
        } finally {
            d.check(Differential.Mode.TYPE_ONLY, "hello", "2");
        }
        d.assertNoDivergence();
    }

    private static final String[] REPLY_TO_LUA = {
        "return redis.call('set', KEYS[1], 'v')", "return redis.call('get', KEYS[1])", "return redis.call('get', 'nokey')",
        "return type(redis.call('get', 'nokey'))", "return redis.call('incr', 'counter')", "return redis.call('ping')",
        "local t = redis.call('ping') return t.ok", "return redis.call('del', 'l') + redis.call('rpush', 'l', 'a', 'b', 'c')",
        "return redis.call('lrange', 'l', 0, -1)", "return redis.call('lrange', 'nolist', 0, -1)",
        "return redis.call('hset', 'h', 'f', 'v', 'g', 'w')", "return redis.call('hgetall', 'h')",
        "return redis.call('zadd', 'z', 1.5, 'a', 2, 'b')", "return redis.call('zrange', 'z', 0, -1, 'withscores')",
        "return redis.call('zscore', 'z', 'a')", "return redis.call('sadd', 's', 'm')", "return redis.call('smembers', 's')",
        "return redis.call('blpop', 'nolist', 0)", "return redis.call('set', 'bin', '\\0\\255\\1') and redis.call('get', 'bin')",
        "return redis.call('exists', 'nokey', KEYS[1])", "return redis.pcall('incr', 'l')",
        "local r = redis.pcall('incr', 'l') return type(r) .. r.err", "return redis.call('lpop', 'nolist')",
        "return redis.call('mget', KEYS[1], 'nokey')", "return redis.call('set', 'f', 3.0) and redis.call('get', 'f')",
        "return redis.call('set', 'f', 0.1) and redis.call('get', 'f')", "return redis.call('set', 'f', 1e20) and redis.call('get', 'f')",
        "return redis.call('config', 'get', 'maxmemory')", "return redis.call('type', 'h')", "return redis.call('type', 'h')['ok']",
        "return redis.call('object', 'encoding', 'l')",
    };

    private static final String[] REPLY_TO_LUA_RESP3 = {
        "redis.setresp(3) return redis.call('hgetall', 'h')", "redis.setresp(3) local t = redis.call('hgetall', 'h') return t.map.f",
        "redis.setresp(3) return redis.call('smembers', 's')", "redis.setresp(3) local t = redis.call('smembers', 's') return tostring(t.set.m)",
        "redis.setresp(3) return redis.call('zscore', 'z', 'a')", "redis.setresp(3) return redis.call('zscore', 'z', 'a').double",
        "redis.setresp(3) return type(redis.call('get', 'nokey'))", "redis.setresp(3) return redis.call('get', 'nokey')",
        "redis.setresp(3) return redis.call('exists', 'h')", "redis.setresp(3) return redis.call('zrange', 'z', 0, -1, 'withscores')",
        "redis.setresp(3) return redis.call('ping')", "redis.setresp(3) return redis.pcall('incr', 'l')",
        "redis.setresp(3) return redis.call('lpop', 'nolist')", "redis.setresp(3) return redis.call('hgetall', 'nokey')",
    };

    @Test
    void replyToLua() {
        for (String s : REPLY_TO_LUA) eval(s, "1", "k1");
        for (String s : REPLY_TO_LUA_RESP3) eval(s, "0");
        d.check(Differential.Mode.TYPE_ONLY, "hello", "3");
        try {
            for (String s : REPLY_TO_LUA) eval(s, "1", "k1");
            for (String s : REPLY_TO_LUA_RESP3) eval(s, "0");
        } finally {
            d.check(Differential.Mode.TYPE_ONLY, "hello", "2");
        }
        d.assertNoDivergence();
    }

    @Test
    void keysAndArgv() {
        eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", "2", "a", "b", "c", "d");
        eval("return ARGV", "0", "x", "y", "\u0001\u00ff");
        eval("return KEYS", "0");
        eval("return 1", "-1");
        eval("return 1", "2", "a");
        eval("return 1", "x");
        eval("return 1", "99999999999999999999");
        // more than the arguments passed inline to the runner: KEYS/ARGV built through tables
        String[] many = new String[301];
        many[0] = "150";
        for (int i = 1; i <= 300; i++) many[i] = (i <= 150 ? "k" : "a") + i;
        eval("return {#KEYS, #ARGV, KEYS[1], KEYS[150], ARGV[1], ARGV[150]}", many);
        String[] some = java.util.Arrays.copyOf(many, 21);
        some[0] = "10";
        eval("return {#KEYS, #ARGV, KEYS[10], ARGV[10], ARGV[11]}", some);
        d.assertNoDivergence();
    }

    @Test
    void errors() {
        String[] scripts = {
            "return x", "x = 1", "return redis.call('nosuch')", "return redis.call('incr', 'a', 'b')", "return redis.call()",
            "return redis.call('set', {})", "return redis.call('eval', 'return 1', 0)", "error('boom')", "error({err='X boom'})",
            "error()", "error(nil)", "error(12)", "return 1 +", "local t = nil; return t.x", "return nosuch()",
            "redis.call('set', 'str', 'x') return redis.call('incr', 'str')", "return redis.pcall('nosuch')",
            "return redis.pcall()", "return redis.setresp(4)", "return redis.set_repl(99)", "return redis.log(99, 'x')",
            "return redis.log(redis.LOG_WARNING)", "return redis.sha1hex()", "return redis.error_reply(1)",
            "\n\nerror('line3')", "local function f() error('deep') end f()", "return redis.call('subscribe', 'ch')",
            "return redis.call('multi')", "return redis.call('get')", "return string.rep()",
            "local function r(n) return r(n + 1) + 1 end return r(1)",
            "return bit.band()", "return bit.tohex('x')", "return string.rep('x', 'y')", "return #string.rep('ab', 3.7)",
            "return #string.rep('x', 2^32 + 3)", "return ('x'):rep(3)", "return string.rep({})",
        };
        for (String s : scripts) eval(s, "0");
        d.check("eval_ro", "return redis.call('set', 'a', 'b')", "0");
        d.check("eval_ro", "return redis.call('get', 'a')", "0");
        d.assertNoDivergence();
    }

    @Test
    void sandbox() {
        String[] scripts = {
            "return os", "return io", "return require", "return loadfile", "return dofile", "return _G.x", "_G.x = 1",
            "string.foo = 1", "redis.call = nil", "math.pi = 1", "table.insert = nil", "return type(print)",
            "return loadstring(string.dump(function() return 1 end))", "return {loadstring('return 7')()}",
            "return type(setfenv)..type(getfenv)..type(unpack)..type(coroutine.create)..type(newproxy)",
            "return table.getn({1,2,3})", "return math.mod(7,3)", "return {unpack({1,2,3})}",
            "return {math.random(), math.random(10), math.random(5, 15)}", "math.randomseed(42) return {math.random(100), math.random(100)}",
            "return math.random(10, 1)", "return _VERSION", "return type(java)", "return redis.REDIS_VERSION",
            "return {redis.REDIS_VERSION_NUM, redis.REPL_ALL, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_NONE}",
            "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}",
            "return redis.replicate_commands()", "return redis.sha1hex('')", "return redis.sha1hex('Pizza & Mandolino')",
            "return redis.log(redis.LOG_DEBUG, 'x', 'y')", "return redis.set_repl(redis.REPL_ALL)",
            "local co = coroutine.create(function() coroutine.yield(1) return 2 end) local _, a = coroutine.resume(co) local _, b = coroutine.resume(co) return {a, b}",
            "return pcall(function() error('e') end)", "return select(2, pcall(function() error('e') end))",
            "return {pcall(function() error({err='x'}) end)}",
        };
        for (String s : scripts) eval(s, "0");
        d.assertNoDivergence();
    }

    @Test
    void bitLibrary() {
        String[] scripts = {
            "return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.tobit(2^32 + 1)}",
            "return {bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8)}",
            "return {bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x12345678, 3), bit.bswap(0x12345678), bit.tobit(0.5), bit.tobit(1.5)}",
        };
        for (String s : scripts) eval(s, "0");
        d.assertNoDivergence();
    }

    @Test
    void scriptCache() {
        d.check("script", "flush");
        d.check("script", "load", "return 'loaded'");
        d.check("evalsha", Scripting.sha1hex("return 'loaded'".getBytes()), "0");
        d.check("evalsha", Scripting.sha1hex("return 'loaded'".getBytes()).toUpperCase(), "0");
        d.check("evalsha_ro", Scripting.sha1hex("return 'loaded'".getBytes()), "0");
        d.check("evalsha", "ffffffffffffffffffffffffffffffffffffffff", "0");
        d.check("evalsha", "abc", "0");
        d.check("script", "exists", Scripting.sha1hex("return 'loaded'".getBytes()), "ffffffffffffffffffffffffffffffffffffffff");
        d.check("script", "load", "return 1 +");
        d.check("eval", "return 'via eval'", "0");
        d.check("script", "exists", Scripting.sha1hex("return 'via eval'".getBytes()));
        d.check("script", "flush", "async");
        d.check("script", "flush", "sync");
        d.check("script", "flush", "bogus");
        d.check("script", "exists", Scripting.sha1hex("return 'loaded'".getBytes()));
        d.check("evalsha", Scripting.sha1hex("return 'loaded'".getBytes()), "0");
        d.check("script", "bogus");
        d.check("script", "exists");
        d.assertNoDivergence();
    }

    @Test
    void shebang() {
        String[] scripts = {
            "#!lua\nreturn 1", "#!lua flags=no-writes\nreturn redis.call('set','a','b')", "#!lua flags=no-writes\nreturn redis.call('get','a')",
            "#!lua flags=bad\nreturn 1", "#!luax\nreturn 1", "#!lua foo=bar\nreturn 1", "#!lua flags=allow-oom,allow-stale,no-cluster\nreturn 2",
            "#!lua flags=no-writes,allow-cross-slot-keys\nerror('line2')", "#!lua\nreturn redis.call('set','a','b')",
        };
        for (String s : scripts) eval(s, "0");
        d.check("eval_ro", "#!lua\nreturn 1", "0");
        d.check("eval_ro", "#!lua flags=no-writes\nreturn 1", "0");
        d.assertNoDivergence();
    }

    @Test
    void cjsonLibrary() {
        String[] scripts = {
            "return cjson.encode({})", "return cjson.encode({1, 2, 3})", "return cjson.encode({a = 1})",
            "return cjson.encode({1, 'two', true, false, {x = {1.5, -0.25}}})", "return cjson.encode('a\"b\\\\c/d\\n\\t\\1\\127')",
            "return cjson.encode(0.1)", "return cjson.encode(1/3)", "return cjson.encode(1e300)", "return cjson.encode(2^53)",
            "return cjson.encode(-0)", "return cjson.encode(cjson.null)", "return cjson.encode(nil)",
            "return cjson.encode({[1] = 'a', [2] = 'b', [4] = 'd'})", "return cjson.encode({[1] = 'a', [20] = 'b'})",
            "return cjson.encode({[1.5] = 'x'})", "return cjson.encode({[true] = 1})", "return cjson.encode(math.huge)",
            "return cjson.encode(function() end)", "return cjson.encode()",
            "return cjson.encode({k1 = 'v1', k2 = 'v2', k3 = {1, 2}, k4 = 'v4', [5] = 'five'})",
            "return cjson.decode('[1, 2, 3]')", "return cjson.decode('{\"a\": [1, {\"b\": \"c\"}]}').a[2].b",
            "return cjson.decode('\"\\\\u00e9\\\\n\"')", "return cjson.decode('1.5e3')", "return cjson.decode('-12')",
            "return type(cjson.decode('null'))", "return cjson.decode('null') == cjson.null", "return cjson.decode('true')",
            "return cjson.decode('')", "return cjson.decode('[1, 2')", "return cjson.decode('{\"a\" 1}')", "return cjson.decode('nul')",
            "return cjson.decode('[1] x')", "return cjson.decode('{1: 2}')", "return cjson.decode('\"abc')",
            "return cjson.decode('\"\\\\x\"')", "return cjson.decode('[1,]')", "return cjson.decode(5)",
            "return cjson.encode(cjson.decode('{\"x\":[1,2,{\"y\":null}],\"z\":\"w\"}'))",
            "local t = {} for i = 1, 1001 do t = {t} end return cjson.encode(t)",
            "return cjson.decode(string.rep('[', 1001) .. string.rep(']', 1001))",
        };
        for (String s : scripts) eval(s, "0");
        d.assertNoDivergence();
    }

    @Test
    void structLibrary() {
        String[] scripts = {
            "return struct.pack('>i4', 258)", "return struct.pack('<h', -2)", "return struct.pack('bBhHlLTiI', -1, 255, -300, 65535, -5, 7, 9, -70000, 70000)",
            "return {struct.unpack('>i4', struct.pack('>i4', -123456))}", "return {struct.unpack('<HB', '\\1\\2\\3')}",
            "return struct.pack('d', 1.5)", "return {struct.unpack('d', struct.pack('d', 3.25))}", "return struct.pack('f', 0.5)",
            "return struct.pack('s', 'abc')", "return {struct.unpack('s', 'abc\\0def\\0')}", "return struct.pack('c3', 'abcdef')",
            "return {struct.unpack('bc0', struct.pack('b', 3) .. 'xyz')}", "return struct.pack('!4 b i', 1, 2)", "return struct.size('!8 b d')",
            "return struct.size('i3 h')", "return struct.size('s')", "return struct.size('c0')", "return struct.pack('q', 1)",
            "return struct.pack('i', 'x')", "return struct.pack('c5', 'ab')", "return struct.unpack('i4', 'ab')",
            "return struct.unpack('s', 'abc')", "return struct.unpack('c0', 'abc')", "return {struct.unpack('B', 'abc', 2)}",
            "return struct.unpack('B', 'abc', 0)", "return struct.pack('i33', 1)", "return struct.pack('!3 i', 1)",
            "return {struct.unpack('>I8', struct.pack('>I8', 2^63))}", "return {struct.unpack('>i16', struct.pack('>i16', -2))}",
            "return struct.pack('>I2', 70000)", "return struct.pack('i', -1.9)",
        };
        for (String s : scripts) eval(s, "0");
        d.assertNoDivergence();
    }

    @Test
    void cmsgpackLibrary() {
        String[] scripts = {
            "return cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, 2^32, -32, -33, -128, -129, -32768, -32769, -2^31, -2^31 - 1)",
            "return cmsgpack.pack(0.5, 0.1, 1e300, -0.25, 2^63, math.huge)", "return cmsgpack.pack('', 'abc', string.rep('x', 40), string.rep('y', 300), string.rep('z', 70000))",
            "return cmsgpack.pack({}, {1, 2, 3}, {a = 1}, true, false, nil)", "return cmsgpack.pack({1, nil, 3})",
            "return cmsgpack.pack({[1] = 'a', [3] = 'c'})", "local t = {} for i = 1, 20 do t[i] = i end return cmsgpack.pack(t)",
            "local t = {} for i = 1, 20 do t['k' .. i] = i end return cmsgpack.pack(t)",
            "local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)",
            "return cmsgpack.pack()", "return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, {four = 4}}, true, 0.5, -70000, 2^40))}",
            "return cmsgpack.unpack(cmsgpack.pack({a = {b = {c = 'deep'}}})).a.b.c", "return {cmsgpack.unpack('')}",
            "return cmsgpack.unpack('\\193')", "return cmsgpack.unpack('\\205\\1')", "return cmsgpack.unpack('\\163ab')",
            "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))}", "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 2)}",
            "return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)}", "return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}",
            "return {cmsgpack.unpack_one(cmsgpack.pack(1), 1)}", "return {cmsgpack.unpack_one('\\1', 5)}",
            "return {cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')}",
            "return {cmsgpack.unpack('\\211\\255\\255\\255\\255\\255\\255\\255\\254')}",
            "return {cmsgpack.unpack('\\196\\1a')}", "return cmsgpack.unpack({})",
        };
        for (String s : scripts) eval(s, "0");
        d.assertNoDivergence();
    }
}
