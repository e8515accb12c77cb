package io.ember.testing;

import java.util.Random;

/** Score texts for sorted set tests: numbers in many shapes, valid and not (strtod's corners). */
public final class ScoreTexts {
    private ScoreTexts() {}

    /** Random numbers in many shapes, valid and not, as text. */
    public static String random(Random r) {
        String sign = switch (r.nextInt(4)) {
            case 0 -> "-";
            case 1 -> "+";
            default -> "";
        };
        return switch (r.nextInt(12)) {
            case 0 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 1 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            case 2 -> {
                StringBuilder sb = new StringBuilder(sign);
                int digits = 1 + r.nextInt(25);
                for (int i = 0; i < digits; i++) sb.append((char) ('0' + r.nextInt(10)));
                if (r.nextBoolean()) sb.insert(sign.length() + r.nextInt(digits + 1), '.');
                if (r.nextInt(3) == 0) sb.append(r.nextBoolean() ? 'e' : 'E').append(r.nextInt(700) - 350);
                yield sb.toString();
            }
            case 3 -> sign + "0x" + Long.toHexString(r.nextLong() >>> r.nextInt(64))
                    + (r.nextBoolean() ? "." + Integer.toHexString(r.nextInt()) : "") + (r.nextBoolean() ? "p" + (r.nextInt(200) - 100) : "");
            case 4 -> sign + new String[] {"inf", "infinity", "INF", "Inf", "nan", "NaN", "infinit", "in", "1e", "1e+", ".",
                ".5", "5.", "0x", "0x.8", "0x1p", "1..2", "1e5.5", "--1", "+-1", "", " ", "1 ", " 1", "\t1", "0", "00", "-0",
                "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "4.9e-324", "2.4e-324", "2.5e-324",
                "2.2250738585072011e-308", "9007199254740993", "0.1", "3.14159", "1e22", "1e23", "123456789012345678901234567890",
                "0.000000000000000000000000000001", "4503599627370495", "4503599627370496", "-4503599627370495",
                "-4503599627370496", "1e16", "1e17", "9.999999999999999e16", "0x1.fffffffffffffp1023", "-0x1p-1074"}[r.nextInt(51)];
            case 5 -> Double.toString(Double.longBitsToDouble(r.nextLong()));
            case 6 -> sign + (r.nextInt(2000) - 1000) + "." + r.nextInt(1000);
            case 7 -> sign + r.nextInt(100) + "e" + (r.nextInt(40) - 20);
            default -> Integer.toString(r.nextInt(2000) - 1000);
        };
    }
}
