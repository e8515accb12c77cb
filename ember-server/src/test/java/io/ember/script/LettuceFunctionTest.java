package io.ember.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.TestServer;
import io.lettuce.core.FunctionRestoreMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Test;

/** Functions through Lettuce's own API: functionLoad, fcall, fcallReadOnly, functionDump/Restore. */
class LettuceFunctionTest {

    @Test
    void lettuceCallsFunctions() {
        try (TestServer server = TestServer.start()) {
            RedisClient client = RedisClient.create(server.uri());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> r = conn.sync();
                assertEquals("counter", r.functionLoad("#!lua name=counter\n"
                        + "redis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)\n"
                        + "redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end,"
                        + " flags={'no-writes'}}"));
                assertEquals(5L, (Long) r.fcall("bump", ScriptOutputType.INTEGER, new String[] {"c"}, "5"));
                assertEquals(7L, (Long) r.fcall("bump", ScriptOutputType.INTEGER, new String[] {"c"}, "2"));
                assertEquals("7", r.fcallReadOnly("peek", ScriptOutputType.VALUE, "c"));
                byte[] dump = r.functionDump();
                assertEquals("OK", r.functionFlush(io.lettuce.core.FlushMode.SYNC));
                assertEquals("OK", r.functionRestore(dump, FunctionRestoreMode.APPEND));
                assertEquals(8L, (Long) r.fcall("bump", ScriptOutputType.INTEGER, new String[] {"c"}, "1"));
                assertEquals(1, r.functionList().size());
            } finally {
                client.shutdown();
            }
        }
    }
}
