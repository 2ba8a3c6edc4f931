package org.hiddenactivity.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.hiddenactivity.core.HavException;

/** One source file of a dataset, on disk or on the classpath, read whole and gunzipped when it is gzip data. */
final class DataFile {
    private final String name;
    private final Path path;
    private final String resource;

    private DataFile(String name, Path path, String resource) {
        this.name = name;
        this.path = path;
        this.resource = resource;
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
        return "classpath:" + resource.substring(0, resource.lastIndexOf('/') + 1);
    }

    /** The uncompressed content: gzip data (by its magic bytes, whatever the file name) is decompressed. */
    byte[] readContent() {
        byte[] raw;
        try (InputStream in = open()) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new HavException(name, "cannot read (" + e.getMessage() + ")", "check the file's permissions", 
                    HavException.EXIT_BAD_INPUT, e);
        }
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
                return in.readAllBytes();
            } catch (EOFException e) {
                throw new HavException(name, "truncated gzip data (the file ends early)",
                        "the copy is incomplete; delete it and download or copy it again");
            } catch (ZipException e) {
                throw new HavException(name, "corrupt gzip data (" + e.getMessage() + ")",
                        "delete it and download or copy it again");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decompress " + name + ": " + e.getMessage(), e);
            }
        }
        return raw;
    }

    private InputStream open() throws IOException {
        if (path != null) {
            return Files.newInputStream(path);
        }
        InputStream in = DataFile.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource disappeared");
        }
        return in;
    }
}
