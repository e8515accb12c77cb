package io.ember.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Await;
import io.ember.testing.RawConnection;
import io.ember.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BGSAVE is point-in-time for streams too: every stream command that changes a stream — XADD,
 * XDEL, XTRIM, XSETID, XGROUP, and the group commands that look their key up for reading as Redis
 * does (XACK, XCLAIM, XAUTOCLAIM, XREADGROUP new and history reads) — run on its own stream after
 * BGSAVE started and before the slowed-down walk reached the streams, and the image must hold
 * every stream as it was when BGSAVE ran (XINFO STREAM FULL with PELs, delivery counts and times,
 * consumers and seen times; the entries).
 */
class StreamBgsaveTest {
    @TempDir
    Path dir;

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] ok(RawConnection c, String... cmd) {
        byte[] r = c.call(cmd);
        assertFalse(r[0] == '-', String.join(" ", cmd) + " -> " + text(r));
        return r;
    }

    /** Each stream's change, run after BGSAVE started. */
    private static final Map<String, String[]> CHANGES = new LinkedHashMap<>();

    static {
        CHANGES.put("st:xadd", new String[] {"XADD", "st:xadd", "1000-0", "f", "new"});
        CHANGES.put("st:xdel", new String[] {"XDEL", "st:xdel", "5-0", "6-0"});
        CHANGES.put("st:xtrim", new String[] {"XTRIM", "st:xtrim", "MAXLEN", "10"});
        CHANGES.put("st:xsetid", new String[] {"XSETID", "st:xsetid", "900-0", "ENTRIESADDED", "1000"});
        CHANGES.put("st:xgroup", new String[] {"XGROUP", "SETID", "st:xgroup", "g", "$"});
        CHANGES.put("st:xack", new String[] {"XACK", "st:xack", "g", "1-0", "2-0", "3-0"});
        CHANGES.put("st:xclaim", new String[] {"XCLAIM", "st:xclaim", "g", "thief", "0", "1-0", "2-0"});
        CHANGES.put("st:xautoclaim", new String[] {"XAUTOCLAIM", "st:xautoclaim", "g", "thief", "0", "0-0", "COUNT", "5"});
        CHANGES.put("st:xreadgroup", new String[] {"XREADGROUP", "GROUP", "g", "late", "COUNT", "5", "STREAMS", "st:xreadgroup", ">"});
        CHANGES.put("st:history", new String[] {"XREADGROUP", "GROUP", "g", "c1", "STREAMS", "st:history", "0"});
    }

    private static Map<String, String> state(RawConnection c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : CHANGES.keySet()) {
            m.put(key, text(c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0")).replaceAll("radix-tree-nodes\r\n:\\d+", "")
                    + text(c.call("DEBUG", "DIGEST-VALUE", key)));
        }
        return m;
    }

    @Test
    void theImageHoldsEveryStreamAsItWasWhenBgsaveRan() throws Exception {
        Map<String, String> before;
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes",
                "--rdb-key-save-delay", "40000");
             RawConnection c = s.raw()) {
            // 40 MB of strings first (the walk goes in slot order): the walk stalls on its 16 MB
            // queue bound while the writer sleeps 40 ms per key, so it reaches the streams ~1 s late.
            String mb = "x".repeat(1 << 20);
            for (int i = 0; i < 40; i++) ok(c, "SET", "filler:" + i, mb);
            for (String key : CHANGES.keySet()) {
                for (int i = 1; i <= 150; i++) ok(c, "XADD", key, i + "-0", "f", "v" + i);
                ok(c, "XGROUP", "CREATE", key, "g", "0");
                ok(c, "XREADGROUP", "GROUP", "g", "c1", "COUNT", "20", "STREAMS", key, ">");
            }
            Thread.sleep(5); // delivery and seen times older than the changes' (a change is then visible)
            before = state(c);
            assertEquals("+Background saving started\r\n", text(c.call("BGSAVE")));
            for (String[] change : CHANGES.values()) ok(c, change);
            assertTrue(text(c.call("INFO", "persistence")).contains("rdb_bgsave_in_progress:1"),
                    "the changes ran while the save was in progress");
            Map<String, String> after = state(c);
            for (String key : CHANGES.keySet()) assertFalse(before.get(key).equals(after.get(key)), key + " changed");
            Await.until(() -> text(c.call("INFO", "persistence")).contains("rdb_bgsave_in_progress:0"), "BGSAVE to end", 60);
            assertTrue(text(c.call("INFO", "persistence")).contains("rdb_last_bgsave_status:ok"));
        }
        try (TestServer s = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes");
             RawConnection c = s.raw()) {
            Map<String, String> image = state(c);
            for (String key : CHANGES.keySet()) {
                assertEquals(before.get(key), image.get(key), key + ": " + List.of(CHANGES.get(key)));
            }
            assertEquals(":" + (40 + CHANGES.size()) + "\r\n", text(c.call("DBSIZE")));
        }
    }
}
