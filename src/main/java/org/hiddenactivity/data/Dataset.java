package org.hiddenactivity.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.hiddenactivity.core.FloatMatrix;

/**
 * A labelled image dataset in memory.
 *
 * @param name       dataset name ("mnist", "fashion-mnist", "cifar10")
 * @param split      train or test
 * @param images     one row per observation, C*H*W pixel values in [0, 1], channel-major (CHW) order
 * @param labels     class index of each row, 0..classNames.size()-1
 * @param channels   C
 * @param height     H
 * @param width      W
 * @param classNames name of each class index
 * @param sha256     SHA-256 of the uncompressed source files (images then labels, or the batch files in order),
 *                   the same whether they were read gzip-compressed or raw; identifies the data in provenance and caches
 * @param source     where the files were read from (a folder, or "classpath:..."), for messages and provenance
 */
public record Dataset(String name, Split split, FloatMatrix images, int[] labels, int channels, int height, int width,
                      List<String> classNames, String sha256, String source) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.rows() != labels.length) {
            throw new IllegalArgumentException(images.rows() + " images but " + labels.length + " labels");
        }
        if ((long) channels * height * width != images.cols()) {
            throw new IllegalArgumentException("images have " + images.cols() + " values per row, " + channels + "x"
                    + height + "x" + width + " expected");
        }
        classNames = List.copyOf(classNames);
    }

    /** Number of observations. */
    public int size() {
        return labels.length;
    }

    /** Values per observation (C*H*W). */
    public int features() {
        return images.cols();
    }

    /** The first {@code n} observations (all when {@code n <= 0} or {@code n >= size()}); same sha256 and source. */
    public Dataset head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new Dataset(name, split, images.head(n), Arrays.copyOf(labels, n), channels, height, width, classNames,
                sha256, source);
    }

    /** "mnist/test (2000 of ...)" style description. */
    public String describe() {
        return name + "/" + split.id() + ", " + size() + " observations of " + channels + "x" + height + "x" + width
                + " from " + source;
    }
}
