package org.hiddenactivity.bundling;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.hiddenactivity.core.HavException;

/**
 * Kernel density estimation-based edge bundling (KDEEB; Hurter, Ersoy, Telea, "Graph Bundling by Kernel
 * Density Estimation", EuroVis 2012), in the shape of datashader's {@code hammer_bundle}: normalise,
 * resample, then per round and per group: splat the group's points into a density image, blur it with a
 * Gaussian kernel that shrinks every round (OpenCV), take its gradient (Sobel), move every interior point up
 * the gradient (mean shift, capped at a step), pull it back towards its unbundled position if asked, smooth (Laplacian),
 * resample; finally denormalise. End points never move. Written here: no bundling library is on Maven Central.
 */
public final class Kdeeb {
    /** Margin around the unit square in the density image, so trails near the border still see both slopes. */
    private static final double PAD = 0.1;
    /** Mean-shift sub-steps per round (datashader advects many small steps per blur, for the same reason). */
    private static final int SUB_STEPS = 4;

    private Kdeeb() {}

    /**
     * Bundled trails with, for every point, its position along the original trail in vertex units scaled to
     * [0, 1] (0 = first vertex, 1 = last; for trails through layers: the depth).
     */
    public record Bundled(List<float[]> trails, List<float[]> depths) {}

    /**
     * Bundles {@code trails} (each [x0, y0, x1, y1, ...], at least 2 points) separately per value of
     * {@code groups} (one entry per trail, e.g. the class). The input is never modified; the output trails
     * are new arrays (resampled: their point counts differ from the input's) with identical end points.
     */
    public static List<float[]> bundle(List<float[]> trails, int[] groups, BundlingParameters p) {
        return bundleWithDepth(trails, groups, p).trails();
    }

    /** As {@link #bundle}, also returning each point's depth along its trail (for brightness ramps). */
    public static Bundled bundleWithDepth(List<float[]> trails, int[] groups, BundlingParameters p) {
        validate(trails, groups);
        int count = trails.size();
        List<float[]> outTrails = new ArrayList<>(count);
        List<float[]> outDepths = new ArrayList<>(count);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (float[] t : trails) {
            for (int k = 0; k < t.length; k += 2) {
                minX = Math.min(minX, t[k]);
                maxX = Math.max(maxX, t[k]);
                minY = Math.min(minY, t[k + 1]);
                maxY = Math.max(maxY, t[k + 1]);
            }
        }
        double span = Math.max(maxX - minX, maxY - minY);
        if (!p.enabled() || p.iterations() == 0 || count == 0 || !(span > 0)) {
            for (float[] t : trails) {
                outTrails.add(t.clone());
                outDepths.add(vertexDepths(t.length / 2));
            }
            return new Bundled(outTrails, outDepths);
        }
        // Normalised working copies: (x - minX) / span, so the larger side spans [0, 1].
        Trail[] work = new Trail[count];
        Trail[] original = new Trail[count];
        for (int i = 0; i < count; i++) {
            float[] t = trails.get(i);
            int m = t.length / 2;
            double[] x = new double[m];
            double[] y = new double[m];
            for (int k = 0; k < m; k++) {
                x[k] = (t[2 * k] - minX) / span;
                y[k] = (t[2 * k + 1] - minY) / span;
            }
            original[i] = new Trail(x, y, toDouble(vertexDepths(m)));
            work[i] = resample(original[i], p.resampleStep());
        }
        TreeMap<Integer, List<Integer>> byGroup = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            byGroup.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        int res = p.resolution();
        double scale = res / (1 + 2 * PAD);
        // Groups never interact (each is bundled on its own density), so they run in parallel; each writes
        // only its own trails, and the result does not depend on scheduling.
        byGroup.values().parallelStream().forEach(members -> bundleGroup(members, work, original, p, scale));
        for (int i = 0; i < count; i++) {
            Trail t = work[i];
            int m = t.x.length;
            float[] out = new float[2 * m];
            float[] depth = new float[m];
            for (int k = 0; k < m; k++) {
                out[2 * k] = (float) (t.x[k] * span + minX);
                out[2 * k + 1] = (float) (t.y[k] * span + minY);
                depth[k] = (float) t.depth[k];
            }
            // End points are copied bit for bit: denormalising could round them.
            float[] in = trails.get(i);
            out[0] = in[0];
            out[1] = in[1];
            out[2 * m - 2] = in[in.length - 2];
            out[2 * m - 1] = in[in.length - 1];
            outTrails.add(out);
            outDepths.add(depth);
        }
        return new Bundled(outTrails, outDepths);
    }

    /** All rounds for the trails of one group (indices into {@code work}, replaced by their bundled versions). */
    private static void bundleGroup(List<Integer> members, Trail[] work, Trail[] original, BundlingParameters p,
                                    double scale) {
        int res = p.resolution();
        float[] density = new float[res * res];
        float[] gx = new float[res * res];
        float[] gy = new float[res * res];
        float[] blurred = new float[res * res];
        double bandwidth = p.initialBandwidth();
        for (int round = 0; round < p.iterations(); round++) {
            double move = p.step() * bandwidth;
            Arrays.fill(density, 0f);
            for (int i : members) {
                splat(work[i], density, res, scale);
            }
            double sigma = Math.max(bandwidth * scale, 0.5);
            gradient(density, blurred, gx, gy, res, sigma);
            // Smoothing reaches about as far as the kernel: sqrt(passes) points ~ bandwidth / spacing.
            int passes = Math.max(1, (int) Math.round(0.5 * bandwidth / p.resampleStep()));
            for (int i : members) {
                Trail t = work[i];
                advect(t, blurred, gx, gy, res, scale, sigma, move);
                if (p.vertexAnchoring() > 0) {
                    anchor(t, original[i], p.vertexAnchoring());
                }
                for (int pass = 0; pass < passes; pass++) {
                    smooth(t, p.smoothing());
                }
                work[i] = resample(t, p.resampleStep());
            }
            bandwidth *= p.decay();
        }
    }

    /** Sum of the polyline lengths: the "ink" that bundling should reduce. */
    public static double totalLength(List<float[]> trails) {
        double total = 0;
        for (float[] t : trails) {
            for (int k = 2; k + 1 < t.length; k += 2) {
                total += Math.hypot(t[k] - t[k - 2], t[k + 1] - t[k - 1]);
            }
        }
        return total;
    }

    private static void validate(List<float[]> trails, int[] groups) {
        if (trails == null || groups == null) {
            throw new IllegalArgumentException("trails and groups must not be null");
        }
        if (groups.length != trails.size()) {
            throw new HavException("bundling", trails.size() + " trails but " + groups.length + " group labels",
                    "pass one group (class) per trail");
        }
        for (int i = 0; i < trails.size(); i++) {
            float[] t = trails.get(i);
            if (t == null || t.length < 4 || t.length % 2 != 0) {
                throw new HavException("bundling", "trail " + i + " has " + (t == null ? "no" : t.length)
                        + " coordinates", "each trail needs x, y pairs for at least 2 points");
            }
            for (float v : t) {
                if (!Float.isFinite(v)) {
                    throw new HavException("bundling", "trail " + i + " has a non-finite coordinate",
                            "check the projection for NaN");
                }
            }
        }
    }

    private static float[] vertexDepths(int m) {
        float[] d = new float[m];
        for (int k = 0; k < m; k++) {
            d[k] = m == 1 ? 0f : (float) k / (m - 1);
        }
        return d;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** A trail in normalised coordinates, with each point's depth along the original trail. */
    private record Trail(double[] x, double[] y, double[] depth) {}

    /** Points at equal arc-length spacing (about {@code step}), keeping both end points; depth interpolated. */
    static Trail resample(Trail t, double step) {
        int m = t.x.length;
        double[] cum = new double[m];
        for (int k = 1; k < m; k++) {
            cum[k] = cum[k - 1] + Math.hypot(t.x[k] - t.x[k - 1], t.y[k] - t.y[k - 1]);
        }
        double length = cum[m - 1];
        int segments = Math.max(1, (int) Math.round(length / step));
        double[] x = new double[segments + 1];
        double[] y = new double[segments + 1];
        double[] depth = new double[segments + 1];
        x[0] = t.x[0];
        y[0] = t.y[0];
        depth[0] = t.depth[0];
        int k = 1;
        for (int s = 1; s < segments; s++) {
            double target = length * s / segments;
            while (k < m - 1 && cum[k] < target) {
                k++;
            }
            double seg = cum[k] - cum[k - 1];
            double f = seg > 0 ? (target - cum[k - 1]) / seg : 0;
            x[s] = t.x[k - 1] + f * (t.x[k] - t.x[k - 1]);
            y[s] = t.y[k - 1] + f * (t.y[k] - t.y[k - 1]);
            depth[s] = t.depth[k - 1] + f * (t.depth[k] - t.depth[k - 1]);
        }
        x[segments] = t.x[m - 1];
        y[segments] = t.y[m - 1];
        depth[segments] = t.depth[m - 1];
        return new Trail(x, y, depth);
    }

    /** Adds each point to the 4 pixels around it (bilinear weights). Pixel (i, j) has its centre at i + 0.5. */
    private static void splat(Trail t, float[] density, int res, double scale) {
        for (int k = 0; k < t.x.length; k++) {
            double fx = (t.x[k] + PAD) * scale - 0.5;
            double fy = (t.y[k] + PAD) * scale - 0.5;
            int ix = (int) Math.floor(fx);
            int iy = (int) Math.floor(fy);
            double ax = fx - ix;
            double ay = fy - iy;
            add(density, res, ix, iy, (1 - ax) * (1 - ay));
            add(density, res, ix + 1, iy, ax * (1 - ay));
            add(density, res, ix, iy + 1, (1 - ax) * ay);
            add(density, res, ix + 1, iy + 1, ax * ay);
        }
    }

    private static void add(float[] img, int res, int x, int y, double w) {
        if (x >= 0 && y >= 0 && x < res && y < res) {
            img[y * res + x] += (float) w;
        }
    }

    /** Gaussian blur (sigma in pixels) and Sobel derivatives of the density, by OpenCV. */
    private static void gradient(float[] density, float[] blur, float[] gx, float[] gy, int res, double sigma) {
        try (Mat src = new Mat(res, res, CV_32F);
             Mat blurred = new Mat();
             Mat dx = new Mat();
             Mat dy = new Mat();
             Size auto = new Size(0, 0)) {
            try (FloatPointer in = new FloatPointer(src.data())) {
                in.put(density);
            }
            opencv_imgproc.GaussianBlur(src, blurred, auto, sigma);
            // Sobel 3x3 weighs the central difference by 8; scaled so gx, gy are per-pixel derivatives.
            opencv_imgproc.Sobel(blurred, dx, CV_32F, 1, 0, 3, 0.125, 0, org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT);
            opencv_imgproc.Sobel(blurred, dy, CV_32F, 0, 1, 3, 0.125, 0, org.bytedeco.opencv.global.opencv_core.BORDER_DEFAULT);
            try (FloatPointer px = new FloatPointer(dx.data()); FloatPointer py = new FloatPointer(dy.data());
                 FloatPointer pb = new FloatPointer(blurred.data())) {
                px.get(gx);
                py.get(gy);
                pb.get(blur);
            }
        }
    }

    /**
     * Moves interior points up the density gradient: by the mean-shift vector sigma^2 grad(rho) / rho (which
     * lands on the kernel-weighted mean of the neighbours, so points do not overshoot a bundle's ridge and
     * jitter), capped at {@code move} (the KDEEB step along the normalised gradient).
     */
    private static void advect(Trail t, float[] rho, float[] gx, float[] gy, int res, double scale, double sigma,
                               double move) {
        int m = t.x.length;
        for (int k = 1; k < m - 1; k++) {
            for (int sub = 0; sub < SUB_STEPS; sub++) {
                double fx = (t.x[k] + PAD) * scale - 0.5;
                double fy = (t.y[k] + PAD) * scale - 0.5;
                double vx = sample(gx, res, fx, fy);
                double vy = sample(gy, res, fx, fy);
                double norm = Math.sqrt(vx * vx + vy * vy);
                double density = sample(rho, res, fx, fy);
                if (norm <= 1e-12 || density <= 1e-12) {
                    break;
                }
                double shift = Math.min(move / SUB_STEPS, sigma * sigma * norm / density / scale);
                t.x[k] += shift * vx / norm;
                t.y[k] += shift * vy / norm;
            }
        }
    }

    private static double sample(float[] img, int res, double fx, double fy) {
        fx = Math.max(0, Math.min(res - 1.000001, fx));
        fy = Math.max(0, Math.min(res - 1.000001, fy));
        int ix = (int) fx;
        int iy = (int) fy;
        double ax = fx - ix;
        double ay = fy - iy;
        int o = iy * res + ix;
        return (1 - ay) * ((1 - ax) * img[o] + ax * img[o + 1]) + ay * ((1 - ax) * img[o + res] + ax * img[o + res + 1]);
    }

    /** Pulls each interior point towards the unbundled trail's position at the same depth. */
    private static void anchor(Trail t, Trail original, double weight) {
        int m0 = original.x.length;
        for (int k = 1; k < t.x.length - 1; k++) {
            double pos = t.depth[k] * (m0 - 1);
            int v = Math.min((int) Math.floor(pos), m0 - 2);
            double f = pos - v;
            double ox = original.x[v] + f * (original.x[v + 1] - original.x[v]);
            double oy = original.y[v] + f * (original.y[v + 1] - original.y[v]);
            t.x[k] += weight * (ox - t.x[k]);
            t.y[k] += weight * (oy - t.y[k]);
        }
    }

    /** One Jacobi pass of Laplacian smoothing of the interior points (never lengthens the polyline). */
    private static void smooth(Trail t, double s) {
        int m = t.x.length;
        if (s == 0 || m < 3) {
            return;
        }
        double px = t.x[0];
        double py = t.y[0];
        for (int k = 1; k < m - 1; k++) {
            double cx = t.x[k];
            double cy = t.y[k];
            t.x[k] = (1 - s) * cx + s * 0.5 * (px + t.x[k + 1]);
            t.y[k] = (1 - s) * cy + s * 0.5 * (py + t.y[k + 1]);
            px = cx;
            py = cy;
        }
    }
}
