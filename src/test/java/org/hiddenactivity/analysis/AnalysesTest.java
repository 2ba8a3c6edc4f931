package org.hiddenactivity.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyses on the shipped reference MLP, at a small size so the suite stays quick. */
class AnalysesTest {
    static final int SIZE = 400;
    static final int IMAGE = 512;

    @TempDir
    static Path tmp;

    static AnalysisContext ctx;

    @BeforeAll
    static void open() {
        ctx = AnalysisContext.open(options(tmp.resolve("cache"), SIZE));
    }

    @AfterAll
    static void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    static AnalysisOptions options(Path cache, int size) {
        return new AnalysisOptions("mnist_mlp", null, null, size, 0, null, "cpu", 0, false, true, IMAGE,
                TsneParameters.defaults().withMaxIter(500), true, 0.1, cache);
    }

    @Test
    void trainedLastLayerSeparatesClassesBetterThanUntrained() {
        int last = ctx.layerCount();
        int first = ctx.model().checkpoints().get(0).epoch();
        ActivationProjection.Result trained = ActivationProjection.run(ctx, last, ctx.model().lastEpoch());
        ActivationProjection.Result untrained = ActivationProjection.run(ctx, last, first);
        Outputs.Written trainedFiles = Outputs.write(ctx, trained, dir("p1"));
        assertTrue(trained.quality().neighbourhoodHit() > 0.9, "trained hit " + trained.quality().neighbourhoodHit());
        assertTrue(trained.quality().neighbourhoodHit() > untrained.quality().neighbourhoodHit(),
                trained.quality().neighbourhoodHit() + " vs untrained " + untrained.quality().neighbourhoodHit());
        assertTrue(untrained.misclassified() > trained.misclassified());
        assertImage(trainedFiles.figure(ActivationProjection.FIGURE).image(), IMAGE);
        assertTrue(Files.isRegularFile(tmp.resolve("p1").resolve("projection_layer" + last + "_epoch" + ctx.model().lastEpoch() + "_points.npy")));
    }

    @Test
    void layerTrailsAreBundledIntoLessAreaAndFiguresHaveTheRequestedSize() throws Exception {
        Evolution.Result r = Evolution.layers(ctx, ctx.model().lastEpoch(), Alignment.CHAINED);
        Outputs.Written files = Outputs.write(ctx, r, dir("layers"));
        assertEquals(ctx.layerCount(), r.steps().size());
        // bundled trails share paths: they cover less of the figure, whatever their total length does
        assertTrue(r.areaAfter() < r.areaBefore(), "bundled area " + r.areaAfter() + " vs " + r.areaBefore());
        assertImage(files.figure(Evolution.Result.TRAILS).image(), IMAGE);
        assertImage(files.figure(Evolution.Result.TRACE).image(), IMAGE);
        for (int t = 0; t < r.steps().size(); t++) {
            assertImage(files.figure(Evolution.Result.stepFigure(t)).image(), IMAGE);
            assertTrue(Files.size(files.figure(Evolution.Result.stepFigure(t)).thumbnail()) > 0);
        }
        // deeper layers of a trained network separate the classes more
        assertTrue(r.steps().get(r.steps().size() - 1).quality().neighbourhoodHit()
                >= r.steps().get(0).quality().neighbourhoodHit() - 0.02);
    }

    @Test
    void neuronAnalysesCountNeuronsAndWriteFigures() {
        NeuronAnalysis.DiscriminativeResult d = NeuronAnalysis.discriminative(ctx, ctx.layerCount());
        int units = ctx.model().hiddenLayers().get(ctx.layerCount() - 1).units();
        assertEquals(units, d.after().live().length + d.after().dead().length);
        assertEquals(ctx.classes(), d.importanceAfter().length);
        assertPanels(Outputs.write(ctx, d, dir("disc")).figure(NeuronAnalysis.DiscriminativeResult.FIGURE).image(), IMAGE);
        NeuronAnalysis.ProjectionResult p = NeuronAnalysis.projection(ctx, ctx.layerCount(), 3, NeuronAnalysis.Layout.MDS);
        double sum = 0;
        for (double v : p.importanceAfter()) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        assertPanels(Outputs.write(ctx, new NeuronAnalysis.Projections(List.of(p)), dir("n"))
                .figure(NeuronAnalysis.Projections.figureKey(0)).image(), IMAGE);
    }

    @Test
    void theAfterTrainingNeuronMapIsItsOwnLayoutTurnedOntoTheBeforeMap() {
        int layer = ctx.layerCount();
        NeuronAnalysis.Study s = NeuronAnalysis.study(ctx, layer, NeuronAnalysis.Layout.TSNE);
        assertTrue(s.comparison());
        NeuronAnalysis.NeuronLayout raw = s.afterUnaligned();
        NeuronAnalysis.NeuronLayout aligned = s.after();
        // a similarity transform: every distance scaled by the same factor
        double scale = s.alignment().scale();
        for (int k = 0; k + 1 < raw.points().rows(); k += 7) {
            double dr = Math.hypot(raw.points().get(k, 0) - raw.points().get(k + 1, 0), raw.points().get(k, 1) - raw.points().get(k + 1, 1));
            double da = Math.hypot(aligned.points().get(k, 0) - aligned.points().get(k + 1, 0), aligned.points().get(k, 1) - aligned.points().get(k + 1, 1));
            assertEquals(scale * dr, da, 1e-3 * Math.max(1, da));
        }
        // aligned to the before map: no worse than the unaligned map, on the neurons alive in both
        assertTrue(displacement(s.before(), aligned) <= displacement(s.before(), raw) + 1e-9);
        // the figures and the explorer share one frame covering both maps
        assertEquals(2 * (s.before().points().rows() + aligned.points().rows()), s.frame().length);
    }

    static double displacement(NeuronAnalysis.NeuronLayout a, NeuronAnalysis.NeuronLayout b) {
        int[] pa = NeuronAnalysis.positions(a);
        int[] pb = NeuronAnalysis.positions(b);
        double ss = 0;
        for (int j = 0; j < pa.length; j++) {
            if (pa[j] >= 0 && pb[j] >= 0) {
                ss += Math.pow(a.points().get(pa[j], 0) - b.points().get(pb[j], 0), 2)
                        + Math.pow(a.points().get(pa[j], 1) - b.points().get(pb[j], 1), 2);
            }
        }
        return ss;
    }

    @Test
    void badParametersGiveClearErrors() {
        HavException layer = assertThrows(HavException.class, () -> ActivationProjection.run(ctx, 99, 0));
        assertTrue(layer.getMessage().contains("1.." + ctx.layerCount()), layer.getMessage());
        HavException label = assertThrows(HavException.class,
                () -> NeuronAnalysis.projection(ctx, 1, 10, NeuronAnalysis.Layout.MDS));
        assertTrue(label.getMessage().contains("--label 10"), label.getMessage());
        HavException epochs = assertThrows(HavException.class,
                () -> Evolution.epochs(ctx, 1, List.of(), Alignment.JOINT));
        assertTrue(epochs.getMessage().contains("empty"), epochs.getMessage());
        HavException epoch = assertThrows(HavException.class, () -> ctx.features(7, 1));
        assertTrue(epoch.getMessage().contains("7"), epoch.getMessage());
        assertTrue(Files.notExists(tmp.resolve("x")) || isEmpty(tmp.resolve("x")));
    }

    @Test
    void secondRunReusesTheCachedProjection() {
        Path cache = tmp.resolve("cache2");
        try (AnalysisContext a = AnalysisContext.open(options(cache, 200))) {
            ActivationProjection.run(a, 1, a.model().lastEpoch());
            assertEquals(0, a.projections().hits());
            assertEquals(1, a.projections().misses());
        }
        try (AnalysisContext b = AnalysisContext.open(options(cache, 200))) {
            ActivationProjection.Result r = ActivationProjection.run(b, 1, b.model().lastEpoch());
            assertEquals(1, b.projections().hits());
            assertEquals(200, r.points().rows());
        }
    }

    /** A fresh folder under the test's temporary folder. */
    Path dir(String name) {
        try {
            return Files.createDirectories(tmp.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Two panels side by side, each of the requested size (plus captions and title). */
    static void assertPanels(Path png, int size) {
        try (Mat m = opencv_imgcodecs.imread(png.toString())) {
            assertTrue(m.cols() >= 2 * size && m.rows() >= size, png + " is " + m.cols() + " x " + m.rows());
        }
    }

    /** The PNG exists, has the requested size and is not a single flat colour. */
    static void assertImage(Path png, int size) {
        try (Mat m = opencv_imgcodecs.imread(png.toString())) {
            assertEquals(size, m.cols(), png + " width");
            assertEquals(size, m.rows(), png + " height");
            try (Mat mean = new Mat(); Mat std = new Mat()) {
                opencv_core.meanStdDev(m, mean, std);
                double spread = 0;
                for (int c = 0; c < 3; c++) {
                    spread += std.ptr(c).getDouble();
                }
                assertTrue(spread > 5, png + " looks blank (pixel std " + spread + ")");
            }
        }
    }
}
