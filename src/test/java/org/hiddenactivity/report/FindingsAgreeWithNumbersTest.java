package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Over the shipped models and every test fixture model (small: 100 observations, short t-SNE, no projector export),
 * every finding of report.json holds its estimate inside its interval, and its words and its signed number agree
 * with the sign of the estimate. The direction words per statement are written here, not taken from the code.
 */
class FindingsAgreeWithNumbersTest {
    @TempDir
    static Path dir;

    /** Statement id -> {word for a positive change, word for a negative change}. */
    private static final Map<String, String[]> WORDS = Map.of(
            "class_separation_with_depth", new String[] {"grows", "falls"},
            "class_separation_with_training", new String[] {"separates", "mixes"},
            "accuracy_with_training", new String[] {"rises", "falls"},
            "specialisation_with_training", new String[] {"Neurons specialise", "less specialised"},
            "neuron_groups_with_training", new String[] {"group by", "group less"},
            "dead_neurons_with_training", new String[] {"More", "Fewer"},
            "bundling_trail_length_layers", new String[] {"lengthens", "shortens"},
            "bundling_trail_length_epochs", new String[] {"lengthens", "shortens"});

    private static final Pattern SIGNED = Pattern.compile("\\(([+-]\\d+(?:\\.\\d+)?)(%| points| neurons)?[;)]");

    /** Fixtures that are not reports by design, with why. */
    private static final Map<String, String> NOT_REPORTS = Map.of(
            "five_class_mlp", "five classes: needs its own dataset (tested in its own test)",
            "mixed_widths", "checkpoints of different networks: refused by design");

    static Stream<String> models() throws URISyntaxException, IOException {
        List<String> models = new ArrayList<>(List.of("mnist_mlp", "mnist_cnn"));
        Path fixtures = Path.of(FindingsAgreeWithNumbersTest.class.getResource("/fixtures/models").toURI());
        try (Stream<Path> s = Files.list(fixtures)) {
            s.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
                    .filter(p -> !NOT_REPORTS.containsKey(p.getFileName().toString())).sorted()
                    .forEach(p -> models.add(p.toString()));
        }
        return models.stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyFindingHoldsItsEstimateAndSaysItsDirection(String model) throws IOException {
        String name = Path.of(model).getFileName().toString();
        AnalysisOptions options = new AnalysisOptions(model, null, null, 100, 0, null, "cpu", 0, false, true, 256,
                TsneParameters.defaults().withMaxIter(250), true, 0.1, dir.resolve("cache"));
        ReportBuilder.Written w;
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            // null layer alignment: the default ("auto"), checked below against the layers' widths
            w = ReportBuilder.run(ctx, new ReportBuilder.Plan(null, Alignment.JOINT, null, null,
                    NeuronAnalysis.Layout.TSNE, ReportBuilder.ProjectorTensors.NONE), dir.resolve(name));
        }
        JsonNode report = new ObjectMapper().readTree(w.json().toFile());
        JsonNode findings = report.at("/results/findings");
        assertTrue(findings.size() >= 2, name + ": " + findings);
        for (JsonNode f : findings) {
            String id = f.get("id").asText();
            String text = f.get("text").asText();
            String where = name + " " + id + ": " + text;
            if (f.has("interval_95")) {
                double estimate = f.has("change") ? f.get("change").asDouble() : f.get("value").asDouble();
                double lo = f.at("/interval_95/0").asDouble();
                double hi = f.at("/interval_95/1").asDouble();
                assertTrue(lo <= estimate && estimate <= hi, where + " estimate " + estimate + " outside [" + lo
                        + ", " + hi + "]");
            }
            if (id.equals("dead_neurons_with_training")) {
                // a count of neurons is resampled over neurons (resampling observations biases it)
                assertEquals("neurons", f.at("/bootstrap/over").asText(), where);
            }
            double change = f.has("change") ? f.get("change").asDouble()
                    : f.has("relative_change") ? f.get("relative_change").asDouble() : Double.NaN;
            if (Double.isNaN(change)) {
                continue;
            }
            Matcher m = SIGNED.matcher(text);
            if (m.find() && change != 0) {
                double shown = Double.parseDouble(m.group(1));
                assertTrue(shown == 0 || Math.signum(shown) == Math.signum(change), where + " shows " + m.group(1)
                        + " for a change of " + change);
            }
            String[] words = WORDS.get(id);
            if (words != null && f.get("finding").asBoolean() && change != 0) {
                String right = change > 0 ? words[0] : words[1];
                String wrong = change > 0 ? words[1] : words[0];
                assertTrue(text.contains(right), where + " lacks '" + right + "' for a change of " + change);
                assertFalse(text.contains(wrong), where + " says '" + wrong + "' for a change of " + change);
            }
        }
        JsonNode layers = report.at("/results/layers");
        if (!layers.isNull() && !layers.isMissingNode()) {
            java.util.Set<Integer> widths = new java.util.HashSet<>();
            report.at("/model/hidden_layers").forEach(l -> widths.add(l.get("units").asInt()));
            assertEquals(widths.size() == 1 ? "joint" : "dynamic", layers.get("alignment").asText(), name + " " + widths);
        }
        // the accuracy per checkpoint is there, one entry per analysed checkpoint, within [0, 1]
        JsonNode acc = report.at("/results/accuracy_per_checkpoint");
        assertTrue(acc.size() >= 1, name);
        for (JsonNode a : acc) {
            double v = a.get("accuracy").asDouble();
            assertTrue(v >= 0 && v <= 1, a.toString());
            assertEquals(a.get("observations").asInt() - Math.round(v * a.get("observations").asInt()),
                    a.get("misclassified").asInt(), a.toString());
        }
    }
}
