package io.ember.propagation;

import org.junit.jupiter.api.Test;

/**
 * Functions in the AOF, compared with redis-server's: FUNCTION LOAD / DELETE / FLUSH / RESTORE
 * are propagated as themselves (they change the function set), FCALL as the commands the function
 * ran; redis.set_repl(REPL_NONE / REPL_REPLICA) keeps the following commands out of the AOF, in
 * scripts and in functions.
 */
class FunctionPropagationTest extends PropagationTestBase {
    private static final String LIB = "#!lua name=plib\n"
            + "redis.register_function('setk', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
            + "redis.register_function('two', function(keys) redis.call('incr', keys[1]) redis.call('incr', keys[1]) return 1 end)\n"
            + "redis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end,"
            + " flags={'no-writes'}}\n"
            + "redis.register_function('norepl', function(keys) redis.call('set', keys[1], 'a')"
            + " redis.set_repl(redis.REPL_NONE) redis.call('set', keys[1], 'b')"
            + " redis.set_repl(redis.REPL_ALL) redis.call('set', keys[1], 'c') return 1 end)\n";

    @Test
    void functionsAndTheirEffects() {
        step("FUNCTION", "LOAD", LIB);
        step("FCALL", "setk", "1", "k", "v");
        step("FCALL", "two", "1", "n");
        step("FCALL", "ro", "1", "k");
        step("FCALL_RO", "ro", "1", "k");
        step("FCALL", "norepl", "1", "r");
        step("FUNCTION", "LOAD", "REPLACE", LIB);
        step("FUNCTION", "LOAD", LIB); // fails: nothing propagated
        step("FUNCTION", "DELETE", "plib");
        step("FUNCTION", "DELETE", "plib");
        step("FUNCTION", "LOAD", LIB);
        byte[] dump = cap.run("FUNCTION", "DUMP");
        String payload = new String(dump, java.nio.charset.StandardCharsets.ISO_8859_1);
        payload = payload.substring(payload.indexOf('\n') + 1, payload.length() - 2);
        step("FUNCTION", "FLUSH");
        cap.runBytes(b("FUNCTION"), b("RESTORE"), payload.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        cap.compare("FUNCTION RESTORE");
        step("FUNCTION", "FLUSH", "ASYNC");
        cap.assertNoDivergence();
    }

    @Test
    void setReplInScripts() {
        step("EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'x', 1) return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_REPLICA) redis.call('set', 'x', 2) return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_AOF) redis.call('set', 'x', 3) return 1", "0");
        step("EVAL", "redis.call('set', 'y', 1) redis.set_repl(redis.REPL_NONE) redis.call('set', 'y', 2)"
                + " redis.call('incr', 'y') return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set', 'z', 1) redis.set_repl(redis.REPL_ALL)"
                + " redis.call('set', 'z', 2) return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_SLAVE) redis.call('del', 'x') return 1", "0");
        step("EVAL", "return redis.set_repl(7)", "0");
        cap.assertNoDivergence();
    }

    private static byte[] b(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
