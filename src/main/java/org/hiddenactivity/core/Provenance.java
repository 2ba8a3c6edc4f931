package org.hiddenactivity.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where an artefact came from: parameters, seed, data and model hashes, versions, machine.
 * Recorded with every output (as Tribuo does with every model) because results depend on all of them.
 */
public final class Provenance {
    private final Map<String, Object> entries = new LinkedHashMap<>();

    private Provenance() {}

    /** Starts a record with the command, the time and the environment (JVM, OS, CPU, library versions). */
    public static Provenance of(String command) {
        Provenance p = new Provenance();
        p.entries.put("command", command);
        p.entries.put("created", Instant.now().toString());
        p.entries.put("environment", environmentCached());
        return p;
    }

    private static Map<String, Object> environment;

    private static synchronized Map<String, Object> environmentCached() {
        if (environment == null) {
            environment = Environment.describe();
        }
        return environment;
    }

    public Provenance put(String key, Object value) {
        entries.put(key, value);
        return this;
    }

    /** A copy of the entries, in insertion order, ready for JSON. */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(entries);
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a string (for cache keys built from parameters). */
    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a matrix's shape and values (for cache keys built from data). */
    public static String sha256(FloatMatrix m) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + m.data().length * 4);
            buf.putInt(m.rows()).putInt(m.cols());
            for (float v : m.data()) {
                buf.putFloat(v);
            }
            return HexFormat.of().formatHex(md.digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
