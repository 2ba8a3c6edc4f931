package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.data.Dataset;
import org.hiddenactivity.data.Datasets;
import org.hiddenactivity.data.Split;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on the user's own data: the first MNIST test images, re-saved as a .npy array and as an ImageFolder
 * of PNGs, must give the activations and projections of the built-in dataset; bad data exits 2 and writes nothing.
 */
class UserDataCommandsTest {
    @TempDir
    Path dir;
    private String previousCache;


    @BeforeEach
    void isolateCache() {
        previousCache = System.getProperty("hav.cache");
        System.setProperty("hav.cache", dir.resolve("cache").toString());
    }

    @AfterEach
    void restoreCache() {
        if (previousCache == null) {
            System.clearProperty("hav.cache");
        } else {
            System.setProperty("hav.cache", previousCache);
        }
    }

    private static HavRun hav(String... args) {
        return HavRun.of(args);
    }

    /** The first n MNIST test images (shipped copy) as uint8 N x 28 x 28 and their int32 targets. */
    private Dataset mnistAsNpy(int n, Path images, Path targets) {
        Dataset d = Datasets.load("mnist", Split.TEST, null, n);
        byte[] px = new byte[d.images().data().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(d.images().data()[i] * 255);
        }
        Npy.writeRaw(images, "|u1", new int[] {n, 28, 28}, px);
        Npy.write(targets, d.labels());
        return d;
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void projectOnOwnNpyGivesTheBuiltInDatasetsProjection() throws IOException {
        Path x = dir.resolve("digits.npy");
        Path y = dir.resolve("digits_targets.npy");
        mnistAsNpy(300, x, y);
        String[] common = {"--model", "mnist_mlp", "--size", "300", "--backend", "cpu", "--threads", "1",
                "--iterations", "300", "--image-size", "256", "--quiet", "--json"};
        HavRun own = hav(concat(new String[] {"project", "--images", x.toString(), "--targets", y.toString(),
                "--class-names", "zero,one,two,three,four,five,six,seven,eight,nine", "--out",
                dir.resolve("own").toString()}, common));
        assertEquals(0, own.code(), own.err());
        HavRun builtin = hav(concat(new String[] {"project", "--dataset", "mnist", "--out",
                dir.resolve("builtin").toString()}, common));
        assertEquals(0, builtin.code(), builtin.err());
        Path ownPoints = files(dir.resolve("own")).stream().filter(p -> p.toString().endsWith("_points.npy"))
                .findFirst().orElseThrow();
        Path builtinPoints = dir.resolve("builtin").resolve(ownPoints.getFileName());
        assertArrayEquals(Npy.readMatrix(builtinPoints).data(), Npy.readMatrix(ownPoints).data(),
                "same pixels, same activations, same seed: the same embedding");
        Path json = files(dir.resolve("own")).stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                .orElseThrow();
        JsonNode provenance = new ObjectMapper().readTree(json.toFile()).get("provenance");
        assertEquals("digits.npy", provenance.get("dataset").asText());
        assertEquals(64, provenance.get("dataset_sha256").asText().length());
        String source = provenance.get("dataset_source").asText();
        // recorded relative to the output folder (--record-paths relative, the default; issue 18, item 10)
        assertTrue(source.startsWith("digits.npy/all, 300 observations of 1x28x28 from ../digits.npy (")
                && source.contains("npy: uint8 NHW (300, 28, 28)") && source.contains("scale 1/255 (default)"), source);
    }

    @Test
    void activationsOnAnImageFolderMatchTheBuiltInRows() throws IOException {
        int n = 100;
        Dataset d = Datasets.load("mnist", Split.TEST, null, n);
        assertEquals(10, java.util.Arrays.stream(d.labels()).distinct().count(), "every digit has a folder");
        Path root = dir.resolve("mnist_png");
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[784];
            for (int k = 0; k < 784; k++) {
                px[k] = (byte) Math.round(d.images().get(i, k) * 255);
            }
            Path f = root.resolve(Integer.toString(d.labels()[i])).resolve(String.format("%03d.png", i));
            Files.createDirectories(f.getParent());
            try (Mat m = new Mat(28, 28, opencv_core.CV_8UC1); BytePointer buf = new BytePointer()) {
                m.data().put(px);
                opencv_imgcodecs.imencode(".png", m, buf);
                byte[] bytes = new byte[(int) buf.limit()];
                buf.get(bytes);
                Files.write(f, bytes);
            }
        }
        Path out = dir.resolve("acts").resolve("h.npy");
        HavRun r = hav("activations", "--model", "mnist_mlp", "--layer", "1", "--images", root.toString(), "--out",
                out.toString(), "--cache-dir", dir.resolve("cache").toString(), "--quiet", "--json");
        assertEquals(0, r.code(), r.err());
        Path ref = dir.resolve("ref").resolve("h.npy");
        HavRun b = hav("activations", "--model", "mnist_mlp", "--layer", "1", "--dataset", "mnist", "--size",
                Integer.toString(n), "--out", ref.toString(), "--cache-dir", dir.resolve("cache").toString(),
                "--quiet");
        assertEquals(0, b.code(), b.err());
        FloatMatrix own = Npy.readMatrix(out);
        FloatMatrix builtin = Npy.readMatrix(ref);
        int[] ownLabels = Npy.readLabels(ActivationsCommand.sibling(out, "labels"));
        // ImageFolder order: by class, then by file name, i.e. by the original index within a class
        int row = 0;
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < n; i++) {
                if (d.labels()[i] == c) {
                    assertEquals(c, ownLabels[row]);
                    assertArrayEquals(builtin.row(i), own.row(row), "image " + i);
                    row++;
                }
            }
        }
        assertEquals(n, row);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("image-folder", json.get("dataset").get("format").asText());
        assertEquals("mnist_png", json.get("dataset").get("name").asText());
    }

    @Test
    void badOwnDataExitsWith2AndWritesNothing() throws IOException {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        mnistAsNpy(20, x, y);
        Path outDir = dir.resolve("out");
        String out = outDir.resolve("a.npy").toString();
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("both given", new String[] {"--dataset", "mnist", "--images", x.toString(), "--targets",
                y.toString()});
        Npy.write(dir.resolve("bad_targets.npy"), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 0, 1, 2, 3, 4, 5, 6, 7,
                8, 9});
        cases.put("not a class index 0..9", new String[] {"--images", x.toString(), "--targets",
                dir.resolve("bad_targets.npy").toString(), "--class-names", "0,1,2,3,4,5,6,7,8,9"});
        cases.put("did you mean mnist?", new String[] {"--dataset", "mnsit"});
        cases.put("is for your own data", new String[] {"--dataset", "mnist", "--images-layout", "nhwc"});
        cases.put("is a folder", new String[] {"--images", x.toString(), "--targets", dir.toString()});
        Path zero = dir.resolve("zero.npy");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        cases.put("/dev/zero", new String[] {"--images", zero.toString(), "--targets", y.toString()});
        cases.put("--scale", new String[] {"--images", x.toString(), "--targets", y.toString(), "--scale", "-1"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            HavRun r = hav(concat(new String[] {"activations", "--model", "mnist_mlp", "--layer", "1", "--out", out,
                    "--quiet"}, c.getValue()));
            assertEquals(2, r.code(), c.getKey() + ": " + r.err());
            assertTrue(r.err().contains(c.getKey()), c.getKey() + ": " + r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
            assertEquals(List.of(), files(outDir), c.getKey());
        }
        HavRun p = hav("project", "--model", "mnist_mlp", "--images", x.toString(), "--out", outDir.toString(), "--quiet");
        assertEquals(2, p.code(), p.err());
        assertTrue(p.err().contains("no --targets given"), p.err());
        assertEquals(List.of(), files(outDir));
    }

    @Test
    void tsneRefusesHugeOrNegativeLabelsAndFolders() throws IOException {
        Npy.write(dir.resolve("x.npy"), new FloatMatrix(20, 2, new float[40]));
        Npy.write(dir.resolve("huge.npy"), new double[] {1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12,
                1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 1e12, 2e12});
        Path e = dir.resolve("e.npy");
        HavRun r = hav("tsne", "--input", dir.resolve("x.npy").toString(), "--labels", dir.resolve("huge.npy").toString(),
                "--out", e.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("huge.npy: label 0 is 1.00000e+12, too large"), r.err());
        Npy.write(dir.resolve("neg.npy"), new int[] {0, 1, -1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0});
        r = hav("tsne", "--input", dir.resolve("x.npy").toString(), "--labels", dir.resolve("neg.npy").toString(),
                "--out", e.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("label 2 is -1, negative"), r.err());
        r = hav("tsne", "--input", dir.toString(), "--out", e.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is a folder"), r.err());
        assertFalse(Files.exists(e));
    }

    /** Under LC_ALL=C Java cannot represent a non-ASCII argument: the message says to use a UTF-8 locale. */
    @Test
    void nonAsciiPathUnderAnAsciiLocaleSaysWhatToDo() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "tsne", "--input", dir.resolve("donn\u00e9es.npy").toString(), "--out",
                dir.resolve("e.npy").toString(), "-q");
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LANG");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertTrue(output.contains("--input") && output.contains("UTF-8 locale") && output.contains("LC_ALL=C.UTF-8"),
                output);
        assertEquals(Main.EXIT_USAGE, code, output);
        assertFalse(output.contains("couldn't convert"), output);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
