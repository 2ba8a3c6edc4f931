package org.hiddenactivity.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class palette measured from outside: the ten colours chosen by benchmarks/palette/search.py (written here as
 * hex, not read from Palette), a CIEDE2000 of this test's own checked against Sharma, Wu and Dalal's published pairs,
 * Machado et al. 2009 deficiency simulation (severity 1), and the colours as a trail figure renders them, read back
 * from its PNG.
 */
class PaletteMeasureTest {
    @TempDir
    Path tmp;

    /** The palette benchmarks/palette/README.md records, class 0 to 9. */
    static final String[] CHOSEN = {"#22BB00", "#FF9988", "#DD99FF", "#996600", "#9999AA", "#118866", "#FF0088",
        "#FFEE55", "#22FFDD", "#1166EE"};

    /** Machado, Oliveira, Fernandes 2009, severity 1.0, on linear sRGB: protan, deutan, tritan. */
    static final double[][][] MACHADO = {
        {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
        {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
        {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
    };

    @Test
    void theCiede2000OfThisTestReproducesSharmasPublishedPairs() {
        double[][] pairs = {
            {50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425},
            {50, 3.1571, -77.2803, 50, 0, -82.7485, 2.8615},
            {50, -1.3802, -84.2814, 50, 0, -82.7485, 1.0000},
            {50, 0, 0, 50, -1, 2, 2.3669},
            {50, 2.49, -0.001, 50, -2.49, 0.0009, 7.1792},
            {50, 2.49, -0.001, 50, -2.49, 0.0011, 7.2195},
            {50, -0.001, 2.49, 50, 0.0009, -2.49, 4.8045},
            {50, -0.001, 2.49, 50, 0.0011, -2.49, 4.7461},
            {50, 2.5, 0, 73, 25, -18, 27.1492},
            {50, 2.5, 0, 56, -27, -3, 31.9030},
            {60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644},
            {22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373},
            {90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441},
            {2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082},
        };
        for (double[] p : pairs) {
            double got = ciede2000(new double[] {p[0], p[1], p[2]}, new double[] {p[3], p[4], p[5]});
            assertEquals(p[6], got, 1e-4, Arrays.toString(p));
        }
    }

    @Test
    void theFiguresAndTheExplorerUseTheMeasuredColours() {
        assertEquals(CHOSEN.length, Palette.classCount());
        for (int c = 0; c < CHOSEN.length; c++) {
            Palette.Rgb p = Palette.classColour(c);
            assertEquals(CHOSEN[c], String.format("#%02X%02X%02X", p.r(), p.g(), p.b()), "class " + c);
        }
    }

    @Test
    void everyPairStaysTenApartUnderEachSimulatedDeficiencyAndFifteenInNormalVision() {
        int[][] rgb = Arrays.stream(CHOSEN).map(PaletteMeasureTest::parse).toArray(int[][]::new);
        assertTrue(smallest(rgb, null) >= 15, "normal vision " + smallest(rgb, null));
        String[] names = {"protan", "deutan", "tritan"};
        for (int k = 0; k < 3; k++) {
            double d = smallest(rgb, MACHADO[k]);
            assertTrue(d >= 10, names[k] + ": smallest CIEDE2000 " + d);
        }
        // the palette this replaced fails the same measure: deutan 5/9 at about 5 (issue 16)
        int[][] old = Arrays.stream(new String[] {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
            "#CC79A7", "#999999", "#882255", "#999933"}).map(PaletteMeasureTest::parse).toArray(int[][]::new);
        assertTrue(smallest(old, MACHADO[1]) < 6, "old deutan " + smallest(old, MACHADO[1]));
    }

    /** Ten bands of trails, one per class, drawn and tone-mapped as the report draws them, then read from the PNG. */
    @Test
    void renderedTrailsOnTheDarkBackgroundStayFifteenApart() {
        int classes = 10;
        List<float[]> trails = new ArrayList<>();
        List<Integer> cls = new ArrayList<>();
        Random random = new Random(1);
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < 200; i++) {
                // a bundle per class, 200 trails as a class of the default 2000 observations has
                float x = c + 0.5f * random.nextFloat();
                trails.add(new float[] {x, 0f, x + 0.02f * (float) random.nextGaussian(), 0.33f,
                    x + 0.02f * (float) random.nextGaussian(), 0.66f, x, 1f});
                cls.add(c);
            }
        }
        int size = 768;
        Path png = tmp.resolve("trails.png");
        try (Figure fig = TrailPlot.draw(trails, null, cls.stream().mapToInt(Integer::intValue).toArray(),
                TrailPlot.Options.defaults("").withSize(size))) {
            fig.writePng(png);
        }
        double[][] median = new double[classes][];
        try (Mat m = opencv_imgcodecs.imread(png.toString(), opencv_imgcodecs.IMREAD_COLOR)) {
            int y = m.rows() / 2;
            int plotRight = (int) (0.76 * m.cols());
            List<int[]> runs = new ArrayList<>();
            int start = -1;
            for (int x = 0; x <= plotRight; x++) {
                boolean ink = x < plotRight && !background(m, x, y);
                if (ink && start < 0) {
                    start = x;
                } else if (!ink && start >= 0) {
                    // gaps of a few pixels between the trails of one class belong to its band
                    if (!runs.isEmpty() && start - runs.get(runs.size() - 1)[1] < 8) {
                        runs.get(runs.size() - 1)[1] = x;
                    } else {
                        runs.add(new int[] {start, x});
                    }
                    start = -1;
                }
            }
            assertEquals(classes, runs.size(), "one band of trails per class across the middle row");
            for (int c = 0; c < classes; c++) {
                List<int[]> px = new ArrayList<>();
                for (int yy = (int) (0.25 * m.rows()); yy < 0.7 * m.rows(); yy++) {
                    for (int x = runs.get(c)[0]; x < runs.get(c)[1]; x++) {
                        if (!background(m, x, yy)) {
                            BytePointer p = m.ptr(yy, x);
                            px.add(new int[] {p.get(2) & 0xFF, p.get(1) & 0xFF, p.get(0) & 0xFF});
                        }
                    }
                }
                median[c] = new double[3];
                for (int ch = 0; ch < 3; ch++) {
                    int k = ch;
                    median[c][ch] = px.stream().mapToInt(v -> v[k]).sorted().toArray()[px.size() / 2];
                }
            }
        }
        double smallest = Double.MAX_VALUE;
        String pair = "";
        for (int i = 0; i < classes; i++) {
            for (int j = i + 1; j < classes; j++) {
                double d = ciede2000(lab(median[i], null), lab(median[j], null));
                if (d < smallest) {
                    smallest = d;
                    pair = i + "/" + j;
                }
            }
        }
        System.out.printf(java.util.Locale.ROOT, "rendered trail figure (%s): smallest CIEDE2000 %.2f, classes %s%n",
                png, smallest, pair);
        assertTrue(smallest >= 15, "rendered classes " + pair + " only " + smallest + " apart");
    }

    private static boolean background(Mat m, int x, int y) {
        BytePointer p = m.ptr(y, x);
        // TrailPlot's background is (12, 12, 16); a few levels of anti-aliasing fringe count as background
        return Math.abs((p.get(2) & 0xFF) - 12) + Math.abs((p.get(1) & 0xFF) - 12) + Math.abs((p.get(0) & 0xFF) - 16) < 24;
    }

    private static int[] parse(String hex) {
        int v = Integer.parseInt(hex.substring(1), 16);
        return new int[] {v >> 16, (v >> 8) & 0xFF, v & 0xFF};
    }

    private static double smallest(int[][] rgb, double[][] deficiency) {
        double min = Double.MAX_VALUE;
        for (int i = 0; i < rgb.length; i++) {
            for (int j = i + 1; j < rgb.length; j++) {
                min = Math.min(min, ciede2000(lab(toDouble(rgb[i]), deficiency), lab(toDouble(rgb[j]), deficiency)));
            }
        }
        return min;
    }

    private static double[] toDouble(int[] v) {
        return new double[] {v[0], v[1], v[2]};
    }

    /** sRGB 0..255 to CIELAB (D65), optionally through a deficiency matrix on linear RGB (clipped to [0, 1]). */
    static double[] lab(double[] rgb, double[][] deficiency) {
        double[] lin = new double[3];
        for (int k = 0; k < 3; k++) {
            double c = rgb[k] / 255.0;
            lin[k] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
        if (deficiency != null) {
            double[] s = new double[3];
            for (int r = 0; r < 3; r++) {
                s[r] = Math.max(0, Math.min(1, deficiency[r][0] * lin[0] + deficiency[r][1] * lin[1]
                        + deficiency[r][2] * lin[2]));
            }
            lin = s;
        }
        double x = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047;
        double y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.0721750 * lin[2];
        double z = (0.0193339 * lin[0] + 0.1191920 * lin[1] + 0.9503041 * lin[2]) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
        double d = 6.0 / 29;
        return t > d * d * d ? Math.cbrt(t) : t / (3 * d * d) + 4.0 / 29;
    }

    /** CIEDE2000 as Sharma, Wu and Dalal (2005) write it out, kL = kC = kH = 1. */
    static double ciede2000(double[] p, double[] q) {
        double c1 = Math.hypot(p[1], p[2]);
        double c2 = Math.hypot(q[1], q[2]);
        double cBar7 = Math.pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + Math.pow(25, 7))));
        double a1 = (1 + g) * p[1];
        double a2 = (1 + g) * q[1];
        double c1p = Math.hypot(a1, p[2]);
        double c2p = Math.hypot(a2, q[2]);
        double h1 = a1 == 0 && p[2] == 0 ? 0 : (Math.toDegrees(Math.atan2(p[2], a1)) + 360) % 360;
        double h2 = a2 == 0 && q[2] == 0 ? 0 : (Math.toDegrees(Math.atan2(q[2], a2)) + 360) % 360;
        double dL = q[0] - p[0];
        double dC = c2p - c1p;
        double dh = 0;
        if (c1p * c2p != 0) {
            dh = h2 - h1;
            if (dh > 180) {
                dh -= 360;
            } else if (dh < -180) {
                dh += 360;
            }
        }
        double dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(Math.toRadians(dh / 2));
        double lBar = (p[0] + q[0]) / 2;
        double cBarP = (c1p + c2p) / 2;
        double hBar;
        if (c1p * c2p == 0) {
            hBar = h1 + h2;
        } else if (Math.abs(h1 - h2) <= 180) {
            hBar = (h1 + h2) / 2;
        } else {
            hBar = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
        }
        double t = 1 - 0.17 * Math.cos(Math.toRadians(hBar - 30)) + 0.24 * Math.cos(Math.toRadians(2 * hBar))
                + 0.32 * Math.cos(Math.toRadians(3 * hBar + 6)) - 0.20 * Math.cos(Math.toRadians(4 * hBar - 63));
        double dTheta = 30 * Math.exp(-Math.pow((hBar - 275) / 25, 2));
        double cBarP7 = Math.pow(cBarP, 7);
        double rc = 2 * Math.sqrt(cBarP7 / (cBarP7 + Math.pow(25, 7)));
        double sl = 1 + 0.015 * (lBar - 50) * (lBar - 50) / Math.sqrt(20 + (lBar - 50) * (lBar - 50));
        double sc = 1 + 0.045 * cBarP;
        double sh = 1 + 0.015 * cBarP * t;
        double rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
        return Math.sqrt(Math.pow(dL / sl, 2) + Math.pow(dC / sc, 2) + Math.pow(dH / sh, 2)
                + rt * (dC / sc) * (dH / sh));
    }
}
