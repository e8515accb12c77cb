package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** MONITOR on Ember against redis-server: the same lines, in the same order, in the same format. */
class MonitorTest {
    private static final Pattern LINE = Pattern.compile("^\\+(\\d{10})\\.(\\d{6}) \\[(\\d+) 127\\.0\\.0\\.1:(\\d+)\\] (.*)\r\n$");

    /** Commands of every kind a monitor must see or must not see (admin, rejected, credentials). */
    private static final String[][] SCRIPT = {
        {"SET", "k", "v"}, {"get", "k"}, {"SELECT", "1"}, {"set", "bin\n\u0001\"q\\", "a b\tc"}, {"select", "0"},
        {"AUTH", "secret"}, {"AUTH", "user", "secret"}, {"auth", "a", "b", "c"},
        {"HELLO", "3", "AUTH", "default", "pw", "SETNAME", "n1"}, {"hello", "2"}, {"hello", "x", "AUTH", "u", "p"},
        {"CLIENT", "LIST"}, {"client", "setname", "visible"}, {"DEBUG", "SLEEP", "0"}, {"nosuchcommand", "x"},
        {"get"}, {"PING"}, {"MULTI"}, {"SET", "t", "1"}, {"GET", "t"}, {"EXEC"}, {"COMMAND", "COUNT"}, {"WAIT", "0", "0"},
    };

    @Test
    void monitorSeesCommandsInOrderInRedisFormat() {
        try (Differential d = new Differential()) {
            List<String> redis = run(d.redis().raw(), d.redis().raw());
            List<String> ember = run(d.ember().raw(), d.ember().raw());
            assertEquals(redis, ember);
            String all = String.join("\n", ember);
            assertTrue(all.contains("\"set\" \"bin\\n\\x01\\\"q\\\\\" \"a b\\tc\""), ember.toString());
            assertTrue(all.contains("\"AUTH\" \"(redacted)\""), ember.toString());
            assertTrue(all.contains("\"HELLO\" \"3\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"n1\""),
                    ember.toString());
        }
    }

    /**
     * Sends the script from {@code client} while {@code monitor} watches; returns the monitor's
     * lines with "[db addr]" checked and reduced to the db, and timestamps checked and dropped.
     */
    private static List<String> run(RawConnection monitor, RawConnection client) {
        assertArrayEquals(bytes("+OK\r\n"), monitor.call("MONITOR"));
        int clientPort = client.socket().getLocalPort();
        for (String[] cmd : SCRIPT) client.call(cmd);
        client.call("ECHO", "done");
        List<String> lines = new ArrayList<>();
        long lastMicros = 0;
        while (true) {
            String raw = new String(monitor.readReply(), StandardCharsets.ISO_8859_1);
            Matcher m = LINE.matcher(raw);
            assertTrue(m.matches(), "monitor line format: " + raw);
            long micros = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
            assertTrue(micros >= lastMicros, "timestamps never go back");
            assertTrue(Math.abs(micros / 1000 - System.currentTimeMillis()) < 60_000, "timestamp is now");
            lastMicros = micros;
            assertEquals(clientPort, Integer.parseInt(m.group(4)), "the address is the sender's");
            lines.add("[" + m.group(3) + "] " + m.group(5));
            if (m.group(5).equals("\"ECHO\" \"done\"")) break;
        }
        monitor.close();
        client.close();
        return lines;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A monitoring client may not read or write keys, sees its own commands, and MONITOR twice answers once. */
    @Test
    void monitorClientRulesMatchRedis() {
        try (Differential d = new Differential()) {
            RawConnection redis = d.redis().raw(), ember = d.ember().raw();
            for (RawConnection c : new RawConnection[] {redis, ember}) {
                c.send(RawConnection.encode(RawConnection.args("MONITOR")));
                c.send(RawConnection.encode(RawConnection.args("GET", "a")));
                c.send(RawConnection.encode(RawConnection.args("SET", "a", "1")));
                c.send(RawConnection.encode(RawConnection.args("MONITOR")));
                c.send(RawConnection.encode(RawConnection.args("ECHO", "x")));
            }
            // +OK, two keyspace errors, nothing for the second MONITOR, the ECHO reply, then its feed line.
            for (int i = 0; i < 4; i++) assertArrayEquals(redis.readReply(), ember.readReply(), "reply " + i);
            String r = new String(redis.readReply(), StandardCharsets.ISO_8859_1);
            String e = new String(ember.readReply(), StandardCharsets.ISO_8859_1);
            assertEquals(r.substring(r.indexOf(']')), e.substring(e.indexOf(']')));
            redis.close();
            ember.close();
        }
    }

    @Test
    void monitorInsideTransactionIsRefusedAtExec() {
        try (Differential d = new Differential()) {
            d.check("MULTI");
            d.check("MONITOR");
            d.check("EXEC");
            d.check("PING");
            d.assertNoDivergence();
        }
    }

    @Test
    void resetEndsMonitoring() {
        try (Differential d = new Differential()) {
            for (boolean ember : new boolean[] {false, true}) {
                RawConnection monitor = ember ? d.ember().raw() : d.redis().raw();
                RawConnection other = ember ? d.ember().raw() : d.redis().raw();
                assertArrayEquals(bytes("+OK\r\n"), monitor.call("MONITOR"));
                assertArrayEquals(bytes("+RESET\r\n"), monitor.call("RESET"));
                other.call("SET", "x", "1");
                assertArrayEquals(bytes("+PONG\r\n"), monitor.call("PING"), "no feed after RESET");
                monitor.close();
                other.close();
            }
        }
    }
}
