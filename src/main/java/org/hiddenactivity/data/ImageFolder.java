package org.hiddenactivity.data;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Warnings;

/**
 * The user's own images in torchvision's ImageFolder layout: {@code DIR/CLASS_NAME/**}/*.png|jpg|jpeg|bmp. Classes
 * are the subfolders sorted by name (code point order, as Python sorts), files sorted as torchvision's
 * {@code make_dataset} walks them (folders in sorted path order, files sorted within a folder), so class indices
 * and row order are those of a model trained with {@code torchvision.datasets.ImageFolder}. Images keep their own
 * channel count (grey 1, colour 3 in RGB order; an alpha channel is dropped as torchvision's RGB loader drops it)
 * and must all share one size, channel count and bit depth.
 */
final class ImageFolder {
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");
    /** No single image file of the supported kinds needs more (a 32768 x 32768 RGB PNG is at most ~3 GB raw). */
    private static final long MAX_FILE = 512L << 20;
    private static final int MAX_DEPTH = 32;
    private static final Comparator<String> PYTHON_ORDER = ImageFolder::compareCodePoints;

    private ImageFolder() {}

    /** One image file and its class index. */
    record Entry(Path file, int label) {}

    /** A decoded image: its size, channels, bit depth, and its pixel values in CHW order, RGB, not yet scaled. */
    record Decoded(int width, int height, int channels, int bits, boolean droppedAlpha, float[] chw) {
        String describe() {
            return width + "x" + height + ", " + channels + (channels == 1 ? " channel" : " channels") + ", "
                    + bits + "-bit";
        }
    }

    static Dataset load(Path dir, PixelScale givenScale, int size) {
        InputFiles.requireDirectory(dir, "an image folder (DIR/CLASS_NAME/*.png|jpg)", "give the folder whose"
                + " subfolders are the classes, or a .npy file of images");
        List<String> classes = classFolders(dir);
        List<Entry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> files = imageFiles(dir.resolve(classes.get(c)), skipped);
            if (files.isEmpty()) {
                throw new HavException(dir.resolve(classes.get(c)).toString(), "class folder without images ("
                        + String.join("|", EXTENSIONS) + ")", "put its images there or remove the folder (torchvision's"
                        + " ImageFolder refuses it too)");
            }
            for (Path f : files) {
                entries.add(new Entry(f, c));
            }
        }
        if (!skipped.isEmpty()) {
            Warnings.warn(dir + ": skipped " + skipped.size() + " file(s) that are not " + String.join(", ", EXTENSIONS)
                    + " (e.g. " + skipped.get(0) + ")");
        }
        if (classes.size() < 2) {
            throw new HavException(dir.toString(), "one class folder only (" + classes.get(0) + ")",
                    "the analyses compare classes; give a folder with a subfolder per class");
        }
        int total = entries.size();
        int n = size <= 0 ? total : Math.min(size, total);
        MessageDigest digest = Npy.sha256();
        for (String c : classes) {
            digest.update(c.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        float[] pixels = null;
        int[] labels = new int[n];
        Decoded first = null;
        Path firstFile = null;
        PixelScale scale = givenScale;
        float[] table = null;
        boolean droppedAlpha = false;
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            String name = e.file().toString();
            byte[] bytes = InputFiles.readAll(e.file(), "an image file", MAX_FILE, "no image of the supported size is"
                    + " larger");
            ImageHeaders.Size declared = ImageHeaders.peek(bytes, name);
            if (first != null && (declared.width() != first.width() || declared.height() != first.height())) {
                throw odd(e.file(), declared.width() + "x" + declared.height(), firstFile, first);
            }
            Decoded img = decode(bytes, name);
            if (first == null) {
                first = img;
                firstFile = e.file();
                long values = (long) n * img.chw().length;
                if (values > InputFiles.MAX_ARRAY_BYTES / 4) {
                    throw new HavException(dir.toString(), n + " images of " + img.describe() + " are " + values
                            + " values, more than one Java array holds", "lower --size");
                }
                pixels = InputFiles.allocate(() -> new float[(int) values], 4 * values, dir.toString(),
                        "reading " + n + " images of " + img.describe());
                if (scale == null) {
                    scale = img.bits() == 16 ? PixelScale.SHORT : PixelScale.BYTE;
                }
                table = img.bits() == 8 ? PixelScale.table(scale) : null;
            } else if (img.width() != first.width() || img.height() != first.height()
                    || img.channels() != first.channels() || img.bits() != first.bits()) {
                throw odd(e.file(), img.describe(), firstFile, first);
            }
            droppedAlpha |= img.droppedAlpha();
            int d = img.chw().length;
            for (int k = 0; k < d; k++) {
                float v = img.chw()[k];
                pixels[i * d + k] = table != null ? table[(int) v] : scale.apply(v);
            }
            labels[i] = e.label();
            String relative = dir.relativize(e.file()).toString().replace('\\', '/');
            digest.update(relative.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
            digest.update(bytes);
        }
        if (droppedAlpha) {
            Warnings.warnOnce("alpha:" + dir, dir + ": the alpha channel of RGBA images was dropped (as torchvision's"
                    + " ImageFolder loader does, converting to RGB)");
        }
        Targets.warnMissingClasses(labels, classes, total, dir.getFileName() == null ? dir.toString()
                : dir.getFileName().toString());
        String folderName = dir.toAbsolutePath().normalize().getFileName() == null ? dir.toAbsolutePath().toString()
                : dir.toAbsolutePath().normalize().getFileName().toString();
        DataOrigin origin = new DataOrigin("image-folder", first.bits() + "-bit " + (first.channels() == 1 ? "grey"
                : "RGB") + " " + first.width() + "x" + first.height() + ", decoded by OpenCV" + (first.channels() == 3
                ? " (BGR converted to RGB)" : "") + ", first " + n + " of " + total + " images read", scale,
                List.of(dir.toAbsolutePath().toString()));
        return new Dataset(folderName, Split.ALL, new FloatMatrix(n, first.chw().length, pixels), labels,
                first.channels(), first.height(), first.width(), classes, Datasets.hex(digest.digest()),
                dir.toAbsolutePath().toString(), origin);
    }

    private static HavException odd(Path file, String what, Path firstFile, Decoded first) {
        return new HavException(file.toString(), "is " + what + " but the first image (" + firstFile + ") is "
                + first.describe() + "; all images must share one size, channel count and bit depth",
                "convert them to one size and mode (e.g. ImageMagick: mogrify -resize " + first.width() + "x"
                        + first.height() + "! " + (first.channels() == 1 ? "-colorspace Gray" : "-type TrueColor")
                        + " FILES), or move the odd ones out");
    }

    /** The charset Java decodes file names with (UTF-8 in the launcher's locale). */
    private static String charsetName() {
        String jnu = System.getProperty("sun.jnu.encoding");
        return jnu == null ? java.nio.charset.Charset.defaultCharset().name() : jnu;
    }

    /** The class subfolders, sorted as Python sorts strings. */
    private static List<String> classFolders(Path dir) {
        List<String> classes = new ArrayList<>();
        boolean imagesAtTop = false;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p)) {
                    String name = p.getFileName().toString();
                    if (!Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        // the name's bytes are not valid in the file-name charset, so the decoded name leads nowhere
                        throw new HavException(dir.resolve(name).toString(), "a class folder whose name is not valid "
                                + charsetName() + " (its undecodable bytes are shown as \uFFFD); its class name"
                                + " and order could not match torchvision's", "rename the folder to a " + charsetName()
                                + " name, e.g. with convmv -f latin1 -t utf8 -r --notest " + dir);
                    }
                    classes.add(name);
                } else if (isImageName(p.getFileName().toString())) {
                    imagesAtTop = true;
                }
            }
        } catch (IOException e) {
            throw new HavException(dir.toString(), "cannot list the folder (" + e.getMessage() + ")",
                    "check its permissions");
        }
        if (classes.isEmpty()) {
            throw new HavException(dir.toString(), "no class subfolders" + (imagesAtTop ? " (the images lie directly"
                    + " in it)" : ""), "put each class's images in a subfolder named after the class:"
                    + " DIR/CLASS_NAME/*.png");
        }
        classes.sort(PYTHON_ORDER);
        return classes;
    }

    /** The image files under a class folder, in torchvision's order; other files are added to {@code skipped}. */
    private static List<Path> imageFiles(Path classDir, List<String> skipped) {
        Map<String, List<Path>> byFolder = new TreeMap<>(PYTHON_ORDER);
        try {
            Files.walkFileTree(classDir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (!isImageName(name)) {
                        if (!attrs.isDirectory()) {
                            skipped.add(file.toString());
                        }
                        return FileVisitResult.CONTINUE;
                    }
                    if (!attrs.isRegularFile()) {
                        InputFiles.requireRegularFile(file, "an image file"); // names what it is instead
                    }
                    byFolder.computeIfAbsent(file.getParent().toString(), k -> new ArrayList<>()).add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof FileSystemLoopException) {
                        throw new HavException(file.toString(), "a symbolic link loop in the image folder",
                                "remove the link");
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new HavException(classDir.toString(), "cannot list the folder (" + e.getMessage() + ")",
                    "check its permissions");
        }
        List<Path> files = new ArrayList<>();
        for (List<Path> inFolder : byFolder.values()) {
            inFolder.sort(Comparator.comparing(p -> p.getFileName().toString(), PYTHON_ORDER));
            files.addAll(inFolder);
        }
        return files;
    }

    static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /**
     * Decodes one image file's bytes with OpenCV ({@code imdecode}, so that Java opens the file: type and size
     * checks, hashing and non-ASCII names work as for every other input), keeping grey, 8 or 16 bits.
     */
    static Decoded decode(byte[] bytes, String file) {
        ImageHeaders.Size declared = ImageHeaders.peek(bytes, file);
        // the native copy of the bytes is freed here, not whenever the garbage collector gets to it
        try (BytePointer data = new BytePointer(bytes);
             Mat buf = new Mat(1, bytes.length, CV_8UC1, data);
             Mat m = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_UNCHANGED)) {
            if (m == null || m.empty()) {
                throw new HavException(file, "OpenCV cannot decode it (a corrupt or unsupported " + declared.format()
                        + " file)", "replace the file or move it out of the image folder");
            }
            int w = m.cols();
            int h = m.rows();
            int c = m.channels();
            int depth = m.depth();
            if (w != declared.width() || h != declared.height()) {
                throw new HavException(file, "decodes to " + w + "x" + h + " but its header says " + declared.width()
                        + "x" + declared.height(), "replace the file");
            }
            if (depth != CV_8U && depth != CV_16U) {
                throw new HavException(file, "pixels of OpenCV depth " + depth + " (8 or 16 bits are read)",
                        "save it with 8-bit channels");
            }
            if (c != 1 && c != 3 && c != 4) {
                throw new HavException(file, c + " channels (1, 3 or 4 are read)", "save it as grey or RGB");
            }
            if (!m.isContinuous()) {
                throw new IllegalStateException("imdecode returned a non-continuous Mat for " + file);
            }
            int plane = w * h;
            float[] interleaved = new float[plane * c];
            if (depth == CV_8U) {
                byte[] raw = new byte[plane * c];
                m.data().get(raw);
                for (int i = 0; i < raw.length; i++) {
                    interleaved[i] = raw[i] & 0xff;
                }
            } else {
                short[] raw = new short[plane * c];
                new ShortPointer(m.data()).get(raw);
                for (int i = 0; i < raw.length; i++) {
                    interleaved[i] = raw[i] & 0xffff;
                }
            }
            int out = c == 1 ? 1 : 3;
            float[] chw = new float[plane * out];
            for (int p = 0; p < plane; p++) {
                if (out == 1) {
                    chw[p] = interleaved[p];
                } else {
                    // OpenCV stores B, G, R(, A): channel k of RGB is stored channel 2 - k
                    for (int k = 0; k < 3; k++) {
                        chw[k * plane + p] = interleaved[p * c + 2 - k];
                    }
                }
            }
            return new Decoded(w, h, out, depth == CV_8U ? 8 : 16, c == 4, chw);
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
