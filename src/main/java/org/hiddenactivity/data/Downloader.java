package org.hiddenactivity.data;

import org.hiddenactivity.core.Warnings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.HavException;

/** Fetches a dataset file from its canonical source into the cache, checked by SHA-256, written atomically. */
final class Downloader {
    private Downloader() {}

    /** True when the user forbade downloads (-Dhav.offline=true or HAV_OFFLINE=1). */
    static boolean offline() {
        return Boolean.getBoolean("hav.offline") || "1".equals(System.getenv("HAV_OFFLINE"))
                || "true".equalsIgnoreCase(System.getenv("HAV_OFFLINE"));
    }

    /**
     * Downloads the first mirror that answers into {@code target}; the file appears only when its SHA-256 matches.
     */
    static void fetch(List<URI> mirrors, Path target, String sha256) {
        List<String> failures = new ArrayList<>();
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        for (URI url : mirrors) {
            Warnings.notice("downloading " + url + " to " + target);
            try {
                HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    response.body().close();
                    failures.add(url + ": HTTP " + response.statusCode());
                    continue;
                }
                MessageDigest digest = sha256Digest();
                // AtomicFiles deletes the temporary file when the check below throws, so no bad copy is left
                AtomicFiles.write(target, out -> {
                    try (InputStream in = response.body(); OutputStream d = new DigestOutputStream(out, digest)) {
                        in.transferTo(d);
                        d.flush();
                        String got = hex(digest.digest());
                        if (!got.equals(sha256)) {
                            throw new HavException(url.toString(), "downloaded file has SHA-256 " + got + ", expected "
                                    + sha256, "the mirror served a different or damaged file; try again later or"
                                    + " copy the file by hand into " + target.getParent());
                        }
                    }
                });
                Warnings.notice("checked SHA-256 of " + target.getFileName());
                return;
            } catch (HavException e) {
                failures.add(e.getMessage());
            } catch (IOException | RuntimeException e) {
                failures.add(url + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HavException(url.toString(), "download interrupted", "run again");
            }
        }
        throw new HavException(target.getFileName().toString(), "download failed: " + String.join("; ", failures),
                "check the network, or download the file yourself into " + target.getParent()
                        + " (or pass --data-dir)");
    }

    /**
     * Extracts the regular files under {@code prefix} of an uncompressed-after-gunzip tar archive into {@code dir},
     * each atomically. Written here (ustar headers only) to avoid a dependency for the one archive we unpack.
     */
    static void untar(Path archive, String prefix, Path dir) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break; // end-of-archive block
                }
                String name = cString(header, 0, 100);
                String ustarPrefix = cString(header, 345, 155);
                // POSIX ustar ("ustar\0") has a name prefix field; old GNU tar ("ustar ") uses those bytes otherwise
                boolean posix = new String(header, 257, 6, StandardCharsets.US_ASCII).equals("ustar\0");
                if (posix && !ustarPrefix.isEmpty()) {
                    name = ustarPrefix + "/" + name;
                }
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                byte type = header[156];
                long padded = (size + 511) / 512 * 512;
                boolean regular = type == '0' || type == 0;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (regular && name.startsWith(prefix) && !base.isEmpty() && !base.contains("..")) {
                    byte[] content = in.readNBytes((int) size);
                    if (content.length != size) {
                        throw new IOException("archive truncated inside " + name);
                    }
                    AtomicFiles.writeBytes(dir.resolve(base), content);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.US_ASCII);
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
