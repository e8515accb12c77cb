package io.ember.propagation;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bitmaps, HyperLogLog and geo: what Ember propagates equals redis-server 7.0's AOF (BITFIELD
 * with and without writes, PFCOUNT's cache update, PFMERGE, GEOADD, GEOSEARCHSTORE, GEORADIUS
 * STORE...).
 */
class BitHllGeoPropagationTest extends PropagationTestBase {

    @Test
    void bitmaps() {
        step("SETBIT", "b", "7", "1");
        step("SETBIT", "b", "7", "1");
        step("SETBIT", "b", "100", "0");
        step("BITOP", "OR", "d", "b", "nob");
        step("BITOP", "AND", "d", "nob", "nob2");
        step("BITOP", "NOT", "d", "b");
        step("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u4", "0");
        step("BITFIELD", "bf", "GET", "u4", "0");
        step("BITFIELD", "bf", "INCRBY", "u8", "0", "10");
        step("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000");
        step("BITFIELD", "nobf", "GET", "u8", "0");
        step("BITFIELD_RO", "bf", "GET", "u8", "0");
        step("BITFIELD", "bf", "SET", "u8", "0", "9");
        cap.assertNoDivergence();
    }

    @Test
    void hyperloglog() {
        step("PFADD", "h", "a", "b", "c");
        step("PFADD", "h", "a");
        step("PFADD", "h2");
        step("PFADD", "h2");
        step("PFCOUNT", "h");
        step("PFCOUNT", "h");
        step("PFADD", "h", "d");
        step("PFCOUNT", "h", "h2");
        step("PFCOUNT", "h");
        step("PFMERGE", "m", "h", "h2");
        step("PFMERGE", "m2");
        step("PFMERGE", "m");
        step("PFCOUNT", "nohll");
        cap.assertNoDivergence();
    }

    @Test
    void geo() {
        step("GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        step("GEOADD", "g", "NX", "13.361389", "38.115556", "Palermo");
        step("GEOADD", "g", "XX", "CH", "13.5", "38.1", "Palermo");
        step("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC");
        step("GEOSEARCHSTORE", "d2", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST");
        step("GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km");
        step("GEORADIUS", "g", "15", "37", "200", "km", "STORE", "d3");
        step("GEORADIUS", "g", "15", "37", "200", "km", "STOREDIST", "d4");
        step("GEORADIUSBYMEMBER", "g", "Palermo", "300", "km", "STORE", "d5");
        step("GEORADIUS", "g", "15", "37", "200", "km");
        step("GEOSEARCHSTORE", "d", "nog", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
        cap.assertNoDivergence();
    }

    @Test
    void randomBitsAndHll() {
        Random r = new Random(9);
        for (int i = 0; i < 1200; i++) {
            String b = "b" + r.nextInt(3), h = "h" + r.nextInt(3);
            String[] cmd = switch (r.nextInt(8)) {
                case 0 -> new String[] {"SETBIT", b, Integer.toString(r.nextInt(64)), Integer.toString(r.nextInt(2))};
                case 1 -> new String[] {"BITFIELD", b, "INCRBY", "i5", Integer.toString(r.nextInt(20)), "7"};
                case 2 -> new String[] {"BITFIELD", b, "GET", "u8", "0"};
                case 3 -> new String[] {"BITOP", "XOR", b, b, "b" + r.nextInt(3)};
                case 4 -> new String[] {"PFADD", h, "e" + r.nextInt(50)};
                case 5 -> new String[] {"PFCOUNT", h};
                case 6 -> new String[] {"PFMERGE", h, "h" + r.nextInt(3)};
                default -> new String[] {"PFCOUNT", h, "h" + r.nextInt(3)};
            };
            step(cmd);
        }
        cap.assertNoDivergence();
    }
}
