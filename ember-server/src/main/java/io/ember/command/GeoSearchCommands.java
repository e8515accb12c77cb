package io.ember.command;

import io.ember.client.Client;
import io.ember.engine.Database;
import io.ember.geo.FixedPoint;
import io.ember.geo.GeoHash;
import io.ember.geo.GeoShape;
import io.ember.pubsub.KeyspaceEvents;
import io.ember.type.ValueType;
import io.ember.type.ZRange;
import io.ember.type.ZSetValue;
import io.ember.util.Bytes;
import io.ember.util.Doubles;
import io.ember.util.PartialQuickSort;

/**
 * Geospatial searches (geo.c georadiusGeneric): GEOSEARCH, GEOSEARCHSTORE and the deprecated
 * GEORADIUS, GEORADIUSBYMEMBER and their _RO forms. The candidates are the members whose scores
 * fall in the nine geohash cells {@link GeoShape#computeAreas} picks, visited in Redis's order
 * (centre, N, S, E, W, NE, NW, SE, SW) and each tested exactly; sorting is glibc's merge sort
 * (stable), so even ties and unsorted replies come out in Redis's order.
 */
final class GeoSearchCommands {
    private GeoSearchCommands() {}

    static void register(CommandTable t) {
        t.add("georadius", GeoSearchCommands::georadius);
        t.add("georadius_ro", GeoSearchCommands::georadiusRo);
        t.add("georadiusbymember", GeoSearchCommands::georadiusByMember);
        t.add("georadiusbymember_ro", GeoSearchCommands::georadiusByMemberRo);
        t.add("geosearch", GeoSearchCommands::geosearch);
        t.add("geosearchstore", GeoSearchCommands::geosearchstore);
    }

    /** GEORADIUS key longitude latitude radius unit [options] [STORE key] [STOREDIST key]. */
    static void georadius(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 1, RADIUS_COORDS);
    }

    static void georadiusRo(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 1, RADIUS_COORDS | NOSTORE);
    }

    /** GEORADIUSBYMEMBER key member radius unit [options] [STORE key] [STOREDIST key]. */
    static void georadiusByMember(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 1, RADIUS_MEMBER);
    }

    static void georadiusByMemberRo(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 1, RADIUS_MEMBER | NOSTORE);
    }

    /** GEOSEARCH key FROMMEMBER m|FROMLONLAT lon lat BYRADIUS r unit|BYBOX w h unit [options]. */
    static void geosearch(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 1, SEARCH);
    }

    /** GEOSEARCHSTORE dst src ... [STOREDIST]: the results as a sorted set at dst. */
    static void geosearchstore(Client c, byte[][] argv, int argc) {
        search(c, argv, argc, 2, SEARCH | SEARCHSTORE);
    }

    private static final int RADIUS_COORDS = 1, RADIUS_MEMBER = 2, NOSTORE = 4, SEARCH = 8, SEARCHSTORE = 16;
    private static final int SORT_NONE = 0, SORT_ASC = 1, SORT_DESC = 2;
    private static final String NO_MEMBER = "ERR could not decode requested zset member";

    /** georadiusGeneric: parse, search the nine cells, sort, then reply or store. */
    static void search(Client c, byte[][] argv, int argc, int srcKeyIndex, int flags) {
        boolean[] wrong = new boolean[1];
        ZSetValue z = GeoCommands.readZset(c, argv[srcKeyIndex], wrong);
        if (wrong[0]) return;

        GeoShape shape = new GeoShape();
        double[] xy = new double[2], area = new double[4];
        byte[] storeKey = null;
        boolean storeDist = false;
        int baseArgs;
        if ((flags & RADIUS_COORDS) != 0) {
            baseArgs = 6;
            if (!GeoCommands.lonLatOrReply(c, argv, 2, xy)) return;
            if (!radiusOrReply(c, argv, baseArgs - 2, shape)) return;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            baseArgs = 5;
            if (z != null) { // a missing key still has its options parsed, to pick the reply
                double score = z.score(argv[2]);
                if (score != score) {
                    c.reply.error(NO_MEMBER);
                    return;
                }
                GeoHash.decodeScore(score, xy, area);
                if (!radiusOrReply(c, argv, baseArgs - 2, shape)) return;
            }
        } else {
            baseArgs = 2;
            if ((flags & SEARCHSTORE) != 0) {
                baseArgs = 3;
                storeKey = argv[1];
            }
        }

        boolean withDist = false, withHash = false, withCoords = false, any = false;
        boolean fromMember = false, fromLoc = false, byRadius = false, byBox = false;
        int sort = SORT_NONE;
        long count = 0;
        boolean search = (flags & SEARCH) != 0, noStore = (flags & NOSTORE) != 0;
        int remaining = argc - baseArgs;
        for (int i = 0; i < remaining; i++) {
            byte[] arg = argv[baseArgs + i];
            if (Bytes.eqIgnoreCase(arg, "withdist")) {
                withDist = true;
            } else if (Bytes.eqIgnoreCase(arg, "withhash")) {
                withHash = true;
            } else if (Bytes.eqIgnoreCase(arg, "withcoord")) {
                withCoords = true;
            } else if (Bytes.eqIgnoreCase(arg, "any")) {
                any = true;
            } else if (Bytes.eqIgnoreCase(arg, "asc")) {
                sort = SORT_ASC;
            } else if (Bytes.eqIgnoreCase(arg, "desc")) {
                sort = SORT_DESC;
            } else if (Bytes.eqIgnoreCase(arg, "count") && i + 1 < remaining) {
                long[] n = new long[1];
                if (!Args.longOrReply(c, argv[baseArgs + i + 1], null, n)) return;
                if (n[0] <= 0) {
                    c.reply.error("ERR COUNT must be > 0");
                    return;
                }
                count = n[0];
                i++;
            } else if (Bytes.eqIgnoreCase(arg, "store") && i + 1 < remaining && !noStore && !search) {
                storeKey = argv[baseArgs + i + 1];
                storeDist = false;
                i++;
            } else if (Bytes.eqIgnoreCase(arg, "storedist") && i + 1 < remaining && !noStore && !search) {
                storeKey = argv[baseArgs + i + 1];
                storeDist = true;
                i++;
            } else if (Bytes.eqIgnoreCase(arg, "storedist") && search && (flags & SEARCHSTORE) != 0) {
                storeDist = true;
            } else if (Bytes.eqIgnoreCase(arg, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    double score = z.score(argv[baseArgs + i + 1]);
                    if (score != score) {
                        c.reply.error(NO_MEMBER);
                        return;
                    }
                    GeoHash.decodeScore(score, xy, area);
                }
                fromMember = true;
                i++;
            } else if (Bytes.eqIgnoreCase(arg, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                if (!GeoCommands.lonLatOrReply(c, argv, baseArgs + i + 1, xy)) return;
                fromLoc = true;
                i += 2;
            } else if (Bytes.eqIgnoreCase(arg, "byradius") && i + 2 < remaining && search && !byBox) {
                if (!radiusOrReply(c, argv, baseArgs + i + 1, shape)) return;
                byRadius = true;
                i += 2;
            } else if (Bytes.eqIgnoreCase(arg, "bybox") && i + 3 < remaining && search && !byRadius) {
                if (!boxOrReply(c, argv, baseArgs + i + 1, shape)) return;
                byBox = true;
                i += 3;
            } else {
                c.reply.error(Errors.SYNTAX);
                return;
            }
        }

        if (storeKey != null && (withDist || withHash || withCoords)) {
            c.reply.error((flags & SEARCHSTORE) != 0
                    ? "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
                    : "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
            return;
        }
        if (search && !(fromMember || fromLoc)) {
            c.reply.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + Bytes.latin1(argv[0]));
            return;
        }
        if (search && !(byRadius || byBox)) {
            c.reply.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + Bytes.latin1(argv[0]));
            return;
        }
        if (any && count == 0) {
            c.reply.error("ERR the ANY argument requires COUNT argument");
            return;
        }

        if (z == null) { // no source: an emptied destination, or an empty array
            if (storeKey != null) {
                if (c.db.delete(storeKey)) {
                    KeyEvents.del(c, storeKey);
                    c.engine.dirty++;
                }
                c.reply.integer(0);
            } else {
                c.reply.emptyArray();
            }
            return;
        }

        // COUNT needs the nearest N, so it implies ASC unless ANY asks for any N.
        if (count != 0 && sort == SORT_NONE && !any) sort = SORT_ASC;

        shape.lon = xy[0];
        shape.lat = xy[1];
        shape.computeAreas();
        Found found = new Found();
        membersOfAllNeighbors(z, shape, found, any ? count : 0);

        if (found.size == 0 && storeKey == null) {
            c.reply.emptyArray();
            return;
        }
        int returned = (int) (count == 0 || found.size < count ? found.size : count);
        int[] order = found.order(sort, returned);

        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            c.reply.arrayHeader(returned);
            byte[] buf = new byte[FixedPoint.MAX_FAST_CHARS];
            for (int k = 0; k < returned; k++) {
                int i = order[k];
                if (options > 0) c.reply.arrayHeader(options + 1);
                c.reply.bulk(found.members[i]);
                if (withDist) GeoCommands.replyDistance(c, found.dist[i] / shape.conversion, buf);
                if (withHash) c.reply.integer((long) found.score[i]);
                if (withCoords) {
                    c.reply.arrayHeader(2);
                    GeoCommands.replyCoordinate(c, found.lon[i], buf);
                    GeoCommands.replyCoordinate(c, found.lat[i], buf);
                }
            }
            return;
        }
        store(c, storeKey, found, order, returned, storeDist, shape.conversion, search ? "geosearchstore" : "georadiusstore");
    }

    /**
     * The results at dst as a sorted set (score: geohash, or distance in the unit with
     * STOREDIST), a listpack when small enough; nothing found deletes dst.
     */
    private static void store(Client c, byte[] dst, Found found, int[] order, int returned, boolean storeDist,
                              double conversion, String event) {
        Database db = c.db;
        if (returned > 0) {
            ZSetValue z = ZSetValue.newSkiplist();
            for (int k = 0; k < returned; k++) {
                int i = order[k];
                double score = storeDist ? found.dist[i] / conversion : found.score[i];
                z.add(score, found.members[i], 0, Long.MAX_VALUE, Long.MAX_VALUE);
            }
            z.convertToListpackIfSmall(SortedSetCommands.maxEntries(c), SortedSetCommands.maxValue(c));
            db.set(dst, z.stored(), ValueType.ZSET, z.encoding(), false);
            KeyEvents.fire(c, KeyspaceEvents.ZSET, event, dst);
            c.engine.dirty += returned;
        } else if (db.delete(dst)) {
            KeyEvents.del(c, dst);
            c.engine.dirty++;
        }
        c.reply.integer(returned);
    }

    // ---- argument helpers ---------------------------------------------------------------------------

    /** extractDistanceOrReply: radius and unit at argv[i], argv[i+1]. */
    private static boolean radiusOrReply(Client c, byte[][] argv, int i, GeoShape shape) {
        double r = Doubles.parseStrict(argv[i]);
        if (r != r) {
            c.reply.error("ERR need numeric radius");
            return false;
        }
        if (r < 0) {
            c.reply.error("ERR radius cannot be negative");
            return false;
        }
        double conversion = GeoCommands.unitOrReply(c, argv[i + 1]);
        if (conversion < 0) return false;
        shape.box = false;
        shape.radius = r;
        shape.conversion = conversion;
        return true;
    }

    /** extractBoxOrReply: width, height and unit at argv[i..i+2]. */
    private static boolean boxOrReply(Client c, byte[][] argv, int i, GeoShape shape) {
        double w = Doubles.parseStrict(argv[i]);
        if (w != w) {
            c.reply.error("ERR need numeric width");
            return false;
        }
        double h = Doubles.parseStrict(argv[i + 1]);
        if (h != h) {
            c.reply.error("ERR need numeric height");
            return false;
        }
        if (h < 0 || w < 0) {
            c.reply.error("ERR height or width cannot be negative");
            return false;
        }
        double conversion = GeoCommands.unitOrReply(c, argv[i + 2]);
        if (conversion < 0) return false;
        shape.box = true;
        shape.width = w;
        shape.height = h;
        shape.conversion = conversion;
        return true;
    }

    // ---- the search ---------------------------------------------------------------------------------

    /**
     * membersOfAllNeighbors: each of the nine cells not zeroed and not equal to the one searched
     * just before (huge areas repeat cells; Redis's check is off until a cell other than the
     * centre has been searched), stopping once {@code limit} (ANY COUNT) points are found.
     */
    private static void membersOfAllNeighbors(ZSetValue z, GeoShape shape, Found found, long limit) {
        int lastProcessed = 0;
        double[] xy = new double[2], area = new double[4];
        for (int i = 0; i < 9; i++) {
            long bits = shape.cellBits[i];
            int step = shape.cellStep[i];
            if (bits == 0 && step == 0) continue;
            if (lastProcessed != 0 && bits == shape.cellBits[lastProcessed] && step == shape.cellStep[lastProcessed]) continue;
            if (found.size > 0 && limit != 0 && found.size >= limit) break;
            // scoresOfGeoHashBox: every score with this cell's prefix, min included, max excluded
            double min = GeoHash.align52(bits, step), max = GeoHash.align52(bits + 1, step);
            ZRange.Score range = new ZRange.Score(min, false, max, true);
            for (ZSetValue.Cursor cur = z.inRange(range, false); cur.valid() && cur.inside(range, false); cur.step(false)) {
                double score = cur.score();
                GeoHash.decodeScore(score, xy, area);
                double d = shape.within(xy[0], xy[1]);
                if (!(d < 0)) found.add(cur.member(), score, d, xy[0], xy[1]);
                if (found.size > 0 && limit != 0 && found.size >= limit) break;
            }
            lastProcessed = i;
        }
    }

    /** The points found (geoArray), in parallel arrays. */
    private static final class Found {
        byte[][] members = new byte[8][];
        double[] score = new double[8], dist = new double[8], lon = new double[8], lat = new double[8];
        int size;

        void add(byte[] member, double s, double d, double x, double y) {
            if (size == members.length) {
                int n = size * 2;
                members = java.util.Arrays.copyOf(members, n);
                score = java.util.Arrays.copyOf(score, n);
                dist = java.util.Arrays.copyOf(dist, n);
                lon = java.util.Arrays.copyOf(lon, n);
                lat = java.util.Arrays.copyOf(lat, n);
            }
            members[size] = member;
            score[size] = s;
            dist[size] = d;
            lon[size] = x;
            lat[size] = y;
            size++;
        }

        /**
         * The indexes in reply order: as found; sorted as glibc's qsort (a merge sort: stable)
         * sorts them when all are returned; with fewer returned, Redis's partial quicksort
         * (pqsort, not stable: ties come out in its own order) on the first {@code returned}.
         */
        int[] order(int sort, int returned) {
            int[] idx = new int[size];
            for (int i = 0; i < size; i++) idx[i] = i;
            if (sort == SORT_NONE || size < 2) return idx;
            boolean desc = sort == SORT_DESC;
            if (returned == size) {
                msort(idx, new int[size], 0, size, desc);
                return idx;
            }
            PartialQuickSort.sort(idx, size, desc ? this::cmpDesc : this::cmpAsc, 0, returned - 1);
            return idx;
        }

        private int cmpAsc(int a, int b) {
            return cmp(a, b, false);
        }

        private int cmpDesc(int a, int b) {
            return cmp(a, b, true);
        }

        /** sort_gp_asc (1, 0, -1 by distance; NaN compares "less", as in C), negated for DESC. */
        private int cmp(int a, int b, boolean desc) {
            double da = dist[a], db = dist[b];
            int r = da > db ? 1 : da == db ? 0 : -1;
            return desc ? -r : r;
        }

        /** glibc msort_with_tmp: top-down, the first half n/2, ties taken from the left run. */
        private void msort(int[] b, int[] tmp, int from, int n, boolean desc) {
            if (n <= 1) return;
            int n1 = n / 2, n2 = n - n1;
            msort(b, tmp, from, n1, desc);
            msort(b, tmp, from + n1, n2, desc);
            int i = from, j = from + n1, endI = from + n1, endJ = from + n, t = 0;
            while (i < endI && j < endJ) {
                if (cmp(b[i], b[j], desc) <= 0) tmp[t++] = b[i++];
                else tmp[t++] = b[j++];
            }
            while (i < endI) tmp[t++] = b[i++];
            // what is left of the second run is already in place
            System.arraycopy(tmp, 0, b, from, t);
        }
    }
}
