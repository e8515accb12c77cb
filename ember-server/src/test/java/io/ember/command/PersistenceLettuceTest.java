package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.persist.rdb.Crc64;
import io.ember.testing.LettuceClients;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SAVE, LASTSAVE and DUMP through Lettuce over RESP2 and RESP3: same replies, decoded the same. */
class PersistenceLettuceTest {
    private static LettuceClients clients;

    @BeforeAll
    static void start() {
        clients = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void saveLastsaveDump(ProtocolVersion v) {
        RedisCommands<String, String> r = clients.redis(v);
        String key = LettuceClients.key(v, "list");
        r.rpush(key, "a", "b", "123");
        assertEquals("OK", r.save());
        Date last = r.lastsave();
        assertTrue(Math.abs(last.getTime() - System.currentTimeMillis()) < 5000, "LASTSAVE " + last);
        byte[] payload = r.dump(key);
        // QUICKLIST_2, one packed node; then version 10 and the CRC64 of the rest
        assertEquals(18, payload[0]);
        assertEquals(10, payload[payload.length - 10]);
        long crc = 0;
        for (int i = 7; i >= 0; i--) crc = (crc << 8) | (payload[payload.length - 8 + i] & 0xff);
        assertEquals(Crc64.update(0, payload, 0, payload.length - 8), crc);
        assertArrayEquals(payload, clients.redis(v == ProtocolVersion.RESP2 ? ProtocolVersion.RESP3 : ProtocolVersion.RESP2).dump(key));
        assertNull(r.dump(LettuceClients.key(v, "missing")));
    }
}
