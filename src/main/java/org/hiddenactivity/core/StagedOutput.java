package org.hiddenactivity.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An output folder written as a transaction: the work writes into a hidden staging folder beside the target, and
 * {@link #commit()} moves its entries into the target at the end, so a failed or interrupted run leaves the previous
 * result (or nothing), never a mix. Only what hav wrote is replaced: the target's list of entries from the last run
 * ({@value #LIST}) says which old entries to remove; other files a user keeps in the folder stay.
 */
public final class StagedOutput implements AutoCloseable {
    /** The list of entries the last committed run wrote, kept in the target folder. */
    public static final String LIST = ".hav-outputs";

    private final Path target;
    private final Path staging;
    private final Thread onInterrupt;
    private volatile boolean committed;

    private StagedOutput(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
        // Ctrl-C ends the JVM without unwinding: the hook still removes the half-written staging folder
        this.onInterrupt = new Thread(this::discard, "hav-staging-cleanup");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
    }

    /** Checks that {@code target} can be a folder we write (before any computation), then creates the staging folder. */
    public static StagedOutput begin(Path target, String option) {
        Path t = target.toAbsolutePath().normalize();
        checkWritableFolder(t, option);
        try {
            Files.createDirectories(t.getParent());
            Path staging = Files.createTempDirectory(t.getParent(), "." + t.getFileName() + ".staging-");
            try {
                // temporary folders are private (0700); the output folder it becomes should have the usual 0755
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the default permissions
            }
            return new StagedOutput(t, staging);
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(t, e);
        }
    }

    /** A clear error now, not after the computation, when {@code folder} cannot be an output folder. */
    public static void checkWritableFolder(Path folder, String option) {
        Path f = folder.toAbsolutePath().normalize();
        if (Files.exists(f) && !Files.isDirectory(f)) {
            throw new HavException(option + " " + folder, "is an existing file, not a folder", "give a folder (it is"
                    + " created when missing)");
        }
        if (f.getParent() == null) {
            throw new HavException(option + " " + folder, "is the root folder", "give a folder to write into");
        }
        Path parent = nearestExisting(f.getParent());
        if (parent == null || !Files.isDirectory(parent)) {
            throw new HavException(option + " " + folder, "lies under a file, not a folder", "give a folder path");
        }
        if (!Files.isWritable(parent) || (Files.isDirectory(f) && !Files.isWritable(f))) {
            throw new HavException(option + " " + folder, (Files.isDirectory(f) && !Files.isWritable(f) ? f : parent)
                    + " is not writable", "choose a writable folder");
        }
    }

    /** A clear error now, not after the computation, when {@code file} cannot be written (a folder, read-only). */
    public static void checkWritableFile(Path file, String option) {
        Path f = file.toAbsolutePath().normalize();
        if (Files.isDirectory(f)) {
            throw new HavException(option + " " + file, "is a folder", "give a file name, e.g. " + f.resolve("x.npy"));
        }
        if (Files.exists(f) && !Files.isRegularFile(f)) {
            throw new HavException(option + " " + file, "exists and is not a regular file", "give another file name");
        }
        Path parent = nearestExisting(f.getParent());
        if (parent == null || !Files.isDirectory(parent)) {
            throw new HavException(option + " " + file, "lies under a file, not a folder", "give a file path");
        }
        if (!Files.isWritable(parent)) {
            throw new HavException(option + " " + file, parent + " is not writable", "choose a writable folder");
        }
    }

    private static Path nearestExisting(Path p) {
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    /** Where the work writes. */
    public Path dir() {
        return staging;
    }

    /** The final folder. */
    public Path target() {
        return target;
    }

    /** {@code p} as it will be named after the commit (a path inside the staging folder moves to the target). */
    public Path finalPath(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return a.startsWith(staging) ? target.resolve(staging.relativize(a)) : p;
    }

    /** Every path-like string in a result (maps, lists) renamed from the staging folder to the target. */
    public Object finalPaths(Object value) {
        String prefix = staging.toString();
        if (value instanceof String s) {
            return s.startsWith(prefix) ? target + s.substring(prefix.length()) : s;
        }
        if (value instanceof Path p) {
            return finalPath(p);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, finalPaths(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(finalPaths(v)));
            return out;
        }
        return value;
    }

    /** The same error with staging paths named as the final ones (the user never sees the hidden folder). */
    public HavException renamed(HavException e) {
        return new HavException(e.subject() == null ? null : (String) finalPaths(e.subject()),
                e.problem() == null ? null : (String) finalPaths(e.problem()), e.fix(), e.exitCode(), e.getCause());
    }

    /** Moves the staged entries into the target, replacing the entries of the last run; all or (on error) nothing. */
    public void commit() {
        try {
            List<String> entries = list(staging);
            if (!Files.exists(target)) {
                Files.writeString(staging.resolve(LIST), String.join("\n", entries) + "\n", StandardCharsets.UTF_8);
                Files.move(staging, target);
                committed = true;
                return;
            }
            List<String> previous = previousEntries();
            Path backup = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".previous-");
            List<String> movedAside = new ArrayList<>();
            List<String> placed = new ArrayList<>();
            try {
                for (String e : union(entries, previous)) {
                    if (Files.exists(target.resolve(e), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(target.resolve(e), backup.resolve(e));
                        movedAside.add(e);
                    }
                }
                for (String e : entries) {
                    Files.move(staging.resolve(e), target.resolve(e));
                    placed.add(e);
                }
                AtomicFiles.writeString(target.resolve(LIST), String.join("\n", entries) + "\n");
            } catch (IOException | RuntimeException e) {
                // roll back: the new entries leave, the old ones return
                for (String p : placed) {
                    Files.move(target.resolve(p), staging.resolve(p));
                }
                for (String m : movedAside) {
                    Files.move(backup.resolve(m), target.resolve(m));
                }
                deleteTree(backup);
                throw e;
            }
            committed = true;
            deleteTree(backup);
            deleteTree(staging);
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(target, e);
        }
    }

    private List<String> previousEntries() throws IOException {
        Path list = target.resolve(LIST);
        if (!Files.isRegularFile(list)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String e = line.trim();
            // only plain names of this folder: a tampered list must not move anything elsewhere
            if (!e.isEmpty() && !e.contains("/") && !e.contains("\\") && !e.equals(".") && !e.equals("..")
                    && !e.equals(LIST)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String x : b) {
            if (!out.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LIST)).sorted().toList();
        }
    }

    /** Removes the staging folder unless committed: a failed run leaves nothing of its own. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs discard()
        }
        discard();
    }

    private void discard() {
        if (!committed) {
            try {
                deleteTree(staging);
            } catch (IOException e) {
                Warnings.warn("could not remove the staging folder " + staging + " (" + e.getMessage() + ")");
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException e) {
                    // a file appeared meanwhile: leave the folder
                }
            }
        }
    }
}
