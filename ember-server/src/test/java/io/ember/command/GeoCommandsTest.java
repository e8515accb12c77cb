package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GeoAddParams;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoRadiusStoreParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;
import redis.clients.jedis.resps.Tuple;

/**
 * The GEO commands through Jedis on the documentation's Sicily example, whose values (distances
 * to four decimals, 11-character geohashes, decoded coordinates) are redis-server 7.0's.
 */
class GeoCommandsTest {
    static TestServer server;
    static Jedis jedis;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        jedis = server.jedis();
    }

    @AfterAll
    static void stop() {
        jedis.close();
        server.close();
    }

    @BeforeEach
    void sicily() {
        jedis.flushAll();
        Map<String, GeoCoordinate> m = new LinkedHashMap<>();
        m.put("Palermo", new GeoCoordinate(13.361389, 38.115556));
        m.put("Catania", new GeoCoordinate(15.087269, 37.502669));
        assertEquals(2, jedis.geoadd("Sicily", m));
    }

    private static void error(String message, Executable call) {
        JedisDataException e = assertThrows(JedisDataException.class, call);
        assertEquals(message, e.getMessage());
    }

    private static List<String> names(List<GeoRadiusResponse> rs) {
        return rs.stream().map(GeoRadiusResponse::getMemberByString).toList();
    }

    @Test
    void addPositionsDistancesAndHashes() {
        assertEquals("zset", jedis.type("Sicily"));
        assertEquals("listpack", jedis.objectEncoding("Sicily"));
        assertEquals(0, jedis.geoadd("Sicily", 13.361389, 38.115556, "Palermo"));
        assertEquals(1, jedis.geoadd("Sicily", GeoAddParams.geoAddParams().xx().ch(), Map.of("Palermo", new GeoCoordinate(13.5, 38.1))));
        assertEquals(0, jedis.geoadd("Sicily", GeoAddParams.geoAddParams().nx(), Map.of("Palermo", new GeoCoordinate(13.361389, 38.115556))));
        assertEquals(1, jedis.geoadd("Sicily", GeoAddParams.geoAddParams().ch(), Map.of("Palermo", new GeoCoordinate(13.361389, 38.115556))));
        assertEquals(166274.1516, jedis.geodist("Sicily", "Palermo", "Catania"));
        assertEquals(166.2742, jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM));
        assertEquals(103.3182, jedis.geodist("Sicily", "Palermo", "Catania", GeoUnit.MI));
        assertNull(jedis.geodist("Sicily", "Palermo", "Nowhere"));
        assertEquals(List.of("sqc8b49rny0", "sqdtr74hyu0"), jedis.geohash("Sicily", "Palermo", "Catania"));
        List<GeoCoordinate> pos = jedis.geopos("Sicily", "Palermo", "Nowhere");
        assertEquals(13.36138933897018433, pos.get(0).getLongitude());
        assertEquals(38.11555639549629859, pos.get(0).getLatitude());
        assertNull(pos.get(1));
        assertEquals(3479099956230698L, (long) jedis.zscore("Sicily", "Palermo").doubleValue());
        error("ERR invalid longitude,latitude pair 200.000000,10.000000", () -> jedis.geoadd("Sicily", 200, 10, "x"));
        jedis.set("str", "v");
        error("WRONGTYPE Operation against a key holding the wrong kind of value", () -> jedis.geoadd("str", 1, 1, "x"));
        error("WRONGTYPE Operation against a key holding the wrong kind of value", () -> jedis.geopos("str", "x"));
    }

    @Test
    void searches() {
        List<GeoRadiusResponse> r = jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byRadius(200, GeoUnit.KM).asc().withDist().withCoord().withHash());
        assertEquals(List.of("Catania", "Palermo"), names(r));
        assertEquals(56.4413, r.get(0).getDistance());
        assertEquals(190.4424, r.get(1).getDistance());
        assertEquals(3479447370796909L, r.get(0).getRawScore());
        assertEquals(15.08726745843887329, r.get(0).getCoordinate().getLongitude());
        assertEquals(List.of("Palermo"), names(jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byRadius(200, GeoUnit.KM).desc().count(1))));
        assertEquals(List.of("Catania"), names(jedis.geosearch("Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byBox(160, 160, GeoUnit.KM))));
        assertEquals(List.of("Palermo", "Catania"), names(jedis.georadiusByMember("Sicily", "Palermo", 200, GeoUnit.KM,
                GeoRadiusParam.geoRadiusParam().sortAscending())));
        assertEquals(List.of("Catania"), names(jedis.georadiusReadonly("Sicily", 15, 37, 100, GeoUnit.KM)));
        error("ERR could not decode requested zset member", () -> jedis.georadiusByMember("Sicily", "Nowhere", 1, GeoUnit.KM));
        assertEquals(List.of(), jedis.geosearch("nokey", GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(1, GeoUnit.KM)));
    }

    @Test
    void stores() {
        assertEquals(2, jedis.geosearchStore("dst", "Sicily", GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byRadius(200, GeoUnit.KM)));
        assertEquals(jedis.zrangeWithScores("Sicily", 0, -1), jedis.zrangeWithScores("dst", 0, -1));
        assertEquals(1, jedis.geosearchStoreStoreDist("dst", "Sicily", GeoSearchParam.geoSearchParam()
                .fromLonLat(15, 37).byRadius(200, GeoUnit.KM).count(1)));
        List<Tuple> d = jedis.zrangeWithScores("dst", 0, -1);
        assertEquals("Catania", d.get(0).getElement());
        assertEquals(56.441257870158204, d.get(0).getScore());
        assertEquals(2, jedis.georadiusStore("Sicily", 15, 37, 200, GeoUnit.KM, GeoRadiusParam.geoRadiusParam(),
                GeoRadiusStoreParam.geoRadiusStoreParam().store("r")));
        assertEquals(2, jedis.zcard("r"));
        // nothing found: the destination is deleted
        assertEquals(0, jedis.geosearchStore("r", "Sicily", GeoSearchParam.geoSearchParam().fromLonLat(50, 50).byRadius(1, GeoUnit.KM)));
        assertEquals(false, jedis.exists("r"));
    }
}
