package org.hiddenactivity.data;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Warnings;

/**
 * The user's own images as a .npy array (N x H x W, N x H x W x C or N x C x H x W; uint8 or float) with a .npy of
 * N class indices. Only the first {@code size} images are read; their bytes and the whole targets file make the
 * dataset's SHA-256.
 */
final class NpyImages {
    /** Images with more channels than this are not images (and a 4-D array with such an axis is not NCHW/NHWC). */
    private static final List<Integer> CHANNEL_COUNTS = List.of(1, 3, 4);
    /** Without names, more classes than this are a sign of the wrong file (ids, not class indices). */
    static final int MAX_UNNAMED_CLASSES = 10000;

    private NpyImages() {}

    enum Layout { NCHW, NHWC }

    static Dataset load(Path imagesFile, Path targetsFile, List<String> givenNames, String layoutOption,
                        PixelScale givenScale, int size) {
        if (targetsFile == null) {
            throw new HavException("--images " + imagesFile, "no --targets given for the .npy images",
                    "add --targets TARGETS.npy, the class index of every image (or give --images an ImageFolder"
                            + " folder, whose subfolders are the classes)");
        }
        Layout forced = parseLayout(layoutOption);
        MessageDigest digest = Npy.sha256();
        String file = imagesFile.toString();
        try (Npy.Reader r = Npy.Reader.open(imagesFile, digest)) {
            Npy.Header h = r.header();
            int[] s = h.shape();
            if (s.length < 3 || s.length > 4) {
                throw new HavException(file, "expected images N x H x W, N x H x W x C or N x C x H x W, found "
                        + h.describe(), s.length == 2 ? "reshape flattened images with X.reshape(N, H, W) or"
                        + " X.reshape(N, H, W, C)" : "save the images as one array of that shape");
            }
            int total = s[0];
            if (total == 0) {
                throw new HavException(file, "holds no images (" + h.describe() + ")", "give a file with images");
            }
            Layout layout = s.length == 3 ? Layout.NHWC : layout(h, forced);
            int c = s.length == 3 ? 1 : layout == Layout.NCHW ? s[1] : s[3];
            int height = s.length == 3 ? s[1] : layout == Layout.NCHW ? s[2] : s[1];
            int width = s.length == 3 ? s[2] : layout == Layout.NCHW ? s[3] : s[2];
            if (c == 0 || height == 0 || width == 0) {
                throw new HavException(file, "images of size 0 (" + h.describe() + ")", "give real images");
            }
            PixelScale scale = scale(h, givenScale);
            int n = size <= 0 ? total : Math.min(size, total);
            int d = c * height * width; // the file's size bounds the product (checked when opened)
            long values = (long) n * d;
            if (values > InputFiles.MAX_ARRAY_BYTES / 4) {
                throw new HavException(file, n + " images of " + c + "x" + height + "x" + width + " are "
                        + values + " values, more than one Java array holds", "lower --size");
            }
            float[] rows;
            if (h.fortranOrder()) {
                // column-major storage: the first rows are not contiguous, so the whole array is read and reordered
                float[] all = r.readAllFloats();
                rows = n == total ? all : java.util.Arrays.copyOf(all, (int) values);
            } else {
                rows = InputFiles.allocate(() -> new float[(int) values], 4 * values, file, "reading " + n + " images");
                r.readFloats(rows, 0, (int) values);
            }
            float[] chw = s.length == 4 && layout == Layout.NHWC && c > 1 ? hwcToChw(rows, n, height, width, c) : rows;
            scaleAndCheck(chw, scale, d, file, h);
            String description = h.dtype().numpyName() + " " + (s.length == 3 ? "NHW" : layout.name()) + " "
                    + Npy.shapeString(s) + (h.fortranOrder() ? " Fortran order" : "")
                    + (h.order() == java.nio.ByteOrder.BIG_ENDIAN && h.dtype().size() > 1 ? " big-endian" : "")
                    + ", first " + n + " of " + total + " images read";
            Targets t = Targets.read(targetsFile, total, givenNames, digest);
            int[] labels = java.util.Arrays.copyOf(t.values(), n);
            Targets.warnMissingClasses(labels, t.names(), total, imagesFile.getFileName().toString());
            DataOrigin origin = new DataOrigin("npy", description, scale,
                    List.of(imagesFile.toAbsolutePath().toString(), targetsFile.toAbsolutePath().toString()));
            return new Dataset(imagesFile.getFileName().toString(), Split.ALL, new FloatMatrix(n, d, chw), labels, c,
                    height, width, t.names(), Datasets.hex(digest.digest()), imagesFile.toAbsolutePath().toString(),
                    origin);
        }
    }

    static Layout parseLayout(String option) {
        if (option == null) {
            return null;
        }
        return switch (option.trim().toLowerCase(Locale.ROOT)) {
            case "nchw" -> Layout.NCHW;
            case "nhwc" -> Layout.NHWC;
            default -> throw new HavException("--images-layout " + option, "unknown layout",
                    "use nhwc (N x H x W x C, numpy/PIL/TensorFlow) or nchw (N x C x H x W, PyTorch)");
        };
    }

    /** The layout of a 4-D array: the option's, else the one whose channel axis has 1, 3 or 4 entries. */
    private static Layout layout(Npy.Header h, Layout forced) {
        int[] s = h.shape();
        if (forced != null) {
            return forced;
        }
        boolean nchw = CHANNEL_COUNTS.contains(s[1]);
        boolean nhwc = CHANNEL_COUNTS.contains(s[3]);
        if (nchw && nhwc) {
            throw new HavException(h.file(), "shape " + Npy.shapeString(s) + " could be N x C x H x W (" + s[1]
                    + " channels of " + s[2] + "x" + s[3] + ") or N x H x W x C (" + s[3] + " channels of " + s[1] + "x"
                    + s[2] + ")", "say which with --images-layout nchw or --images-layout nhwc");
        }
        if (!nchw && !nhwc) {
            throw new HavException(h.file(), "shape " + Npy.shapeString(s) + " has no channel axis of 1, 3 or 4"
                    + " entries at position 1 (N x C x H x W) or 3 (N x H x W x C)",
                    "check the array, or say which axis holds the channels with --images-layout nchw|nhwc");
        }
        return nchw ? Layout.NCHW : Layout.NHWC;
    }

    private static PixelScale scale(Npy.Header h, PixelScale given) {
        if (given != null) {
            return given;
        }
        return switch (h.dtype()) {
            case UINT8 -> PixelScale.BYTE;
            case FLOAT32, FLOAT64 -> PixelScale.ONE;
            default -> throw new HavException(h.file(), h.dtype().numpyName() + " images: no default scale",
                    "say how to scale them, e.g. --scale 1/65535 for 16-bit pixels, or --scale 1 to use them as they"
                            + " are (uint8 defaults to 1/255, float to 1)");
        };
    }

    private static float[] hwcToChw(float[] hwc, int n, int h, int w, int c) {
        float[] out = new float[hwc.length];
        int plane = h * w;
        int d = plane * c;
        for (int i = 0; i < n; i++) {
            int base = i * d;
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    out[base + k * plane + p] = hwc[base + p * c + k];
                }
            }
        }
        return out;
    }

    /** Applies the scale in place; refuses NaN and infinities; warns once when float data leaves [0, 1] as is. */
    private static void scaleAndCheck(float[] v, PixelScale scale, int d, String file, Npy.Header h) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        boolean identity = scale.factor() == 1;
        for (int i = 0; i < v.length; i++) {
            float x = identity ? v[i] : scale.apply(v[i]);
            if (!Float.isFinite(x)) {
                throw new HavException(file, "image " + (i / d) + " has a " + (Float.isNaN(v[i]) ? "NaN" : "infinite")
                        + " value (element " + (i % d) + " of its C x H x W values"
                        + (Float.isFinite(v[i]) ? ", after --scale " + scale.text() : "") + ")",
                        "replace it (numpy.nan_to_num) or leave the image out");
            }
            v[i] = x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (h.dtype().isFloat() && !scale.explicit() && (min < 0 || max > 1)) {
            Warnings.warnOnce("float-images-range:" + file, file + ": float images are used as they are (scale 1);"
                    + String.format(Locale.ROOT, " their values span [%.4g, %.4g], outside [0, 1]", min, max)
                    + ". If they are 0..255 pixels pass --scale 1/255; if the range is intended pass --scale 1 to"
                    + " silence this");
        }
    }
}
