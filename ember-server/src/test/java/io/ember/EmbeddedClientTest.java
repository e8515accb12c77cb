package io.ember;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ember.resp.RespValue;
import io.ember.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** An in-process caller and a network client see the same data through the same command path. */
class EmbeddedClientTest {

    @Test
    void embeddedAndNetworkClientsShareTheKeyspace() {
        try (TestServer server = TestServer.start(); EmbeddedClient local = server.server().embeddedClient();
             Jedis remote = server.jedis()) {
            assertEquals("OK", local.call("SET", "greeting", "hello").toString());
            assertEquals("hello", remote.get("greeting"));
            remote.set("counter", "41");
            RespValue v = local.call("GET", "counter");
            assertEquals("41", v.toString());
            RespValue err = local.call("GET");
            assertInstanceOf(RespValue.Error.class, err);
            assertEquals("ERR wrong number of arguments for 'get' command", ((RespValue.Error) err).message());
        }
    }

    @Test
    void embeddedTransactionsAreAtomicAndSeeWatch() {
        try (TestServer server = TestServer.start(); EmbeddedClient local = server.server().embeddedClient();
             Jedis remote = server.jedis()) {
            local.call("SET", "k", "1");
            local.call("WATCH", "k");
            remote.set("k", "2");
            local.call("MULTI");
            assertEquals("QUEUED", local.call("SET", "k", "3").toString());
            assertEquals(RespValue.NULL, local.call("EXEC"));
            local.call("MULTI");
            local.call("SET", "k", "4");
            local.call("GET", "k");
            RespValue exec = local.call("EXEC");
            assertEquals(List.of("OK", "4"), ((RespValue.Array) exec).items().stream().map(Object::toString).toList());
        }
    }

    @Test
    void helloSwitchesTheEmbeddedClientToResp3() {
        try (TestServer server = TestServer.start(); EmbeddedClient local = server.server().embeddedClient()) {
            RespValue hello = local.call("HELLO", "3");
            assertInstanceOf(RespValue.Map.class, hello);
            assertEquals("7.0.15", ((RespValue.Map) hello).get("version").toString());
            assertEquals(RespValue.NULL, local.call("GET", "missing"));
        }
    }
}
