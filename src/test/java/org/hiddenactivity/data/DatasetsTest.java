package org.hiddenactivity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------ generated files in the real formats

    /** idx bytes of unsigned bytes with the given dimensions; values[i] = (seed + 7 i) mod 256. */
    static byte[] idx(int seed, int... dims) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(0x0800 | dims.length);
        int count = 1;
        for (int d : dims) {
            header.putInt(d);
            count *= d;
        }
        byte[] out = Arrays.copyOf(header.array(), header.capacity() + count);
        for (int i = 0; i < count; i++) {
            out[header.capacity() + i] = (byte) (seed + 7 * i);
        }
        return out;
    }

    static byte[] labels(int... values) {
        byte[] out = idx(0, values.length);
        for (int i = 0; i < values.length; i++) {
            out[8 + i] = (byte) values[i];
        }
        return out;
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    /** A CIFAR-10 binary batch of {@code n} records: label (first + r) mod 10, pixel i = (r + i) mod 256. */
    static byte[] cifarBatch(int n, int first) {
        byte[] out = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            out[r * 3073] = (byte) ((first + r) % 10);
            for (int i = 0; i < 3072; i++) {
                out[r * 3073 + 1 + i] = (byte) (r + i);
            }
        }
        return out;
    }

    private void writeMnist(Path folder, String prefix, boolean gz, byte[] images, byte[] labels) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
        Files.write(folder.resolve(prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(labels) : labels);
    }

    private static String message(Runnable r) {
        return assertThrows(HavException.class, r::run).getMessage();
    }

    // ------------------------------------------------------------ idx

    @Test
    void readsRawIdxScaledToUnitRange() throws IOException {
        byte[] images = idx(3, 4, 2, 3);
        writeMnist(dir, "t10k", false, images, labels(7, 0, 9, 1));
        Dataset d = Datasets.load("mnist", Split.TEST, dir, 0);
        assertEquals(4, d.size());
        assertEquals(1, d.channels());
        assertEquals(2, d.height());
        assertEquals(3, d.width());
        assertArrayEquals(new int[] {7, 0, 9, 1}, d.labels());
        for (int i = 0; i < 24; i++) {
            assertEquals((images[16 + i] & 0xff) / 255f, d.images().data()[i], 0f);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.classNames());
        assertEquals(Split.TEST, d.split());
    }

    @Test
    void gzipAndRawCopiesGiveTheSameDataAndHash() throws IOException {
        byte[] images = idx(11, 5, 3, 3);
        byte[] lab = labels(1, 2, 3, 4, 5);
        writeMnist(dir.resolve("raw"), "train", false, images, lab);
        writeMnist(dir.resolve("gz"), "train", true, images, lab);
        Dataset raw = Datasets.load("fashion-mnist", Split.TRAIN, dir.resolve("raw"), 0);
        Dataset gz = Datasets.load("fashion-mnist", Split.TRAIN, dir.resolve("gz"), 0);
        assertArrayEquals(raw.images().data(), gz.images().data());
        assertEquals(raw.sha256(), gz.sha256());
        assertEquals("Ankle boot", gz.classNames().get(9));
        byte[] changed = images.clone();
        changed[20] ^= 1;
        writeMnist(dir.resolve("other"), "train", false, changed, lab);
        assertNotEquals(raw.sha256(), Datasets.load("fashion-mnist", Split.TRAIN, dir.resolve("other"), 0).sha256());
    }

    @Test
    void sizeTakesTheFirstObservationsAndHeadAgrees() throws IOException {
        writeMnist(dir.resolve("mnist"), "t10k", true, idx(5, 6, 2, 2), labels(0, 1, 2, 3, 4, 5));
        Dataset all = Datasets.load("mnist", Split.TEST, dir, -1);
        Dataset three = Datasets.load("mnist", Split.TEST, dir, 3);
        assertEquals(3, three.size());
        assertArrayEquals(all.head(3).images().data(), three.images().data());
        assertArrayEquals(new int[] {0, 1, 2}, three.labels());
        assertEquals(all.sha256(), three.sha256());
        assertEquals(6, Datasets.load("mnist", Split.TEST, dir, 100).size());
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        byte[] images = idx(0, 2, 2, 2);
        images[2] = 0x0D; // float element type
        writeMnist(dir, "t10k", false, images, labels(1, 2));
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("t10k-images-idx3-ubyte") && m.contains("element type 0x0D"), m);

        Files.write(dir.resolve("t10k-images-idx3-ubyte"), "<html>not found</html>".getBytes(StandardCharsets.UTF_8));
        m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("wrong magic number") && m.contains("download or copy it again"), m);
    }

    @Test
    void imagesAndLabelsSwappedAreCaughtByRank() throws IOException {
        writeMnist(dir, "t10k", false, labels(1, 2), idx(0, 2, 2, 2));
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("rank 1") && m.contains("images have rank 3"), m);
    }

    @Test
    void truncatedIdxAndTruncatedGzipAreNamed() throws IOException {
        byte[] images = idx(0, 3, 4, 4);
        writeMnist(dir, "t10k", false, Arrays.copyOf(images, images.length - 5), labels(1, 2, 3));
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("truncated") && m.contains("t10k-images-idx3-ubyte"), m);

        Path gzDir = dir.resolve("gz");
        writeMnist(gzDir, "t10k", true, images, labels(1, 2, 3));
        Path gz = gzDir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] g = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(g, g.length / 2));
        m = message(() -> Datasets.load("mnist", Split.TEST, gzDir, 0));
        assertTrue(m.contains("truncated gzip") && m.contains("t10k-images-idx3-ubyte.gz"), m);
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        writeMnist(dir, "t10k", false, idx(0, 3, 2, 2), labels(1, 2));
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("3 images but 2 labels"), m);
    }

    @Test
    void labelOutOfRange() throws IOException {
        writeMnist(dir, "t10k", false, idx(0, 2, 2, 2), labels(1, 12));
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("label 12"), m);
    }

    @Test
    void missingFilesAreListed() throws IOException {
        String m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains(dir.toString()) && m.contains("t10k-images-idx3-ubyte[.gz]"), m);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(idx(0, 1, 2, 2)));
        m = message(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("but not t10k-labels-idx1-ubyte"), m);
        m = message(() -> Datasets.load("mnist", Split.TEST, dir.resolve("nope"), 0));
        assertTrue(m.contains("no such folder"), m);
        m = message(() -> Datasets.load("imagenet", Split.TEST, dir, 0));
        assertTrue(m.contains("unknown dataset") && m.contains("cifar10"), m);
    }

    // ------------------------------------------------------------ CIFAR-10

    @Test
    void readsCifarBinaryInChwOrderAcrossTrainBatches() throws IOException {
        Path bin = dir.resolve("cifar-10-batches-bin");
        Files.createDirectories(bin);
        for (int b = 1; b <= 5; b++) {
            Files.write(bin.resolve("data_batch_" + b + ".bin"), cifarBatch(10000, b));
        }
        Files.write(bin.resolve("batches.meta.txt"),
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n".getBytes(StandardCharsets.US_ASCII));
        // 20003 rows: all of batches 1 and 2, the first 3 records of batch 3
        Dataset d = Datasets.load("cifar10", Split.TRAIN, dir, 20003);
        assertEquals(20003, d.size());
        assertEquals(3, d.channels());
        assertEquals(32, d.height());
        assertEquals(3072, d.features());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), d.classNames());
        assertArrayEquals(new int[] {1, 2, 3}, Arrays.copyOf(d.labels(), 3));
        assertArrayEquals(new int[] {2, 3, 4}, Arrays.copyOfRange(d.labels(), 10000, 10003));
        assertArrayEquals(new int[] {3, 4, 5}, Arrays.copyOfRange(d.labels(), 20000, 20003));
        // record 1 of batch 2 (row 10001): pixel i = (1 + i) mod 256; green channel starts at 1024
        assertEquals(((1 + 1024 + 5) & 0xff) / 255f, d.images().get(10001, 1024 + 5), 0f);
        Dataset seven = Datasets.load("cifar10", Split.TRAIN, dir, 7);
        assertArrayEquals(d.head(7).images().data(), seven.images().data());
        assertEquals(d.sha256(), seven.sha256());
        assertEquals("cifar10-binary", d.origin().format());
    }

    @Test
    void cifarTestWithoutMetaUsesStandardNames() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), cifarBatch(10000, 0));
        Dataset d = Datasets.load("cifar-10", Split.TEST, dir, 4);
        assertEquals("truck", d.classNames().get(9));
        assertEquals(4, d.size());
    }

    @Test
    void cifarTruncatedAndWrongLabelsAndMissingBatch() throws IOException {
        byte[] b = cifarBatch(10000, 0);
        Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(b, b.length - 100));
        String m = message(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.contains("test_batch.bin") && m.contains("not a whole number of 3073-byte records"), m);

        // truncated exactly at a record boundary: not a smaller test split
        Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(b, 3073 * 9999));
        m = message(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.contains("holds 9999 records") && m.contains("10000"), m);
        Files.write(dir.resolve("test_batch.bin"), gzip(Arrays.copyOf(b, 3073 * 2)));
        m = message(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.contains("holds 2 records"), m);

        byte[] longer = Arrays.copyOf(b, b.length + 3073);
        Files.write(dir.resolve("test_batch.bin"), longer);
        m = message(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.contains("longer than a CIFAR-10 batch"), m);

        b[3073] = (byte) 57;
        Files.write(dir.resolve("test_batch.bin"), b);
        m = message(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.contains("record 1 has label byte 57"), m);

        Files.write(dir.resolve("data_batch_1.bin"), cifarBatch(1, 0));
        m = message(() -> Datasets.load("cifar10", Split.TRAIN, dir, 0));
        assertTrue(m.contains("but not data_batch_2.bin"), m);
    }

    // ------------------------------------------------------------ shipped copy and lookup order

    @Test
    void shippedMnistTestSplitLoadsFromTheClasspath() {
        String previous = System.getProperty("hav.cache");
        System.setProperty("hav.cache", dir.toString()); // an empty cache, so the shipped copy is used
        System.setProperty("hav.offline", "true");
        try {
            Dataset d = Datasets.load("mnist", Split.TEST, null, 500);
            assertEquals(500, d.size());
            assertEquals(28, d.height());
            assertTrue(d.source().startsWith("classpath:"), d.source());
            // the first test digits of MNIST are 7, 2, 1, 0, 4
            assertArrayEquals(new int[] {7, 2, 1, 0, 4}, Arrays.copyOf(d.labels(), 5));
            float max = 0;
            for (float v : d.images().data()) {
                max = Math.max(max, v);
                assertTrue(v >= 0f && v <= 1f);
            }
            assertEquals(1f, max, 0f);
            // the train split is not shipped: with downloads off the error names the cache folder
            String m = message(() -> Datasets.load("mnist", Split.TRAIN, null, 10));
            assertTrue(m.contains("downloads are off") && m.contains(dir.toString()), m);
        } finally {
            restore("hav.cache", previous);
            System.clearProperty("hav.offline");
        }
    }

    @Test
    void cacheFolderComesBeforeTheShippedCopy() throws IOException {
        String previous = System.getProperty("hav.cache");
        System.setProperty("hav.cache", dir.toString());
        try {
            writeMnist(Datasets.cacheDir("mnist"), "t10k", true, idx(1, 2, 28, 28), labels(3, 4));
            Dataset d = Datasets.load("mnist", Split.TEST, null, 0);
            assertEquals(2, d.size());
            assertEquals(Datasets.cacheDir("mnist").toAbsolutePath().toString(), d.source());
        } finally {
            restore("hav.cache", previous);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
