package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.model.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
    @TempDir
    Path dir;


    private static HavRun hav(String... args) {
        return HavRun.of(args);
    }

    /** MNIST-format idx files of n 4x4 images (pixel i of image r = (r + 3 i) mod 256), labels r mod 10. */
    private Path idxData(int n) throws IOException {
        Path d = dir.resolve("data");
        Files.createDirectories(d);
        ByteBuffer img = ByteBuffer.allocate(16 + n * 16).putInt(0x803).putInt(n).putInt(4).putInt(4);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < 16; i++) {
                img.put((byte) (r + 3 * i));
            }
        }
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int r = 0; r < n; r++) {
            lab.put((byte) (r % 10));
        }
        Files.write(d.resolve("t10k-images-idx3-ubyte"), img.array());
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), lab.array());
        return d;
    }

    @Test
    void inspectListsCandidatesAsTextAndJson() throws IOException {
        Path f = new TestModels.Cnn(5).builder.write(dir.resolve("cnn.onnx"));
        HavRun text = hav("inspect", f.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(TestModels.Cnn.CONV) && text.out().contains("[?, 2, 4, 4]"), text.out());
        HavRun json = hav("inspect", f.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode root = new ObjectMapper().readTree(json.out());
        JsonNode cs = root.get("candidates");
        assertEquals(2, cs.size());
        assertEquals("conv", cs.get(0).get("kind").asText());
        assertEquals(2, cs.get(0).get("units").asInt()); // one unit per channel
        assertEquals(1, cs.get(0).get("layer").asInt()); // one dense layer only: the conv map is analysed too
        assertEquals("dense", cs.get(1).get("kind").asText());
        assertEquals(2, cs.get(1).get("layer").asInt());
        assertEquals(5, cs.get(1).get("units").asInt());
        HavRun bad = hav("inspect", dir.resolve("nothing.onnx").toString());
        assertEquals(2, bad.code());
    }

    @Test
    void activationsWritesValuesPredictionsAndLabels() throws IOException {
        TestModels.Mlp mlp = new TestModels.Mlp(6, 10);
        Path m = dir.resolve("mlp");
        mlp.builder.write(m.resolve("epoch_000.onnx"));
        new TestModels.Mlp(7, 10).builder.write(m.resolve("epoch_004.onnx"));
        Path data = idxData(12);
        Path out = dir.resolve("out").resolve("h1.npy");
        HavRun r = hav("activations", "--model", m.toString(), "--dataset", "mnist", "--layer", "1", "--epoch", "0", "--size", "10",
                "--data-dir", data.toString(), "--out", out.toString(), "--cache-dir", dir.resolve("cache").toString(),
                "--json", "--quiet");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(10, json.get("rows").asInt());
        assertEquals(0, json.get("epoch").asInt());
        FloatMatrix acts = Npy.readMatrix(out);
        int[] pred = Npy.readLabels(dir.resolve("out").resolve("h1.pred.npy"));
        int[] labels = Npy.readLabels(dir.resolve("out").resolve("h1.labels.npy"));
        assertEquals(10, acts.rows());
        assertEquals(8, acts.cols());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, labels);
        for (int row = 0; row < 10; row++) {
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = ((row + 3 * i) & 0xff) / 255f;
            }
            float[][] expected = mlp.forward(x);
            for (int j = 0; j < 8; j++) {
                assertEquals(expected[0][j], acts.get(row, j), 1e-4f);
            }
            int best = 0;
            for (int k = 1; k < 10; k++) {
                best = expected[2][k] > expected[2][best] ? k : best;
            }
            assertEquals(best, pred[row]);
        }
        HavRun again = hav("activations", "--model", m.toString(), "--dataset", "mnist", "--layer", "1", "--epoch", "0",
                "--size", "10", "--data-dir", data.toString(), "--out", out.toString(), "--cache-dir",
                dir.resolve("cache").toString(), "--json", "--quiet");
        assertTrue(new ObjectMapper().readTree(again.out()).get("cached").asBoolean());
        // without a dataset (no --dataset, no manifest) an error, printed as JSON on stdout too
        HavRun unsaid = hav("activations", "--model", m.toString(), "--layer", "1", "--data-dir", data.toString(),
                "--out", out.toString(), "--json", "--quiet");
        assertEquals(2, unsaid.code());
        JsonNode error = new ObjectMapper().readTree(unsaid.out());
        assertTrue(error.get("error").asText().contains("which dataset"), unsaid.out());
        assertTrue(error.get("fix").asText().contains("--dataset"), unsaid.out());
    }

    @Test
    void badLayerEpochOrOutputExitWith2AndWriteNothing() throws IOException {
        Path m = dir.resolve("mlp");
        new TestModels.Mlp(8).builder.write(m.resolve("epoch_000.onnx"));
        Path data = idxData(3);
        Path outDir = dir.resolve("out");
        String out = outDir.resolve("x.npy").toString();
        HavRun r = hav("activations", "--model", m.toString(), "--layer", "3", "--data-dir", data.toString(),
                "--out", out, "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("valid layers: 1..2"), r.err());
        r = hav("activations", "--model", m.toString(), "--layer", "1", "--epoch", "9", "--data-dir", data.toString(),
                "--out", out, "--quiet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("available epochs: [0]"), r.err());
        r = hav("activations", "--model", m.toString(), "--layer", "1", "--data-dir", data.toString(),
                "--out", outDir.resolve("x.csv").toString(), "--quiet");
        assertEquals(2, r.code());
        // a model that does not fit the data: 16 inputs against CIFAR-10 images of 3x32x32
        Path cifar = dir.resolve("cifar");
        Files.createDirectories(cifar);
        Files.write(cifar.resolve("test_batch.bin"), new byte[3073 * 10000]); // a whole batch, all labels 0
        r = hav("activations", "--model", m.toString(), "--layer", "1", "--dataset", "cifar10", "--data-dir",
                cifar.toString(), "--out", out, "--quiet", "--cache-dir", dir.resolve("cache").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not fit cifar10"), r.err());
        try (Stream<Path> s = Files.exists(outDir) ? Files.list(outDir) : Stream.empty()) {
            assertEquals(List.of(), s.toList());
        }
    }
}
