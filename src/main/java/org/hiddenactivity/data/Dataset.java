package org.hiddenactivity.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hiddenactivity.core.FloatMatrix;

/**
 * A labelled image dataset in memory.
 *
 * @param name       dataset name ("mnist", "fashion-mnist", "cifar10"; for the user's own data the file or folder
 *                   name, e.g. "digits.npy", "flowers")
 * @param split      train or test; {@link Split#ALL} for the user's own data
 * @param images     one row per observation, C*H*W pixel values after scaling ({@link DataOrigin#scale()}: in [0, 1]
 *                   for 8-bit data with the default scale), channel-major (CHW) order, RGB for colour
 * @param labels     class index of each row, 0..classNames.size()-1
 * @param channels   C
 * @param height     H
 * @param width      W
 * @param classNames name of each class index
 * @param sha256     SHA-256 of the content read: the uncompressed source files of a built-in dataset (images then
 *                   labels, or the batch files in order; the same whether read gzip-compressed or raw); for the
 *                   user's own data the bytes actually read (see {@link Datasets}); identifies the data in
 *                   provenance and caches together with {@link #origin()}
 * @param source     where the files were read from (a folder, a file, or "classpath:..."), for messages and provenance
 * @param origin     format, layout and scale: how the rows were made from the bytes
 */
public record Dataset(String name, Split split, FloatMatrix images, int[] labels, int channels, int height, int width,
                      List<String> classNames, String sha256, String source, DataOrigin origin) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(origin, "origin");
        if (images.rows() != labels.length) {
            throw new IllegalArgumentException(images.rows() + " images but " + labels.length + " labels");
        }
        if ((long) channels * height * width != images.cols()) {
            throw new IllegalArgumentException("images have " + images.cols() + " values per row, " + channels + "x"
                    + height + "x" + width + " expected");
        }
        classNames = List.copyOf(classNames);
    }

    /** A dataset built in memory by code (tests, generated data): {@link DataOrigin#inMemory()}. */
    public Dataset(String name, Split split, FloatMatrix images, int[] labels, int channels, int height, int width,
                   List<String> classNames, String sha256, String source) {
        this(name, split, images, labels, channels, height, width, classNames, sha256, source, DataOrigin.inMemory());
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
                sha256, source, origin);
    }

    /**
     * What identifies the rows for caches: name, split, hash, format, layout, scale and shape. Two datasets with the
     * same key have the same rows (for the same {@link #size()}).
     */
    public String key() {
        return String.join("|", name, split.id(), sha256, origin.format(), origin.description(), origin.scale().key(),
                channels + "x" + height + "x" + width);
    }

    /** Everything provenance records about the data (name, split, hash, source, format, scale, shape, files). */
    public Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("split", split.id());
        p.put("sha256", sha256);
        p.put("source", source);
        p.put("format", origin.format());
        p.put("read_as", origin.description());
        p.put("scale", origin.scale().text());
        p.put("scale_is_default", !origin.scale().explicit());
        p.put("observations", size());
        p.put("shape_chw", List.of(channels, height, width));
        p.put("classes", classNames);
        if (!origin.files().isEmpty()) {
            p.put("files", origin.files());
        }
        return p;
    }

    /**
     * "mnist/test, 2000 observations of 1x28x28 from FOLDER (idx: uint8 ..., scale 1/255 (default))": what provenance
     * records as the dataset's source, so it carries the format, layout and scale too.
     */
    public String describe() {
        return name + "/" + split.id() + ", " + size() + " observations of " + channels + "x" + height + "x" + width
                + " from " + source + " (" + origin.format() + ": " + origin.description() + "; scale "
                + origin.scale() + ")";
    }
}
