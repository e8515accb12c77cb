package io.ember.util;

import java.util.Comparator;

/**
 * The partial quicksort Redis uses for SORT ... BY ... LIMIT (pqsort.c, Bentley and McIlroy's
 * "Engineering a Sort Function" as in NetBSD's qsort, skipping partitions outside the wanted
 * range). Only positions {@code left..right} end up sorted.
 *
 * <p>It is reproduced step for step because it is not stable: when the comparison ties (ALPHA
 * with BY values that are equal or missing) the order Redis replies depends on exactly these
 * pivots and swaps, and a client comparing with Redis sees the same order only if Ember does
 * the same. Geo searches with COUNT sort with it too.
 */
public final class PartialQuickSort {
    private PartialQuickSort() {}

    /** Sorts {@code a[0..n)} enough that positions {@code left..right} hold what a full sort would put there. */
    public static <T> void sort(T[] a, int n, Comparator<? super T> cmp, long left, long right) {
        sort(a, 0, n, cmp, left, right);
    }

    private static <T> void sort(T[] a, int base, int n, Comparator<? super T> cmp, long left, long right) {
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
            boolean swapped = false;
            // [base+1, pa) and (pd, end] collect elements equal to the pivot, [pa, pb) smaller, (pc, pd] larger.
            int pa = base + 1, pb = pa, pc = base + n - 1, pd = pc;
            while (true) {
                int r;
                while (pb <= pc && (r = cmp.compare(a[pb], a[base])) <= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(a, pa++, pb);
                    }
                    pb++;
                }
                while (pb <= pc && (r = cmp.compare(a[pc], a[base])) >= 0) {
                    if (r == 0) {
                        swapped = true;
                        swap(a, pc, pd--);
                    }
                    pc--;
                }
                if (pb > pc) break;
                swap(a, pb++, pc--);
                swapped = true;
            }
            if (!swapped) { // already partitioned: finish by insertion, as the original does
                insertionSort(a, base, n, cmp);
                return;
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

    private static <T> void insertionSort(T[] a, int base, int n, Comparator<? super T> cmp) {
        for (int m = base + 1; m < base + n; m++) {
            for (int l = m; l > base && cmp.compare(a[l - 1], a[l]) > 0; l--) swap(a, l, l - 1);
        }
    }

    private static <T> int med3(T[] a, int i, int j, int k, Comparator<? super T> cmp) {
        return cmp.compare(a[i], a[j]) < 0
                ? (cmp.compare(a[j], a[k]) < 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? k : i))
                : (cmp.compare(a[j], a[k]) > 0 ? j : (cmp.compare(a[i], a[k]) < 0 ? i : k));
    }

    private static void swap(Object[] a, int i, int j) {
        Object t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    private static void swapRanges(Object[] a, int i, int j, int n) {
        for (int k = 0; k < n; k++) swap(a, i + k, j + k);
    }
}
