package org.hiddenactivity.projection;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.hiddenactivity.core.Environment;

/**
 * What identifies the t-SNE engine in provenance and projection cache keys: the project version and a fingerprint
 * of the engine as it runs, SHA-256 of every class and native library under org/hiddenactivity/projection (names and
 * bytes, in name order). A version string alone ("dev" when run from classes) would not change when the code does,
 * and a cached projection would then come from another engine.
 */
public final class EngineVersion {
    private static final String PREFIX = "org/hiddenactivity/projection/";
    private static volatile String id;

    private EngineVersion() {}

    /** "VERSION+FINGERPRINT12", e.g. "1.0.0+3fa2c91b07de"; "VERSION+unknown" when the classes cannot be read. */
    public static String id() {
        String v = id;
        if (v == null) {
            v = Environment.havVersion() + "+" + fingerprint();
            id = v;
        }
        return v;
    }

    private static String fingerprint() {
        try {
            Path where = Path.of(EngineVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(where)) {
                Path root = where.resolve(PREFIX);
                List<Path> files = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(files::add);
                }
                files.sort(null);
                for (Path f : files) {
                    md.update(root.relativize(f).toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()).stream()
                            .filter(e -> !e.isDirectory() && e.getName().startsWith(PREFIX)).toList());
                    entries.sort(java.util.Comparator.comparing(JarEntry::getName));
                    for (JarEntry e : entries) {
                        md.update(e.getName().substring(PREFIX.length()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        try (InputStream in = jar.getInputStream(e)) {
                            md.update(in.readAllBytes());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            return "unknown";
        }
    }
}
