package org.hiddenactivity.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An output folder written as a transaction: the work writes into a hidden staging folder beside the target, and
 * {@link #commit()} moves its entries into the target at the end, so a failed or interrupted run leaves the previous
 * result (or nothing), never a mix. Only what hav wrote is replaced: the target's record of the last run
 * ({@value #LIST}) names each entry with the SHA-256 of its content, and an old entry is removed only when its content
 * still has that hash. A record copied with a folder therefore cannot make hav delete anything else: a user's file or
 * folder is never removed, and one that stands where the new run writes is kept under another name.
 */
public final class StagedOutput implements AutoCloseable {
    /** The record of the entries the last committed run wrote (SHA-256 and name), kept in the target folder. */
    public static final String LIST = ".hav-outputs";
    /** Inside a staging folder: the PID and start time of the process that writes it. */
    static final String OWNER = ".hav-staging-owner";
    /** A staging folder without an owner record (older hav, or killed before writing it) is stale after this. */
    static final java.time.Duration ORPHAN_AGE = java.time.Duration.ofHours(1);
    private static final String RECORD_HEADER = "# hav outputs 2: the SHA-256 and name of each entry the last run wrote";

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
            removeStaleStaging(t);
            Path staging = Files.createTempDirectory(t.getParent(), "." + t.getFileName() + ".staging-");
            Files.writeString(staging.resolve(OWNER), ownerRecord(ProcessHandle.current()), StandardCharsets.UTF_8);
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

    private static String ownerRecord(ProcessHandle process) {
        return "pid " + process.pid() + "\nstart " + process.info().startInstant().map(Instant::toString).orElse("unknown")
                + "\n";
    }

    /**
     * Removes the staging and backup folders of {@code target} that a killed run left: those whose owner process is
     * gone (or is another process with the same PID), and those without an owner record older than
     * {@link #ORPHAN_AGE}. A live run's folder is left alone.
     */
    static void removeStaleStaging(Path target) {
        String staging = "." + target.getFileName() + ".staging-";
        String previous = "." + target.getFileName() + ".previous-";
        List<Path> candidates;
        try (Stream<Path> s = Files.list(target.getParent())) {
            candidates = s.filter(p -> {
                String n = p.getFileName().toString();
                return (n.startsWith(staging) || n.startsWith(previous))
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            }).toList();
        } catch (IOException e) {
            return; // cannot list: nothing to clean, and the run's own write will report a real problem
        }
        for (Path p : candidates) {
            try {
                if (isStale(p)) {
                    deleteTree(p);
                    Warnings.warn("removed " + p + ", left by an interrupted run");
                }
            } catch (IOException e) {
                Warnings.warn("could not remove " + p + ", left by an interrupted run (" + e.getMessage() + ")");
            }
        }
    }

    private static boolean isStale(Path folder) throws IOException {
        Path record = folder.resolve(OWNER);
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS) || Files.size(record) > 200) {
            Instant modified = Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS).toInstant();
            return modified.isBefore(Instant.now().minus(ORPHAN_AGE));
        }
        long pid = -1;
        String start = null;
        for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
            if (line.startsWith("pid ")) {
                try {
                    pid = Long.parseLong(line.substring(4).trim());
                } catch (NumberFormatException e) {
                    pid = -1;
                }
            } else if (line.startsWith("start ")) {
                start = line.substring(6).trim();
            }
        }
        Optional<ProcessHandle> owner = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        // the PID may have been reused: the owner is alive only when it is the same process (same start time)
        Optional<Instant> started = owner.get().info().startInstant();
        if (started.isEmpty() || start == null || start.equals("unknown")) {
            return false;
        }
        try {
            return Math.abs(Instant.parse(start).toEpochMilli() - started.get().toEpochMilli()) > 1000;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
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
            Files.deleteIfExists(staging.resolve(OWNER));
            List<String> entries = list(staging);
            String record = record(staging, entries);
            if (!Files.exists(target)) {
                Files.writeString(staging.resolve(LIST), record, StandardCharsets.UTF_8);
                Files.move(staging, target);
                committed = true;
                return;
            }
            Map<String, String> previous = previousEntries();
            Path backup = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".previous-");
            Files.writeString(backup.resolve(OWNER), ownerRecord(ProcessHandle.current()), StandardCharsets.UTF_8);
            List<String> movedAside = new ArrayList<>();
            Map<String, String> keptAs = new LinkedHashMap<>();
            List<String> placed = new ArrayList<>();
            try {
                for (String e : union(entries, new ArrayList<>(previous.keySet()))) {
                    Path old = target.resolve(e);
                    if (!Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    if (previous.containsKey(e) && previous.get(e).equals(sha256(old))) {
                        Files.move(old, backup.resolve(e), LinkOption.NOFOLLOW_LINKS);
                        movedAside.add(e);
                    } else if (entries.contains(e)) {
                        // not what hav wrote (no record, or changed since): the user's, kept under a free name
                        String kept = freeName(e);
                        Files.move(old, target.resolve(kept), LinkOption.NOFOLLOW_LINKS);
                        keptAs.put(e, kept);
                    }
                }
                for (String e : entries) {
                    Files.move(staging.resolve(e), target.resolve(e), LinkOption.NOFOLLOW_LINKS);
                    placed.add(e);
                }
                AtomicFiles.writeString(target.resolve(LIST), record);
            } catch (IOException | RuntimeException e) {
                // roll back: the new entries leave, the old ones return
                for (String p : placed) {
                    Files.move(target.resolve(p), staging.resolve(p), LinkOption.NOFOLLOW_LINKS);
                }
                for (String m : movedAside) {
                    Files.move(backup.resolve(m), target.resolve(m), LinkOption.NOFOLLOW_LINKS);
                }
                for (Map.Entry<String, String> k : keptAs.entrySet()) {
                    Files.move(target.resolve(k.getValue()), target.resolve(k.getKey()), LinkOption.NOFOLLOW_LINKS);
                }
                deleteTree(backup);
                throw e;
            }
            committed = true;
            keptAs.forEach((e, kept) -> Warnings.warn(target.resolve(e) + " was not written by hav (the folder's "
                    + LIST + " has no matching record): kept as " + target.resolve(kept)));
            deleteTree(backup);
            deleteTree(staging);
        } catch (IOException e) {
            throw AtomicFiles.cannotWrite(target, e);
        }
    }

    /** {@code NAME.kept}, or {@code NAME.kept-2}, ...: the first name not taken in the target. */
    private String freeName(String name) {
        for (int i = 1; ; i++) {
            String candidate = name + ".kept" + (i == 1 ? "" : "-" + i);
            if (!Files.exists(target.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /** The record of {@code entries} (in {@code dir}): a header line, then one {@code SHA-256  name} line each. */
    private static String record(Path dir, List<String> entries) throws IOException {
        StringBuilder out = new StringBuilder(RECORD_HEADER).append('\n');
        for (String e : entries) {
            if (e.indexOf('\n') < 0 && e.indexOf('\r') < 0) {
                out.append(sha256(dir.resolve(e))).append("  ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** The previous run's entries with their recorded hashes; lines without a hash (older records) name nothing. */
    private Map<String, String> previousEntries() throws IOException {
        Path list = target.resolve(LIST);
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS) || Files.size(list) > MAX_RECORD_BYTES) {
            return out;
        }
        for (String line : new String(Files.readAllBytes(list), StandardCharsets.UTF_8).split("\n")) {
            if (line.length() < 67 || !line.substring(0, 64).matches("[0-9a-f]{64}")
                    || !line.startsWith("  ", 64)) {
                continue;
            }
            String e = line.substring(66);
            // only plain names of this folder: a tampered record must not move anything elsewhere
            if (!e.isEmpty() && !e.contains("/") && !e.contains("\\") && !e.equals(".") && !e.equals("..")
                    && !e.equals(LIST) && !e.equals(OWNER)) {
                out.put(e, line.substring(0, 64));
            }
        }
        return out;
    }

    private static final long MAX_RECORD_BYTES = 1 << 20;

    /**
     * The SHA-256 of an entry: of a file's bytes, a link's target, or a folder's whole tree (each path, its kind,
     * and its content's hash), links never followed.
     */
    static String sha256(Path entry) throws IOException {
        MessageDigest tree = sha256Digest();
        List<Path> paths;
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(entry)) {
                paths = s.sorted(Comparator.comparing(p -> entry.relativize(p).toString())).toList();
            }
        } else {
            paths = List.of(entry);
        }
        for (Path p : paths) {
            tree.update(entry.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
            tree.update((byte) 0);
            if (Files.isSymbolicLink(p)) {
                tree.update((byte) 'L');
                tree.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                tree.update((byte) 'D');
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                tree.update((byte) 'F');
                MessageDigest file = sha256Digest();
                try (InputStream in = Files.newInputStream(p)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        file.update(buf, 0, n);
                    }
                }
                tree.update(file.digest());
            } else {
                tree.update((byte) 'O');
            }
            tree.update((byte) 0);
        }
        return HexFormat.of().formatHex(tree.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
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
