package org.hiddenactivity.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.neurons.NeuronDissimilarity;
import org.hiddenactivity.render.Figure;
import org.hiddenactivity.render.NeuronMap;
import org.hiddenactivity.render.Panels;
import org.hiddenactivity.render.Thumbnails;
import org.hiddenactivity.render.ScatterPlot;
import org.hiddenactivity.render.TrailPlot;

/**
 * Draws the analyses' figures with the render stage. Drawing is asked for by a result's {@link Output.Figure};
 * {@link Outputs} writes each as a PNG plus a small thumbnail ({@link #write}).
 */
public final class Figures {
    /** Thumbnail width in pixels (what the report page shows inline). */
    static final int THUMBNAIL = 400;

    /** A written figure: the full image and its thumbnail. */
    public record Files(Path image, Path thumbnail) {}

    private Figures() {}

    /** Scatter plot of a projection; {@code predicted} (nullable) marks misclassified observations. */
    static Figure scatter(FloatMatrix points, int[] labels, int[] predicted, List<String> classNames,
                         String title, String note, int size) {
        boolean[] wrong = new boolean[labels.length];
        if (predicted != null) {
            for (int i = 0; i < labels.length; i++) {
                wrong[i] = predicted[i] != labels[i];
            }
        }
        ScatterPlot.Options o = ScatterPlot.Options.defaults(title).withSize(size).withClassNames(classNames).withAxisNote(note);
        return ScatterPlot.draw(points, labels, wrong, o);
    }

    /**
     * Trails coloured by class with brightness by depth ({@code depths} null: vertex k of m has depth k / (m - 1));
     * {@code trace} draws later segments more opaque, as the notebook's show_trace.
     */
    static Figure trails(List<float[]> trails, List<float[]> depths, int[] labels, List<String> classNames,
                        String title, String note, String depthLabel, int size, boolean trace) {
        TrailPlot.Options o = TrailPlot.Options.defaults(title).withSize(size).withClassNames(classNames).withNote(note)
                .withOpacityRamp(trace).withDepthLabel(depthLabel);
        return TrailPlot.draw(trails, depths, labels, o);
    }

    /**
     * Neuron projections before and after training side by side (one panel with a single checkpoint), each panel
     * {@code size} pixels square, on one frame and one colour scale, coloured by each neuron's importance
     * ({@code importance} indexed by neuron, dead neurons included; {@code importanceBefore} null without a before map).
     */
    static Figure neuronImportance(NeuronAnalysis.Study s, double[] importanceBefore, double[] importanceAfter,
                                  String title, String note, int size) {
        List<NeuronAnalysis.NeuronLayout> maps = s.maps();
        List<double[]> values = s.comparison() ? List.of(importanceBefore, importanceAfter) : java.util.Collections.singletonList(importanceAfter);
        double top = 0;
        for (int m = 0; m < maps.size(); m++) {
            for (double v : NeuronDissimilarity.select(values.get(m), maps.get(m).live())) {
                top = Math.max(top, v);
            }
        }
        NeuronMap.Options o = NeuronMap.Options.defaults("").withSize(size).withFrame(s.frame()).withScaleMax(top);
        return eachMapSideBySide(s, title, (m, l) -> NeuronMap.importance(l.points(),
                NeuronDissimilarity.select(values.get(m), l.live()), l.dead().length, "importance",
                o.withNote(note + quality(l))));
    }

    /** One panel per neuron map of the study ({@code panelOf(index, map)}), captioned, side by side. */
    private static Figure eachMapSideBySide(NeuronAnalysis.Study s, String title,
            java.util.function.BiFunction<Integer, NeuronAnalysis.NeuronLayout, Figure> panelOf) {
        List<Figure> panels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        try {
            for (int m = 0; m < s.maps().size(); m++) {
                NeuronAnalysis.NeuronLayout l = s.maps().get(m);
                panels.add(panelOf.apply(m, l));
                captions.add(s.caption(l));
            }
            return Panels.sideBySide(panels, captions, title);
        } finally {
            panels.forEach(Figure::close);
        }
    }

    /**
     * Discriminative neuron maps before and after training side by side ({@code importance[c][neuron]};
     * {@code importanceBefore} null without a before map), one frame, one opacity scale per class for both maps.
     */
    static Figure discriminative(NeuronAnalysis.Study s, double[][] importanceBefore, double[][] importanceAfter,
                                List<String> classNames, String title, String note, int size) {
        List<NeuronAnalysis.NeuronLayout> maps = s.maps();
        List<double[][]> values = s.comparison() ? List.of(importanceBefore, importanceAfter) : java.util.Collections.singletonList(importanceAfter);
        double[] classMax = new double[importanceAfter.length];
        for (int m = 0; m < maps.size(); m++) {
            double[][] liveValues = live(values.get(m), maps.get(m).live());
            for (int c = 0; c < classMax.length; c++) {
                for (double v : liveValues[c]) {
                    classMax[c] = Math.max(classMax[c], v);
                }
            }
        }
        NeuronMap.Options o = NeuronMap.Options.defaults("").withSize(size).withNote(note).withClassNames(classNames)
                .withFrame(s.frame()).withScaleMax(classMax);
        return eachMapSideBySide(s, title, (m, l) -> NeuronMap.discriminative(l.points(),
                live(values.get(m), l.live()), l.dead().length, o.withNote(note + quality(l))));
    }

    /**
     * Every class's importance map as small multiples: one column per class, one row per map (before, after), each
     * panel a quarter of {@code size} (at least 256 px), one frame, one colour scale per class.
     */
    static Figure importanceGrid(NeuronAnalysis.Study s, double[][] importanceBefore, double[][] importanceAfter,
                                List<String> classNames, String title, int size) {
        List<NeuronAnalysis.NeuronLayout> maps = s.maps();
        List<double[][]> values = s.comparison() ? List.of(importanceBefore, importanceAfter) : java.util.Collections.singletonList(importanceAfter);
        int classes = importanceAfter.length;
        int panel = Math.max(256, size / 4);
        List<Figure> panels = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        try {
            double[] classMax = new double[classes];
            for (int m = 0; m < maps.size(); m++) {
                double[][] lv = live(values.get(m), maps.get(m).live());
                for (int c = 0; c < classes; c++) {
                    for (double v : lv[c]) {
                        classMax[c] = Math.max(classMax[c], v);
                    }
                }
            }
            for (int m = 0; m < maps.size(); m++) {
                NeuronAnalysis.NeuronLayout l = maps.get(m);
                double[][] lv = live(values.get(m), l.live());
                for (int c = 0; c < classes; c++) {
                    NeuronMap.Options o = NeuronMap.Options.defaults("").withSize(panel).withFrame(s.frame())
                            .withScaleMax(classMax[c]);
                    panels.add(NeuronMap.importance(l.points(), lv[c], l.dead().length, "importance", o));
                    captions.add("'" + classNames.get(c) + "', epoch " + l.epoch());
                }
            }
            return Panels.grid(panels, classes, captions, title);
        } finally {
            panels.forEach(Figure::close);
        }
    }

    private static String quality(NeuronAnalysis.NeuronLayout l) {
        if (!Double.isNaN(l.stress())) {
            return "; stress-1 " + fmt(l.stress());
        }
        return Double.isNaN(l.klDivergence()) ? "" : "; KL " + fmt(l.klDivergence());
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

    /** Writes {@code fig} as {@code png} and a {@value #THUMBNAIL}-pixel-wide thumbnail beside it. */
    static Files write(Figure fig, Path png) {
        fig.writePng(png);
        Path thumb = png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "_thumb.png"));
        try (Figure small = Thumbnails.of(fig, THUMBNAIL)) {
            small.writePng(thumb);
        }
        return new Files(png, thumb);
    }
}
