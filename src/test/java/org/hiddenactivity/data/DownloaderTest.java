package org.hiddenactivity.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.hiddenactivity.core.HavException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download and unpack paths, against a server on localhost (no network). */
class DownloaderTest {
    @TempDir
    Path dir;

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsTheFileOnlyWhenItsSha256Matches() throws Exception {
        byte[] body = "pretend idx content".getBytes(StandardCharsets.US_ASCII);
        String sha = Downloader.hex(MessageDigest.getInstance("SHA-256").digest(body));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/f.gz", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI good = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/f.gz");
            URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/absent.gz");
            Path cache = dir.resolve("cache");
            Files.createDirectories(cache);
            HavException e = assertThrows(HavException.class,
                    () -> Downloader.fetch(List.of(good), cache.resolve("bad.gz"), "0".repeat(64)));
            assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
            assertEquals(List.of(), files(cache)); // neither the file nor a temporary copy is left
            // the first mirror fails (404), the second is used
            Downloader.fetch(List.of(missing, good), cache.resolve("f.gz"), sha);
            assertArrayEquals(body, Files.readAllBytes(cache.resolve("f.gz")));
            assertEquals(List.of("f.gz"), files(cache));
        } finally {
            server.stop(0);
        }
    }

    /** A ustar header block for a regular file. */
    private static byte[] header(String name, int size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        byte[] s = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, h, 124, s.length);
        h[156] = '0';
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        return h;
    }

    @Test
    void unpacksTheBatchFolderOfATarGz() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] batch = DatasetsTest.cifarBatch(10000, 0);
        byte[] readme = "hello".getBytes(StandardCharsets.US_ASCII);
        for (Object[] entry : new Object[][] {{"cifar-10-batches-bin/test_batch.bin", batch},
                {"other/readme.txt", readme}}) {
            byte[] content = (byte[]) entry[1];
            tar.write(header((String) entry[0], content.length));
            tar.write(content);
            tar.write(new byte[(512 - content.length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        Path archive = dir.resolve("a.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            out.write(tar.toByteArray());
        }
        Path target = dir.resolve("cifar-10-batches-bin");
        Downloader.untar(archive, "cifar-10-batches-bin/", target);
        assertEquals(List.of("test_batch.bin"), files(target));
        Dataset d = Datasets.load("cifar10", Split.TEST, dir, 0);
        assertEquals(10000, d.size());
    }

    /** Debian's dataset-fashion-mnist, when installed on this machine (skipped otherwise). */
    @Test
    void findsDebiansFashionMnist() {
        Assumptions.assumeTrue(Files.isRegularFile(Datasets.DEBIAN_FASHION.resolve("t10k-labels-idx1-ubyte.gz")),
                "dataset-fashion-mnist not installed");
        String previous = System.getProperty("hav.cache");
        System.setProperty("hav.cache", dir.toString());
        try {
            Dataset d = Datasets.load("fashion-mnist", Split.TEST, null, 100);
            assertEquals(Datasets.DEBIAN_FASHION.toString(), d.source());
            assertEquals(100, d.size());
            assertEquals(28, d.width());
            // the first Fashion-MNIST test item is an ankle boot (9), the second a pullover (2)
            assertEquals(9, d.labels()[0]);
            assertEquals(2, d.labels()[1]);
        } finally {
            if (previous == null) {
                System.clearProperty("hav.cache");
            } else {
                System.setProperty("hav.cache", previous);
            }
        }
    }
}
