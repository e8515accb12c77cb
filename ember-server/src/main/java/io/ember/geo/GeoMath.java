package io.ember.geo;

/**
 * sin, cos and asin correctly rounded, as glibc's libm (which Redis's distance and bounding-box
 * arithmetic calls) returns them in practice. Java's StrictMath (fdlibm) differs from glibc in
 * the last bit for about 3% of arguments, and the full 17 digits of a distance are visible
 * (GEOSEARCHSTORE ... STOREDIST), so each value is computed in double-double arithmetic
 * (about 106 bits: argument reduction by a three-part pi/2, Taylor series; asin by a Newton step
 * from StrictMath.asin) and rounded once to the nearest double.
 */
final class GeoMath {
    private GeoMath() {}

    // pi/2 in three parts: hi + mid + lo carries about 160 bits
    private static final double PIO2_HI = 1.5707963267948966;
    private static final double PIO2_MID = 6.123233995736766e-17;
    private static final double PIO2_LO = -1.4973849048591698e-33;

    static double sin(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) return x == 0 ? x : Double.NaN;
        return sinCos(x, false, new double[2]);
    }

    static double cos(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return Double.NaN;
        return sinCos(x, true, new double[2]);
    }

    /** asin for |x| <= 1: one or two Newton steps on sin(y) = x in double-double. */
    static double asin(double x) {
        if (x == 0 || Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax > 1) return Double.NaN;
        if (ax == 1) return Math.copySign(PIO2_HI, x);
        double y = StrictMath.asin(ax);
        double[] s = new double[2], c = new double[2], t = new double[2];
        double lo = 0;
        for (int iter = 0; iter < 2; iter++) {
            // delta = (x - sin(y)) / cos(y), with y = y + lo as double-double
            sinCosDD(y, lo, s, c);
            ddAdd(ax, 0, -s[0], -s[1], t);
            double num = t[0] + t[1];
            double den = c[0] + c[1];
            double delta = num / den;
            twoSum(y, lo + delta, t);
            y = t[0];
            lo = t[1];
            if (den > 1e-4) break; // far from 1: one step is already far below half an ulp
        }
        return Math.copySign(y, x);
    }

    /** sin (or cos) of a double, rounded once. */
    private static double sinCos(double x, boolean cosine, double[] out) {
        double[] s = new double[2], c = new double[2];
        sinCosDD(x, 0, s, c);
        double[] r = cosine ? c : s;
        return r[0] + r[1];
    }

    /** sin and cos of hi + lo in double-double. */
    private static void sinCosDD(double hi, double lo, double[] sin, double[] cos) {
        double k = Math.rint(hi / PIO2_HI);
        double[] r = new double[2], t = new double[2];
        // r = (hi + lo) - k * pi/2, every product exact or carried
        twoProd(k, PIO2_HI, t);
        ddAdd(hi, lo, -t[0], -t[1], r);
        twoProd(k, PIO2_MID, t);
        ddAdd(r[0], r[1], -t[0], -t[1], r);
        ddAdd(r[0], r[1], -k * PIO2_LO, 0, r);
        double[] sr = new double[2], cr = new double[2];
        taylor(r[0], r[1], sr, cr);
        int q = (int) (((long) k) & 3);
        switch (q) {
            case 0 -> { set(sin, sr, false); set(cos, cr, false); }
            case 1 -> { set(sin, cr, false); set(cos, sr, true); }
            case 2 -> { set(sin, sr, true); set(cos, cr, true); }
            default -> { set(sin, cr, true); set(cos, sr, false); }
        }
    }

    private static void set(double[] to, double[] from, boolean negate) {
        to[0] = negate ? -from[0] : from[0];
        to[1] = negate ? -from[1] : from[1];
    }

    /** Taylor series of sin and cos for |r| <= pi/4 in double-double. */
    private static void taylor(double rh, double rl, double[] sin, double[] cos) {
        double[] r2 = new double[2];
        ddMul(rh, rl, rh, rl, r2);
        // sin: term_n = term_{n-1} * -r^2 / ((2n)(2n+1))
        double[] term = {rh, rl}, sum = {rh, rl}, t = new double[2];
        for (int n = 1; n < 30; n++) {
            ddMul(term[0], term[1], r2[0], r2[1], t);
            ddDiv(t[0], t[1], -(2.0 * n) * (2 * n + 1), term);
            ddAdd(sum[0], sum[1], term[0], term[1], sum);
            if (Math.abs(term[0]) < 1e-40 * Math.abs(sum[0]) || term[0] == 0) break;
        }
        sin[0] = sum[0];
        sin[1] = sum[1];
        term[0] = 1;
        term[1] = 0;
        sum[0] = 1;
        sum[1] = 0;
        for (int n = 1; n < 30; n++) {
            ddMul(term[0], term[1], r2[0], r2[1], t);
            ddDiv(t[0], t[1], -(2.0 * n - 1) * (2 * n), term);
            ddAdd(sum[0], sum[1], term[0], term[1], sum);
            if (Math.abs(term[0]) < 1e-40 || term[0] == 0) break;
        }
        cos[0] = sum[0];
        cos[1] = sum[1];
    }

    // ---- double-double arithmetic (Dekker, Knuth) ----------------------------------------------

    private static void twoSum(double a, double b, double[] out) {
        double s = a + b;
        double bb = s - a;
        out[1] = (a - (s - bb)) + (b - bb);
        out[0] = s;
    }

    private static void twoProd(double a, double b, double[] out) {
        double p = a * b;
        out[1] = Math.fma(a, b, -p);
        out[0] = p;
    }

    private static void ddAdd(double ah, double al, double bh, double bl, double[] out) {
        double s = ah + bh;
        double bb = s - ah;
        double e = (ah - (s - bb)) + (bh - bb);
        e += al + bl;
        double hi = s + e;
        out[1] = e - (hi - s);
        out[0] = hi;
    }

    private static void ddMul(double ah, double al, double bh, double bl, double[] out) {
        double p = ah * bh;
        double e = Math.fma(ah, bh, -p);
        e += ah * bl + al * bh;
        double hi = p + e;
        out[1] = e - (hi - p);
        out[0] = hi;
    }

    /** (ah + al) / b for a double b. */
    private static void ddDiv(double ah, double al, double b, double[] out) {
        double q1 = ah / b;
        double p = q1 * b;
        double pe = Math.fma(q1, b, -p);
        double r = ((ah - p) - pe + al) / b;
        double hi = q1 + r;
        out[1] = r - (hi - q1);
        out[0] = hi;
    }
}
