package org.hiddenactivity.projection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.hiddenactivity.core.FloatMatrix;
import org.junit.jupiter.api.Test;

/** The tiled exact kNN and its candidate pools against brute force. */
class NeighbourSearchTest {
    /** Small integer coordinates: every distance is exact in float, so ties are real ties; rows 0..39 repeated. */
    private static FloatMatrix integerPoints(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int e = 0; e < v.length; e++) {
            v[e] = r.nextInt(4);
        }
        for (int i = 0; i < 40; i++) {
            System.arraycopy(v, i * d, v, (n - 1 - i) * d, d);
        }
        return new FloatMatrix(n, d, v);
    }

    /** Row i's k nearest by (distance summed in double, index), the definition {@link Neighbours} promises. */
    private static int[] bruteForce(FloatMatrix x, int i, int k) {
        int n = x.rows();
        Integer[] order = new Integer[n - 1];
        double[] dist = new double[n];
        for (int j = 0, o = 0; j < n; j++) {
            dist[j] = SquaredDistances.exact(x, i, j);
            if (j != i) {
                order[o++] = j;
            }
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> dist[j]).thenComparingInt(j -> j));
        int[] out = new int[k];
        for (int e = 0; e < k; e++) {
            out[e] = order[e];
        }
        return out;
    }

    @Test
    void tiledSearchIsTheBruteForceListAcrossTilesWithTiesAndDuplicates() {
        // 2600 rows: two full tiles of 1024 and a partial one, so diagonal, off-diagonal and ragged tiles all occur
        FloatMatrix x = integerPoints(2600, 6, 3);
        int k = 25;
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(x, k, w);
            for (int i = 0; i < x.rows(); i += 7) {
                assertArrayEquals(bruteForce(x, i, k), Arrays.copyOfRange(nb.index(), i * k, (i + 1) * k), "row " + i);
            }
            // a repeated row finds its twin at distance exactly 0 (other random duplicates may come first)
            boolean twin = false;
            for (int e = 0; e < k && nb.sqDistances()[e] == 0f; e++) {
                twin |= nb.index()[e] == x.rows() - 1;
            }
            assertTrue(twin);
        }
    }

    @Test
    void tiledSearchGivesTheSameListsForAnyThreadCount() {
        FloatMatrix x = TestData.gaussian(2300, 40, 11);
        Neighbours one;
        Neighbours two;
        Neighbours three;
        try (Workers w = new Workers(1)) {
            one = Neighbours.of(x, 30, w);
        }
        try (Workers w = new Workers(2)) {
            two = Neighbours.of(x, 30, w);
        }
        try (Workers w = new Workers(3)) {
            three = Neighbours.of(x, 30, w);
        }
        assertArrayEquals(one.index(), two.index());
        assertArrayEquals(one.index(), three.index());
        assertArrayEquals(one.sqDistances(), three.sqDistances());
    }

    @Test
    void candidatePoolsKeepTheKSmallestWhateverTheOrderOfArrival() {
        Random r = new Random(5);
        int n = 3000;
        int k = 40;
        float[] d = new float[n];
        for (int j = 0; j < n; j++) {
            d[j] = r.nextInt(500); // many ties, resolved by index
        }
        Integer[] order = new Integer[n - 1];
        for (int j = 0, o = 0; j < n; j++) {
            if (j != 17) {
                order[o++] = j;
            }
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> d[j]).thenComparingInt(j -> j));
        CandidatePools pools = new CandidatePools(2, k);
        // offered in pieces of random length, pieces in a random order, self (17) among them
        int[] starts = {0, 700, 701, 1500, 2999};
        int[] ends = {700, 701, 1500, 2999, 3000};
        for (int piece : new int[] {3, 0, 4, 2, 1}) {
            pools.offer(1, 17, d, starts[piece], ends[piece] - starts[piece], starts[piece]);
        }
        int[] index = new int[k];
        float[] dist = new float[k];
        pools.finish(1, index, dist, 0);
        for (int e = 0; e < k; e++) {
            assertEquals(order[e], index[e], "place " + e);
            assertEquals(d[order[e]], dist[e]);
        }
    }

    @Test
    void keepSmallestLeavesTheMSmallestKeysWithTheirLargestAtPlaceMMinus1() {
        Random r = new Random(9);
        for (int len : new int[] {1, 2, 3, 17, 180, 1023}) {
            long[] a = new long[len];
            for (int e = 0; e < len; e++) {
                a[e] = CandidatePools.key(r.nextInt(20), r.nextInt(1_000_000));
            }
            long[] sorted = a.clone();
            Arrays.sort(sorted);
            int m = 1 + r.nextInt(len);
            CandidatePools.keepSmallest(a, 0, len, m);
            assertEquals(sorted[m - 1], a[m - 1], "length " + len);
            long[] head = Arrays.copyOf(a, m);
            Arrays.sort(head);
            assertArrayEquals(Arrays.copyOf(sorted, m), head, "length " + len);
        }
        // keys order by distance, then index
        assertTrue(CandidatePools.key(1f, 5) < CandidatePools.key(1f, 6));
        assertTrue(CandidatePools.key(1f, Integer.MAX_VALUE) < CandidatePools.key(1.0000001f, 0));
        assertTrue(CandidatePools.key(0f, 3) < CandidatePools.key(Float.MIN_VALUE, 0));
    }

    @Test
    void constantColumnsAreSkippedWithoutChangingTheLists() {
        // integer points (exact distances) with three constant columns put between the others
        FloatMatrix base = integerPoints(1500, 6, 8);
        float[] v = new float[1500 * 9];
        for (int i = 0; i < 1500; i++) {
            for (int c = 0, o = 0; c < 9; c++) {
                v[i * 9 + c] = c % 3 == 1 ? 2.5f : base.data()[i * 6 + o++];
            }
        }
        FloatMatrix x = new FloatMatrix(1500, 9, v);
        FloatMatrix reduced = Neighbours.withoutConstantColumns(x);
        assertEquals(6, reduced.cols());
        assertArrayEquals(base.data(), reduced.data());
        assertTrue(Neighbours.withoutConstantColumns(base) == base, "nothing to drop: the same matrix");
        try (Workers w = new Workers(2)) {
            Neighbours nb = Neighbours.of(x, 20, w);
            assertArrayEquals(Neighbours.of(base, 20, w).index(), nb.index());
            for (int i = 0; i < 1500; i += 11) {
                assertArrayEquals(bruteForce(x, i, 20), Arrays.copyOfRange(nb.index(), i * 20, (i + 1) * 20));
                assertEquals(SquaredDistances.exact(x, i, nb.index()[i * 20]), nb.sqDistances()[i * 20]);
            }
        }
        // every column constant: one is kept, all distances are 0
        FloatMatrix flat = new FloatMatrix(50, 3, new float[150]);
        assertEquals(1, Neighbours.withoutConstantColumns(flat).cols());
        try (Workers w = new Workers(1)) {
            Neighbours nb = Neighbours.of(flat, 5, w);
            for (float d : nb.sqDistances()) {
                assertEquals(0f, d);
            }
            assertArrayEquals(new int[] {1, 2, 3, 4, 5}, Arrays.copyOfRange(nb.index(), 0, 5), "ties by index");
        }
    }
}
