package org.hiddenactivity.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.data.Dataset;

/**
 * The checks made before any computation, so a wrong model or dataset is an error naming the file, not a wrong
 * figure: every checkpoint matches its manifest SHA-256 and takes the dataset's images, its hidden tensors exist
 * and have the same shape in every checkpoint, and its output has one score per class of the dataset.
 */
final class SeriesCheck {
    private SeriesCheck() {}

    /** The series with the layers' unit counts filled in, after the checks; the first failure is thrown. */
    static ModelSeries check(ModelSeries series, Dataset data) {
        if (series.hiddenLayers().isEmpty()) {
            throw series.noLayers();
        }
        List<String> tensors = series.hiddenLayers().stream().map(HiddenLayer::tensor).toList();
        Checkpoint reference = series.checkpoints().get(series.checkpoints().size() - 1);
        long[][] referenceShapes = null;
        int classes = data.classNames().size();
        for (int k = series.checkpoints().size() - 1; k >= 0; k--) {
            Checkpoint cp = series.checkpoints().get(k);
            ActivationExtractor.checkSha(cp);
            OnnxGraph g = OnnxGraph.read(cp.path());
            String name = cp.path().toString();
            InputFit fit = InputFit.of(OnnxGraph.dims(ActivationExtractor.checkedInput(g, name)), data, name,
                    series.channelsLast());
            java.util.Set<String> produced = g.producedTensors();
            for (String t : tensors) {
                if (!produced.contains(t)) {
                    throw new HavException(name, "has no tensor '" + t + "', which " + (cp == reference ? "the layer"
                            + " choice" : reference.path().getFileName() + " has"), "the checkpoints are of different"
                            + " networks or exports; keep one architecture per folder, or name tensors every"
                            + " checkpoint has");
                }
            }
            String output = series.outputTensor() != null ? series.outputTensor() : g.finalOutput();
            List<String> wanted = new ArrayList<>(tensors);
            wanted.add(output);
            ModelInspector.Shapes shapes = ModelInspector.shapes(g, wanted, fit.perObservation);
            long[] out = shapes.of(output);
            if (out != null && (out.length != 2 || (out[1] > 0 && out[1] != classes))) {
                String what = out.length == 2 ? out[1] + " scores per observation" : "shape " + InputFit.render(out);
                throw new HavException(name, "the network's output '" + output + "' has " + what + " but "
                        + data.name() + " has " + classes + " classes", "use the dataset the model was trained on"
                        + " (--dataset, or --images/--targets with --class-names), or name the class-score output in "
                        + ModelSeries.MANIFEST + " \"output\"");
            }
            long[][] now = new long[tensors.size()][];
            for (int i = 0; i < tensors.size(); i++) {
                now[i] = perObservation(shapes.of(tensors.get(i)));
            }
            if (referenceShapes == null) {
                referenceShapes = now;
                continue;
            }
            for (int i = 0; i < tensors.size(); i++) {
                if (now[i] != null && referenceShapes[i] != null && !Arrays.equals(now[i], referenceShapes[i])) {
                    throw new HavException(name, "tensor '" + tensors.get(i) + "' has shape " + InputFit.render(now[i])
                            + " per observation here but " + InputFit.render(referenceShapes[i]) + " in "
                            + reference.path(), "the checkpoints are of different networks; keep one architecture per"
                            + " folder (or list the matching ones in " + ModelSeries.MANIFEST + ")");
                }
            }
        }
        List<HiddenLayer> layers = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            HiddenLayer l = series.hiddenLayers().get(i);
            long[] s = referenceShapes[i];
            int units = s == null ? l.units() : HiddenLayer.unitsOf(withBatch(s), l.channelAxis(), series.convUnits());
            layers.add(units > 0 ? l.withUnits(units) : l);
        }
        return series.withLayers(layers);
    }

    private static long[] perObservation(long[] shape) {
        return shape == null || shape.length == 0 ? null : Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static long[] withBatch(long[] perObservation) {
        long[] s = new long[perObservation.length + 1];
        s[0] = -1;
        System.arraycopy(perObservation, 0, s, 1, perObservation.length);
        return s;
    }
}
