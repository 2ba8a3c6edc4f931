package org.hiddenactivity.render;

import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.hiddenactivity.core.HavException;

/**
 * Trails (one polyline per observation through layers or epochs) drawn ADDITIVELY into a floating-point image
 * and tone-mapped, so that dense bundles keep their hue and do not clip to white. Hue = class, brightness =
 * depth along the trail (dark = first layer / epoch, bright = last); optionally later segments more opaque
 * (the notebook's unbundled {@code show_trace}). Title, legend and note are drawn with OpenCV.
 *
 * <p>The lines are rasterised here, anti-aliased by coverage of a box-filtered segment, because OpenCV's
 * LINE_AA only anti-aliases 8-bit images and its drawing replaces pixels instead of adding to them.
 */
public final class TrailPlot {
    private static final Palette.Rgb BACKGROUND = new Palette.Rgb(12, 12, 16);
    private static final Palette.Rgb INK = new Palette.Rgb(225, 225, 225);

    private TrailPlot() {}

    /**
     * @param size        side of the square image in pixels (default 2048, 16..8192)
     * @param title       printed at the top
     * @param classNames  legend name of class c at index c (missing: the class number)
     * @param note        printed under the plot (e.g. alignment and bundling used)
     * @param lineWidth   line width in pixels, 0 = automatic (size / 1000, at least 1)
     * @param opacityRamp true: segment opacity grows with depth, 0.2 at the first to 1 at the last (unbundled
     *                    trace); false: all segments opaque (default false)
     * @param exposure    tone mapping: brightness = log(1 + A / exposure) / log(1 + max A / exposure) where A is
     *                    the accumulated coverage (1 = one opaque line); smaller shows single trails brighter
     *                    (default 0.05, > 0)
     * @param depthLabel  what depth means, for the legend (default "layer")
     */
    public record Options(int size, String title, List<String> classNames, String note, double lineWidth,
                          boolean opacityRamp, double exposure, String depthLabel) {
        public Options {
            Figure.checkSize(size, size);
            title = title == null ? "" : title;
            classNames = classNames == null ? List.of() : List.copyOf(classNames);
            note = note == null ? "" : note;
            depthLabel = depthLabel == null || depthLabel.isEmpty() ? "layer" : depthLabel;
            if (!(lineWidth >= 0) || !(exposure > 0)) {
                throw new IllegalArgumentException("need lineWidth >= 0 and exposure > 0, got " + lineWidth + ", "
                        + exposure);
            }
        }

        public static Options defaults(String title) {
            return new Options(Figure.DEFAULT_SIZE, title, List.of(), "", 0, false, 0.05, "layer");
        }

        public Options withSize(int s) {
            return new Options(s, title, classNames, note, lineWidth, opacityRamp, exposure, depthLabel);
        }

        public Options withClassNames(List<String> names) {
            return new Options(size, title, names, note, lineWidth, opacityRamp, exposure, depthLabel);
        }

        public Options withNote(String n) {
            return new Options(size, title, classNames, n, lineWidth, opacityRamp, exposure, depthLabel);
        }

        public Options withOpacityRamp(boolean ramp) {
            return new Options(size, title, classNames, note, lineWidth, ramp, exposure, depthLabel);
        }

        public Options withDepthLabel(String label) {
            return new Options(size, title, classNames, note, lineWidth, opacityRamp, exposure, label);
        }
    }

    /**
     * Draws {@code trails} (each [x0, y0, x1, y1, ...]) coloured by {@code classes}. {@code depths} gives each
     * point's depth in [0, 1] (e.g. {@code Kdeeb.Bundled.depths()}); null means vertex k of m has depth
     * k / (m - 1), right for unbundled trails through layers.
     */
    public static Figure draw(List<float[]> trails, List<float[]> depths, int[] classes, Options o) {
        validate(trails, depths, classes);
        int s = o.size();
        Figure fig = Figure.blank(s, s, BACKGROUND);
        try (Draw d = new Draw(fig)) {
            Layout layout = Layout.square(s, d, !o.title().isEmpty(), true);
            int total = 0;
            for (float[] t : trails) {
                total += t.length;
            }
            float[] all = new float[total];
            int off = 0;
            for (float[] t : trails) {
                System.arraycopy(t, 0, all, off, t.length);
                off += t.length;
            }
            int pl = (int) Math.floor(layout.plotLeft);
            int pt = (int) Math.floor(layout.plotTop);
            int pw = (int) Math.floor(layout.plotWidth);
            int ph = (int) Math.floor(layout.plotHeight);
            PlotFrame frame = new PlotFrame(0, 0, pw, ph, all, 0.03);
            Accumulator acc = new Accumulator(pw, ph);
            double width = o.lineWidth() > 0 ? o.lineWidth() : Math.max(1.0, s / 1000.0);
            for (int i = 0; i < trails.size(); i++) {
                float[] t = trails.get(i);
                float[] dep = depths == null ? null : depths.get(i);
                int m = t.length / 2;
                Palette.Rgb base = Palette.classColour(classes[i]);
                for (int k = 0; k + 1 < m; k++) {
                    double d0 = dep == null ? (double) k / (m - 1) : dep[k];
                    double d1 = dep == null ? (double) (k + 1) / (m - 1) : dep[k + 1];
                    double depth = 0.5 * (d0 + d1);
                    Palette.Rgb c = Palette.depthRamp(base, depth);
                    double alpha = o.opacityRamp() ? 0.2 + 0.8 * depth : 1.0;
                    acc.segment(frame.px(t[2 * k]), frame.py(t[2 * k + 1]), frame.px(t[2 * k + 2]),
                            frame.py(t[2 * k + 3]), width, c, alpha, k == 0, k + 2 == m);
                }
            }
            acc.toneMapInto(fig, pl, pt, o.exposure(), BACKGROUND);
            layout.title(d, o.title(), INK);
            layout.note(d, o.note(), INK);
            legend(d, layout, trails.size(), classes, o);
        } catch (RuntimeException e) {
            fig.close();
            throw e;
        }
        return fig;
    }

    private static void legend(Draw d, Layout layout, int count, int[] classes, Options o) {
        int maxClass = 0;
        for (int c : classes) {
            maxClass = Math.max(maxClass, c);
        }
        Legend legend = new Legend(d, layout.legendLeft, layout.legendTop, layout.width - layout.width * 0.01, INK);
        legend.heading("classes");
        for (int c = 0; c <= maxClass; c++) {
            Palette.Rgb base = Palette.classColour(c);
            String name = c < o.classNames().size() ? o.classNames().get(c) : Integer.toString(c);
            legend.entry(name, (x, y, r) -> {
                // A short ramp: the class colour from its first-depth to its last-depth brightness.
                int steps = 6;
                for (int k = 0; k < steps; k++) {
                    double x0 = x - r + 2.6 * r * k / steps;
                    d.line(x0, y, x0 + 2.6 * r / steps, y, Palette.depthRamp(base, (k + 0.5) / steps),
                            Math.max(2, (int) Math.round(r * 0.8)));
                }
            });
        }
        legend.gap();
        legend.small("hue = class");
        legend.small("dark = first " + o.depthLabel() + ",");
        legend.small("bright = last " + o.depthLabel());
        if (o.opacityRamp()) {
            legend.small("later segments more opaque");
        }
        legend.small("additive, log tone-mapped");
        legend.small(count + " trails");
    }

    private static void validate(List<float[]> trails, List<float[]> depths, int[] classes) {
        if (classes.length != trails.size() || (depths != null && depths.size() != trails.size())) {
            throw new HavException("trail plot", trails.size() + " trails, " + classes.length + " classes"
                    + (depths == null ? "" : ", " + depths.size() + " depth arrays"), "pass one of each per trail");
        }
        for (int i = 0; i < trails.size(); i++) {
            float[] t = trails.get(i);
            if (t.length < 4 || t.length % 2 != 0) {
                throw new HavException("trail plot", "trail " + i + " has " + t.length + " coordinates",
                        "each trail needs x, y pairs for at least 2 points");
            }
            if (depths != null && depths.get(i).length != t.length / 2) {
                throw new HavException("trail plot", "trail " + i + " has " + t.length / 2 + " points but "
                        + depths.get(i).length + " depths", "pass the depths returned with the trails");
            }
            if (classes[i] < 0) {
                throw new HavException("trail plot", "negative class " + classes[i], "classes are 0..K-1");
            }
        }
    }

    /** Premultiplied colour and coverage sums per pixel of the plot area. */
    static final class Accumulator {
        final int w;
        final int h;
        final float[] r;
        final float[] g;
        final float[] b;
        final float[] a;

        Accumulator(int w, int h) {
            this.w = w;
            this.h = h;
            int n = Math.multiplyExact(w, h);
            r = new float[n];
            g = new float[n];
            b = new float[n];
            a = new float[n];
        }

        /**
         * Adds a segment of width {@code width}: each pixel gets coverage clamp(width / 2 + 0.5 - distance, 0, 1)
         * to the segment. Joints are half-open (a pixel projecting onto the segment's end belongs to the next
         * segment) so consecutive segments do not double the ink; trail ends get round caps.
         */
        void segment(double x0, double y0, double x1, double y1, double width, Palette.Rgb c, double alpha,
                     boolean capStart, boolean capEnd) {
            double half = width / 2;
            double reach = half + 1;
            double dx = x1 - x0;
            double dy = y1 - y0;
            double len2 = dx * dx + dy * dy;
            float cr = (float) (alpha * c.r() / 255.0);
            float cg = (float) (alpha * c.g() / 255.0);
            float cb = (float) (alpha * c.b() / 255.0);
            float ca = (float) alpha;
            boolean xMajor = Math.abs(dx) >= Math.abs(dy);
            double len = Math.sqrt(len2);
            // Half-extent across the major axis within which a pixel can be covered.
            double across = len2 == 0 ? reach : reach * len / Math.max(Math.abs(xMajor ? dx : dy), 1e-12);
            int from = (int) Math.floor((xMajor ? Math.min(x0, x1) : Math.min(y0, y1)) - reach);
            int to = (int) Math.ceil((xMajor ? Math.max(x0, x1) : Math.max(y0, y1)) + reach);
            int limitMajor = xMajor ? w : h;
            int limitMinor = xMajor ? h : w;
            from = Math.max(from, 0);
            to = Math.min(to, limitMajor - 1);
            for (int u = from; u <= to; u++) {
                double uc = u + 0.5;
                double vc;
                if (len2 == 0) {
                    vc = xMajor ? y0 : x0;
                } else if (xMajor) {
                    vc = y0 + (Math.max(Math.min(uc, Math.max(x0, x1)), Math.min(x0, x1)) - x0) * dy / (dx == 0 ? 1 : dx);
                } else {
                    vc = x0 + (Math.max(Math.min(uc, Math.max(y0, y1)), Math.min(y0, y1)) - y0) * dx / (dy == 0 ? 1 : dy);
                }
                int vFrom = Math.max(0, (int) Math.floor(vc - across));
                int vTo = Math.min(limitMinor - 1, (int) Math.ceil(vc + across));
                for (int v = vFrom; v <= vTo; v++) {
                    double px = xMajor ? uc : v + 0.5;
                    double py = xMajor ? v + 0.5 : uc;
                    double t = len2 == 0 ? 0 : ((px - x0) * dx + (py - y0) * dy) / len2;
                    if ((t < 0 && !capStart) || (t >= 1 && !capEnd)) {
                        continue;
                    }
                    t = Math.max(0, Math.min(1, t));
                    double ex = px - (x0 + t * dx);
                    double ey = py - (y0 + t * dy);
                    double cov = half + 0.5 - Math.sqrt(ex * ex + ey * ey);
                    if (cov <= 0) {
                        continue;
                    }
                    float f = (float) Math.min(cov, 1.0);
                    int idx = (xMajor ? v : u) * w + (xMajor ? u : v);
                    r[idx] += f * cr;
                    g[idx] += f * cg;
                    b[idx] += f * cb;
                    a[idx] += f * ca;
                }
            }
        }

        /** Log tone mapping of the coverage; the hue is the coverage-weighted mean colour, never clipped. */
        void toneMapInto(Figure fig, int left, int top, double exposure, Palette.Rgb bg) {
            float max = 0;
            for (float v : a) {
                max = Math.max(max, v);
            }
            double denom = Math.log1p(max / exposure);
            byte[] row = new byte[w * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    double cover = a[i];
                    double bright = cover > 0 && denom > 0 ? Math.log1p(cover / exposure) / denom : 0;
                    double mr = cover > 0 ? r[i] / cover : 0;
                    double mg = cover > 0 ? g[i] / cover : 0;
                    double mb = cover > 0 ? b[i] / cover : 0;
                    row[3 * x] = channel(bg.b() + bright * (255 * mb - bg.b()));
                    row[3 * x + 1] = channel(bg.g() + bright * (255 * mg - bg.g()));
                    row[3 * x + 2] = channel(bg.r() + bright * (255 * mr - bg.r()));
                }
                BytePointer p = fig.mat().ptr(top + y, left);
                p.put(row, 0, row.length);
            }
        }

        private static byte channel(double v) {
            return (byte) (int) Math.round(Math.max(0, Math.min(255, v)));
        }
    }
}
