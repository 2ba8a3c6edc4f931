package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.neurons.NeuronDissimilarity;
import org.hiddenactivity.render.Figure;
import org.hiddenactivity.render.NeuronMap;
import org.hiddenactivity.render.Panels;
import org.hiddenactivity.render.Thumbnails;
import org.hiddenactivity.render.ScatterPlot;
import org.hiddenactivity.render.TrailPlot;

/** Draws the analyses' figures with the render stage and writes each as a PNG plus a small thumbnail. */
public final class Figures {
    /** Thumbnail width in pixels (what the report page shows inline). */
    static final int THUMBNAIL = 400;

    /** A written figure: the full image and its thumbnail. */
    public record Files(Path image, Path thumbnail) {}

    private Figures() {}

    /** Scatter plot of a projection; {@code predicted} (nullable) marks misclassified observations. */
    static Files scatter(Path png, FloatMatrix points, int[] labels, int[] predicted, List<String> classNames,
                         String title, String note, int size) {
        boolean[] wrong = new boolean[labels.length];
        if (predicted != null) {
            for (int i = 0; i < labels.length; i++) {
                wrong[i] = predicted[i] != labels[i];
            }
        }
        ScatterPlot.Options o = ScatterPlot.Options.defaults(title).withSize(size).withClassNames(classNames).withAxisNote(note);
        try (Figure fig = ScatterPlot.draw(points, labels, wrong, o)) {
            return write(fig, png);
        }
    }

    /**
     * Trails coloured by class with brightness by depth ({@code depths} null: vertex k of m has depth k / (m - 1));
     * {@code trace} draws later segments more opaque, as the notebook's show_trace.
     */
    static Files trails(Path png, List<float[]> trails, List<float[]> depths, int[] labels, List<String> classNames,
                        String title, String note, String depthLabel, int size, boolean trace) {
        TrailPlot.Options o = TrailPlot.Options.defaults(title).withSize(size).withClassNames(classNames).withNote(note)
                .withOpacityRamp(trace).withDepthLabel(depthLabel);
        try (Figure fig = TrailPlot.draw(trails, depths, labels, o)) {
            return write(fig, png);
        }
    }

    /**
     * Neuron projections before and after training side by side, each panel {@code size} pixels square, coloured by
     * each neuron's importance ({@code importance} indexed by neuron, dead neurons included).
     */
    static Files neuronImportance(Path png, NeuronAnalysis.NeuronLayout before, double[] importanceBefore,
                                  NeuronAnalysis.NeuronLayout after, double[] importanceAfter, String title,
                                  String captionBefore, String captionAfter, String note, int size) {
        NeuronMap.Options o = NeuronMap.Options.defaults("").withSize(size).withNote(note);
        try (Figure a = NeuronMap.importance(before.points(), NeuronDissimilarity.select(importanceBefore, before.live()), before.dead().length,
                     "importance", o.withNote(note + "; stress-1 " + fmt(before.stress())));
             Figure b = NeuronMap.importance(after.points(), NeuronDissimilarity.select(importanceAfter, after.live()), after.dead().length,
                     "importance", o.withNote(note + "; stress-1 " + fmt(after.stress())));
             Figure both = Panels.sideBySide(List.of(a, b), List.of(captionBefore, captionAfter), title)) {
            return write(both, png);
        }
    }

    /** Discriminative neuron maps before and after training side by side ({@code importance[c][neuron]}). */
    static Files discriminative(Path png, NeuronAnalysis.NeuronLayout before, double[][] importanceBefore,
                                NeuronAnalysis.NeuronLayout after, double[][] importanceAfter, List<String> classNames,
                                String title, String captionBefore, String captionAfter, String note, int size) {
        NeuronMap.Options o = NeuronMap.Options.defaults("").withSize(size).withNote(note).withClassNames(classNames);
        try (Figure a = NeuronMap.discriminative(before.points(), live(importanceBefore, before.live()), before.dead().length, o);
             Figure b = NeuronMap.discriminative(after.points(), live(importanceAfter, after.live()), after.dead().length, o);
             Figure both = Panels.sideBySide(List.of(a, b), List.of(captionBefore, captionAfter), title)) {
            return write(both, png);
        }
    }

    private static double[][] live(double[][] perClass, int[] live) {
        double[][] out = new double[perClass.length][];
        for (int c = 0; c < perClass.length; c++) {
            out[c] = NeuronDissimilarity.select(perClass[c], live);
        }
        return out;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static Files write(Figure fig, Path png) {
        fig.writePng(png);
        Path thumb = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "_thumb.png"));
        try (Figure small = Thumbnails.of(fig, THUMBNAIL)) {
            small.writePng(thumb);
        }
        return new Files(png, thumb);
    }
}
