package org.hiddenactivity.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderTest {
    private static int countNot(Figure f, int rgb) {
        int n = 0;
        for (int p : f.pixels()) {
            if (p != rgb) {
                n++;
            }
        }
        return n;
    }

    private static boolean nearWhite(Palette.Rgb c) {
        return c.r() > 235 && c.g() > 235 && c.b() > 235;
    }

    @Test
    void scatterHasItsSizeIsNotBlankAndMarksMisclassifiedWithAnX() {
        // Four corners (correct) and one misclassified point in the middle of the data.
        FloatMatrix pts = FloatMatrix.of(new float[][] {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}, {0, 0}});
        int[] labels = {0, 1, 2, 3, 4};
        ScatterPlot.Options o = ScatterPlot.Options.defaults("test").withSize(600)
                .withClassNames(List.of("zero", "one", "two", "three", "four"));
        o = new ScatterPlot.Options(o.size(), o.title(), o.classNames(), "axes have no units", 12);
        double cx;
        double cy;
        try (Figure probe = Figure.blank(600, 600, Palette.WHITE); Draw d = new Draw(probe)) {
            Layout layout = Layout.square(600, d, true, true);
            cx = layout.plotLeft + layout.plotWidth / 2;
            cy = layout.plotTop + layout.plotHeight / 2;
        }
        try (Figure wrong = ScatterPlot.draw(pts, labels, new boolean[] {false, false, false, false, true}, o);
             Figure right = ScatterPlot.draw(pts, labels, null, o)) {
            assertEquals(600, wrong.width());
            assertEquals(600, wrong.height());
            assertTrue(countNot(wrong, 0xFFFFFF) > 2000, "figure is nearly blank");
            int x = (int) cx;
            int y = (int) cy;
            // On the diagonal of the X there is ink; beside the centre on the horizontal there is none.
            assertTrue(!nearWhite(wrong.pixel(x + 8, y + 8)), "X arm missing: " + wrong.pixel(x + 8, y + 8));
            assertTrue(!nearWhite(wrong.pixel(x - 8, y - 8)), "X arm missing");
            assertTrue(nearWhite(wrong.pixel(x + 11, y)), "an X has no ink at 0.9 r on the horizontal");
            // A correctly classified observation at the same place is a filled disc.
            assertTrue(!nearWhite(right.pixel(x + 11, y)), "a disc has ink at 0.9 r");
            Palette.Rgb classFour = Palette.classColour(4);
            Palette.Rgb centre = right.pixel(x, y);
            assertTrue(Math.abs(centre.r() - classFour.r()) + Math.abs(centre.g() - classFour.g())
                    + Math.abs(centre.b() - classFour.b()) < 30, "disc centre " + centre + " vs " + classFour);
        }
    }

    @Test
    void classesSharingAColourPastTenAreDrawnWithAnotherMarker() {
        assertEquals(Palette.classColour(0), Palette.classColour(10), "the palette has 10 colours");
        FloatMatrix pts = FloatMatrix.of(new float[][] {{-1, -1}, {1, 1}, {0, 0}});
        List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < 12; c++) {
            names.add("c" + c);
        }
        ScatterPlot.Options o = ScatterPlot.Options.defaults("twelve").withSize(600).withClassNames(names);
        o = new ScatterPlot.Options(o.size(), o.title(), o.classNames(), "", 12);
        double cx;
        double cy;
        try (Figure probe = Figure.blank(600, 600, Palette.WHITE); Draw d = new Draw(probe)) {
            Layout layout = Layout.square(600, d, true, true);
            cx = layout.plotLeft + layout.plotWidth / 2;
            cy = layout.plotTop + layout.plotHeight / 2;
        }
        try (Figure zero = ScatterPlot.draw(pts, new int[] {1, 11, 0}, null, o);
             Figure ten = ScatterPlot.draw(pts, new int[] {1, 11, 10}, null, o)) {
            int x = (int) cx;
            int y = (int) cy;
            // the same colour at the centre ...
            assertEquals(zero.pixel(x, y), ten.pixel(x, y));
            // ... but class 10 is a square: ink at its corner (0.8 r, 0.8 r), where class 0's disc (radius r) has none
            assertTrue(nearWhite(zero.pixel(x + 10, y + 10)), "disc corner " + zero.pixel(x + 10, y + 10));
            assertTrue(!nearWhite(ten.pixel(x + 10, y + 10)), "square corner " + ten.pixel(x + 10, y + 10));
        }
        assertEquals("disc", Palette.classMarker(9));
        assertEquals("square", Palette.classMarker(10));
        assertEquals("triangle", Palette.classMarker(20));
    }

    @Test
    void allPointsEqualDoNotBreakTheMapping() {
        FloatMatrix pts = FloatMatrix.of(new float[][] {{3, 3}, {3, 3}});
        try (Figure f = ScatterPlot.draw(pts, new int[] {0, 1}, null, ScatterPlot.Options.defaults("").withSize(200))) {
            assertTrue(countNot(f, 0xFFFFFF) > 0);
        }
    }

    /** A horizontal-ish trail across the plot at height y (data units), through 4 layers. */
    private static float[] trail(double y, SplittableRandom rng, double jitter) {
        float[] t = new float[8];
        for (int k = 0; k < 4; k++) {
            t[2 * k] = k;
            t[2 * k + 1] = (float) (y + jitter * rng.nextGaussian());
        }
        return t;
    }

    @Test
    void toneMappingKeepsHueAndOrderWith10000OverlappingTrails() {
        SplittableRandom rng = new SplittableRandom(0);
        List<float[]> trails = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int i = 0; i < 10000; i++) {
            trails.add(trail(3, rng, 0.0)); // 10000 identical trails of class 0 at y = 3
            classes.add(0);
        }
        for (int i = 0; i < 100; i++) {
            trails.add(trail(0, rng, 0.0)); // 100 trails of class 0 at y = 0
            classes.add(0);
        }
        trails.add(trail(-3, rng, 0.0)); // a single trail of class 1
        classes.add(1);
        int[] cls = classes.stream().mapToInt(Integer::intValue).toArray();
        TrailPlot.Options o = TrailPlot.Options.defaults("trails").withSize(512);
        try (Figure f = TrailPlot.draw(trails, null, cls, o)) {
            assertEquals(512, f.width());
            double top;
            double x;
            double yDense;
            double yMid;
            double ySingle;
            try (Figure probe = Figure.blank(512, 512, Palette.WHITE); Draw d = new Draw(probe)) {
                Layout layout = Layout.square(512, d, true, true);
                top = layout.plotTop;
                double h = Math.floor(layout.plotHeight);
                PlotFrame frame = new PlotFrame(0, 0, Math.floor(layout.plotWidth), h,
                        new float[] {0, -3, 3, 3}, 0.03);
                x = Math.floor(layout.plotLeft) + frame.px(2.7); // near the last layer: brightest part
                yDense = Math.floor(top) + frame.py(3);
                yMid = Math.floor(top) + frame.py(0);
                ySingle = Math.floor(top) + frame.py(-3);
            }
            Palette.Rgb dense = brightest(f, (int) x, (int) yDense);
            Palette.Rgb mid = brightest(f, (int) x, (int) yMid);
            Palette.Rgb single = brightest(f, (int) x, (int) ySingle);
            Palette.Rgb orangeBright = Palette.depthRamp(Palette.classColour(0), 5.0 / 6);
            // The densest bundle shows its class colour at full brightness, not white.
            assertTrue(Math.abs(dense.r() - orangeBright.r()) <= 6 && Math.abs(dense.g() - orangeBright.g()) <= 6
                    && Math.abs(dense.b() - orangeBright.b()) <= 6, "dense " + dense + " vs " + orangeBright);
            assertTrue(dense.b() < 150, "saturated towards white: " + dense);
            // 10000 trails look brighter than 100, which look brighter than one; the single one is visible.
            assertTrue(luma(dense) > luma(mid) + 10, dense + " vs " + mid);
            assertTrue(luma(mid) > luma(single), mid + " vs " + single);
            assertTrue(luma(single) > 40, "single trail barely visible: " + single);
        }
    }

    /** The brightest pixel in a 7-pixel column around (x, y) (the line may fall between rows). */
    private static Palette.Rgb brightest(Figure f, int x, int y) {
        Palette.Rgb best = f.pixel(x, y);
        for (int dy = -3; dy <= 3; dy++) {
            Palette.Rgb c = f.pixel(x, y + dy);
            if (luma(c) > luma(best)) {
                best = c;
            }
        }
        return best;
    }

    private static double luma(Palette.Rgb c) {
        return 0.2126 * c.r() + 0.7152 * c.g() + 0.0722 * c.b();
    }

    @Test
    void neuronMapsDrawDeadNeuronsApartAndCountThem() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 60;
        float[] xy = new float[2 * n];
        double[] imp = new double[n];
        double[][] perClass = new double[3][n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float) rng.nextGaussian();
            xy[2 * i + 1] = (float) rng.nextGaussian();
            imp[i] = rng.nextDouble();
            for (int c = 0; c < 3; c++) {
                perClass[c][i] = rng.nextDouble();
            }
        }
        FloatMatrix pos = new FloatMatrix(n, 2, xy);
        NeuronMap.Options o = NeuronMap.Options.defaults("neurons").withSize(512);
        try (Figure withDead = NeuronMap.importance(pos, imp, 25, "importance", o);
             Figure noDead = NeuronMap.importance(pos, imp, 0, "importance", o);
             Figure disc = NeuronMap.discriminative(pos, perClass, 25, o)) {
            assertEquals(512, disc.height());
            int greyWith = countGrey(withDead);
            int greyWithout = countGrey(noDead);
            assertTrue(greyWith > greyWithout + 25, "dead-neuron crosses missing: " + greyWith + " vs " + greyWithout);
            assertTrue(countNot(disc, 0xFFFFFF) > 3000);
        }
        assertThrows(HavException.class, () -> NeuronMap.importance(pos, new double[3], 0, "", o));
    }

    private static int countGrey(Figure f) {
        int n = 0;
        for (int p : f.pixels()) {
            int r = p >> 16 & 0xFF;
            int g = p >> 8 & 0xFF;
            int b = p & 0xFF;
            if (r == g && g == b && r > 120 && r < 200) {
                n++;
            }
        }
        return n;
    }

    @Test
    void panelsThumbnailsAndAtomicPng(@TempDir Path dir) throws Exception {
        FloatMatrix pts = FloatMatrix.of(new float[][] {{0, 0}, {1, 2}});
        ScatterPlot.Options o = ScatterPlot.Options.defaults("a").withSize(300);
        try (Figure a = ScatterPlot.draw(pts, new int[] {0, 1}, null, o);
             Figure b = ScatterPlot.draw(pts, new int[] {1, 0}, null, o);
             Figure both = Panels.sideBySide(List.of(a, b), List.of("before", "after"), "compare");
             Figure thumb = Thumbnails.of(both, 100)) {
            assertTrue(both.width() >= 600 && both.width() < 700, "width " + both.width());
            assertTrue(both.height() > 300);
            assertEquals(100, Math.max(thumb.width(), thumb.height()));
            Path png = dir.resolve("both.png");
            both.writePng(png);
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
            try (BytePointer buf = new BytePointer(bytes);
                 Mat raw = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, buf);
                 Mat decoded = opencv_imgcodecs.imdecode(raw, opencv_imgcodecs.IMREAD_COLOR)) {
                assertEquals(both.width(), decoded.cols());
                assertEquals(both.height(), decoded.rows());
            }
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "temporary file left behind");
            }
        }
        assertThrows(HavException.class, () -> ScatterPlot.Options.defaults("").withSize(9000));
    }
}
