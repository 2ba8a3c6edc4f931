package org.hiddenactivity.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.core.AtomicFiles;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Warnings;
import org.hiddenactivity.render.SpriteSheet;

/**
 * Export for TensorFlow's Embedding Projector (projector.tensorflow.org, or TensorBoard's projector plugin): for
 * each analysed tensor a folder with {@code tensors.tsv} (one row of raw activations per observation) and
 * {@code metadata.tsv} (label, prediction, layer, epoch), a shared {@code sprite.png} of the observations' images
 * and {@code projector_config.pbtxt} listing them all. The standalone Projector loads a folder's two TSV files
 * through its "Load" dialog; TensorBoard reads the config.
 */
final class ProjectorExport {
    /** Largest tensor exported (observations x units): about 30 MB of text. */
    static final long MAX_VALUES = 4_000_000;

    private ProjectorExport() {}

    /** Writes the export of {@code tensors} (each {layer, epoch}) under {@code dir} and returns what it wrote. */
    static Map<String, Object> write(AnalysisContext ctx, List<int[]> tensors, Path dir) {
        List<String> names = ctx.data().classNames();
        SpriteSheet.Layout sprite = SpriteSheet.write(dir.resolve("sprite.png"), ctx.data().images(),
                ctx.data().channels(), ctx.data().height(), ctx.data().width());
        StringBuilder config = new StringBuilder();
        List<String> folders = new ArrayList<>();
        for (int[] le : tensors) {
            int layer = le[0];
            int epoch = le[1];
            String folder = "layer" + layer + "_epoch" + epoch;
            FloatMatrix acts = ctx.activations(epoch, layer).values();
            if ((long) acts.rows() * acts.cols() > MAX_VALUES) {
                Warnings.warn("Embedding Projector export: layer " + layer + " at epoch " + epoch + " has "
                        + acts.rows() + " x " + acts.cols() + " values (about " + (acts.rows() * (long) acts.cols() * 8 >> 20)
                        + " MB as text), left out; export it with 'hav activations' or lower --size");
                continue;
            }
            int[] predicted = ctx.predicted(epoch);
            Path sub = dir.resolve(folder);
            AtomicFiles.write(sub.resolve("tensors.tsv"), out -> tensors(out, acts));
            AtomicFiles.write(sub.resolve("metadata.tsv"), out -> {
                line(out, "index\tlabel\tlabel_name\tprediction\tprediction_name\tcorrect\tlayer\tepoch");
                for (int i = 0; i < acts.rows(); i++) {
                    int y = ctx.labels()[i];
                    line(out, i + "\t" + y + "\t" + clean(names.get(y)) + "\t" + predicted[i] + "\t"
                            + clean(name(names, predicted[i])) + "\t" + (y == predicted[i] ? 1 : 0) + "\t" + layer
                            + "\t" + epoch);
                }
            });
            config.append("embeddings {\n")
                    .append("  tensor_name: \"").append(ctx.model().name()).append(" layer ").append(layer)
                    .append(" epoch ").append(epoch).append("\"\n")
                    .append("  tensor_path: \"").append(folder).append("/tensors.tsv\"\n")
                    .append("  metadata_path: \"").append(folder).append("/metadata.tsv\"\n")
                    .append("  sprite {\n    image_path: \"sprite.png\"\n")
                    .append("    single_image_dim: ").append(sprite.tileWidth()).append('\n')
                    .append("    single_image_dim: ").append(sprite.tileHeight()).append("\n  }\n}\n");
            folders.add(folder);
        }
        AtomicFiles.writeString(dir.resolve("projector_config.pbtxt"), config.toString());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", "projector");
        m.put("tensors", folders);
        m.put("sprite", Map.of("file", "projector/sprite.png", "single_image_dim",
                List.of(sprite.tileWidth(), sprite.tileHeight())));
        return m;
    }

    private static void tensors(OutputStream out, FloatMatrix acts) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < acts.rows(); i++) {
            sb.setLength(0);
            for (int j = 0; j < acts.cols(); j++) {
                if (j > 0) {
                    sb.append('\t');
                }
                float v = acts.get(i, j);
                // zeros (most ReLU values) as "0"; others as the shortest decimal that reads back as the same float
                if (v == 0f) {
                    sb.append('0');
                } else {
                    sb.append(v);
                }
            }
            line(out, sb.toString());
        }
    }

    private static String name(List<String> names, int c) {
        return c >= 0 && c < names.size() ? names.get(c) : Integer.toString(c);
    }

    /** The Projector splits on tabs and lines: neither may appear inside a field. */
    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    private static void line(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }
}
