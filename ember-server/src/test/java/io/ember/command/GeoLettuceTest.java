package io.ember.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.testing.LettuceClients;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.GeoValue;
import io.lettuce.core.GeoWithin;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GEOSEARCH and friends through Lettuce's geo API, in RESP2 and RESP3. */
class GeoLettuceTest {
    static LettuceClients lettuce;

    @BeforeAll
    static void start() {
        lettuce = LettuceClients.start();
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void geosearch(ProtocolVersion v) {
        RedisCommands<String, String> r = lettuce.redis(v);
        String k = LettuceClients.key(v, "Sicily");
        assertEquals(2L, r.geoadd(k, GeoValue.just(13.361389, 38.115556, "Palermo"), GeoValue.just(15.087269, 37.502669, "Catania")));
        assertEquals(Set.of("Palermo", "Catania"),
                r.geosearch(k, GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km)));
        List<GeoWithin<String>> w = r.geosearch(k, GeoSearch.fromMember("Palermo"), GeoSearch.byBox(400, 400, GeoArgs.Unit.km),
                new GeoArgs().withDistance().withCoordinates().withHash().desc());
        assertEquals(2, w.size());
        assertEquals("Catania", w.get(0).getMember());
        assertEquals(166.2742, w.get(0).getDistance());
        assertEquals(3479447370796909L, w.get(0).getGeohash());
        assertEquals(15.08726745843887329, w.get(0).getCoordinates().getX().doubleValue());
        assertEquals(37.50266842333162032, w.get(0).getCoordinates().getY().doubleValue());
        assertEquals("Palermo", w.get(1).getMember());
        assertEquals(0.0, w.get(1).getDistance());
        List<GeoWithin<String>> one = r.geosearch(k, GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km),
                new GeoArgs().withDistance().asc().withCount(1));
        assertEquals("Catania", one.get(0).getMember());
        assertEquals(56.4413, one.get(0).getDistance());
        String dst = LettuceClients.key(v, "dst");
        assertEquals(2L, r.geosearchstore(dst, k, GeoSearch.fromCoordinates(15, 37), GeoSearch.byRadius(200, GeoArgs.Unit.km),
                new GeoArgs().asc(), true));
        assertEquals(List.of("Catania", "Palermo"), r.zrange(dst, 0, -1));
        assertEquals(190.44242984775784, r.zscore(dst, "Palermo"));
        assertEquals(166.2742, r.geodist(k, "Palermo", "Catania", GeoArgs.Unit.km));
        assertEquals(List.of("Catania"), r.georadius(k, 15, 37, 100, GeoArgs.Unit.km).stream().toList());
    }
}
