package org.hiddenactivity.render;

import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;

/** A projection of observations: a dot per observation in its class colour, an X for misclassified ones. */
public final class ScatterPlot {
    private static final Palette.Rgb BACKGROUND = Palette.WHITE;
    private static final Palette.Rgb INK = new Palette.Rgb(30, 30, 30);
    private static final Palette.Rgb FRAME = new Palette.Rgb(200, 200, 200);

    private ScatterPlot() {}

    /**
     * @param size         side of the square image in pixels (default 2048, 16..8192)
     * @param title        printed at the top (default empty)
     * @param classNames   legend name of class c at index c; missing names print the class number (default none)
     * @param axisNote     printed under the plot, e.g. "t-SNE, perplexity 30, chained; axes have no units"
     * @param markerRadius dot radius in pixels, 0 = automatic (size / 350)
     */
    public record Options(int size, String title, List<String> classNames, String axisNote, double markerRadius) {
        public Options {
            Figure.checkSize(size, size);
            title = title == null ? "" : title;
            classNames = classNames == null ? List.of() : List.copyOf(classNames);
            axisNote = axisNote == null ? "" : axisNote;
            if (!(markerRadius >= 0)) {
                throw new IllegalArgumentException("markerRadius must be >= 0, got " + markerRadius);
            }
        }

        public static Options defaults(String title) {
            return new Options(Figure.DEFAULT_SIZE, title, List.of(), "", 0);
        }

        public Options withSize(int s) {
            return new Options(s, title, classNames, axisNote, markerRadius);
        }

        public Options withClassNames(List<String> names) {
            return new Options(size, title, names, axisNote, markerRadius);
        }

        public Options withAxisNote(String note) {
            return new Options(size, title, classNames, note, markerRadius);
        }
    }

    /**
     * Draws {@code points} (n x 2) coloured by {@code labels}; {@code misclassified} (n flags, or null for
     * none) get an X instead of a dot, drawn on top.
     */
    public static Figure draw(FloatMatrix points, int[] labels, boolean[] misclassified, Options o) {
        int n = points.rows();
        if (points.cols() != 2 || labels.length != n || (misclassified != null && misclassified.length != n)) {
            throw new HavException("scatter plot", "need n x 2 points with n labels (and n misclassified flags); got "
                    + points + ", " + labels.length + " labels" + (misclassified == null ? ""
                    : ", " + misclassified.length + " flags"), "pass matching arrays");
        }
        int maxClass = 0;
        for (int label : labels) {
            if (label < 0) {
                throw new HavException("scatter plot", "negative label " + label, "labels are class indices 0..K-1");
            }
            maxClass = Math.max(maxClass, label);
        }
        int s = o.size();
        Figure fig = Figure.blank(s, s, BACKGROUND);
        try (Draw d = new Draw(fig)) {
            Layout layout = Layout.square(s, d, !o.title().isEmpty(), true);
            PlotFrame frame = new PlotFrame(layout.plotLeft, layout.plotTop, layout.plotWidth, layout.plotHeight,
                    points.data(), 0.03);
            d.rect(layout.plotLeft, layout.plotTop, layout.plotLeft + layout.plotWidth,
                    layout.plotTop + layout.plotHeight, FRAME, 1);
            double r = o.markerRadius() > 0 ? o.markerRadius() : s / 350.0;
            int outline = Math.max(1, (int) Math.round(r / 5));
            int wrong = 0;
            for (int i = 0; i < n; i++) {
                if (misclassified != null && misclassified[i]) {
                    wrong++;
                    continue;
                }
                Palette.Rgb c = Palette.classColour(labels[i]);
                double x = frame.px(points.get(i, 0));
                double y = frame.py(points.get(i, 1));
                d.marker(Palette.classMarker(labels[i]), x, y, r, c, c.scaled(0.6), outline);
            }
            int xThick = Math.max(2, (int) Math.round(r / 2.2));
            for (int i = 0; misclassified != null && i < n; i++) {
                if (!misclassified[i]) {
                    continue;
                }
                double x = frame.px(points.get(i, 0));
                double y = frame.py(points.get(i, 1));
                String shape = Palette.classMarker(labels[i]);
                if (!shape.equals("disc")) {
                    // past the first 10 classes a misclassified point keeps its group's marker, hollow, under the X
                    d.marker(shape, x, y, 1.2 * r, null, INK, xThick + 2 * outline);
                    d.marker(shape, x, y, 1.2 * r, null, Palette.classColour(labels[i]), xThick);
                }
                d.cross(x, y, 1.4 * r, INK, xThick + 2 * outline);
                d.cross(x, y, 1.4 * r, Palette.classColour(labels[i]), xThick);
            }
            layout.title(d, o.title(), INK);
            layout.note(d, o.axisNote(), INK);
            Legend legend = new Legend(d, layout.legendLeft, layout.legendTop, layout.width - layout.width * 0.01, INK);
            legend.heading("classes");
            int[] counts = new int[maxClass + 1];
            for (int label : labels) {
                counts[label]++;
            }
            for (int c = 0; c <= maxClass; c++) {
                Palette.Rgb col = Palette.classColour(c);
                String name = c < o.classNames().size() ? o.classNames().get(c) : Integer.toString(c);
                String shape = Palette.classMarker(c);
                legend.entry(name + " (" + counts[c] + ")", (x, y, rr) -> d.marker(shape, x, y, rr, col, col.scaled(0.6), 1));
            }
            legend.gap();
            int wrongCount = wrong;
            legend.entry("misclassified (" + wrongCount + ")", (x, y, rr) -> {
                d.cross(x, y, rr, INK, 3);
                d.cross(x, y, rr, Palette.classColour(0), 1);
            });
            legend.small("X in the true class's colour");
            legend.small("of " + n + " observations");
        } catch (RuntimeException e) {
            fig.close();
            throw e;
        }
        return fig;
    }
}
