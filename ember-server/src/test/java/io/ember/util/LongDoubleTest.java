package io.ember.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The x87 long double emulation: fixed vectors whose expected digits were produced by
 * redis-server 7.0.15's INCRBYFLOAT, and randomized checks against exact BigDecimal arithmetic
 * (every result is the nearest 64-bit-mantissa value, ties to even; printing is exact).
 */
class LongDoubleTest {
    private static final String NAN_OR_INF = "-ERR increment would produce NaN or Infinity";
    private static final String NOT_FLOAT = "-ERR value is not a valid float";

    /** {stored value, increment, reply of redis-server 7.0.15}. */
    private static final String[][] REDIS_VECTORS = {
        {"0", "0.1", "0.1"},
        {"10.5", "0.1", "10.6"},
        {"5.6", "5.6e3", "5605.60000000000000009"},
        {"0", "0.000003814697265625", "0.00000381469726562"}, // a tie at the 18th decimal: to even
        {"0", "1e100", "9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488"},
        {"0", "-1e-20", "0"}, // "-0.00000000000000000" is printed as 0
        {"3", "1", "4"},
        {"1.5", "-1.5", "0"},
        {"0", "1e-17", "0.00000000000000001"},
        {"0", "5e-18", "0"},
        {"0", "-5e-18", "0"},
        {"0", "0.000000000000000015", "0.00000000000000002"},
        {"0", "0x1p-16445", "0"}, // the smallest subnormal
        {"0", "0x1.8p-16446", "0"}, // rounds up to it
        {"1e4932", "1e4932", NAN_OR_INF},
        {"9223372036854775807", "1", "9223372036854775808"},
        {"-9223372036854775808", "-1", "-9223372036854775809"},
        {"0", "0x1.fffffffffffffffffp0", "2"},
        {"1", "1e-19", "1"},
        {"1", "1e-20", "1"},
        {"0", "123456789.123456789123456789", "123456789.12345678912242875"},
        {"0", "-0.1", "-0.1"},
        {"0.1", "0.2", "0.3"},
        {"0", "1e18", "1000000000000000000"},
        {"0", "1e19", "10000000000000000000"},
        {"0", "1e20", "100000000000000000000"},
        {"0", "3.14159265358979323846264338327950288", "3.14159265358979324"},
        {"0", "2.5e-17", "0.00000000000000002"},
        {"0", "1.5e-17", "0.00000000000000002"},
        {"0", "-2.5e-17", "-0.00000000000000002"},
        {"0", "infinity", NAN_OR_INF},
        {"-inf", "1", NAN_OR_INF},
        {"0", "+.5e+1", "5"},
        {"0", "1E2", "100"},
        {"0", "0X1P4", "16"},
        {"0", "0x.8", "0.5"},
        {"0", "1e-4951", NOT_FLOAT}, // below half the smallest subnormal: underflows to 0, refused
        {"0", "0x1p-16446", NOT_FLOAT}, // exactly half: ties to even, i.e. 0
        {"0", "1.18973149535723176508e+4932", NOT_FLOAT}, // rounds to infinity
        {"0", "1e-4950", "0"},
        {"0", "0e999999", "0"},
        {"1e-4940", "-1e-4940", "0"},
        {"12345678901234567890", "0.5", "12345678901234567890"}, // 65 bits: tie, to even
        {"0", "18446744073709551615", "18446744073709551615"},
        {"0", "18446744073709551617", "18446744073709551616"},
        {"10", "0x1.fffffffffffffffffp0", "12"},
        {"12", "1e-17", "12.00000000000000001"},
        {"0", "nan", NOT_FLOAT},
        {"0", " 1", NOT_FLOAT},
        {"0", "1 ", NOT_FLOAT},
        {"0", "1e", NOT_FLOAT},
        {"0", "1e+", NOT_FLOAT},
        {"0", "0x", NOT_FLOAT},
        {"0", "0x1p", NOT_FLOAT},
        {"0", "0x.p1", NOT_FLOAT},
        {"0", "infin", NOT_FLOAT},
        {"0", "--1", NOT_FLOAT},
        {"0", "- 1", NOT_FLOAT},
        {"0", "", NOT_FLOAT},
        {"0", "1e0000000000000000000000000000000001", "10"},
    };

    /** What INCRBYFLOAT replies, computed with LongDouble alone. */
    private static String incrbyfloat(String stored, String increment) {
        byte[] s = stored.getBytes(StandardCharsets.ISO_8859_1);
        LongDouble value = Numbers.isLong(s) ? LongDouble.of(Numbers.parseLong(s)) : LongDouble.parse(s);
        LongDouble by = LongDouble.parse(increment.getBytes(StandardCharsets.ISO_8859_1));
        if (value == null || by == null) return NOT_FLOAT;
        LongDouble sum = value.add(by);
        return sum == null ? NAN_OR_INF : sum.toString();
    }

    @Test
    void matchesRedisVectors() {
        for (String[] v : REDIS_VECTORS) {
            assertEquals(v[2], incrbyfloat(v[0], v[1]), v[0] + " + " + v[1]);
        }
    }

    @Test
    void largestFiniteValuePrintsAllDigits() {
        String max = incrbyfloat("0", "1.18973149535723176502e+4932");
        assertEquals(4933, max.length());
        assertTrue(max.startsWith("118973149535723176502126385303097020516906332229462420044032373389173700552297"), max);
        assertTrue(max.endsWith("2086811989770240"), max);
    }

    @Test
    void parseRejectsWhatString2ldRejects() {
        for (String bad : List.of("", " 1", "1\t", "nan", "NaN", "-nan", "nan(1)", "1.2.3", "e5", ".", "+", "0x", "0xg",
                "1_000", "1,5", "١")) {
            assertNull(LongDouble.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertNull(LongDouble.parse(new byte[] {'1', 0}), "a NUL byte ends strtold early");
        assertNull(LongDouble.parse("1".repeat(LongDouble.MAX_CHARS).getBytes()), "too long for Redis's buffer");
        for (String good : List.of("inf", "-INF", "Infinity", "+1", "1.", ".5", "0x1P-2", "1e+5", "0000.0001e4")) {
            assertNotNull(LongDouble.parse(good.getBytes()), good);
        }
    }

    private static String human(BigDecimal exact) {
        String s = exact.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s.equals("-0") ? "0" : s;
    }

    @Test
    void doublesParseExactlyAndPrintLikeExactDecimalRounding() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double x = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern, subnormals included
                case 1 -> r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
                case 2 -> (r.nextInt(1 << 24) - (1 << 23)) / Math.pow(2, r.nextInt(80)); // ties at 17 decimals
                default -> r.nextLong() / 1024.0;
            };
            if (Double.isNaN(x) || Double.isInfinite(x)) continue;
            LongDouble v = LongDouble.parse(Double.toHexString(x).getBytes());
            assertNotNull(v, Double.toHexString(x));
            BigDecimal exact = new BigDecimal(x);
            assertEquals(0, exact.compareTo(v.toBigDecimal()), Double.toHexString(x));
            assertEquals(human(exact), v.toString(), Double.toHexString(x));
        }
    }

    /** v is the value nearest to {@code exact} among 64-bit-mantissa values, ties to even. */
    private static void assertNearest(BigDecimal exact, LongDouble v, String what) {
        BigDecimal diff = exact.subtract(v.toBigDecimal()).abs();
        if (diff.signum() == 0) return;
        BigInteger m = v.mantissa();
        int e = v.exponent();
        assertTrue(m.bitLength() == 64 || e == LongDouble.MIN_EXP, what + ": mantissa not normalized");
        BigDecimal halfUlp = e - 1 >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e - 1))
                : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(1 - e)));
        int c = diff.compareTo(halfUlp);
        assertTrue(c < 0 || (c == 0 && !m.testBit(0)), what + ": not the nearest value");
    }

    private static String randomDecimal(Random r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
        int digits = 1 + r.nextInt(40);
        for (int i = 0; i < digits; i++) sb.append((char) ('0' + r.nextInt(10)));
        if (r.nextBoolean()) sb.insert(sb.length() - r.nextInt(digits), '.');
        if (r.nextBoolean()) sb.append('e').append(r.nextInt(9800) - 4900);
        return sb.toString();
    }

    @Test
    void decimalParsingRoundsToNearest() {
        Random r = new Random(11);
        for (int i = 0; i < 4_000; i++) {
            String s = randomDecimal(r);
            LongDouble v = LongDouble.parse(s.getBytes());
            if (v == null) continue; // out of range; covered by the vectors
            assertNearest(new BigDecimal(s), v, s);
        }
    }

    @Test
    void additionRoundsToNearest() {
        Random r = new Random(13);
        int checked = 0;
        for (int i = 0; i < 4_000; i++) {
            String sa = randomDecimal(r);
            // Operands of similar size half the time, so that cancellation is exercised.
            String sb = r.nextBoolean() ? randomDecimal(r) : "-" + sa.replace("-", "") + r.nextInt(10);
            LongDouble a = LongDouble.parse(sa.getBytes()), b = LongDouble.parse(sb.getBytes());
            if (a == null || b == null) continue;
            LongDouble sum = a.add(b);
            if (sum == null) continue;
            assertNearest(a.toBigDecimal().add(b.toBigDecimal()), sum, sa + " + " + sb);
            checked++;
        }
        assertTrue(checked > 2_000);
    }

    /** Blocking commands' timeouts: (long long) ceill(strtold(s) * 1000.0), as Redis 7.0 computes them. */
    @Test
    void millisecondTimeoutsRoundUpAndOverflowToLongMin() {
        String[][] cases = {{"0", "0"}, {"-0", "0"}, {"0.0001", "1"}, {"-0.0001", "0"}, {"1e-400", "1"}, {"0.3", "300"},
                {"1.5", "1500"}, {"-0.5", "-500"}, {"0x10", "16000"}, {"9223372036854775", "9223372036854775000"},
                {"9223372036854775807", "-9223372036854775808"}, {"1e400", "-9223372036854775808"},
                {"inf", "-9223372036854775808"}, {"-inf", "-9223372036854775808"}};
        for (String[] c : cases) {
            LongDouble v = LongDouble.parse(c[0].getBytes(StandardCharsets.US_ASCII));
            assertNotNull(v, c[0]);
            assertEquals(Long.parseLong(c[1]), v.multiply(1000).toLongCeiling(), c[0]);
        }
    }
}
