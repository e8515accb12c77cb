package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.geo.FixedPoint;
import io.ember.geo.GeoHash;
import io.ember.geo.GeoShape;
import io.ember.type.ValueType;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import io.ember.util.Numbers;

/**
 * Geospatial commands (geo.c) part one: GEOADD, GEOPOS, GEODIST, GEOHASH. A geo index is a plain
 * sorted set whose scores are 52-bit geohashes ({@link GeoHash}); GEOADD turns its arguments into
 * a ZADD and runs the sorted-set code, as Redis does. The searches (GEOSEARCH, GEORADIUS and
 * their variants) are in {@link GeoSearchCommands}.
 */
final class GeoCommands {
    private GeoCommands() {}

    static void register(CommandTable t) {
        t.add("geoadd", GeoCommands::geoadd);
        t.add("geopos", GeoCommands::geopos);
        t.add("geodist", GeoCommands::geodist);
        t.add("geohash", GeoCommands::geohash);
        GeoSearchCommands.register(t);
    }

    static final String UNIT_ERROR = "ERR unsupported unit provided. please use M, KM, FT, MI";

    // ---- shared helpers ---------------------------------------------------------------------------

    /**
     * extractLongLatOrReply: argv[i] and argv[i+1] as longitude and latitude into xy; false after
     * replying ("not a valid float", or the out-of-range pair printed with "%f").
     */
    static boolean lonLatOrReply(Client c, byte[][] argv, int i, double[] xy) {
        for (int k = 0; k < 2; k++) {
            xy[k] = Doubles.parseStrict(argv[i + k]);
            if (xy[k] != xy[k]) {
                c.reply.error(Errors.NOT_FLOAT);
                return false;
            }
        }
        if (xy[0] < GeoHash.LONG_MIN || xy[0] > GeoHash.LONG_MAX || xy[1] < GeoHash.LAT_MIN || xy[1] > GeoHash.LAT_MAX) {
            c.reply.error("ERR invalid longitude,latitude pair " + Bytes.latin1(FixedPoint.format(xy[0], 6)) + ","
                    + Bytes.latin1(FixedPoint.format(xy[1], 6)));
            return false;
        }
        return true;
    }

    /** extractUnitOrReply: metres per unit (case-insensitive m, km, ft, mi), or -1 after replying. */
    static double unitOrReply(Client c, byte[] unit) {
        if (Bytes.eqIgnoreCase(unit, "m")) return 1;
        if (Bytes.eqIgnoreCase(unit, "km")) return 1000;
        if (Bytes.eqIgnoreCase(unit, "ft")) return 0.3048;
        if (Bytes.eqIgnoreCase(unit, "mi")) return 1609.34;
        c.reply.error(UNIT_ERROR);
        return -1;
    }

    /** The sorted set at key for reading, null when missing; sets wrongType[0] after replying WRONGTYPE. */
    static ZSetValue readZset(Client c, byte[] key, boolean[] wrongType) {
        Database db = c.db;
        int ref = db.lookupRead(key);
        if (ref == 0) return null;
        if (db.type(ref) != ValueType.ZSET) {
            c.reply.error(Errors.WRONGTYPE);
            wrongType[0] = true;
            return null;
        }
        return ZSetValue.of(db.value(ref));
    }

    /** addReplyHumanLongDouble: "%.17Lf" without trailing zeros; a bulk string, a double in RESP3. */
    static void replyCoordinate(Client c, double v, byte[] buf) {
        int n = FixedPoint.format(v, 17, true, buf);
        if (n >= 0) c.reply.doubleFormatted(buf, 0, n);
        else c.reply.doubleFormatted(FixedPoint.human(v));
    }

    /** addReplyDoubleDistance: "%.4f", a bulk string in both protocols. */
    static void replyDistance(Client c, double d, byte[] buf) {
        int n = FixedPoint.format(d, 4, false, buf);
        if (n >= 0) c.reply.bulk(buf, 0, n);
        else c.reply.bulk(FixedPoint.format(d, 4));
    }

    // ---- GEOADD -----------------------------------------------------------------------------------

    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member [...]: every pair is validated first, then
     * the command becomes ZADD key [options] score member ... and the sorted-set code does the
     * rest (reply, WRONGTYPE, "zadd" event, dirty counter).
     */
    static void geoadd(Client c, byte[][] argv, int argc) {
        boolean xx = false, nx = false;
        int longIdx = 2;
        while (longIdx < argc) {
            byte[] o = argv[longIdx];
            if (Bytes.eqIgnoreCase(o, "nx")) nx = true;
            else if (Bytes.eqIgnoreCase(o, "xx")) xx = true;
            else if (!Bytes.eqIgnoreCase(o, "ch")) break;
            longIdx++;
        }
        if ((argc - longIdx) % 3 != 0 || (xx && nx)) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        int elements = (argc - longIdx) / 3;
        int zargc = longIdx + elements * 2;
        byte[][] zargv = new byte[zargc][];
        zargv[0] = ZADD;
        System.arraycopy(argv, 1, zargv, 1, longIdx - 1);
        double[] xy = new double[2];
        for (int i = 0; i < elements; i++) {
            int at = longIdx + i * 3;
            if (!lonLatOrReply(c, argv, at, xy)) return;
            zargv[longIdx + i * 2] = Numbers.toBytes(GeoHash.score(xy[0], xy[1]));
            zargv[longIdx + i * 2 + 1] = argv[at + 2];
        }
        SortedSetCommands.zadd(c, zargv, zargc);
        // Redis runs (and so propagates) GEOADD as this "zadd" with the geohash scores
        Rewrites.as(c, zargv);
    }

    private static final byte[] ZADD = {'z', 'a', 'd', 'd'};

    // ---- GEOPOS, GEODIST, GEOHASH -----------------------------------------------------------------

    /** GEOPOS key member...: [longitude, latitude] of each member's cell centre, null when missing. */
    static void geopos(Client c, byte[][] argv, int argc) {
        boolean[] wrong = new boolean[1];
        ZSetValue z = readZset(c, argv[1], wrong);
        if (wrong[0]) return;
        c.reply.arrayHeader(argc - 2);
        double[] xy = new double[2], area = new double[4];
        byte[] buf = new byte[FixedPoint.MAX_FAST_CHARS];
        for (int j = 2; j < argc; j++) {
            double score = z == null ? Double.NaN : z.score(argv[j]);
            if (score != score) {
                c.reply.nullArray();
                continue;
            }
            GeoHash.decodeScore(score, xy, area);
            c.reply.arrayHeader(2);
            replyCoordinate(c, xy[0], buf);
            replyCoordinate(c, xy[1], buf);
        }
    }

    /** GEODIST key member1 member2 [unit]: "%.4f" of the haversine distance, null if one is missing. */
    static void geodist(Client c, byte[][] argv, int argc) {
        double toMeter = 1;
        if (argc == 5) {
            toMeter = unitOrReply(c, argv[4]);
            if (toMeter < 0) return;
        } else if (argc > 5) {
            c.reply.error(Errors.SYNTAX);
            return;
        }
        boolean[] wrong = new boolean[1];
        ZSetValue z = readZset(c, argv[1], wrong);
        if (wrong[0]) return;
        if (z == null) {
            c.reply.nullBulk();
            return;
        }
        double s1 = z.score(argv[2]);
        double s2 = s1 != s1 ? Double.NaN : z.score(argv[3]);
        if (s2 != s2) {
            c.reply.nullBulk();
            return;
        }
        double[] a = new double[2], b = new double[2], area = new double[4];
        GeoHash.decodeScore(s1, a, area);
        GeoHash.decodeScore(s2, b, area);
        replyDistance(c, GeoShape.distance(a[0], a[1], b[0], b[1]) / toMeter, new byte[FixedPoint.MAX_FAST_CHARS]);
    }

    /** GEOHASH key member...: the standard 11-character geohash of each member, null when missing. */
    static void geohash(Client c, byte[][] argv, int argc) {
        boolean[] wrong = new boolean[1];
        ZSetValue z = readZset(c, argv[1], wrong);
        if (wrong[0]) return;
        c.reply.arrayHeader(argc - 2);
        for (int j = 2; j < argc; j++) {
            double score = z == null ? Double.NaN : z.score(argv[j]);
            if (score != score) c.reply.nullBulk();
            else c.reply.bulk(GeoHash.toStandardString(score));
        }
    }
}
