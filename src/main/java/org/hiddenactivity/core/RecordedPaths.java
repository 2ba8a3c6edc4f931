package org.hiddenactivity.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How input paths are written into outputs that may be shared (reports, result JSON): by default relative to the
 * output folder when both lie under a common folder at least two levels deep (so {@code /home/alice/} itself is never
 * written), else as the base name with the file's SHA-256 (a folder: its base name; its contents' hashes are recorded
 * elsewhere, e.g. checkpoints_sha256, dataset_sha256). {@code --record-paths absolute} writes them as they are.
 */
public final class RecordedPaths {
    /** Relative or base name + SHA-256 (the default), or absolute. */
    public enum Mode { RELATIVE, ABSOLUTE }

    /** An absolute path inside free text: after the start, a space, '(' or '='; up to a space or delimiter. */
    private static final Pattern ABSOLUTE_IN_TEXT = Pattern.compile("(?<=^|[\\s(=])/[^\\s,;()\\[\\]\"']+");

    private final Mode mode;
    private final Path outputDir;
    private final Map<String, String> cache = new LinkedHashMap<>();

    /** {@code outputDir}: the folder the output ends up in (null: no folder, so base names). */
    public RecordedPaths(Mode mode, Path outputDir) {
        this.mode = mode;
        this.outputDir = outputDir == null ? null : outputDir.toAbsolutePath().normalize();
    }

    /** The {@code --record-paths} value as a mode, or a usage error naming the option. */
    public static Mode mode(String option) {
        return switch (option == null ? "relative" : option.toLowerCase(java.util.Locale.ROOT)) {
            case "relative" -> Mode.RELATIVE;
            case "absolute" -> Mode.ABSOLUTE;
            default -> throw new HavException("--record-paths " + option, "unknown value",
                    "use relative (the default: relative to the output, or base name and SHA-256) or absolute");
        };
    }

    /** The recorded form of one input path. */
    public synchronized String path(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return cache.computeIfAbsent(a.toString(), k -> form(a));
    }

    private String form(Path a) {
        if (mode == Mode.ABSOLUTE) {
            return a.toString();
        }
        if (outputDir != null && commonDepth(a, outputDir) >= 2) {
            String r = outputDir.relativize(a).toString().replace('\\', '/');
            return r.isEmpty() ? "." : r;
        }
        String name = a.getFileName() == null ? "/" : a.getFileName().toString();
        if (Files.isRegularFile(a)) {
            return name + " (sha256 " + sha256(a) + ")";
        }
        return name;
    }

    private static int commonDepth(Path a, Path b) {
        int n = 0;
        while (n < a.getNameCount() && n < b.getNameCount() && a.getName(n).equals(b.getName(n))) {
            n++;
        }
        return n;
    }

    /**
     * {@code text} with every occurrence of the {@code known} absolute paths (longest first), then of any other
     * absolute path of an existing file or folder, in its recorded form.
     */
    public String text(String text, Collection<Path> known) {
        return rewrite(text, known, true);
    }

    private String rewrite(String text, Collection<Path> known, boolean anyExisting) {
        if (text == null || mode == Mode.ABSOLUTE) {
            return text;
        }
        List<Path> sorted = new ArrayList<>();
        for (Path k : known) {
            if (k != null) {
                sorted.add(k.toAbsolutePath().normalize());
            }
        }
        sorted.sort(Comparator.comparingInt((Path k) -> k.toString().length()).reversed());
        String out = text;
        for (Path k : sorted) {
            if (out.contains(k.toString())) {
                out = out.replace(k.toString(), path(k));
            }
        }
        if (!anyExisting) {
            return out;
        }
        Matcher m = ABSOLUTE_IN_TEXT.matcher(out);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Path p;
            try {
                p = Path.of(m.group());
            } catch (java.nio.file.InvalidPathException e) {
                continue;
            }
            m.appendReplacement(b, Matcher.quoteReplacement(Files.exists(p) ? path(p) : m.group()));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Every string of maps and lists (recursively) with the {@code known} paths rewritten (only those: values such as
     * tensor names may look like absolute paths).
     */
    public Object values(Object value, Collection<Path> known) {
        if (value instanceof String s) {
            return rewrite(s, known, false);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, values(v, known)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(values(v, known)));
            return out;
        }
        return value;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest md = Npy.sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
