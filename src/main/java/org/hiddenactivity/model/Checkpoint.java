package org.hiddenactivity.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalDouble;
import org.hiddenactivity.data.Datasets;

/**
 * One ONNX file of a series: the network after {@code epoch} epochs of training (0 = untrained). Its SHA-256 is
 * computed from the file on first use (and compared with the manifest's when the manifest gives one).
 */
public final class Checkpoint {
    private final int epoch;
    private final Path path;
    private final String manifestSha256;
    private final Double testAccuracy;
    private volatile String sha256;

    public Checkpoint(int epoch, Path path, String manifestSha256, Double testAccuracy) {
        this.epoch = epoch;
        this.path = Objects.requireNonNull(path, "path");
        this.manifestSha256 = manifestSha256;
        this.testAccuracy = testAccuracy;
    }

    public int epoch() {
        return epoch;
    }

    public Path path() {
        return path;
    }

    /** SHA-256 of the file as it is now (hashed once, then remembered). */
    public String sha256() {
        String s = sha256;
        if (s == null) {
            s = Datasets.sha256(path);
            sha256 = s;
        }
        return s;
    }

    /** The SHA-256 the manifest recorded, or null. */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** Test accuracy recorded in the manifest, if any. */
    public OptionalDouble testAccuracy() {
        return testAccuracy == null ? OptionalDouble.empty() : OptionalDouble.of(testAccuracy);
    }

    @Override
    public String toString() {
        return "epoch " + epoch + " (" + path.getFileName() + ")";
    }
}
