package org.hiddenactivity.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;

/**
 * One source file of a dataset, on disk or on the classpath, read whole and gunzipped when it is gzip data.
 * Untrusted: the file type and size are checked before it is opened, and the content is read only up to the length
 * its own header declares (checked against {@link #MAX_CONTENT}), so a gzip bomb or {@code /dev/zero} stops after
 * a few bytes with an error naming the file.
 */
final class DataFile {
    /** No dataset file of the supported kinds is larger (MNIST's training images are 47 MB, CIFAR's batches 30 MB). */
    static final long MAX_CONTENT = 1L << 30;

    /** What the leading bytes of a format let a file declare. */
    interface Layout {
        /** How many leading bytes (of the uncompressed content) decide the length; fewer when the file is shorter. */
        int headerBytes();

        /** The exact content length the header declares; a {@link HavException} when the header is bad. */
        long declaredLength(byte[] header, int available, String file);

        /** The error for content that ends after {@code held} of {@code declared} bytes. */
        HavException truncated(String file, long held, long declared);

        /** The error for content longer than {@code declared}. */
        HavException tooLong(String file, long declared);
    }

    private final String name;
    private final Path path;
    private final String resource;
    private final byte[] bytes;

    private DataFile(String name, Path path, String resource, byte[] bytes) {
        this.name = name;
        this.path = path;
        this.resource = resource;
        this.bytes = bytes;
    }

    private DataFile(String name, Path path, String resource) {
        this(name, path, resource, null);
    }

    /** Content in memory under a name (the fuzz harnesses feed the parsers this way). */
    static DataFile bytes(String name, byte[] content) {
        return new DataFile(name, null, null, content);
    }

    static DataFile of(Path path) {
        return new DataFile(path.toString(), path, null);
    }

    /** A classpath resource (absolute name, starting with '/'); null when absent. */
    static DataFile resource(String absoluteName) {
        if (DataFile.class.getResource(absoluteName) == null) {
            return null;
        }
        return new DataFile("classpath:" + absoluteName, null, absoluteName);
    }

    /** For messages: the path or "classpath:/...". */
    String name() {
        return name;
    }

    /** The folder (or classpath folder) holding the file, for provenance. */
    String location() {
        if (path != null) {
            Path parent = path.toAbsolutePath().getParent();
            return parent == null ? "." : parent.toString();
        }
        if (bytes != null) {
            return "memory";
        }
        return "classpath:" + resource.substring(0, resource.lastIndexOf('/') + 1);
    }

    /**
     * The uncompressed content: gzip data (by its magic bytes, whatever the file name) is decompressed, never past
     * the length the header declares.
     */
    byte[] readContent(Layout layout) {
        long stored = -1;
        if (path != null) {
            stored = InputFiles.requireSize(path, "a dataset file", MAX_CONTENT, "no dataset file of this kind is larger");
        }
        try (InputStream raw = new BufferedInputStream(open(), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return read(gzip ? new GZIPInputStream(raw, 1 << 16) : raw, layout, gzip ? -1 : stored);
        } catch (EOFException e) {
            throw new HavException(name, "truncated gzip data (the file ends early)",
                    "the copy is incomplete; delete it and download or copy it again");
        } catch (ZipException e) {
            throw new HavException(name, "corrupt gzip data (" + e.getMessage() + ")",
                    "delete it and download or copy it again");
        } catch (IOException e) {
            throw new HavException(name, "cannot read (" + e.getMessage() + ")", "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }

    /** {@code storedLength}: the file's size when it is not compressed (compared before reading), else -1. */
    private byte[] read(InputStream in, Layout layout, long storedLength) throws IOException {
        byte[] header = in.readNBytes(layout.headerBytes());
        long declared = layout.declaredLength(header, header.length, name);
        if (declared > MAX_CONTENT) {
            throw new HavException(name, "the header declares " + InputFiles.bytes(declared) + " of data, more than "
                    + InputFiles.bytes(MAX_CONTENT) + " (no dataset file of this kind is that large)",
                    "the file is corrupt or not what its name says; download or copy it again");
        }
        if (declared < header.length) {
            throw layout.tooLong(name, declared);
        }
        if (storedLength >= 0 && storedLength < declared) {
            throw layout.truncated(name, storedLength, declared);
        }
        if (storedLength > declared) {
            throw layout.tooLong(name, declared);
        }
        InputFiles.requireHeap(declared, name, "reading it");
        byte[] content = Arrays.copyOf(header, (int) declared);
        int held = header.length + in.readNBytes(content, header.length, (int) declared - header.length);
        if (held < declared) {
            throw layout.truncated(name, held, declared);
        }
        if (in.read() >= 0) {
            throw layout.tooLong(name, declared); // one byte past the declared end is enough to know
        }
        return content;
    }

    private InputStream open() throws IOException {
        if (path != null) {
            return InputFiles.open(path, "a dataset file");
        }
        if (bytes != null) {
            return new java.io.ByteArrayInputStream(bytes);
        }
        InputStream in = DataFile.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource disappeared");
        }
        return in;
    }
}
