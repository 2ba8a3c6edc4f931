package org.hiddenactivity.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * Reading untrusted input files safely: only regular files (never a FIFO, a device or a folder, which would hang,
 * never end or mislead), checked by type and size before a byte is read, with errors that name the file.
 */
public final class RegularFiles {
    private RegularFiles() {}

    /**
     * Checks that {@code file} (after symlinks) is a regular file of at most {@code maxBytes}; returns its size.
     *
     * @param what what the file should be, for messages ("ONNX model", ".npy array")
     */
    public static long check(Path file, long maxBytes, String what) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            boolean dangling = Files.isSymbolicLink(file);
            throw new HavException(file.toString(), dangling ? "a symbolic link to a missing file" : "file not found",
                    "check the path");
        } catch (AccessDeniedException e) {
            throw new HavException(file.toString(), "permission denied", "make the " + what + " readable");
        } catch (IOException | SecurityException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the path and"
                    + " its permissions");
        }
        if (a.isDirectory()) {
            throw new HavException(file.toString(), "is a folder, not a file", "give the " + what + " file itself");
        }
        if (!a.isRegularFile()) {
            String link = Files.isSymbolicLink(file) ? " (through a symbolic link)" : "";
            throw new HavException(file.toString(), "is not a regular file" + link + " but a FIFO, device or socket",
                    "give a regular " + what + " file");
        }
        if (a.size() > maxBytes) {
            throw new HavException(file.toString(), what + " of " + human(a.size()) + ", more than the " + human(maxBytes)
                    + " accepted", "check that this is the right file");
        }
        return a.size();
    }

    /** The whole content of a regular file of at most {@code maxBytes} (see {@link #check}). */
    public static byte[] readAll(Path file, long maxBytes, String what) {
        long size = check(file, maxBytes, what);
        try (InputStream in = Files.newInputStream(file)) {
            // read at most one byte more than allowed: the size may have changed since it was checked
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Math.max(size, 0) + 1 + (1 << 20)));
            if (bytes.length > maxBytes) {
                throw new HavException(file.toString(), what + " grew past " + human(maxBytes) + " while it was read",
                        "check that this is the right file");
            }
            return bytes;
        } catch (AccessDeniedException e) {
            throw new HavException(file.toString(), "permission denied", "make the " + what + " readable");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the file and its"
                    + " permissions");
        }
    }

    /** A path from user text, or a clear error when the platform cannot represent it (e.g. non-ASCII under LC_ALL=C). */
    public static Path path(String text, String option) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new HavException(option + " " + text, "this path cannot be represented with the file-name encoding "
                    + System.getProperty("sun.jnu.encoding"), "run with a UTF-8 locale (export LC_ALL=C.UTF-8);"
                    + " the ./hav launcher does this itself");
        }
    }

    /** True when {@code file} exists and is not a symlink to nothing (no exception). */
    public static boolean exists(Path file) {
        return Files.exists(file) || Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
