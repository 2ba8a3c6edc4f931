package org.hiddenactivity.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.Npy;

/**
 * Loads MNIST, Fashion-MNIST and CIFAR-10 (binary version). Looks, in order, in the folder the user gave (and
 * then only there), the cache folder, Debian's dataset-fashion-mnist install, the copy shipped on the classpath
 * (the MNIST test split), and finally downloads from the canonical source into the cache, checked by SHA-256.
 */
public final class Datasets {
    /** The dataset names {@link #load} accepts. */
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10");

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> CIFAR = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    /** SHA-256 of the canonical downloads (as published by torchvision / TensorFlow Datasets and checked by them). */
    private static final Map<String, String> MNIST_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
    private static final Map<String, String> FASHION_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5");
    private static final List<String> MNIST_MIRRORS = List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/");
    // the S3 website endpoint has no TLS; the SHA-256 check is what makes the plain-HTTP copy safe to use
    private static final List<String> FASHION_MIRRORS = List.of(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");
    private static final String CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    private static final String CIFAR_ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String CIFAR_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd";
    private static final String CIFAR_FOLDER = "cifar-10-batches-bin";
    /** Where Debian's package dataset-fashion-mnist installs the four files. */
    static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    private Datasets() {}

    /**
     * Loads the first {@code size} observations ({@code size <= 0}: all) of a split of a built-in dataset, with the
     * default scale (1/255).
     *
     * @param name    "mnist", "fashion-mnist" or "cifar10" (case-insensitive; "fashion_mnist", "cifar-10" accepted)
     * @param dataDir a folder given by the user, or null; when given, the files must be in it (or in its
     *                subfolder named after the dataset), nothing else is searched
     */
    public static Dataset load(String name, Split split, Path dataDir, int size) {
        return load(DatasetRequest.builtin(name, split, dataDir, size));
    }

    /**
     * Loads what a command asked for: a built-in dataset, or the user's own .npy images and targets, or an
     * ImageFolder. The combination of options is checked first (each conflict is a clear error).
     */
    public static Dataset load(DatasetRequest r) {
        check(r);
        PixelScale scale = r.scale() == null ? null : PixelScale.parse(r.scale());
        if (r.userData()) {
            Path images = r.images();
            InputFiles.requireRegularOrDirectory(images, "--images");
            if (Files.isDirectory(images)) {
                return ImageFolder.load(images, scale, r.size());
            }
            return NpyImages.load(images, r.targets(), ClassNames.parse(r.classNames()), r.imagesLayout(), scale,
                    r.size());
        }
        String id = canonicalName(r.dataset());
        Split split = r.split() == null ? Split.TEST : r.split();
        List<DataFile> files = locate(id, split, r.dataDir());
        PixelScale s = scale == null ? PixelScale.BYTE : scale;
        return id.equals("cifar10") ? readCifar(files, split, r.size(), s) : readIdx(id, split, files, r.size(), s);
    }

    private static void check(DatasetRequest r) {
        checkOptions(r);
        if (r.images() == null && r.dataset() == null) {
            throw new HavException("dataset", "no dataset given (and the model does not name one)",
                    "pass --dataset " + String.join("|", NAMES) + ", or your own data with --images");
        }
    }

    /**
     * Checks the combination of data options, without requiring a dataset name (a caller may fill it in from a
     * manifest afterwards): --dataset with --images, options of your own data without --images, and so on.
     */
    public static void checkOptions(DatasetRequest r) {
        String builtinFix = "give one: --dataset for a built-in dataset, --images (with --targets) for your own";
        if (r.images() != null && r.dataset() != null) {
            throw new HavException("--dataset " + r.dataset() + " and --images " + r.images(), "both given",
                    builtinFix);
        }
        if (r.images() == null) {
            String only = r.targets() != null ? "--targets" : r.classNames() != null ? "--class-names"
                    : r.imagesLayout() != null ? "--images-layout" : null;
            if (only != null) {
                throw new HavException(only, "is for your own data and needs --images",
                        "add --images IMAGES.npy (or an image folder), or leave out " + only + " for a built-in"
                                + " dataset");
            }
            return;
        }
        if (r.dataDir() != null) {
            throw new HavException("--data-dir " + r.dataDir(), "is where the built-in datasets are looked up",
                    "with --images give the file or folder itself, and leave out --data-dir");
        }
        if (r.split() != null && r.split() != Split.ALL) {
            throw new HavException("--split " + r.split().id(), "your own data (--images) has no split",
                    "leave out --split; the first --size rows of --images are used");
        }
        if (Files.isDirectory(r.images())) {
            String extra = r.targets() != null ? "--targets" : r.classNames() != null ? "--class-names"
                    : r.imagesLayout() != null ? "--images-layout" : null;
            if (extra != null) {
                throw new HavException(extra, "does not apply to an image folder (" + r.images() + "): its"
                        + " subfolders are the classes and their names the class names", "leave out " + extra);
            }
        }
    }

    /** The number of classes of a built-in dataset (any spelling {@link #canonicalName} takes), or -1 for others. */
    public static int classCount(String name) {
        try {
            return switch (canonicalName(name)) {
                case "mnist" -> DIGITS.size();
                case "fashion-mnist" -> FASHION.size();
                default -> CIFAR.size();
            };
        } catch (HavException e) {
            return -1;
        }
    }

    /** Canonical dataset name, or a clear error listing the known ones and suggesting the nearest. */
    public static String canonicalName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "mnist" -> "mnist";
            case "fashion-mnist", "fashionmnist", "fmnist" -> "fashion-mnist";
            case "cifar10", "cifar-10" -> "cifar10";
            default -> {
                String nearest = org.hiddenactivity.core.Suggest.nearest(n, NAMES);
                throw new HavException("dataset '" + name + "'", "unknown dataset" + (nearest == null ? ""
                        : "; did you mean " + nearest + "?"), "use one of " + String.join(", ", NAMES)
                        + ", or your own data with --images");
            }
        };
    }

    /** The cache folder of a dataset: $HAV_CACHE (or -Dhav.cache, else ~/.cache/hidden-activity)/datasets/NAME. */
    public static Path cacheDir(String name) {
        String base = System.getProperty("hav.cache");
        if (base == null || base.isBlank()) {
            base = System.getenv("HAV_CACHE");
        }
        Path root = base == null || base.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "hidden-activity") : Path.of(base);
        return root.resolve("datasets").resolve(canonicalName(name));
    }

    // ---------------------------------------------------------------- finding the files

    private static List<DataFile> locate(String id, Split split, Path dataDir) {
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) {
                throw new HavException(dataDir.toString(), Files.exists(dataDir) ? "is not a folder" : "no such folder",
                        "give the folder that holds the " + id + " files, or leave out --data-dir to use the cache or a"
                                + " download");
            }
            List<DataFile> found = findIn(id, split, candidates(id, dataDir));
            if (found == null) {
                throw new HavException(dataDir.toString(), "no " + id + " " + split.id() + " files ("
                        + String.join(", ", expectedNames(id, split)) + ") in it or in " + id + "/",
                        "put them there (gzip or raw), or leave out --data-dir to use the cache or a download from "
                                + sourceDescription(id));
            }
            return found;
        }
        Path cache = cacheDir(id);
        List<DataFile> found = findIn(id, split, candidates(id, cache));
        if (found == null && id.equals("fashion-mnist")) {
            found = findIn(id, split, List.of(DEBIAN_FASHION));
        }
        if (found == null) {
            found = shipped(id, split);
        }
        if (found == null) {
            if (Downloader.offline()) {
                throw new HavException(id + " " + split.id(), "not found in " + cache + " and downloads are off"
                        + " (hav.offline / HAV_OFFLINE)", "put " + String.join(", ", expectedNames(id, split))
                        + " there or pass --data-dir; the files come from " + sourceDescription(id));
            }
            download(id, split, cache);
            found = findIn(id, split, candidates(id, cache));
            if (found == null) {
                throw new HavException(cache.toString(), "download finished but the files are not there",
                        "check that the folder is writable");
            }
        }
        return found;
    }

    private static List<Path> candidates(String id, Path dir) {
        List<Path> dirs = new ArrayList<>(List.of(dir, dir.resolve(id)));
        if (id.equals("cifar10")) {
            dirs.add(dir.resolve(CIFAR_FOLDER));
            dirs.add(dir.resolve(id).resolve(CIFAR_FOLDER));
        }
        return dirs;
    }

    /** The files of the split in the first folder that has any of them; null when none has; error when partial. */
    private static List<DataFile> findIn(String id, Split split, List<Path> dirs) {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<String> stems = fileStems(id, split);
            List<DataFile> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String stem : stems) {
                Path p = firstExisting(dir, stem);
                if (p == null) {
                    missing.add(stem);
                } else {
                    found.add(DataFile.of(p));
                }
            }
            if (missing.isEmpty()) {
                if (id.equals("cifar10")) {
                    Path meta = dir.resolve("batches.meta.txt");
                    found.add(Files.exists(meta) ? DataFile.of(meta) : null);
                }
                return found;
            }
            if (!found.isEmpty()) {
                throw new HavException(dir.toString(), "holds " + found.get(0).name() + " but not "
                        + String.join(", ", missing), "copy the missing file(s) (gzip or raw) next to it");
            }
        }
        return null;
    }

    /** File names without the optional ".gz". */
    private static List<String> fileStems(String id, Split split) {
        if (id.equals("cifar10")) {
            return split == Split.TEST ? List.of("test_batch.bin")
                    : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                            "data_batch_5.bin");
        }
        String p = split == Split.TEST ? "t10k" : "train";
        return List.of(p + "-images-idx3-ubyte", p + "-labels-idx1-ubyte");
    }

    private static List<String> expectedNames(String id, Split split) {
        if (id.equals("cifar10")) {
            return fileStems(id, split);
        }
        return fileStems(id, split).stream().map(s -> s + "[.gz]").toList();
    }

    private static Path firstExisting(Path dir, String stem) {
        // the raw name, the gzip name, and the "train-images.idx3-ubyte" spelling of some mirrors
        for (String n : List.of(stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.exists(p)) { // a FIFO, device or folder of that name is then refused by name, not skipped
                return p;
            }
        }
        return null;
    }

    private static List<DataFile> shipped(String id, Split split) {
        List<DataFile> files = new ArrayList<>();
        for (String stem : fileStems(id, split)) {
            DataFile f = DataFile.resource("/datasets/" + id + "/" + stem + ".gz");
            if (f == null) {
                return null;
            }
            files.add(f);
        }
        return files;
    }

    private static String sourceDescription(String id) {
        return switch (id) {
            case "mnist" -> MNIST_MIRRORS.get(0);
            case "fashion-mnist" -> FASHION_MIRRORS.get(0) + " (or apt install dataset-fashion-mnist)";
            default -> CIFAR_URL + " (unpack " + CIFAR_FOLDER + "/)";
        };
    }

    private static void download(String id, Split split, Path cache) {
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new HavException(cache.toString(), "cannot create the cache folder (" + e.getMessage() + ")",
                    "set HAV_CACHE to a writable folder");
        }
        if (id.equals("cifar10")) {
            Path archive = cache.resolve(CIFAR_ARCHIVE);
            if (!Files.isRegularFile(archive)) {
                Downloader.fetch(List.of(URI.create(CIFAR_URL)), archive, CIFAR_SHA256);
            }
            try {
                Downloader.untar(archive, CIFAR_FOLDER + "/", cache.resolve(CIFAR_FOLDER));
                Files.delete(archive);
            } catch (IOException e) {
                throw new HavException(archive.toString(), "cannot unpack (" + e.getMessage() + ")",
                        "delete it and run again");
            }
            return;
        }
        Map<String, String> sums = id.equals("mnist") ? MNIST_SHA256 : FASHION_SHA256;
        List<String> mirrors = id.equals("mnist") ? MNIST_MIRRORS : FASHION_MIRRORS;
        for (String stem : fileStems(id, split)) {
            String file = stem + ".gz";
            Downloader.fetch(mirrors.stream().map(m -> URI.create(m + file)).toList(), cache.resolve(file),
                    sums.get(file));
        }
    }

    // ---------------------------------------------------------------- reading

    static Dataset readIdx(String id, Split split, List<DataFile> files, int size, PixelScale scale) {
        DataFile imageFile = files.get(0);
        DataFile labelFile = files.get(1);
        byte[] imageBytes = imageFile.readContent(IdxFormat.layout(3, "images"));
        byte[] labelBytes = labelFile.readContent(IdxFormat.layout(1, "labels"));
        IdxFormat.Array images = IdxFormat.parse(imageBytes, 3, "images", imageFile.name());
        IdxFormat.Array labels = IdxFormat.parse(labelBytes, 1, "labels", labelFile.name());
        int count = images.dims()[0];
        if (labels.dims()[0] != count) {
            throw new HavException(imageFile.name(), count + " images but " + labels.dims()[0] + " labels in "
                    + labelFile.name(), "the two files come from different splits or copies; use a matching pair");
        }
        int h = images.dims()[1];
        int w = images.dims()[2];
        int n = size <= 0 ? count : Math.min(size, count);
        int d = h * w; // the file's length (at most DataFile.MAX_CONTENT) bounds n * h * w
        float[] table = PixelScale.table(scale);
        float[] pixels = new float[n * d];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = table[imageBytes[images.offset() + i] & 0xff];
        }
        List<String> names = id.equals("mnist") ? DIGITS : FASHION;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labelBytes[labels.offset() + i] & 0xff;
            if (y[i] >= names.size()) {
                throw new HavException(labelFile.name(), "label " + y[i] + " at position " + i + ", " + id
                        + " has classes 0.." + (names.size() - 1), "the file is corrupt or not " + id);
            }
        }
        String sha = sha256(List.of(imageBytes, labelBytes));
        DataOrigin origin = new DataOrigin("idx", "uint8 " + count + "x" + h + "x" + w + ", first " + n + " read",
                scale, List.of(imageFile.name(), labelFile.name()));
        return new Dataset(id, split, new FloatMatrix(n, d, pixels), y, 1, h, w, names, sha, imageFile.location(),
                origin);
    }

    static Dataset readCifar(List<DataFile> files, Split split, int size, PixelScale scale) {
        DataFile meta = files.get(files.size() - 1);
        List<DataFile> batches = files.subList(0, files.size() - 1);
        List<byte[]> contents = new ArrayList<>();
        int total = 0;
        for (DataFile f : batches) {
            byte[] c = f.readContent(Cifar10Format.LAYOUT);
            total += Cifar10Format.check(c, f.name());
            contents.add(c);
        }
        int n = size <= 0 ? total : Math.min(size, total);
        FloatMatrix images = FloatMatrix.zeros(n, Cifar10Format.PIXELS);
        int[] labels = new int[n];
        Cifar10Format.decode(contents, n, images, labels, scale);
        List<String> names = CIFAR;
        if (meta != null) {
            List<String> read = new String(meta.readContent(META_LAYOUT), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (read.size() != Cifar10Format.CLASSES) {
                throw new HavException(meta.name(), read.size() + " class names, CIFAR-10 has 10",
                        "restore the file from the archive, or delete it to use the standard names");
            }
            names = read;
        }
        List<String> names2 = new ArrayList<>();
        batches.forEach(b -> names2.add(b.name()));
        DataOrigin origin = new DataOrigin("cifar10-binary", "uint8 CHW 3x32x32, " + total + " records, first " + n
                + " read", scale, names2);
        return new Dataset("cifar10", split, images, labels, Cifar10Format.CHANNELS, Cifar10Format.SIDE,
                Cifar10Format.SIDE, names, sha256(contents), batches.get(0).location(), origin);
    }

    /** batches.meta.txt: ten short lines; anything past 64 KiB is not that file. */
    private static final DataFile.Layout META_LAYOUT = new DataFile.Layout() {
        private static final int MAX = 1 << 16;

        @Override
        public int headerBytes() {
            return MAX + 1;
        }

        @Override
        public long declaredLength(byte[] header, int available, String file) {
            if (available > MAX) {
                throw tooLong(file, MAX);
            }
            return available;
        }

        @Override
        public HavException truncated(String file, long held, long declared) {
            return new HavException(file, "ended while being read", "restore the file from the archive");
        }

        @Override
        public HavException tooLong(String file, long declared) {
            return new HavException(file, "longer than " + MAX + " bytes: not the batches.meta.txt of CIFAR-10",
                    "restore the file from the archive, or delete it to use the standard names");
        }
    };

    private static String sha256(List<byte[]> parts) {
        MessageDigest digest = Npy.sha256();
        for (byte[] p : parts) {
            digest.update(p);
        }
        return hex(digest.digest());
    }

    /** Lower-case hex of a digest. */
    static String hex(byte[] digest) {
        return Downloader.hex(digest);
    }

    /** SHA-256 of a file's bytes as stored (for callers that hash checkpoints and the like). */
    public static String sha256(Path file) {
        InputFiles.requireRegularFile(file, "a file"); // a FIFO would block the read forever
        MessageDigest digest = Downloader.sha256Digest();
        try (var in = new java.security.DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return Downloader.hex(digest.digest());
    }
}
