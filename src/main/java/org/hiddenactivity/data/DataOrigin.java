package org.hiddenactivity.data;

import java.util.List;
import java.util.Objects;

/**
 * How a dataset's rows were made from its files, beyond their hash: recorded in provenance and in cache keys
 * (the same bytes read with another layout or scale are other data).
 *
 * @param format      "idx", "cifar10-binary", "npy", "image-folder", or "in-memory" (built by code, e.g. tests)
 * @param description how the stored values were read ("uint8 NHWC (100, 28, 28, 1)", "png/jpg, RGB from BGR")
 * @param scale       the factor applied to the stored values
 * @param files       the files the rows and labels came from, absolute (folders for the built-in datasets)
 */
public record DataOrigin(String format, String description, PixelScale scale, List<String> files) {
    public DataOrigin {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(scale, "scale");
        files = List.copyOf(files);
    }

    /** For datasets built in memory by code (no files): values taken as given. */
    public static DataOrigin inMemory() {
        return new DataOrigin("in-memory", "values as given", PixelScale.ONE, List.of());
    }
}
