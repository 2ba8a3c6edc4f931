package org.hiddenactivity.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Input files the user names, opened safely: only regular files (checked with {@code stat} before anything opens
 * them, so a FIFO never blocks and {@code /dev/zero} behind a symbolic link is refused), their size checked before
 * they are read, and memory for what they declare checked before it is allocated. Every refusal is a
 * {@link HavException} naming the file.
 */
public final class InputFiles {
    /** The most bytes one Java array holds (the JDK's own limit for {@code readAllBytes}). */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    private InputFiles() {}

    /**
     * Checks that {@code file} is a regular file (after following symbolic links) and returns its size in bytes.
     *
     * @param expected what should be there, for messages ("a .npy file", "an idx file")
     */
    public static long requireRegularFile(Path file, String expected) {
        BasicFileAttributes a = attributes(file, expected);
        if (a.isDirectory()) {
            throw new HavException(file.toString(), "is a folder; " + expected + " is expected here",
                    "give the file itself, not the folder that holds it");
        }
        if (!a.isRegularFile()) {
            throw new HavException(file.toString(), "not a regular file (a FIFO, device or socket" + linkTarget(file)
                    + "); " + expected + " is expected here", "copy the data into a regular file and give that");
        }
        return a.size();
    }

    /** Checks that {@code dir} is a folder (after following symbolic links). */
    public static void requireDirectory(Path dir, String expected, String fix) {
        BasicFileAttributes a = attributes(dir, expected);
        if (!a.isDirectory()) {
            throw new HavException(dir.toString(), (a.isRegularFile() ? "is a file" : "is not a folder" + linkTarget(dir))
                    + "; " + expected + " is expected here", fix);
        }
    }

    /** Checks that {@code path} is a regular file or a folder (for options that take either), nothing else. */
    public static void requireRegularOrDirectory(Path path, String option) {
        BasicFileAttributes a = attributes(path, "a file or folder for " + option);
        if (!a.isDirectory() && !a.isRegularFile()) {
            throw new HavException(path.toString(), "not a regular file or folder (a FIFO, device or socket"
                    + linkTarget(path) + ")", "give " + option + " a regular file or a folder");
        }
    }

    /**
     * Checks that {@code file} is a regular file of at most {@code maxBytes} and returns its size.
     *
     * @param why what makes the limit ("no idx file of MNIST's kind is larger"), for the message
     */
    public static long requireSize(Path file, String expected, long maxBytes, String why) {
        long size = requireRegularFile(file, expected);
        if (size > maxBytes) {
            throw new HavException(file.toString(), "is " + bytes(size) + ", more than " + bytes(maxBytes)
                    + " (" + why + ")", "check that this is the right file");
        }
        return size;
    }

    /** Opens a checked regular file for reading; a permission problem is a clear error. */
    public static InputStream open(Path file, String expected) {
        requireRegularFile(file, expected);
        try {
            return Files.newInputStream(file);
        } catch (AccessDeniedException e) {
            throw new HavException(file.toString(), "permission denied", "check the file's permissions");
        } catch (NoSuchFileException e) {
            throw new HavException(file.toString(), "file not found (it disappeared while being read)", "check the path");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }

    /** Reads a regular file of at most {@code maxBytes} whole; checked before and while reading. */
    public static byte[] readAll(Path file, String expected, long maxBytes, String why) {
        long max = Math.min(maxBytes, MAX_ARRAY_BYTES);
        long size = requireSize(file, expected, max, why);
        requireHeap(size, file.toString(), "reading it");
        try (InputStream in = open(file, expected)) {
            // one byte more than stat said, to notice a file that changes while it is read
            byte[] content = in.readNBytes((int) Math.min(size + 1, MAX_ARRAY_BYTES));
            if (content.length != size) {
                throw new HavException(file.toString(), "changed size while being read (" + size + " bytes, then "
                        + content.length + (content.length > size ? " or more" : "") + ")",
                        "give a file that is not being written to");
            }
            return content;
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }

    /**
     * Refuses, before the allocation, what would not fit in the heap: {@code bytes} for {@code what} of
     * {@code subject}. Exit code 3 (a machine limit, not bad input).
     */
    public static void requireHeap(long bytes, String subject, String what) {
        if (bytes <= available()) {
            return;
        }
        System.gc(); // what is free after a collection is what counts; this runs at most once per refusal
        if (bytes > available()) {
            Runtime rt = Runtime.getRuntime();
            throw new HavException(subject, what + " needs " + bytes(bytes) + " of memory, the Java heap has "
                    + bytes(available()) + " free of " + bytes(rt.maxMemory()),
                    "lower --size, or raise the heap (HAV_JAVA_OPTS=-Xmx16g)", HavException.EXIT_RUNTIME, null);
        }
    }

    /** Runs an allocation, turning an {@link OutOfMemoryError} into an error that names the file. */
    public static <T> T allocate(Supplier<T> allocation, long bytes, String subject, String what) {
        requireHeap(bytes, subject, what);
        try {
            return allocation.get();
        } catch (OutOfMemoryError e) {
            throw new HavException(subject, what + " needs " + bytes(bytes) + " of memory, more than the Java heap has",
                    "lower --size, or raise the heap (HAV_JAVA_OPTS=-Xmx16g)", HavException.EXIT_RUNTIME, null);
        }
    }

    /** The problem text for a path the locale cannot represent (shared with the option converters of the CLI). */
    public static String localeProblem() {
        return "the path has characters that this locale's charset (" + Charset.defaultCharset()
                + (System.getProperty("sun.jnu.encoding") != null ? ", file names " + System.getProperty("sun.jnu.encoding") : "")
                + ") cannot represent";
    }

    /** What to do about {@link #localeProblem()}. */
    public static String localeFix() {
        return "run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8; the hav launcher switches to it by itself when the"
                + " locale is plain ASCII and C.UTF-8 is installed";
    }

    /** "1.5 GiB"-style size for messages. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    private static BasicFileAttributes attributes(Path file, String expected) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            String dangling = Files.isSymbolicLink(file) ? " (a symbolic link to a missing file)" : "";
            throw new HavException(file.toString(), "not found" + dangling, "check the path; " + expected
                    + " is expected here");
        } catch (AccessDeniedException e) {
            throw new HavException(file.toString(), "permission denied", "check the permissions of the file and its"
                    + " folders");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot read (" + e.getMessage() + ")", "check the path",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }

    private static String linkTarget(Path file) {
        if (!Files.isSymbolicLink(file)) {
            return "";
        }
        try {
            return ", behind a symbolic link to " + file.toRealPath();
        } catch (IOException e) {
            return ", behind a symbolic link";
        }
    }

    /** A path from user text, or a clear error when the platform cannot represent it (e.g. non-ASCII under LC_ALL=C). */
    public static Path path(String text, String option) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new HavException(option + " " + text, localeProblem(), localeFix());
        }
    }

    /** True when {@code file} exists as anything (without following a final symbolic link). */
    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }
}
