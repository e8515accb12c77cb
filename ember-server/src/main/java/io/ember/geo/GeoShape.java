package io.ember.geo;

/**
 * A search area of GEOSEARCH / GEORADIUS (Redis's GeoShape with geohash_helper.c): a circle of
 * {@code radius} or a box of {@code width} x {@code height}, in the request's unit
 * ({@code conversion} metres each), around {@code (lon, lat)}.
 *
 * <p>{@link #computeAreas} picks the geohash cell size for the area and the 3x3 cells around the
 * centre that can hold matches (geohashCalculateAreasByShapeWGS84); {@link #within} is the exact
 * test on one candidate. The trigonometry is glibc's, bit for bit ({@link GeoMath}).
 */
public final class GeoShape {
    /** Redis's EARTH_RADIUS_IN_METERS. */
    public static final double EARTH_RADIUS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    public double lon, lat;
    public boolean box;
    public double radius, width, height;
    public double conversion = 1;

    /** After computeAreas: the bounding box {minLon, minLat, maxLon, maxLat}. */
    final double[] bounds = new double[4];
    /** After computeAreas: centre cell then N, S, E, W, NE, NW, SE, SW; a zeroed cell has step 0. */
    public final long[] cellBits = new long[9];
    public final int[] cellStep = new int[9];

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    // ---- distances ----------------------------------------------------------------------------

    /** geohashGetLatDistance: along a meridian, the arc between two latitudes (metres). */
    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /**
     * geohashGetDistance: haversine great-circle distance in metres; when the longitudes are
     * the same (the sine of half their difference is zero) Redis 7.0 takes the plain arc along
     * the meridian instead, which can differ from the haversine in the last bits.
     */
    public static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d), lon2r = degRad(lon2d);
        double v = GeoMath.sin((lon2r - lon1r) / 2);
        if (v == 0.0) return latDistance(lat1d, lat2d);
        double lat1r = degRad(lat1d), lat2r = degRad(lat2d);
        double u = GeoMath.sin((lat2r - lat1r) / 2);
        double a = u * u + GeoMath.cos(lat1r) * GeoMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS * GeoMath.asin(Math.sqrt(a));
    }

    /**
     * geoWithinShape for a candidate at {@code (x, y)}: its distance from the centre (metres) when
     * inside, -1 when outside (a NaN distance counts as inside, as in C). A circle keeps points at
     * most the radius away; a box (geohashGetDistanceIfInRectangle) keeps points whose
     * north-south arc and east-west distance (along the point's parallel) are within half its
     * sides, tested in that order.
     */
    public double within(double x, double y) {
        if (!box) {
            double d = distance(lon, lat, x, y);
            return d > radius * conversion ? -1 : d;
        }
        if (latDistance(y, lat) > height * conversion / 2) return -1;
        if (distance(x, y, lon, y) > width * conversion / 2) return -1;
        return distance(lon, lat, x, y);
    }

    // ---- search areas -------------------------------------------------------------------------

    /** geohashEstimateStepsByRadius: bits per coordinate of the cells to search. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2; // make sure the range is inside in most cases
        if (lat > 66 || lat < -66) { // wider towards the poles
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        if (step < 1) step = 1;
        if (step > 26) step = 26;
        return step;
    }

    /** geohashBoundingBox: longitudes widen towards the pole side of the area. */
    void boundingBox() {
        double h = conversion * (box ? height / 2 : radius);
        double w = conversion * (box ? width / 2 : radius);
        double latDelta = radDeg(h / EARTH_RADIUS);
        double longDeltaTop = radDeg(w / EARTH_RADIUS / GeoMath.cos(degRad(lat + latDelta)));
        double longDeltaBottom = radDeg(w / EARTH_RADIUS / GeoMath.cos(degRad(lat - latDelta)));
        boolean south = lat < 0;
        bounds[0] = south ? lon - longDeltaBottom : lon - longDeltaTop;
        bounds[2] = south ? lon + longDeltaBottom : lon + longDeltaTop;
        bounds[1] = lat - latDelta;
        bounds[3] = lat + latDelta;
    }

    /**
     * geohashCalculateAreasByShapeWGS84: the centre's cell at the estimated step and its eight
     * neighbours; one step coarser when a neighbour does not reach the bounding box's edge; then
     * neighbours entirely beyond the box are dropped (step 0).
     */
    public void computeAreas() {
        boundingBox();
        double minLon = bounds[0], minLat = bounds[1], maxLon = bounds[2], maxLat = bounds[3];
        double radiusMeters = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        radiusMeters *= conversion;
        int steps = estimateSteps(radiusMeters, lat);
        long hash = GeoHash.encodeWGS84(lon, lat, steps);
        double[] a = new double[4];
        boolean decrease = false;
        if (GeoHash.decodeWGS84(GeoHash.moveY(hash, steps, 1), steps, a) && a[3] < maxLat) decrease = true;
        if (GeoHash.decodeWGS84(GeoHash.moveY(hash, steps, -1), steps, a) && a[2] > minLat) decrease = true;
        if (GeoHash.decodeWGS84(GeoHash.moveX(hash, steps, 1), steps, a) && a[1] < maxLon) decrease = true;
        if (GeoHash.decodeWGS84(GeoHash.moveX(hash, steps, -1), steps, a) && a[0] > minLon) decrease = true;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encodeWGS84(lon, lat, steps);
        }
        double[] area = new double[4];
        if (!GeoHash.decodeWGS84(hash, steps, area)) java.util.Arrays.fill(area, 0);
        neighbours(hash, steps);
        if (steps >= 2) {
            if (area[2] < minLat) zero(2, 8, 7); // south, south-west, south-east
            if (area[3] > maxLat) zero(1, 5, 6); // north, north-east, north-west
            if (area[0] < minLon) zero(4, 8, 6); // west, south-west, north-west
            if (area[1] > maxLon) zero(3, 7, 5); // east, south-east, north-east
        }
    }

    /** geohashNeighbors in the order membersOfAllNeighbors visits them. */
    private void neighbours(long h, int s) {
        cellBits[0] = h;
        cellBits[1] = GeoHash.moveY(h, s, 1);                        // north
        cellBits[2] = GeoHash.moveY(h, s, -1);                       // south
        cellBits[3] = GeoHash.moveX(h, s, 1);                        // east
        cellBits[4] = GeoHash.moveX(h, s, -1);                       // west
        cellBits[5] = GeoHash.moveY(GeoHash.moveX(h, s, 1), s, 1);   // north-east
        cellBits[6] = GeoHash.moveY(GeoHash.moveX(h, s, -1), s, 1);  // north-west
        cellBits[7] = GeoHash.moveY(GeoHash.moveX(h, s, 1), s, -1);  // south-east
        cellBits[8] = GeoHash.moveY(GeoHash.moveX(h, s, -1), s, -1); // south-west
        java.util.Arrays.fill(cellStep, s);
    }

    private void zero(int a, int b, int c) {
        cellBits[a] = cellBits[b] = cellBits[c] = 0;
        cellStep[a] = cellStep[b] = cellStep[c] = 0;
    }
}
