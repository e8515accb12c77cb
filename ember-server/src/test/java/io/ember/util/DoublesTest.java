package io.ember.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.testing.RawConnection;
import io.ember.testing.RedisServerProcess;
import io.ember.testing.ScoreTexts;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Doubles}: parsing (strtod under string2d's and zslParseRange's checks) and printing
 * ("%.17g", d2string) against an exact BigDecimal reference on 300,000 values, and against
 * redis-server's own replies for thousands of score texts.
 */
class DoublesTest {

    /** "%.17g" from the exact value: BigDecimal rounded half-even to 17 digits, laid out as %g. */
    static String reference17g(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        String sign = Double.doubleToRawLongBits(d) < 0 ? "-" : "";
        d = Math.abs(d);
        if (d == 0) return sign + "0";
        BigDecimal r = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
        StringBuilder u = new StringBuilder(r.unscaledValue().toString());
        while (u.length() < 17) u.append('0');
        int x = r.precision() - r.scale() - 1;
        String digits = u.toString().replaceAll("0+$", "");
        if (x < -4 || x >= 17) {
            String m = digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "");
            return sign + m + "e" + (x < 0 ? "-" : "+") + String.format("%02d", Math.abs(x));
        }
        if (x >= 0) {
            String frac = digits.length() > x + 1 ? digits.substring(x + 1) : "";
            return sign + u.substring(0, x + 1) + (frac.isEmpty() ? "" : "." + frac);
        }
        return sign + "0." + "0".repeat(-x - 1) + digits;
    }

    private static String format(double d) {
        return new String(Doubles.format17g(d), StandardCharsets.ISO_8859_1);
    }

    private static double strict(String s) {
        return Doubles.parseStrict(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static double range(String s) {
        return Doubles.parseRange(s.getBytes(StandardCharsets.ISO_8859_1), 0);
    }

    @Test
    void formatsLikeCPrintf() {
        assertEquals("0.10000000000000001", format(0.1));
        assertEquals("1", format(1));
        assertEquals("-0", format(-0.0));
        assertEquals("inf", format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", format(Double.NEGATIVE_INFINITY));
        assertEquals("1e+20", format(1e20));
        assertEquals("1.5e-05", format(1.5e-5));
        assertEquals("0.0001", format(1e-4));
        assertEquals("10000000000000000", format(1e16));
        assertEquals("1e+17", format(1e17));
        assertEquals("123456789.123", format(123456789.123));
        assertEquals("4.9406564584124654e-324", format(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", format(Double.MAX_VALUE));
        Random r = new Random(11);
        for (int i = 0; i < 300_000; i++) {
            double d = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(44) - 22);
                case 2 -> (r.nextInt(2_000_000) - 1_000_000) / Math.pow(10, r.nextInt(9));
                case 3 -> (double) (r.nextLong() >> r.nextInt(64));
                default -> Math.nextUp(Math.pow(10, r.nextInt(44) - 22)) * (r.nextBoolean() ? 1 : -1);
            };
            if (Double.isNaN(d)) continue;
            String got = format(d);
            if (!got.equals(reference17g(d))) assertEquals(reference17g(d), got, "bits " + Double.doubleToRawLongBits(d));
            // "%.17g" round-trips
            double back = strict(got);
            if (d != 0 && Double.doubleToRawLongBits(back) != Double.doubleToRawLongBits(d)) {
                assertEquals(d, back, got);
            }
        }
    }

    @Test
    void d2stringKeepsIntegersInTheSafeRange() {
        assertEquals("0", new String(Doubles.d2string(-0.0)));
        assertEquals("4503599627370495", new String(Doubles.d2string(4503599627370495.0)));
        assertEquals("4503599627370496", new String(Doubles.d2string(4503599627370496.0)));
        assertEquals("-4503599627370495", new String(Doubles.d2string(-4503599627370495.0)));
        assertEquals("1e+17", new String(Doubles.d2string(1e17)));
        assertEquals("2.5", new String(Doubles.d2string(2.5)));
        assertEquals("-inf", new String(Doubles.d2string(Double.NEGATIVE_INFINITY)));
    }

    @Test
    void parsesLikeStrtod() {
        assertEquals(0.1, strict("0.1"));
        assertEquals(16.0, strict("0x10"));
        assertEquals(0.5, strict("0x.8"));
        assertEquals(0.5, strict("0x1p-1"));
        assertEquals(Double.POSITIVE_INFINITY, strict("+inf"));
        assertEquals(Double.POSITIVE_INFINITY, strict("Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, strict("-INF"));
        assertEquals(5.0, strict("5."));
        assertEquals(0.5, strict(".5"));
        assertEquals(Double.MIN_VALUE, strict("4.9e-324"));
        assertEquals(Double.MIN_VALUE, strict("2.5e-324"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(strict("-0")));
        for (String bad : new String[] {"", " 1", "1 ", "nan", "NaN", "-nan", "1e400", "-1e400", "1e-400", "2.4e-324", "infinit",
            "0x", "1e", "1e+", ".", "abc", "1..2", "--1", "1d", "1f", "0x1p", "1\u00002"}) {
            assertTrue(Double.isNaN(strict(bad)), "'" + bad + "' must be refused");
        }
        // zslParseRange: spaces before, NUL ends, "" is 0, overflow is infinity
        assertEquals(1.0, range(" 1"));
        assertEquals(1.0, range("1\u0000junk"));
        assertEquals(0.0, range(""));
        assertEquals(Double.POSITIVE_INFINITY, range("1e400"));
        assertEquals(0.0, range("1e-400"));
        for (String bad : new String[] {" ", "1 ", "nan", "+", "x", "1e"}) assertTrue(Double.isNaN(range(bad)), bad);
        Random r = new Random(12);
        for (int i = 0; i < 300_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(25);
            for (int k = 0; k < n; k++) sb.append((char) ('0' + r.nextInt(10)));
            if (r.nextBoolean()) sb.insert(r.nextInt(n + 1), '.');
            if (r.nextBoolean()) sb.append('e').append(r.nextInt(660) - 330);
            String s = sb.toString();
            double java = Double.parseDouble(s);
            double ours = strict(s);
            boolean nonzeroDigits = s.replaceAll("e.*", "").matches(".*[1-9].*");
            if (Double.isInfinite(java) || (java == 0 && nonzeroDigits)) {
                assertTrue(Double.isNaN(ours), s + " overflows or underflows: refused");
            } else {
                assertEquals(Double.doubleToRawLongBits(java), Double.doubleToRawLongBits(ours), s);
            }
        }
    }

    /** ZADD then ZSCORE on redis-server for thousands of texts: refusals and printed digits match ours. */
    @Test
    void agreesWithRedisServer() {
        try (RedisServerProcess redis = RedisServerProcess.start(); RawConnection c = redis.raw()) {
            Random r = new Random(13);
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 4000; i++) texts.add(ScoreTexts.random(r));
            for (int i = 0; i < 1000; i++) texts.add(format(Double.longBitsToDouble(r.nextLong())));
            c.call("config", "set", "zset-max-listpack-entries", "0"); // skiplist: scores kept as doubles
            // pipeline: ZADD and ZSCORE per text
            StringBuilder problems = new StringBuilder();
            int batch = 500;
            for (int from = 0; from < texts.size(); from += batch) {
                int to = Math.min(texts.size(), from + batch);
                for (int i = from; i < to; i++) {
                    c.send(RawConnection.encode(RawConnection.args("zadd", "k", texts.get(i), "m" + i)));
                    c.send(RawConnection.encode(RawConnection.args("zscore", "k", "m" + i)));
                }
                for (int i = from; i < to; i++) {
                    String added = new String(c.readReply(), StandardCharsets.ISO_8859_1);
                    String score = new String(c.readReply(), StandardCharsets.ISO_8859_1);
                    double ours = strict(texts.get(i));
                    String expected = Double.isNaN(ours) ? "$-1\r\n" : bulk(format(ours));
                    if (Double.isNaN(ours) != added.startsWith("-") || !score.equals(expected)) {
                        problems.append("'").append(texts.get(i)).append("': redis ").append(added.trim()).append(' ')
                                .append(score.trim().replace("\r\n", " ")).append(", ours ").append(expected.trim()).append('\n');
                    }
                }
            }
            assertEquals("", problems.toString());
        }
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }
}
