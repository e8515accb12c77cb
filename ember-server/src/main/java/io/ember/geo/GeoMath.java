package io.ember.geo;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * sin, cos and asin exactly as redis-server 7.0.15 gets them from glibc 2.36's libm on x86-64
 * with FMA (the {@code __sin_fma}, {@code __cos_fma}, {@code __ieee754_asin_fma} variants the
 * ifunc resolver picks on any CPU of the last decade). They are not correctly rounded (up to
 * about 0.52 ulp), and the full 17 digits of a distance are visible (GEOSEARCHSTORE ...
 * STOREDIST), so Ember follows the same algorithms step by step: IBM's Accurate Mathematical
 * Library as in sysdeps/ieee754/dbl-64 s_sin.c and e_asin.c, with a table lookup plus a short
 * polynomial, and every multiply-add that GCC 12 contracts into an FMA in that build done with
 * {@link Math#fma} (checked against the library on millions of arguments). The tables
 * (__sincostab, asncs, inroot) are glibc's, loaded from {@code glibc-libm.bin}.
 *
 * <p>Arguments at or beyond 105414350 in magnitude (glibc's __branred path) never reach the
 * results: there the search area is the whole planet (one geohash step) and the bounding box is
 * not consulted; they get StrictMath's value.
 */
final class GeoMath {
    private GeoMath() {}

    private static final double[] SINCOS = new double[440];
    private static final double[] ASNCS = new double[2568];
    private static final double[] INROOT = new double[128];

    static {
        try (InputStream raw = GeoMath.class.getResourceAsStream("glibc-libm.bin");
             DataInputStream in = new DataInputStream(raw)) {
            for (int i = 0; i < SINCOS.length; i++) SINCOS[i] = in.readDouble();
            for (int i = 0; i < ASNCS.length; i++) ASNCS[i] = in.readDouble();
            for (int i = 0; i < INROOT.length; i++) INROOT[i] = in.readDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // usncs.h
    private static final double S1 = -0x1.5555555555555p-3, S2 = 0x1.1111111110ECEp-7,
            S3 = -0x1.A01A019DB08B8p-13, S4 = 0x1.71DE27B9A7ED9p-19, S5 = -0x1.ADDFFC2FCDF59p-26;
    private static final double BIG = 0x1.8000000000000p45, HP0 = 0x1.921FB54442D18p0, HP1 = 0x1.1A62633145C07p-54;
    private static final double MP1 = 0x1.921FB58000000p0, MP2 = -0x1.DDE973C000000p-27;
    private static final double PP3 = -0x1.CB3B398000000p-55, PP4 = -0x1.d747f23e32ed7p-83;
    private static final double HPINV = 0x1.45F306DC9C883p-1, TOINT = 0x1.8000000000000p52;
    // s_sin.c
    private static final double SN3 = -1.66666666666664880952546298448555E-01, SN5 = 8.33333214285722277379541354343671E-03,
            CS2 = 4.99999999999999999999950396842453E-01, CS4 = -4.16666666666664434524222570944589E-02,
            CS6 = 1.38888874007937613028114285595617E-03;
    // uasncs.h
    private static final double F1 = 1.66666666666664110590506577996662E-01, F2 = 7.50000000026122686814431784722623E-02,
            F3 = 4.46428561421059750978517350006940E-02, F4 = 3.03821268582119319911193410625235E-02,
            F5 = 2.23551211026525610742786300334557E-02, F6 = 1.81382903404565056280372531963613E-02;
    private static final double T24 = 16777216.0;
    private static final double RT0 = 9.99999999859990725855365213134618E-01, RT1 = 4.99999999495955425917856814202739E-01,
            RT2 = 3.75017500867345182581453026130850E-01, RT3 = 3.12523626554518656309172508769531E-01;
    private static final double AHP1 = Double.longBitsToDouble(0x3C91A62633145C07L);

    private static int high(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    private static int low(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    static double sin(double x) {
        int k = high(x) & 0x7fffffff;
        if (k < 0x3e500000) return x;
        if (k < 0x3feb6000) return doSin(x, 0);
        if (k < 0x400368fd) return Math.copySign(doCos(HP0 - Math.abs(x), HP1), x);
        if (k < 0x419921FB) return reduced(x, 0);
        return StrictMath.sin(x); // NaN, infinities, and arguments no search uses
    }

    static double cos(double x) {
        int k = high(x) & 0x7fffffff;
        if (k < 0x3e400000) return 1.0;
        if (k < 0x3feb6000) return doCos(x, 0);
        if (k < 0x400368fd) {
            double y = HP0 - Math.abs(x);
            double a = y + HP1;
            double da = (y - a) + HP1;
            return doSin(a, da);
        }
        if (k < 0x419921FB) return reduced(x, 1);
        return StrictMath.cos(x);
    }

    /** reduce_sincos then do_sincos for quadrant n + shift. */
    private static double reduced(double x, int shift) {
        double t = Math.fma(x, HPINV, TOINT);
        double xn = t - TOINT;
        int n = (low(t) + shift) & 3;
        double y = Math.fma(-xn, MP2, Math.fma(-xn, MP1, x));
        double t2 = Math.fma(-xn, PP3, y);
        double db = Math.fma(-xn, PP3, y - t2);
        double b = Math.fma(-xn, PP4, t2);
        db += Math.fma(-xn, PP4, t2 - b);
        double r = (n & 1) != 0 ? doCos(b, db) : doSin(b, db);
        return (n & 2) != 0 ? -r : r;
    }

    private static double doCos(double x, double dx) {
        if (x < 0) dx = -dx;
        double ux = BIG + Math.abs(x);
        x = Math.abs(x) - (ux - BIG) + dx;
        double xx = x * x;
        double s = Math.fma(x * xx, Math.fma(xx, SN5, SN3), x);
        double c = xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2);
        int k = low(ux) << 2;
        double sn = SINCOS[k], ssn = SINCOS[k + 1], cs = SINCOS[k + 2], ccs = SINCOS[k + 3];
        double cor = Math.fma(-sn, s, Math.fma(-cs, c, Math.fma(-s, ssn, ccs)));
        return cs + cor;
    }

    private static double doSin(double x, double dx) {
        double xold = x;
        if (Math.abs(x) < 0.126) {
            double xx = x * x;
            double p = Math.fma(Math.fma(Math.fma(Math.fma(S5, xx, S4), xx, S3), xx, S2), xx, S1);
            double t = Math.fma(Math.fma(p, x, -(0.5 * dx)), xx, dx);
            return x + t;
        }
        if (x <= 0) dx = -dx;
        double ux = BIG + Math.abs(x);
        x = Math.abs(x) - (ux - BIG);
        double xx = x * x;
        double s = x + Math.fma(x * xx, Math.fma(xx, SN5, SN3), dx);
        double c = Math.fma(x, dx, xx * Math.fma(xx, Math.fma(xx, CS6, CS4), CS2));
        int k = low(ux) << 2;
        double sn = SINCOS[k], ssn = SINCOS[k + 1], cs = SINCOS[k + 2], ccs = SINCOS[k + 3];
        double cor = Math.fma(cs, s, Math.fma(-sn, c, Math.fma(s, ccs, ssn)));
        return Math.copySign(sn + cor, xold);
    }

    /** __ieee754_asin. */
    static double asin(double x) {
        int m = high(x);
        int k = m & 0x7fffffff;
        if (k < 0x3e500000) return x;
        if (k < 0x3fc00000) {
            double x2 = x * x;
            double p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(F6, x2, F5), x2, F4), x2, F3), x2, F2), x2, F1);
            return Math.fma(p, x2 * x, x);
        }
        double ax = Math.abs(x), res;
        if (k < 0x3fe00000) {
            int n = k < 0x3fd00000 ? 11 * ((k & 0x000fffff) >> 15) : 11 * ((k & 0x000fffff) >> 14) + 352;
            res = table(ax, n, 5);
        } else if (k < 0x3fe80000) {
            res = table(ax, 1056 + ((k & 0x000fe000) >> 11) * 3, 6);
        } else if (k < 0x3fed8000) {
            res = table(ax, 992 + ((k & 0x000fe000) >> 13) * 13, 7);
        } else if (k < 0x3fee8000) {
            res = table(ax, 884 + ((k & 0x000fe000) >> 13) * 14, 8);
        } else if (k < 0x3fef0000) {
            res = table(ax, 768 + ((k & 0x000fe000) >> 13) * 15, 9);
        } else if (k < 0x3ff00000) {
            double z = 0.5 * (1.0 - ax);
            int kz = high(z);
            double t = INROOT[(kz & 0x001fffff) >> 14] * Math.scalb(1.0, 511 - (kz >> 21));
            double r = Math.fma(-(t * t), z, 1.0);
            t = t * Math.fma(r, Math.fma(r, Math.fma(r, RT3, RT2), RT1), RT0);
            double c = t * z;
            t = c * Math.fma(-(0.5 * t), c, 1.5);
            double y = (c + T24) - T24;
            double cc = Math.fma(-y, y, z) / (t + y);
            double p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(F6, z, F5), z, F4), z, F3), z, F2), z, F1) * z;
            double cor = Math.fma(-2.0 * (y + cc), p, Math.fma(-2.0, cc, AHP1));
            double res1 = Math.fma(-2.0, y, HP0);
            res = res1 + cor;
        } else if (k == 0x3ff00000 && low(x) == 0) {
            res = HP0;
        } else {
            return Double.NaN;
        }
        return m > 0 ? res : -res;
    }

    /**
     * The table ranges of asin: xx = |x| - x0, then asncs[n+1]*xx plus a polynomial of
     * {@code degree} coefficients asncs[n+2..] in Horner form, plus asncs[n+degree+2], plus
     * the value at x0.
     */
    private static double table(double ax, int n, int degree) {
        double xx = ax - ASNCS[n];
        double q = ASNCS[n + 1 + degree];
        for (int i = n + degree; i >= n + 2; i--) q = Math.fma(xx, q, ASNCS[i]);
        double p = Math.fma(xx * xx, q, ASNCS[n + degree + 2]);
        double t = Math.fma(ASNCS[n + 1], xx, p);
        return ASNCS[n + degree + 3] + t;
    }
}
