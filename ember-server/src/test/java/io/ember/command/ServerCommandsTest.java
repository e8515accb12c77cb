package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** TIME and SHUTDOWN. */
class ServerCommandsTest {
    @Test
    void timeIsTheWallClockInSecondsAndMicroseconds() {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            long before = System.currentTimeMillis();
            List<String> t = j.time();
            long after = System.currentTimeMillis();
            long micros = Long.parseLong(t.get(0)) * 1_000_000 + Long.parseLong(t.get(1));
            assertTrue(micros >= before * 1000 - 1000 && micros <= after * 1000 + 1000, t.toString());
            assertTrue(Long.parseLong(t.get(1)) < 1_000_000);
            assertTrue(t.get(1).matches("0|[1-9][0-9]*"), "no zero padding: " + t.get(1));
        }
    }

    @Test
    void timeAndShutdownErrorsMatchRedis() {
        try (Differential d = new Differential()) {
            d.check(Differential.Mode.TYPE_ONLY, "time");
            d.check("time", "x");
            d.check("shutdown", "foo");
            d.check("shutdown", "abort");
            d.check("shutdown", "ABORT", "now");
            d.check("shutdown", "save", "nosave");
            d.check("shutdown", "nosave", "now", "save");
            d.check("shutdown", "nosave", "bogus");
            d.check("multi");
            d.check("shutdown");
            d.check("discard");
            d.check("ping");
            d.assertNoDivergence();
        }
    }

    /** SHUTDOWN SAVE writes the dump first; when that fails the server refuses and keeps running. */
    @Test
    void shutdownSaveWritesTheDumpOrKeepsRunning() throws Exception {
        try (TestServer s = TestServer.start(); Jedis j = s.jedis()) {
            j.set("kept", "1");
            // A directory where the temp file must go makes the save fail (even for root).
            Path blocker = s.dir().resolve("temp-" + ProcessHandle.current().pid() + ".rdb");
            Files.createDirectory(blocker);
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.shutdown(
                    redis.clients.jedis.params.ShutdownParams.shutdownParams().saveMode(
                            redis.clients.jedis.args.SaveMode.SAVE)));
            assertEquals("ERR Errors trying to SHUTDOWN. Check logs.", e.getMessage());
            assertEquals("1", j.get("kept"));
            assertTrue(!s.server().engine().shuttingDown());

            Files.delete(blocker);
            try (RawConnection a = s.raw()) {
                a.send(RawConnection.encode(RawConnection.args("SHUTDOWN", "SAVE")));
                assertTrue(a.isClosedByPeer(5000));
            }
            assertTrue(awaitTermination(s));
            assertTrue(Files.size(s.dir().resolve("dump.rdb")) > 0, "the final save was written");
        }
    }

    @Test
    void shutdownClosesConnectionsAndListeners() throws Exception {
        for (List<String> args : List.of(List.of("shutdown"), List.of("shutdown", "nosave", "now"),
                List.of("SHUTDOWN", "SAVE", "FORCE"))) {
            TestServer s = TestServer.start();
            int port = s.port();
            try (RawConnection a = s.raw(); RawConnection b = s.raw()) {
                assertEquals("+PONG\r\n", new String(b.call("ping")));
                a.send(RawConnection.encode(RawConnection.args(args.toArray(String[]::new))));
                assertTrue(a.isClosedByPeer(5000), "the client that sent " + args + " is disconnected");
                assertTrue(b.isClosedByPeer(5000), "other clients are disconnected");
                assertTrue(s.server().engine().shuttingDown());
                assertTrue(awaitTermination(s));
                assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "listener closed");
            } finally {
                s.close();
            }
        }
    }

    private static boolean awaitTermination(TestServer s) throws InterruptedException {
        return s.server().engine().group().terminationFuture().await(5, TimeUnit.SECONDS);
    }
}
