package org.hiddenactivity.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Npy;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.core.SafeNames;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.data.Dataset;

/**
 * Activations with a disk cache: one .npy per (checkpoint content, layer tensor, dataset content, size,
 * normalisation), plus one for the predictions and one for the class output (the N x classes scores). A miss
 * extracts every analysed layer of the checkpoint in one pass and stores them all. Files are written under a temporary name and renamed (core.Npy), so an interrupted run
 * leaves either a complete entry or none.
 */
public final class ActivationStore {
    private static final String VERSION = "hav-activations-2";

    private final Path cacheDir;
    private final boolean fresh;
    private final ActivationExtractor extractor;
    private Progress progress = Progress.NONE;

    /**
     * @param cacheDir folder of the cache (null: {@link ProjectHome#activationCacheDir()})
     * @param fresh    recompute (and overwrite) instead of reading cached entries
     */
    public ActivationStore(Path cacheDir, boolean fresh) {
        this(cacheDir, fresh, new ActivationExtractor());
    }

    public ActivationStore(Path cacheDir, boolean fresh, ActivationExtractor extractor) {
        this.cacheDir = cacheDir == null ? ProjectHome.activationCacheDir() : cacheDir;
        this.fresh = fresh;
        this.extractor = extractor;
    }

    /** Progress shown while extracting (default: none). */
    public ActivationStore progress(Progress p) {
        this.progress = p == null ? Progress.NONE : p;
        return this;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** One hidden layer (numbered from 1) of a checkpoint over the dataset; from the cache when present. */
    public LayerActivations activations(ModelSeries m, Checkpoint cp, Dataset data, int layer) {
        HiddenLayer l = m.layer(layer);
        if (!fresh) {
            Path values = layerFile(m, cp, data, l);
            Path pred = predictionFile(m, cp, data);
            Path scores = scoresFile(m, cp, data);
            if (Files.isRegularFile(values) && Files.isRegularFile(pred) && Files.isRegularFile(scores)) {
                FloatMatrix v = readOrForget(values, data.size());
                int[] p = v == null ? null : readLabelsOrForget(pred, data.size());
                FloatMatrix sc = p == null ? null : readOrForget(scores, data.size());
                if (v != null && p != null && sc != null) {
                    return new LayerActivations(l.units() > 0 ? l : l.withUnits(v.cols()), cp, v, p, sc, true);
                }
            }
        }
        return extractAndStore(m, cp, data).layer(layer, false);
    }

    /** Every analysed hidden layer of a checkpoint; cached entries are reused when all are present and sound. */
    public CheckpointActivations all(ModelSeries m, Checkpoint cp, Dataset data) {
        if (!fresh) {
            Path pred = predictionFile(m, cp, data);
            List<FloatMatrix> values = new ArrayList<>();
            Path scores = scoresFile(m, cp, data);
            boolean complete = Files.isRegularFile(pred) && Files.isRegularFile(scores);
            for (HiddenLayer l : m.hiddenLayers()) {
                Path f = layerFile(m, cp, data, l);
                FloatMatrix v = complete && Files.isRegularFile(f) ? readOrForget(f, data.size()) : null;
                if (v == null) {
                    complete = false;
                    break;
                }
                values.add(v);
            }
            int[] p = complete ? readLabelsOrForget(pred, data.size()) : null;
            FloatMatrix sc = p != null ? readOrForget(scores, data.size()) : null;
            if (sc != null && !m.hiddenLayers().isEmpty()) {
                return new CheckpointActivations(cp, m.hiddenLayers(), List.copyOf(values), p, sc);
            }
        }
        return extractAndStore(m, cp, data);
    }

    /** A cached matrix, or null after deleting an entry that cannot be read or has the wrong number of rows. */
    private static FloatMatrix readOrForget(Path f, int rows) {
        try {
            FloatMatrix v = Npy.readMatrix(f);
            if (v.rows() == rows) {
                return v;
            }
            forget(f, v.rows() + " rows instead of " + rows);
        } catch (RuntimeException e) {
            forget(f, e.getMessage());
        }
        return null;
    }

    private static int[] readLabelsOrForget(Path f, int rows) {
        try {
            int[] v = Npy.readLabels(f);
            if (v.length == rows) {
                return v;
            }
            forget(f, v.length + " values instead of " + rows);
        } catch (RuntimeException e) {
            forget(f, e.getMessage());
        }
        return null;
    }

    private static void forget(Path f, String why) {
        Warnings.warn("cache entry " + f + " is unreadable (" + why + "); deleted, computing it again");
        try {
            Files.deleteIfExists(f);
        } catch (java.io.IOException e) {
            Warnings.warn("could not delete " + f + " (" + e.getMessage() + ")");
        }
    }

    private CheckpointActivations extractAndStore(ModelSeries m, Checkpoint cp, Dataset data) {
        CheckpointActivations all = extractor.extract(m, cp, data, progress);
        // everything was computed (and checked finite) before the first file is written
        for (int i = 0; i < all.layers().size(); i++) {
            Npy.write(layerFile(m, cp, data, all.layers().get(i)), all.values().get(i));
        }
        Npy.write(predictionFile(m, cp, data), all.predicted());
        Npy.write(scoresFile(m, cp, data), all.scores());
        return all;
    }

    /** The cache file of a layer (exposed for tests and for "where is it" messages). */
    public Path layerFile(ModelSeries m, Checkpoint cp, Dataset data, HiddenLayer layer) {
        return cacheDir.resolve(safe(m.name()) + "_e" + cp.epoch() + "_" + safe(layer.tensor()) + "_"
                + key(cp, data, m, "layer=" + layer.tensor() + "@" + layer.channelAxis()) + ".npy");
    }

    /** The cache file of the predictions of a checkpoint over the dataset. */
    public Path predictionFile(ModelSeries m, Checkpoint cp, Dataset data) {
        return cacheDir.resolve(safe(m.name()) + "_e" + cp.epoch() + "_predicted_" + key(cp, data, m, "predicted")
                + ".npy");
    }

    /** The cache file of the class output (N x classes scores) of a checkpoint over the dataset. */
    public Path scoresFile(ModelSeries m, Checkpoint cp, Dataset data) {
        return cacheDir.resolve(safe(m.name()) + "_e" + cp.epoch() + "_scores_" + key(cp, data, m, "scores") + ".npy");
    }

    private static String key(Checkpoint cp, Dataset data, ModelSeries m, String what) {
        String text = String.join("|", VERSION, cp.sha256(), what, data.key(),
                Integer.toString(data.size()), m.normalisation().key(), String.valueOf(m.channelsLast()),
                m.convUnits().id(), m.outputTensor() == null ? "" : m.outputTensor());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String safe(String s) {
        return SafeNames.component(s, 40, "x");
    }
}
