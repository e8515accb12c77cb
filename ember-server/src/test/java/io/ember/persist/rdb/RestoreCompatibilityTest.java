package io.ember.persist.rdb;

import static io.ember.persist.rdb.RdbDataset.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.Differential;
import io.ember.testing.Differential.Mode;
import io.ember.testing.RawConnection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * RESTORE against redis-server 7.0: every type and encoding DUMPed by redis restores into Ember
 * with the same contents, and every option and error (BUSYKEY, TTL, ABSTTL, IDLETIME, FREQ,
 * payload checks, keyspace event, WATCH) answers as redis does.
 */
class RestoreCompatibilityTest {

    /** A copy of a DUMP payload with a new footer version and a recomputed CRC. */
    static byte[] withFooter(byte[] body, int version) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = (byte) version;
        p[body.length + 1] = (byte) (version >>> 8);
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        return p;
    }

    /** The payload of a raw "$n\r\n...\r\n" reply. */
    static byte[] bulk(byte[] reply) {
        int nl = 0;
        while (reply[nl] != '\r') nl++;
        int n = Integer.parseInt(new String(reply, 1, nl - 1, StandardCharsets.ISO_8859_1));
        return Arrays.copyOfRange(reply, nl + 2, nl + 2 + n);
    }

    static byte[] body(byte[] payload) {
        return Arrays.copyOf(payload, payload.length - 10);
    }

    @Test
    void everyTypeAndEncodingRestoresIdentically() {
        try (Differential d = new Differential(); Jedis j = new Jedis("127.0.0.1", d.redis().port());
             RawConnection r = d.redis().raw(); RawConnection e = d.ember().raw()) {
            RdbDataset.populate(j, 7);
            for (int db : RdbDataset.DBS) {
                r.call("SELECT", "" + db);
                e.call("SELECT", "" + db);
                for (byte[] key : RdbDataset.keys(r)) {
                    byte[] payload = bulk(r.callBytes(b("DUMP"), key));
                    String pttl = new String(r.callBytes(b("PTTL"), key), StandardCharsets.ISO_8859_1).trim().substring(1);
                    String ttl = Long.parseLong(pttl) < 0 ? "0" : pttl;
                    assertEquals("+OK\r\n", new String(e.callBytes(b("RESTORE"), key, b(ttl), payload), StandardCharsets.ISO_8859_1),
                            "RESTORE " + RdbDataset.show(key));
                }
            }
            RdbDataset.assertSameDataset(r, e, true);
        }
    }

    static long dirty(RawConnection c) {
        String info = new String(c.call("INFO", "persistence"), StandardCharsets.ISO_8859_1);
        int at = info.indexOf("rdb_changes_since_last_save:") + "rdb_changes_since_last_save:".length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    /** The dirty counter moves as redis's: +1 per restore, +1 for a replaced key that is already expired, 0 otherwise. */
    @Test
    void dirtyCounterMatchesRedis() {
        try (Differential d = new Differential(); Jedis j = new Jedis("127.0.0.1", d.redis().port());
             RawConnection r = d.redis().raw(); RawConnection e = d.ember().raw()) {
            j.set("src", "v");
            byte[] p = j.dump("src");
            j.del("src");
            byte[][][] cases = {
                {b("RESTORE"), b("a"), b("0"), p},
                {b("RESTORE"), b("a"), b("0"), p},                                  // BUSYKEY
                {b("RESTORE"), b("a"), b("0"), p, b("REPLACE")},
                {b("RESTORE"), b("b"), b("1"), p, b("ABSTTL")},                     // expired, nothing replaced
                {b("RESTORE"), b("a"), b("1"), p, b("ABSTTL"), b("REPLACE")},       // expired, replaced
            };
            for (byte[][] c : cases) {
                long r0 = dirty(r), e0 = dirty(e);
                d.onBytes(0, Mode.EXACT, c);
                assertEquals(dirty(r) - r0, dirty(e) - e0, RdbDataset.show(c[1]) + " " + c.length);
            }
            d.assertNoDivergence();
        }
    }

    @Test
    void optionsAndErrorsMatchRedis() {
        try (Differential d = new Differential(); Jedis j = new Jedis("127.0.0.1", d.redis().port())) {
            j.select(15);
            j.hset("src", "f", "v");
            byte[] p = j.dump("src");
            j.sadd("empty-src", "x");
            byte[] setPayload = j.dump("empty-src");
            j.flushDB();
            byte[] k = b("k");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), k, b("0"), p);
            d.onBytes(0, Mode.EXACT, b("RESTORE"), k, b("0"), p);               // BUSYKEY
            d.onBytes(0, Mode.EXACT, b("RESTORE"), k, b("0"), p, b("REPLACE"));
            d.check("HGETALL", "k");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("t"), b("-1"), p);          // Invalid TTL
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("t"), b("x"), p);           // not an integer
            d.onBytes(0, Mode.EXACT, b("RESTORE"), k, b("-1"), p);               // BUSYKEY is checked first
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("t"), b("100000"), p);
            d.check(Mode.TYPE_ONLY, "PTTL", "t");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("t2"), b("" + (System.currentTimeMillis() + 100_000)), p, b("ABSTTL"));
            d.check(Mode.TYPE_ONLY, "PTTL", "t2");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("gone"), b("1000"), p, b("ABSTTL"));   // already expired
            d.check("EXISTS", "gone");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), k, b("1000"), p, b("ABSTTL"), b("REPLACE")); // replaces, then expired
            d.check("EXISTS", "k");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("IDLETIME"), b("-1"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("IDLETIME"), b("x"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("IDLETIME"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("FREQ"), b("256"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("FREQ"), b("-1"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("FREQ"), b("x"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("IDLETIME"), b("10"), b("FREQ"), b("5"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("FREQ"), b("5"), b("IDLETIME"), b("10"));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), p, b("BOGUS"));
            d.check("RESTORE", "i", "0");
            // payload checks: too short, wrong checksum, version 11, then valid footers around bad contents
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), b("garbage"));
            byte[] flipped = p.clone();
            flipped[flipped.length - 1] ^= 1;
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), flipped);
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(body(p), 11));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(body(p), 9));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(new byte[] {100, 1, 2}, 10));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(new byte[] {Rdb.TYPE_SET, 0}, 10));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(new byte[] {Rdb.TYPE_STRING, 10, 'a'}, 10));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(new byte[] {Rdb.TYPE_STREAM_LISTPACKS, 0, 0, 0, 0, 0, 0}, 10));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("i"), b("0"), withFooter(new byte[] {(byte) Rdb.TYPE_MODULE_2, 0}, 10));
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("set"), b("0"), setPayload);
            d.check("SMEMBERS", "set");
            // LFU / LRU bits
            d.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("f"), b("0"), p, b("FREQ"), b("100"));
            d.check("OBJECT", "FREQ", "f");
            d.check("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("idle"), b("0"), p, b("IDLETIME"), b("1000"));
            d.check("OBJECT", "IDLETIME", "idle");
            // the keyspace event and WATCH
            d.check("CONFIG", "SET", "notify-keyspace-events", "KEA");
            int sub = d.newConnection();
            d.on(sub, Mode.EXACT, "SUBSCRIBE", "__keyevent@0__:restore");
            int watcher = d.newConnection();
            d.on(watcher, Mode.EXACT, "WATCH", "w");
            d.onBytes(0, Mode.EXACT, b("RESTORE"), b("w"), b("0"), p);
            d.next(sub, Mode.EXACT, "restore event");
            d.on(watcher, Mode.EXACT, "MULTI");
            d.on(watcher, Mode.EXACT, "GET", "w");
            d.on(watcher, Mode.EXACT, "EXEC");
            d.check(Mode.UNORDERED, "KEYS", "*");
            d.check("DEBUG", "DIGEST");
            assertTrue(d.commandsRun() > 40);
            d.assertNoDivergence();
        }
    }
}
