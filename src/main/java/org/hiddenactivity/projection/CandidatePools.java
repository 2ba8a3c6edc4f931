package org.hiddenactivity.projection;

import java.util.Arrays;

/**
 * The k nearest candidates of many rows at once, fed in arbitrary pieces (tiles of a distance matrix): for each row
 * ("slot") a pool of up to 2k candidates and a limit, the k-th best seen at the last compaction. A candidate that
 * does not beat the limit cannot be among the k best and is dropped after one comparison; one that does is appended;
 * a full pool is cut back to its k best by quickselect. Appends are cheap where a bounded heap sifts about
 * k ln(n / k) times per row (the larger cost of the heap search, measured at k = 90). Order: distance, then the
 * smaller index, whatever order the candidates come in.
 * <p>
 * A candidate is stored as one long, the distance's float bits above the index: for the non-negative distances of
 * {@link SquaredDistances} the bits order like the values, so one long comparison applies both keys.
 */
final class CandidatePools {
    private final int k;
    private final int capacity;
    private final long[] pool;
    private final int[] count;
    private final long[] limit;

    CandidatePools(int slots, int k) {
        this.k = k;
        this.capacity = 2 * k;
        pool = new long[Math.multiplyExact(slots, capacity)];
        count = new int[slots];
        limit = new long[slots];
        Arrays.fill(limit, Long.MAX_VALUE);
    }

    /** The candidate (distance, index) as one ordered key; distance must be &gt;= 0 (or +0.0). */
    static long key(float distance, int index) {
        return ((long) Float.floatToRawIntBits(distance) << 32) | index;
    }

    /** Offers candidates first .. first + len - 1 with distances buf[off ..) to a slot, skipping {@code self}. */
    void offer(int slot, int self, float[] buf, int off, int len, int first) {
        if (count[slot] == 0 && len > capacity) {
            // an empty pool's first long piece: one quickselect over it instead of a compaction every k appends
            firstPiece(slot, self, buf, off, len, first);
            return;
        }
        offerColumn(slot, self, buf, off, 1, len, first);
    }

    /**
     * Offers candidates first .. first + len - 1 with distances buf[off + r * stride] (stride 1: a row of a tile;
     * the tile's width: a column, read in place), skipping {@code self}.
     */
    void offerColumn(int slot, int self, float[] buf, int off, int stride, int len, int first) {
        int base = slot * capacity;
        int c = count[slot];
        long lim = limit[slot];
        float t = Float.intBitsToFloat((int) (lim >>> 32));
        if (lim == Long.MAX_VALUE) {
            t = Float.POSITIVE_INFINITY;
        }
        for (int r = 0, at = off; r < len; r++, at += stride) {
            float v = buf[at];
            // the cheap test first: almost every candidate is farther than the limit
            if (v <= t) {
                int cand = first + r;
                long key = key(v, cand);
                if (key < lim && cand != self) {
                    pool[base + c] = key;
                    if (++c == capacity) {
                        keepSmallest(pool, base, capacity, k);
                        c = k;
                        lim = pool[base + k - 1];
                        t = Float.intBitsToFloat((int) (lim >>> 32));
                    }
                }
            }
        }
        count[slot] = c;
        limit[slot] = lim;
    }

    /** Each thread's copy of a first piece, for {@link #firstPiece}. */
    private static final ThreadLocal<long[][]> PIECE = ThreadLocal.withInitial(() -> new long[1][0]);

    private void firstPiece(int slot, int self, float[] buf, int off, int len, int first) {
        long[][] holder = PIECE.get();
        if (holder[0].length < len) {
            holder[0] = new long[len];
        }
        long[] keys = holder[0];
        int m = 0;
        for (int j = 0; j < len; j++) {
            if (first + j != self) {
                keys[m++] = key(buf[off + j], first + j);
            }
        }
        int keep = Math.min(k, m);
        if (m > keep) {
            keepSmallest(keys, 0, m, keep);
        }
        System.arraycopy(keys, 0, pool, slot * capacity, keep);
        count[slot] = keep;
        if (keep == k) {
            limit[slot] = keys[k - 1];
        }
    }

    /**
     * Writes the slot's k best ascending by (distance, index) into outIndex/outDist at {@code out}.
     *
     * @throws IllegalStateException when fewer than k candidates were offered
     */
    void finish(int slot, int[] outIndex, float[] outDist, int out) {
        int base = slot * capacity;
        int c = count[slot];
        if (c < k) {
            throw new IllegalStateException(c + " candidates for " + k + " neighbours");
        }
        if (c > k) {
            keepSmallest(pool, base, c, k);
        }
        Arrays.sort(pool, base, base + k);
        for (int e = 0; e < k; e++) {
            long key = pool[base + e];
            outDist[out + e] = Float.intBitsToFloat((int) (key >>> 32));
            outIndex[out + e] = (int) key;
        }
    }

    /**
     * Rearranges a[base, base + count) so that its first m places hold its m smallest keys and place m - 1 the
     * largest of them (quickselect, median of three).
     */
    static void keepSmallest(long[] a, int base, int count, int m) {
        int lo = base;
        int hi = base + count - 1;
        int nth = base + m - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three to a[mid], then a[lo] <= a[mid] <= a[hi]
            if (a[lo] > a[mid]) {
                swap(a, lo, mid);
            }
            if (a[mid] > a[hi]) {
                swap(a, mid, hi);
                if (a[lo] > a[mid]) {
                    swap(a, lo, mid);
                }
            }
            long pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (nth <= j) {
                hi = j;
            } else if (nth >= i) {
                lo = i;
            } else {
                break;
            }
        }
    }

    private static void swap(long[] a, int x, int y) {
        long t = a[x];
        a[x] = a[y];
        a[y] = t;
    }
}
