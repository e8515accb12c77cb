package io.ember.propagation;

import org.junit.jupiter.api.Test;

/**
 * Scripts propagate their effects, as Redis 7.0 writes them to its AOF: the commands a script ran
 * (rewritten as each would be on its own), wrapped in MULTI/EXEC when more than one, never the
 * EVAL itself; nothing for a script that only reads or fails before writing.
 */
class ScriptPropagationTest extends PropagationTestBase {

    @Test
    void effectsNotScripts() {
        step("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "a", "1");
        step("EVAL", "redis.call('set', KEYS[1], 'x') redis.call('incr', KEYS[2]) return 1", "2", "b", "n");
        step("EVAL", "return redis.call('get', KEYS[1])", "1", "a");
        step("EVAL", "redis.call('select', 3) redis.call('set', 'in3', 'v') return 1", "0");
        step("EVAL", "redis.call('incrbyfloat', 'f', '1.5') redis.call('expire', 'f', 100) return 1", "0");
        step("EVAL", "redis.call('del', 'nothing') return 1", "0");
        step("EVAL", "redis.call('set', 'p', 1) return redis.pcall('incr', 'a', 'b')", "0");
        step("EVAL", "redis.call('set', 'q', 1) error('boom')", "0");
        step("SCRIPT", "LOAD", "return redis.call('incr', KEYS[1])");
        step("EVALSHA", "8a8d5e7d5b3ef1c6a5e1f1d6c1e60e7cb1b0c2a9", "1", "n");
        step("EVAL", "return 1", "0");
        cap.assertNoDivergence();
    }
}
