package org.hiddenactivity.render;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/**
 * A map of the neurons of a layer (one point per live neuron, placed by a projection of their
 * dissimilarities); importance shows twice, as the disc's area and as its colour (never as opacity alone, which
 * makes unimportant neurons vanish). Dead neurons (constant activation) have no place in the
 * projection: they are drawn apart, as grey crosses in a strip under the map, and counted in the legend.
 */
public final class NeuronMap {
    private static final Palette.Rgb BACKGROUND = Palette.WHITE;
    private static final Palette.Rgb INK = new Palette.Rgb(30, 30, 30);
    private static final Palette.Rgb FRAME = new Palette.Rgb(200, 200, 200);
    private static final Palette.Rgb DEAD = new Palette.Rgb(150, 150, 150);
    /** Smallest disc radius, as a fraction of the largest: the least important neuron stays a visible dot. */
    private static final double MIN_RADIUS = 0.4;
    /** Least saturation of a class colour in the discriminative map (mixed with white), at importance 0. */
    private static final double MIN_SATURATION = 0.35;

    private NeuronMap() {}

    /**
     * @param size         side of the square image in pixels (default 2048, 16..8192)
     * @param title        printed at the top
     * @param classNames   legend name of class c at index c (missing: the class number)
     * @param note         printed under the plot (e.g. "metric MDS of 1 - |Pearson r|, stress-1 0.21")
     * @param markerRadius point radius in pixels, 0 = automatic (size / 300)
     * @param scaleMax     null: each map scales its colours to its own largest importance; otherwise the value
     *                     that gets the top colour ({@code importance}: one value; {@code discriminative}: one per
     *                     class), so that maps drawn with the same values share one colour scale
     * @param frame        null: the plot frame fits this map's points; otherwise interleaved x, y points that the
     *                     frame must fit (e.g. two aligned maps together), so several maps share one frame
     */
    public record Options(int size, String title, List<String> classNames, String note, double markerRadius,
                          double[] scaleMax, float[] frame) {
        public Options {
            Figure.checkSize(size, size);
            title = title == null ? "" : title;
            classNames = classNames == null ? List.of() : List.copyOf(classNames);
            note = note == null ? "" : note;
            if (!(markerRadius >= 0)) {
                throw new IllegalArgumentException("markerRadius must be >= 0, got " + markerRadius);
            }
        }

        public static Options defaults(String title) {
            return new Options(Figure.DEFAULT_SIZE, title, List.of(), "", 0, null, null);
        }

        public Options withSize(int s) {
            return new Options(s, title, classNames, note, markerRadius, scaleMax, frame);
        }

        public Options withClassNames(List<String> names) {
            return new Options(size, title, names, note, markerRadius, scaleMax, frame);
        }

        public Options withNote(String n) {
            return new Options(size, title, classNames, n, markerRadius, scaleMax, frame);
        }

        public Options withTitle(String t) {
            return new Options(size, t, classNames, note, markerRadius, scaleMax, frame);
        }

        /** One colour scale shared with other maps: see {@code scaleMax}. */
        public Options withScaleMax(double... max) {
            return new Options(size, title, classNames, note, markerRadius, max, frame);
        }

        /** One frame shared with other maps: see {@code frame}. */
        public Options withFrame(float[] points) {
            return new Options(size, title, classNames, note, markerRadius, scaleMax, points);
        }
    }

    /**
     * Continuous map: each live neuron (row of {@code xy}, live x 2) coloured by {@code importance} (one value
     * per live neuron, same order) on viridis from 0 to the largest importance, with a colour bar.
     */
    public static Figure importance(FloatMatrix xy, double[] importance, int deadCount, String importanceLabel,
                                    Options o) {
        check(xy, importance.length, deadCount);
        double max = 0;
        for (double v : importance) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new HavException("neuron map", "importance " + v + " is negative or not finite",
                        "pass non-negative importances");
            }
            max = Math.max(max, v);
        }
        double top = o.scaleMax() != null && o.scaleMax().length > 0 ? o.scaleMax()[0] : max;
        int n = xy.rows();
        Integer[] order = order(n, i -> importance[i]);
        Palette.Rgb[] colours = new Palette.Rgb[n];
        double[] relative = new double[n];
        for (int i = 0; i < n; i++) {
            relative[i] = top > 0 ? Math.min(1, importance[i] / top) : 0;
            colours[i] = Palette.viridis(relative[i]);
        }
        return render(xy, order, colours, relative, deadCount, o, (d, legend, layout) -> {
            legend.heading(importanceLabel == null || importanceLabel.isEmpty() ? "importance" : importanceLabel);
            double barTop = legend.y() - d.lineHeight(1.0) * 0.5;
            double barHeight = layout.height * 0.3;
            colourBar(d, layout.legendLeft, barTop, layout.width * 0.035, barHeight, top);
            legend.skip(barHeight + d.lineHeight(1.0));
            legend.small("colour: " + Palette.SEQUENTIAL_MAP_NAME.split(" ")[0]);
            legend.small("disc area: importance");
        });
    }

    /**
     * Discriminative map: {@code importance[c][j]} is live neuron j's importance for class c vs the rest (e.g.
     * {@code ExtraTrees.oneVsRest}, restricted to the live neurons). Neuron j takes the colour of the class it
     * is most important for; that importance divided by the largest importance of that class (in this map, or the
     * {@code scaleMax} of the options when larger) sets the disc's area and how saturated its class colour is.
     */
    public static Figure discriminative(FloatMatrix xy, double[][] importance, int deadCount, Options o) {
        int classes = importance.length;
        if (classes == 0) {
            throw new HavException("neuron map", "no classes in the importance table", "pass one row per class");
        }
        for (double[] row : importance) {
            check(xy, row.length, deadCount);
        }
        int n = xy.rows();
        double[] classMax = new double[classes];
        for (int c = 0; c < classes; c++) {
            for (double v : importance[c]) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new HavException("neuron map", "importance " + v + " is negative or not finite",
                            "pass non-negative importances");
                }
                classMax[c] = Math.max(classMax[c], v);
            }
            if (o.scaleMax() != null && c < o.scaleMax().length) {
                classMax[c] = Math.max(classMax[c], o.scaleMax()[c]);
            }
        }
        int[] best = new int[n];
        double[] opacity = new double[n];
        int[] perClass = new int[classes];
        for (int j = 0; j < n; j++) {
            int b = 0;
            for (int c = 1; c < classes; c++) {
                if (importance[c][j] > importance[b][j]) {
                    b = c;
                }
            }
            best[j] = b;
            perClass[b]++;
            opacity[j] = classMax[b] > 0 ? importance[b][j] / classMax[b] : 0;
        }
        Integer[] order = order(n, j -> opacity[j]);
        Palette.Rgb[] colours = new Palette.Rgb[n];
        for (int j = 0; j < n; j++) {
            // the class hue always, lighter for less important neurons (never near-invisible)
            colours[j] = BACKGROUND.mix(Palette.classColour(best[j]), MIN_SATURATION + (1 - MIN_SATURATION) * opacity[j]);
        }
        return render(xy, order, colours, opacity, deadCount, o, (d, legend, layout) -> {
            legend.heading("most important for");
            for (int c = 0; c < classes; c++) {
                Palette.Rgb col = Palette.classColour(c);
                String name = c < o.classNames().size() ? o.classNames().get(c) : Integer.toString(c);
                legend.entry(name + " (" + perClass[c] + ")", (x, y, r) -> d.disc(x, y, r, col));
            }
            legend.gap();
            legend.small("size and colour strength =");
            legend.small("importance for that class /");
            legend.small("its largest importance");
        });
    }

    private interface LegendBody {
        void draw(Draw d, Legend legend, Layout layout);
    }

    private static Figure render(FloatMatrix xy, Integer[] order, Palette.Rgb[] colours, double[] relative,
                                 int deadCount, Options o, LegendBody body) {
        int s = o.size();
        Figure fig = Figure.blank(s, s, BACKGROUND);
        try (Draw d = new Draw(fig)) {
            double strip = s * 0.07;
            Layout layout = Layout.withBottom(s, d, !o.title().isEmpty(), true, strip);
            PlotFrame frame = new PlotFrame(layout.plotLeft, layout.plotTop, layout.plotWidth, layout.plotHeight,
                    o.frame() != null ? o.frame() : xy.data(), 0.03);
            d.rect(layout.plotLeft, layout.plotTop, layout.plotLeft + layout.plotWidth,
                    layout.plotTop + layout.plotHeight, FRAME, 1);
            double r = o.markerRadius() > 0 ? o.markerRadius() : s / 220.0;
            for (int k : order) {
                double x = frame.px(xy.get(k, 0));
                double y = frame.py(xy.get(k, 1));
                // area grows with importance: radius from MIN_RADIUS r (importance 0) to r (the largest)
                double rk = r * Math.sqrt(MIN_RADIUS * MIN_RADIUS + (1 - MIN_RADIUS * MIN_RADIUS) * relative[k]);
                d.disc(x, y, rk, colours[k]);
                d.ring(x, y, rk, colours[k].scaled(0.7), 1);
            }
            deadStrip(d, layout.plotLeft, layout.plotTop + layout.plotHeight, layout.plotWidth, strip, r,
                    deadCount);
            layout.title(d, o.title(), INK);
            layout.note(d, o.note(), INK);
            Legend legend = new Legend(d, layout.legendLeft, layout.legendTop, layout.width - layout.width * 0.01, INK);
            body.draw(d, legend, layout);
            legend.gap();
            legend.small(xy.rows() + " live neurons");
            legend.gap();
            legend.entry("dead: " + deadCount, (x, y, rr) -> d.cross(x, y, rr * 0.8, DEAD, 2));
        } catch (RuntimeException e) {
            fig.close();
            throw e;
        }
        return fig;
    }

    /** Grey crosses, one per dead neuron, in rows under the map; "+k more" when they do not fit. */
    private static void deadStrip(Draw d, double left, double top, double width, double height, double r,
                                  int deadCount) {
        double textY = top + d.lineHeight(0.9);
        d.text("dead neurons (constant activation, not projected): " + deadCount, left, textY, 0.9, INK);
        double pitch = 3 * r;
        double y0 = textY + d.lineHeight(0.9) * 0.4 + r;
        int perRow = Math.max(1, (int) ((width - 2 * r) / pitch));
        int rows = Math.max(0, (int) ((top + height - y0) / pitch) + 1);
        int capacity = perRow * rows;
        int shown = deadCount > capacity ? Math.max(0, capacity - 3) : deadCount;
        int thickness = Math.max(1, (int) Math.round(r / 3));
        for (int k = 0; k < shown; k++) {
            double x = left + r + (k % perRow) * pitch + r;
            double y = y0 + (k / perRow) * pitch;
            d.cross(x, y, r, DEAD, thickness);
        }
        if (shown < deadCount) {
            int last = shown;
            double x = left + r + (last % perRow) * pitch;
            double y = y0 + (last / perRow) * pitch + r;
            d.text("+" + (deadCount - shown) + " more", x, y, 0.8, INK);
        }
    }

    private static void colourBar(Draw d, double left, double top, double barWidth, double barHeight, double max) {
        int steps = 128;
        for (int k = 0; k < steps; k++) {
            double y0 = top + barHeight * (1 - (k + 1.0) / steps);
            double y1 = top + barHeight * (1 - (double) k / steps);
            d.rect(left, y0, left + barWidth, y1, Palette.viridis((k + 0.5) / steps), -1);
        }
        d.rect(left, top, left + barWidth, top + barHeight, INK, 1);
        for (int k = 0; k <= 2; k++) {
            double v = max * k / 2;
            double y = top + barHeight * (1 - k / 2.0);
            d.line(left + barWidth, y, left + barWidth * 1.3, y, INK, 1);
            d.text(String.format(Locale.ROOT, "%.3g", v), left + barWidth * 1.5, y + d.lineHeight(0.8) * 0.3, 0.8,
                    INK);
        }
    }

    private static void check(FloatMatrix xy, int values, int deadCount) {
        if (xy.cols() != 2 || xy.rows() != values) {
            throw new HavException("neuron map", "positions " + xy + " do not match " + values + " importances",
                    "pass one position (x, y) and one importance per live neuron, in the same order");
        }
        if (deadCount < 0) {
            throw new IllegalArgumentException("deadCount must be >= 0, got " + deadCount);
        }
    }

    private static Integer[] order(int n, java.util.function.IntToDoubleFunction key) {
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        // Least important first, so that important neurons are drawn on top.
        Arrays.sort(order, Comparator.comparingDouble(key::applyAsDouble));
        return order;
    }
}
