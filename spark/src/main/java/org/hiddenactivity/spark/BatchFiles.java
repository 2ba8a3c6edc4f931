package org.hiddenactivity.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The batch folder on any Hadoop file system (local, HDFS, S3A, ...): {@code runs/NAME/} (committed runs),
 * {@code _staging/} (attempts in progress), the index and comparison files.
 */
final class BatchFiles {
    static final String RUNS = "runs";
    static final String STAGING = "_staging";
    /** Written last into a run's folder before it is committed: its spec, provenance and outcome. */
    static final String RUN_RECORD = "hav-run.json";

    final FileSystem fs;
    final Path root;

    BatchFiles(String dir, Configuration conf) {
        try {
            Path p = new Path(dir);
            FileSystem f = p.getFileSystem(conf);
            // the local file system's checksummed wrapper would leave a .crc file beside every output
            this.fs = f instanceof LocalFileSystem local ? local.getRawFileSystem() : f;
            this.root = fs.makeQualified(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the batch folder " + dir + ": " + e.getMessage(), e);
        }
    }

    Path run(String name) {
        return new Path(new Path(root, RUNS), name);
    }

    Path staging(String name) {
        return new Path(new Path(root, STAGING), name);
    }

    Path file(String name) {
        return new Path(root, name);
    }

    /** A path as the user wrote it for the local file system (no file: prefix), else the full URI. */
    String display(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** Relative link from the batch folder to a file of a run. */
    static String link(String run, String file) {
        return RUNS + "/" + run + "/" + file;
    }

    String readText(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes a small file whole: into a sibling first, then renamed over the old one. */
    void writeText(Path p, String text) throws IOException {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp");
        try (OutputStream out = fs.create(tmp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (fs.exists(p) && !fs.delete(p, false)) {
            throw new IOException("cannot replace " + p);
        }
        if (!fs.rename(tmp, p)) {
            throw new IOException("cannot rename " + tmp + " to " + p);
        }
    }

    boolean exists(Path p) throws IOException {
        return fs.exists(p);
    }
}
