package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.resp.RespValue;
import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;

class ClientCommandsTest {
    static TestServer server;

    /** CLIENT LIST fields of Redis 7.0.15, in its order. */
    static final List<String> FIELDS = List.of("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db",
            "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl", "oll",
            "omem", "tot-mem", "events", "cmd", "user", "redir", "resp");

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One CLIENT LIST line as an ordered field map. */
    static Map<String, String> parse(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : line.trim().split(" ")) {
            int eq = part.indexOf('=');
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    static Map<Long, Map<String, String>> parseList(String list) {
        Map<Long, Map<String, String>> byId = new LinkedHashMap<>();
        for (String line : list.split("\n")) {
            if (line.isBlank()) continue;
            Map<String, String> m = parse(line);
            byId.put(Long.parseLong(m.get("id")), m);
        }
        return byId;
    }

    @Test
    void setNameAndGetNameWithJedis() {
        try (Jedis j = server.jedis()) {
            assertNull(j.clientGetname());
            assertEquals("OK", j.clientSetname("worker-1"));
            assertEquals("worker-1", j.clientGetname());
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.clientSetname("two words"));
            assertEquals("ERR Client names cannot contain spaces, newlines or special characters.", e.getMessage());
            assertEquals("worker-1", j.clientGetname());
            assertEquals("OK", j.clientSetname(""));
            assertNull(j.clientGetname());
        }
    }

    @Test
    void lettuceNamesItselfThroughHelloSetnameInResp3() {
        RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(server.port()).withClientName("lettuce-app").build();
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            assertEquals("lettuce-app", conn.sync().clientGetname());
            Map<String, String> me = parse(conn.sync().clientInfo());
            assertEquals("lettuce-app", me.get("name"));
            assertEquals("3", me.get("resp"));
            assertEquals(conn.sync().clientId().toString(), me.get("id"));
            try (Jedis j = server.jedis()) {
                Map<String, String> seen = parseList(j.clientList()).get(Long.parseLong(me.get("id")));
                assertEquals("lettuce-app", seen.get("name"));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void clientListHasRedisFieldsInOrderWithTruthfulValues() {
        try (Jedis a = server.jedis(); RawConnection b = server.raw()) {
            b.call("SELECT", "2");
            b.call("CLIENT", "SETNAME", "b-conn");
            b.call("MULTI");
            b.call("SET", "k", "v");
            b.call("GET", "k");
            long aId = a.clientId();
            long bId = -1;
            Map<Long, Map<String, String>> all = parseList(a.clientList());
            Map<String, String> mine = all.get(aId);
            assertEquals(FIELDS, new ArrayList<>(mine.keySet()));
            assertEquals("127.0.0.1:" + server.port(), mine.get("laddr"));
            assertEquals("N", mine.get("flags"));
            assertEquals("0", mine.get("db"));
            assertEquals("-1", mine.get("multi"));
            assertEquals("client|list", mine.get("cmd"));
            assertEquals("default", mine.get("user"));
            assertEquals("2", mine.get("resp"));
            assertEquals("10", mine.get("argv-mem")); // "client" + "list"
            for (Map.Entry<Long, Map<String, String>> e : all.entrySet()) {
                if ("b-conn".equals(e.getValue().get("name"))) bId = e.getKey();
            }
            Map<String, String> other = all.get(bId);
            assertEquals("127.0.0.1:" + b.socket().getLocalPort(), other.get("addr"));
            assertEquals("x", other.get("flags"));
            assertEquals("2", other.get("db"));
            assertEquals("2", other.get("multi"));
            assertEquals("get", other.get("cmd"));
            assertEquals("0", other.get("argv-mem"));
            assertTrue(Long.parseLong(other.get("multi-mem")) >= 7); // set k v + get k
        }
    }

    @Test
    void clientListFiltersByTypeAndId() {
        try (Jedis a = server.jedis(); Jedis b = server.jedis()) {
            long aId = a.clientId(), bId = b.clientId();
            Map<Long, Map<String, String>> two = parseList(a.clientList(aId, bId, 999_999));
            assertEquals(List.of(aId, bId), new ArrayList<>(two.keySet()));
            assertTrue(parseList(a.clientList(ClientType.NORMAL)).keySet().containsAll(List.of(aId, bId)));
            assertEquals("", a.clientList(ClientType.MASTER));
            assertEquals("", a.clientList(ClientType.PUBSUB));
        }
    }

    @Test
    void clientInfoDescribesTheCaller() {
        try (Jedis j = server.jedis()) {
            String info = j.clientInfo();
            assertTrue(info.endsWith("\n"));
            Map<String, String> m = parse(info);
            assertEquals(FIELDS, new ArrayList<>(m.keySet()));
            assertEquals(Long.toString(j.clientId()), m.get("id"));
            assertEquals("client|info", m.get("cmd"));
        }
    }

    @Test
    void killByOldAddressFormDisconnects() {
        try (Jedis admin = server.jedis(); RawConnection victim = server.raw()) {
            victim.call("PING"); // the server has registered the connection
            String addr = "127.0.0.1:" + victim.socket().getLocalPort();
            assertEquals("OK", admin.clientKill(addr));
            assertTrue(victim.isClosedByPeer(2000));
            JedisDataException e = assertThrows(JedisDataException.class, () -> admin.clientKill(addr));
            assertEquals("ERR No such client", e.getMessage());
        }
    }

    @Test
    void killByIdAddrLaddrAndUserFilters() {
        try (Jedis admin = server.jedis(); RawConnection v1 = server.raw(); RawConnection v2 = server.raw();
             RawConnection v3 = server.raw()) {
            long id1 = id(v1), id2 = id(v2);
            assertEquals(1, admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id1))));
            assertTrue(v1.isClosedByPeer(2000));
            assertEquals(0, admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id1))));
            String addr2 = "127.0.0.1:" + v2.socket().getLocalPort();
            assertEquals(1, admin.clientKill(ClientKillParams.clientKillParams().addr(addr2)
                    .laddr("127.0.0.1:" + server.port()).id(Long.toString(id2))));
            assertTrue(v2.isClosedByPeer(2000));
            // USER default matches every other client; SKIPME (default yes) spares the caller.
            assertTrue(admin.clientKill(ClientKillParams.clientKillParams().user("default")) >= 1);
            assertTrue(v3.isClosedByPeer(2000));
            assertEquals("PONG", admin.ping());
            assertFalse(parseList(admin.clientList()).containsKey(id1));
        }
    }

    @Test
    void killWithSkipmeNoClosesTheCallerAfterItsReply() {
        try (RawConnection self = server.raw()) {
            long id = id(self);
            assertArrayEquals(":1\r\n".getBytes(StandardCharsets.US_ASCII),
                    self.call("CLIENT", "KILL", "ID", Long.toString(id), "SKIPME", "no"));
            assertTrue(self.isClosedByPeer(2000));
        }
    }

    @Test
    void lettuceKillsByTypeAndId() {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> admin = client.connect(); RawConnection victim = server.raw()) {
            long victimId = id(victim);
            assertEquals(1L, admin.sync().clientKill(KillArgs.Builder.typeNormal().id(victimId)));
            assertTrue(victim.isClosedByPeer(2000));
        } finally {
            client.shutdown();
        }
    }

    private static long id(RawConnection c) {
        return ((RespValue.Int) c.callValue("CLIENT", "ID")).value();
    }

    /** REPLY OFF answers nothing until ON; SKIP hides exactly the next reply. Raw bytes prove it. */
    @Test
    void replyOffAndSkipOnARawConnection() {
        try (RawConnection c = server.raw()) {
            c.send(RawConnection.encode(RawConnection.args("CLIENT", "REPLY", "OFF")));
            c.send(RawConnection.encode(RawConnection.args("SET", "r", "1")));
            c.send(RawConnection.encode(RawConnection.args("PING")));
            c.send(RawConnection.encode(RawConnection.args("NOSUCHCMD")));
            c.send(RawConnection.encode(RawConnection.args("CLIENT", "REPLY", "ON")));
            assertArrayEquals("+OK\r\n".getBytes(StandardCharsets.US_ASCII), c.readReply());
            c.send(RawConnection.encode(RawConnection.args("CLIENT", "REPLY", "SKIP")));
            c.send(RawConnection.encode(RawConnection.args("GET", "r")));
            c.send(RawConnection.encode(RawConnection.args("ECHO", "after")));
            assertArrayEquals("$5\r\nafter\r\n".getBytes(StandardCharsets.US_ASCII), c.readReply());
            assertArrayEquals("$1\r\n1\r\n".getBytes(StandardCharsets.US_ASCII), c.call("GET", "r"));
        }
    }

    /** The same REPLY sequences on redis-server and Ember give the same byte stream. */
    @Test
    void replyModesMatchRedisByteForByte() {
        try (Differential d = new Differential()) {
            RawConnection redis = d.redis().raw(), ember = d.ember().raw();
            String[][] script = {
                {"CLIENT", "REPLY", "SKIP"}, {"PING"}, {"CLIENT", "REPLY", "SKIP"}, {"CLIENT", "REPLY", "SKIP"},
                {"ECHO", "a"}, {"ECHO", "b"}, {"CLIENT", "REPLY", "OFF"}, {"CLIENT", "REPLY", "SKIP"}, {"ECHO", "c"},
                {"CLIENT", "REPLY", "BAD"}, {"CLIENT", "REPLY", "ON"}, {"CLIENT", "REPLY", "BAD"}, {"ECHO", "end"}};
            for (String[] cmd : script) {
                redis.send(RawConnection.encode(RawConnection.args(cmd)));
                ember.send(RawConnection.encode(RawConnection.args(cmd)));
            }
            // Expected stream: $1 b, +OK, -ERR syntax error, $3 end.
            for (int i = 0; i < 4; i++) assertArrayEquals(redis.readReply(), ember.readReply(), "reply " + i);
            redis.close();
            ember.close();
        }
    }

    @Test
    void noEvictSetsTheFlag() {
        try (Jedis j = server.jedis()) {
            assertEquals("OK", j.clientNoEvictOn());
            assertEquals("e", parse(j.clientInfo()).get("flags"));
            assertEquals("OK", j.clientNoEvictOff());
            assertEquals("N", parse(j.clientInfo()).get("flags"));
        }
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals("OK", c.sync().clientNoEvict(true));
            assertEquals("e", parse(c.sync().clientInfo()).get("flags"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void waitAnswersZeroWithoutReplicas() {
        try (Jedis j = server.jedis()) {
            j.set("w", "1");
            assertEquals(0, j.waitReplicas(0, 100));
            assertEquals(0, j.waitReplicas(1, 10));
        }
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertEquals(0L, c.sync().waitForReplication(0, 50));
        } finally {
            client.shutdown();
        }
    }

    /** Syntax and error replies of CLIENT and WAIT, byte for byte against redis-server. */
    @Test
    void errorsAndRepliesMatchRedis() {
        try (Differential d = new Differential()) {
            String[][] cmds = {
                {"client"}, {"client", "foo"}, {"CLIENT", "Foo", "bar"}, {"client", "id", "x"}, {"client", "info", "x"},
                {"client", "list", "type", "foo"}, {"client", "list", "type"}, {"client", "list", "id"},
                {"client", "list", "id", "abc"}, {"client", "list", "id", "0", "-1"}, {"client", "list", "id", "999"},
                {"client", "list", "foo"}, {"client", "list", "type", "normal", "id", "3"}, {"client", "list", "type", "master"},
                {"client", "list", "type", "replica"}, {"client", "list", "type", "slave"}, {"client", "list", "type", "PUBSUB"},
                {"client", "kill"}, {"client", "kill", "1.2.3.4:5"}, {"client", "kill", "id"}, {"client", "kill", "id", "abc"},
                {"client", "kill", "id", "0"}, {"client", "kill", "id", "-3"}, {"client", "kill", "id", "999"},
                {"client", "kill", "type", "foo", "x"}, {"client", "kill", "user", "nobody"},
                {"client", "kill", "skipme", "maybe"}, {"client", "kill", "laddr", "1:2"}, {"client", "kill", "foo", "bar"},
                {"client", "kill", "id", "1", "maxage", "3"}, {"client", "kill", "id", "1", "type"},
                {"client", "kill", "type", "master"}, {"client", "kill", "addr", "1.1.1.1:1", "skipme", "no"},
                {"client", "reply"}, {"client", "reply", "foo"}, {"client", "no-evict"}, {"client", "no-evict", "maybe"},
                {"client", "no-evict", "ON"}, {"client", "no-evict", "off"}, {"client", "setname"},
                {"client", "setname", "a", "b"}, {"client", "setname", "a b"}, {"client", "setname", "a\nb"},
                {"client", "setname", "é"}, {"client", "getname"}, {"client", "setname", "x-1"}, {"client", "getname"},
                {"client", "setname", ""}, {"client", "getname"},
                {"wait"}, {"wait", "0"}, {"wait", "x", "0"}, {"wait", "0", "x"}, {"wait", "0", "-1"}, {"wait", "-1", "0"},
                {"wait", "0", "0"}, {"wait", "0", "1.5"}, {"wait", " 1", "0"},
                {"multi"}, {"wait", "1", "0"}, {"client", "reply", "on"}, {"exec"},
            };
            for (String[] c : cmds) d.check(c);
            d.check(Differential.Mode.TYPE_ONLY, "hello", "3");
            d.check("client", "getname");
            d.check("client", "reply", "on");
            d.check("client", "setname", "bad name");
            d.assertNoDivergence();
        }
    }

    /** CLIENT HELP is Redis's text, restricted to the subcommands Ember implements. */
    @Test
    void helpIsRedisTextForImplementedSubcommands() {
        try (Differential d = new Differential()) {
            List<RespValue> redis = ((RespValue.Array) d.redis().raw().callValue("CLIENT", "HELP")).items();
            List<RespValue> ember = ((RespValue.Array) d.ember().raw().callValue("client", "help")).items();
            List<String> expected = new ArrayList<>();
            boolean keep = true;
            for (RespValue v : redis) {
                String line = v.toString();
                if (!line.startsWith(" ") && !line.startsWith("CLIENT <")) {
                    String sub = line.split(" ")[0].toLowerCase();
                    keep = sub.equals("help") || server.server().engine().commands.lookupFullName("client|" + sub) != null;
                }
                if (keep) expected.add(line);
            }
            List<String> actual = new ArrayList<>();
            for (RespValue v : ember) actual.add(v.toString());
            assertEquals(expected, actual);
            assertTrue(actual.contains("NO-EVICT (ON|OFF)"));
            assertTrue(actual.contains("GETREDIR"));
            assertFalse(actual.stream().anyMatch(l -> l.startsWith("PAUSE")), "not implemented: not in the help");
        }
    }
}
