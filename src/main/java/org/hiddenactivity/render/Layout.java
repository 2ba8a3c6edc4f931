package org.hiddenactivity.render;

/** Where the title, the plot, the legend column and the note go in a figure. */
final class Layout {
    final int width;
    final int height;
    final double plotLeft;
    final double plotTop;
    final double plotWidth;
    final double plotHeight;
    final double legendLeft;
    final double legendTop;
    private final double titleBaseline;
    private final double noteBaseline;
    private final double margin;

    private Layout(int width, int height, double plotLeft, double plotTop, double plotWidth, double plotHeight,
                   double legendLeft, double legendTop, double titleBaseline, double noteBaseline, double margin) {
        this.width = width;
        this.height = height;
        this.plotLeft = plotLeft;
        this.plotTop = plotTop;
        this.plotWidth = plotWidth;
        this.plotHeight = plotHeight;
        this.legendLeft = legendLeft;
        this.legendTop = legendTop;
        this.titleBaseline = titleBaseline;
        this.noteBaseline = noteBaseline;
        this.margin = margin;
    }

    /**
     * A square figure: title band on top, legend column on the right (22 % of the width), note line below,
     * and {@code extraBottom} pixels reserved under the plot (e.g. the dead-neuron strip).
     */
    static Layout square(int size, Draw d, boolean title, boolean note) {
        return withBottom(size, d, title, note, 0);
    }

    static Layout withBottom(int size, Draw d, boolean title, boolean note, double extraBottom) {
        double margin = size * 0.02;
        double top = margin + (title ? d.lineHeight(1.5) : 0);
        double bottom = margin + (note ? d.lineHeight(1.0) : 0) + extraBottom;
        double legendWidth = size * 0.22;
        double plotLeft = margin;
        double plotWidth = size - legendWidth - 2 * margin;
        double plotHeight = size - top - bottom;
        return new Layout(size, size, plotLeft, top, plotWidth, plotHeight, plotLeft + plotWidth + margin, top,
                margin + d.lineHeight(1.5) * 0.7, size - margin, margin);
    }

    void title(Draw d, String text, Palette.Rgb colour) {
        if (!text.isEmpty()) {
            d.text(text, margin, titleBaseline, 1.5, colour);
        }
    }

    void note(Draw d, String text, Palette.Rgb colour) {
        if (!text.isEmpty()) {
            d.text(text, margin, noteBaseline - d.lineHeight(1.0) * 0.25, 0.9, colour);
        }
    }
}
