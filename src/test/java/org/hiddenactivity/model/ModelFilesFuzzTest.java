package org.hiddenactivity.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hiddenactivity.core.Fuzz;
import org.hiddenactivity.core.Warnings;

/**
 * Coverage-guided fuzzing of the model stage's parsers of untrusted bytes (docs/fuzzing.md): a model folder's
 * manifest.json, and an ONNX file through parsing, the external-data guard, hidden-layer discovery and the graph
 * rewrite (onnxruntime itself is not run: it is native code, not ours). Regression inputs:
 * src/test/resources/org/hiddenactivity/model/ModelFilesFuzzTestInputs/METHOD/.
 */
class ModelFilesFuzzTest {
    private static final Path MANIFEST = Path.of("manifest.json");
    private static final Path MODEL = Path.of("model.onnx");

    @FuzzTest(maxDuration = "30s")
    void manifest(byte[] input) throws Exception {
        Warnings.printTo(m -> { });
        try {
            Fuzz.expectOnlyHavException(MANIFEST.toString(), () -> {
                Manifest m = Manifest.parse(MANIFEST, input);
                // a parsed manifest has at least one checkpoint, epochs unique, sorted and not negative
                int previous = -1;
                for (Manifest.Entry e : m.checkpoints()) {
                    if (e.epoch() <= previous || e.file().isBlank()) {
                        throw new AssertionError("checkpoints not validated: " + m.checkpoints());
                    }
                    previous = e.epoch();
                }
            });
        } finally {
            Warnings.printTo(null);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void onnx(byte[] input) throws Exception {
        Fuzz.expectOnlyHavException(MODEL.toString(), () -> {
            OnnxGraph g = OnnxGraph.parse(MODEL, input);
            g.dataInput();
            g.finalOutput();
            List<LayerDiscovery.Found> found = g.candidates();
            List<LayerKind> kinds = new ArrayList<>();
            found.forEach(f -> kinds.add(ModelInspector.kindOf(f, null)));
            List<LayerDiscovery.Choice> choices = LayerDiscovery.choose(found, kinds);
            if (choices.size() != found.size()) {
                throw new AssertionError("one choice per candidate");
            }
            g.withOutputs(found.stream().map(LayerDiscovery.Found::tensor).toList());
        });
    }
}
