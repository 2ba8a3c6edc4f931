package org.hiddenactivity.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** idx and CIFAR-10 files that are not what they claim: each refused quickly, naming the file, exit code 2. */
class HostileDataFilesTest {
    @TempDir
    Path dir;

    private static String refused(Runnable r) {
        HavException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(HavException.class, r::run));
        assertEquals(HavException.EXIT_BAD_INPUT, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    private void labels(int n) throws IOException {
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), DatasetsTest.labels(new int[n]));
    }

    /** gzip of an idx header for n x 28 x 28 followed by {@code zeros} zero bytes, written without holding them. */
    private Path gzipBomb(String name, byte[] header, long zeros) throws IOException {
        Path p = dir.resolve(name);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16)) {
            out.write(header);
            for (long left = zeros; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return p;
    }

    @Test
    void gzipBombStopsAtWhatTheHeaderDeclares() throws IOException {
        // declares 1 image of 28 x 28, then inflates to 64 MB more
        byte[] header = ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(28).putInt(28).array();
        Path bomb = gzipBomb("t10k-images-idx3-ubyte.gz", header, 64L << 20);
        labels(1);
        long t0 = System.nanoTime();
        String m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(m.startsWith(bomb.toString()) && m.contains("more bytes than the header announces"), m);
        assertTrue(seconds < 5, "stopped after the declared length, not after inflating everything: " + seconds + " s");
    }

    @Test
    void headersDeclaringMoreThanAnyIdxFileAreRefusedBeforeReading() throws IOException {
        // 60000 x 65535 x 65535: 257 TB
        byte[] header = ByteBuffer.allocate(16).putInt(0x803).putInt(60000).putInt(65535).putInt(65535).array();
        Path p = gzipBomb("t10k-images-idx3-ubyte.gz", header, 1 << 20);
        labels(60000);
        String m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.startsWith(p.toString()) && m.contains("more than 1.0 GiB"), m);
    }

    @Test
    void dimensionsWhoseProductWrapsSixtyFourBitsAreRefused() throws IOException {
        // 2^22 * 2^21 * 2^21 = 2^64, which wraps to 0 in a long: the old check then accepted a header-only file
        Path p = dir.resolve("t10k-images-idx3-ubyte");
        Files.write(p, ByteBuffer.allocate(16).putInt(0x803).putInt(1 << 22).putInt(1 << 21).putInt(1 << 21).array());
        labels(1 << 22);
        String m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.startsWith(p.toString()) && m.contains("more than 1.0 GiB"), m);
        Files.write(p, ByteBuffer.allocate(16).putInt(0x803).putInt(-3).putInt(28).putInt(28).array());
        m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("negative dimension -3"), m);
        Files.write(p, ByteBuffer.allocate(16).putInt(0x803).putInt(0).putInt(28).putInt(28).array());
        m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("is 0 (no images)"), m);
    }

    @Test
    void fifosDevicesAndFoldersAreRefusedWithoutOpeningThem() throws Exception {
        labels(1);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        Files.createSymbolicLink(images, Path.of("/dev/zero"));
        String m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.startsWith(images.toString()) && m.contains("not a regular file")
                && m.contains("symbolic link to /dev/zero"), m);
        Files.delete(images);
        Process mk = new ProcessBuilder("mkfifo", images.toString()).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo not available");
        m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.contains("not a regular file (a FIFO"), m);
        Files.delete(images);
        Files.createDirectory(images);
        m = refused(() -> Datasets.load("mnist", Split.TEST, dir, 0));
        assertTrue(m.startsWith(images.toString()) && m.contains("is a folder"), m);
        // and the reverse: a file where a folder is expected
        Path file = dir.resolve("t10k-labels-idx1-ubyte");
        m = refused(() -> Datasets.load("mnist", Split.TEST, file, 0));
        assertTrue(m.contains("is not a folder"), m);
        // the checkpoint hash (used by the model stage) must not block on a FIFO either
        Path fifo = dir.resolve("epoch_000.onnx");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        m = refused(() -> Datasets.sha256(fifo));
        assertTrue(m.contains("not a regular file"), m);
    }

    @Test
    void cifarBombAndTruncationAtARecordBoundary() throws IOException {
        Path bomb = gzipBomb("test_batch.bin.gz", new byte[0], 64L << 20);
        String m = refused(() -> Datasets.load("cifar10", Split.TEST, dir, 0));
        assertTrue(m.startsWith(bomb.toString()) && m.contains("longer than a CIFAR-10 batch"), m);
        Files.delete(bomb);
        Files.write(dir.resolve("test_batch.bin"), DatasetsTest.cifarBatch(5000, 0));
        m = refused(() -> Datasets.load("cifar10", Split.TEST, dir, 100));
        assertTrue(m.contains("holds 5000 records; every CIFAR-10 batch has 10000"), m);
    }

    @Test
    void imagesGivenAsAFifoOrDeviceAreRefused() throws Exception {
        Path zero = dir.resolve("x.npy");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        String m = refused(() -> Datasets.load(new DatasetRequest(null, null, null, zero, dir.resolve("y.npy"), null,
                null, null, 0)));
        assertTrue(m.contains("not a regular file or folder") && m.contains("/dev/zero"), m);
        Path fifo = dir.resolve("y.npy");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo not available");
        org.hiddenactivity.core.Npy.writeRaw(dir.resolve("ok.npy"), "|u1", new int[] {2, 2, 2}, new byte[8]);
        m = refused(() -> Datasets.load(new DatasetRequest(null, null, null, dir.resolve("ok.npy"), fifo, null, null,
                null, 0)));
        assertTrue(m.startsWith(fifo.toString()) && m.contains("FIFO"), m);
        // a FIFO named like an image inside an ImageFolder
        Path root = dir.resolve("imgs");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        new ProcessBuilder("mkfifo", root.resolve("a/1.png").toString()).start().waitFor();
        m = refused(() -> Datasets.load(new DatasetRequest(null, null, null, root, null, null, null, null, 0)));
        assertTrue(m.contains("a/1.png") && m.contains("FIFO"), m);
    }

    @Test
    void nonAsciiPathsWorkUnderAUtf8Locale() throws IOException {
        Path d = dir.resolve("données-ß");
        Files.createDirectories(d);
        Files.write(d.resolve("t10k-images-idx3-ubyte"), DatasetsTest.idx(1, 2, 2, 2));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), DatasetsTest.labels(3, 4));
        assertEquals(2, Datasets.load("mnist", Split.TEST, d, 0).size());
    }
}
