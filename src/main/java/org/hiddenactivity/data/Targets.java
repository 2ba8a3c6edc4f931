package org.hiddenactivity.data;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Warnings;

/** The class index of every image of the user's own data (--targets), checked against the class names. */
record Targets(int[] values, List<String> names) {

    /**
     * Reads a 1-D .npy of {@code count} class indices (the whole file, whatever --size, so the number of classes
     * does not depend on it), feeding its bytes to {@code digest}. With names, every index must be in
     * 0..names-1 and the largest must be names-1; without, the classes are 0..max, named "0", "1", ...
     */
    static Targets read(Path file, int count, List<String> names, MessageDigest digest) {
        String f = file.toString();
        int[] values;
        try (Npy.Reader r = Npy.Reader.open(file, digest)) {
            Npy.Header h = r.header();
            if (h.rank() != 1) {
                throw new HavException(f, "expected a 1-D array of class indices, found " + h.describe(),
                        Npy.labelsShapeFix(h.shape(), "targets"));
            }
            int n = h.shape()[0];
            if (n != count) {
                throw new HavException(f, n + " targets for " + count + " images",
                        "give one class index per image, in the images' order");
            }
            double[] raw = InputFiles.allocate(() -> new double[n], 8L * n, f, "reading its targets");
            r.readDoubles(raw, 0, n);
            values = new int[n];
            int limit = names == null ? Integer.MAX_VALUE : names.size();
            for (int i = 0; i < n; i++) {
                int v = Npy.classIndex(raw[i], i, f);
                if (v >= limit) {
                    throw new HavException(f, "target " + i + " is " + v + ", not a class index 0.." + (limit - 1)
                            + " (" + limit + " class names given)", "give one name per class with --class-names, or"
                            + " check that the targets belong to these images");
                }
                values[i] = v;
            }
        }
        int max = -1;
        for (int v : values) {
            max = Math.max(max, v);
        }
        int classes = max + 1;
        if (names == null) {
            if (classes > NpyImages.MAX_UNNAMED_CLASSES) {
                throw new HavException(f, "the largest target is " + max + ": " + classes + " classes",
                        "targets are class indices 0..C-1 (map ids with np.unique(y, return_inverse=True)[1]); for"
                                + " that many classes name them with --class-names FILE");
            }
            names = ClassNames.numbered(classes);
        } else if (names.size() != classes) {
            throw new HavException(f, names.size() + " class names given but the targets use classes 0.." + max
                    + " only (" + classes + " classes)", "give " + classes + " names, or check that the targets"
                    + " belong to these images");
        }
        if (classes < 2) {
            throw new HavException(f, "every target is " + max + ": one class only", "the analyses compare"
                    + " classes; give targets of at least two classes");
        }
        return new Targets(values, names);
    }

    /** Warns when the first rows (all that is used) leave classes out, e.g. an ImageFolder sorted by class. */
    static void warnMissingClasses(int[] used, List<String> names, int total, String what) {
        boolean[] seen = new boolean[names.size()];
        for (int v : used) {
            seen[v] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < seen.length; c++) {
            if (!seen[c]) {
                missing.add(names.get(c));
            }
        }
        if (!missing.isEmpty()) {
            String shown = missing.size() <= 5 ? String.join(", ", missing)
                    : String.join(", ", missing.subList(0, 5)) + ", ...";
            Warnings.warn("the first " + used.length + " of " + total + " observations of " + what + " have no "
                    + (missing.size() == 1 ? "observation of class " : "observations of " + missing.size()
                    + " classes: ") + shown + (used.length < total ? "; raise --size (up to " + total
                    + ") or shuffle the data" : ""));
        }
    }
}
