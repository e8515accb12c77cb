package io.ember.util;

import java.util.Comparator;

/**
 * The partial quicksort Redis uses for SORT ... BY ... LIMIT and for GEOSEARCH/GEORADIUS ...
 * COUNT (pqsort.c: Bentley and McIlroy's "Engineering a Sort Function" as in NetBSD's qsort,
 * skipping partitions outside the wanted range). Only positions {@code left..right} end up sorted.
 *
 * <p>It is reproduced step for step because it is not stable: when the comparison ties (ALPHA
 * with BY values that are equal or missing, members at equal distances) the order Redis replies
 * depends on exactly these pivots and swaps. Unlike NetBSD's and FreeBSD's qsort, Redis's copy has
 * no "no swaps: finish by insertion sort" shortcut, so neither does this one.
 *
 * <p>The work is done on an {@code int[]} of indexes with an {@link IntComparator}, so callers
 * sorting parallel arrays need no boxing.
 */
public final class PartialQuickSort {
    private PartialQuickSort() {}

    /** Compares the elements at two indexes (negative, zero or positive, as a Comparator). */
    @FunctionalInterface
    public interface IntComparator {
        int compare(int a, int b);
    }

    /** Sorts {@code a[0..n)} enough that positions {@code left..right} hold what a full sort would put there. */
    public static <T> void sort(T[] a, int n, Comparator<? super T> cmp, long left, long right) {
        Object[] copy = java.util.Arrays.copyOf(a, n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        @SuppressWarnings("unchecked")
        IntComparator byIndex = (i, j) -> cmp.compare((T) copy[i], (T) copy[j]);
        sort(idx, n, byIndex, left, right);
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            T t = (T) copy[idx[i]];
            a[i] = t;
        }
    }

    /** The same on values compared by {@code cmp} (typically indexes into the caller's arrays). */
    public static void sort(int[] a, int n, IntComparator cmp, long left, long right) {
        sort(a, 0, n, cmp, left, right);
    }

    private static void sort(int[] a, int base, int n, IntComparator cmp, long left, long right) {
        while (true) {
            if (n < 7) {
                insertionSort(a, base, n, cmp);
                return;
            }
            int pm = base + n / 2;
            if (n > 7) {
                int pl = base, pn = base + n - 1;
                if (n > 40) { // pseudo-median of nine
                    int d = n / 8;
                    pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
                    pm = med3(a, pm - d, pm, pm + d, cmp);
                    pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
                }
                pm = med3(a, pl, pm, pn, cmp);
            }
            swap(a, base, pm); // the pivot lives at a[base] while partitioning
            // [base+1, pa) and (pd, end] collect elements equal to the pivot, [pa, pb) smaller, (pc, pd] larger.
            int pa = base + 1, pb = pa, pc = base + n - 1, pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) swap(a, pa++, pb);
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) swap(a, pc, pd--);
                    pc--;
                }
                if (pb > pc) break;
                swap(a, pb++, pc--);
            }
            int end = base + n;
            int r = Math.min(pa - base, pb - pa);
            swapRanges(a, base, pb - r, r);
            r = Math.min(pd - pc, end - pd - 1);
            swapRanges(a, pb, end - r, r);
            r = pb - pa; // the smaller part, now at the front
            if (r > 1 && overlaps(base, base + r - 1, left, right)) sort(a, base, r, cmp, left, right);
            r = pd - pc; // the larger part, now at the back: iterate rather than recurse
            if (r > 1 && overlaps(end - r, end - 1, left, right)) {
                base = end - r;
                n = r;
                continue;
            }
            return;
        }
    }

    /** pqsort skips a part only when both ends of the range lie on the same side of it. */
    private static boolean overlaps(int lo, int hi, long left, long right) {
        return !((left < lo && right < lo) || (left > hi && right > hi));
    }

    private static void insertionSort(int[] a, int base, int n, IntComparator cmp) {
        for (int m = base + 1; m < base + n; m++) {
            for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) swap(a, l, l - 1);
        }
    }

    private static int med3(int[] a, int i, int j, int k, IntComparator cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void swapRanges(int[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) swap(a, i + k, j + k);
    }
}
