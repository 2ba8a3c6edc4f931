package org.hiddenactivity.bundling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;

class KdeebTest {
    /** Trails through 5 "layers" (x = 0, 25, 50, 75, 100) with jittered y, two groups at different heights. */
    private static List<float[]> zigzag(int perGroup, int[] groups, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> trails = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < perGroup; i++) {
                float[] t = new float[10];
                for (int v = 0; v < 5; v++) {
                    t[2 * v] = 25f * v + (float) rng.nextGaussian();
                    t[2 * v + 1] = 60f * g + (float) (15 * rng.nextGaussian());
                }
                groups[trails.size()] = g;
                trails.add(t);
            }
        }
        return trails;
    }

    private static List<float[]> deepCopy(List<float[]> trails) {
        List<float[]> c = new ArrayList<>();
        for (float[] t : trails) {
            c.add(t.clone());
        }
        return c;
    }

    /** Mean distance of each trail's point at mid-length (x = 50 layer) to the group's mean there. */
    private static double spreadAtMiddle(List<float[]> trails, int[] groups, int group) {
        List<double[]> mids = new ArrayList<>();
        for (int i = 0; i < trails.size(); i++) {
            if (groups[i] != group) {
                continue;
            }
            float[] t = trails.get(i);
            int m = t.length / 2;
            int k = m / 2;
            mids.add(new double[] {t[2 * k], t[2 * k + 1]});
        }
        double mx = mids.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = mids.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        return mids.stream().mapToDouble(p -> Math.hypot(p[0] - mx, p[1] - my)).average().orElseThrow();
    }

    @Test
    void bundlingShortensInkKeepsEndPointsAndDoesNotMutateInput() {
        int[] groups = new int[120];
        List<float[]> trails = zigzag(60, groups, 1);
        List<float[]> before = deepCopy(trails);
        int[] groupsBefore = groups.clone();
        Kdeeb.Bundled out = Kdeeb.bundleWithDepth(trails, groups, BundlingParameters.defaults());
        List<float[]> bundled = out.trails();
        for (int i = 0; i < trails.size(); i++) {
            assertArrayEquals(before.get(i), trails.get(i), 0f, "input trail " + i + " changed");
            float[] in = trails.get(i);
            float[] b = bundled.get(i);
            assertNotSame(in, b);
            assertEquals(in[0], b[0], 0f);
            assertEquals(in[1], b[1], 0f);
            assertEquals(in[in.length - 2], b[b.length - 2], 0f);
            assertEquals(in[in.length - 1], b[b.length - 1], 0f);
            float[] depth = out.depths().get(i);
            assertEquals(b.length / 2, depth.length);
            assertEquals(0f, depth[0], 0f);
            assertEquals(1f, depth[depth.length - 1], 0f);
        }
        assertArrayEquals(groupsBefore, groups);
        double inkBefore = Kdeeb.totalLength(trails);
        double inkAfter = Kdeeb.totalLength(bundled);
        assertTrue(inkAfter < 0.95 * inkBefore, "ink " + inkBefore + " -> " + inkAfter);
        // Trails of a group gather: their middles come closer together.
        for (int g = 0; g < 2; g++) {
            double s0 = spreadAtMiddle(trails, groups, g);
            double s1 = spreadAtMiddle(bundled, groups, g);
            assertTrue(s1 < 0.7 * s0, "group " + g + " spread " + s0 + " -> " + s1);
        }
    }

    @Test
    void deterministic() {
        int[] groups = new int[60];
        List<float[]> trails = zigzag(30, groups, 4);
        List<float[]> a = Kdeeb.bundle(trails, groups, BundlingParameters.defaults());
        List<float[]> b = Kdeeb.bundle(trails, groups, BundlingParameters.defaults());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f);
        }
    }

    @Test
    void offIsTheIdentityOnCopies() {
        int[] groups = new int[20];
        List<float[]> trails = zigzag(10, groups, 2);
        for (BundlingParameters p : List.of(BundlingParameters.off(), BundlingParameters.defaults().withIterations(0))) {
            List<float[]> out = Kdeeb.bundle(trails, groups, p);
            assertEquals(trails.size(), out.size());
            for (int i = 0; i < trails.size(); i++) {
                assertArrayEquals(trails.get(i), out.get(i), 0f);
                assertNotSame(trails.get(i), out.get(i));
            }
        }
    }

    @Test
    void fullAnchoringKeepsTrailsOnTheirOriginalPath() {
        int[] groups = new int[40];
        List<float[]> trails = zigzag(20, groups, 3);
        List<float[]> out = Kdeeb.bundle(trails, groups,
                BundlingParameters.defaults().withVertexAnchoring(1.0).withIterations(3));
        // Resampled along the same polyline, smoothing only cuts corners: ink cannot grow.
        assertTrue(Kdeeb.totalLength(out) <= Kdeeb.totalLength(trails) * 1.0001);
    }

    @Test
    void degenerateAndBadInput() {
        List<float[]> same = List.of(new float[] {3, 3, 3, 3}, new float[] {3, 3, 3, 3, 3, 3});
        List<float[]> out = Kdeeb.bundle(same, new int[] {0, 0}, BundlingParameters.defaults());
        assertArrayEquals(same.get(1), out.get(1), 0f);
        assertThrows(HavException.class, () -> Kdeeb.bundle(same, new int[] {0}, BundlingParameters.defaults()));
        assertThrows(HavException.class,
                () -> Kdeeb.bundle(List.of(new float[] {1, 2}), new int[] {0}, BundlingParameters.defaults()));
        assertThrows(HavException.class, () -> Kdeeb.bundle(List.of(new float[] {1, 2, Float.NaN, 0}), new int[] {0},
                BundlingParameters.defaults()));
        assertThrows(IllegalArgumentException.class, () -> BundlingParameters.defaults().withResolution(3));
    }
}
