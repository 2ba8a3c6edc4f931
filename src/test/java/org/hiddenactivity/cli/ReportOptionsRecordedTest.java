package org.hiddenactivity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option of {@code hav report} reaches report.json, and {@code hav diff} of two reports that differ only in
 * that option shows it (issue 20). The options are enumerated from the command's JCommander description, so an
 * option added without an entry below fails the test. A small report (40 observations of mnist_mlp, 256 px
 * figures, 250 iterations, a shared cache) keeps each run short.
 */
class ReportOptionsRecordedTest {
    @TempDir
    static Path tmp;

    /** Options that write no report, or only say where it goes. */
    static final Map<String, String> NOT_A_SETTING = Map.of(
            "--help", "prints the usage and writes no report",
            "--out", "the report's folder: two reports are always in two folders");

    /**
     * Options that need inputs this test does not build (a .npy of images, a transformer); checked on the parsed
     * command: they reach the record that provenance writes.
     */
    static final Map<String, List<String>> PARSED_ONLY = Map.of(
            "--images", List.of("--images", "x.npy"),
            "--targets", List.of("--targets", "y.npy"),
            "--class-names", List.of("--class-names", "a,b"),
            "--images-layout", List.of("--images-layout", "nchw"),
            "--tokens", List.of("--tokens", "cls"),
            "--data-dir", List.of("--data-dir", "somewhere"));

    /** For each other option: the arguments that change it from the base run. */
    static Map<String, List<String>> variants() {
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put("--backend", List.of("--backend", "auto"));
        v.put("--cache-dir", List.of("--cache-dir", tmp.resolve("cache2").toString()));
        v.put("--conv-units", List.of("--conv-units", "position"));
        v.put("--dataset", List.of("--dataset", "mnist"));
        v.put("--early-exaggeration", List.of("--early-exaggeration", "8"));
        v.put("--epoch-alignment", List.of("--epoch-alignment", "chained"));
        v.put("--epochs", List.of("--epochs", "0,100"));
        v.put("--exaggeration-iterations", List.of("--exaggeration-iterations", "100"));
        v.put("--fresh", List.of("--fresh"));
        v.put("--image-size", List.of("--image-size", "300"));
        v.put("--init", List.of("--init", "random"));
        v.put("--iterations", List.of("--iterations", "300"));
        v.put("--json", List.of("--json"));
        v.put("--labels", List.of("--labels", "1,2"));
        v.put("--lambda", List.of("--lambda", "0.2"));
        v.put("--layer-alignment", List.of("--layer-alignment", "chained"));
        v.put("--layout", List.of("--layout", "nhwc"));
        v.put("--learning-rate", List.of("--learning-rate", "100"));
        v.put("--mean", List.of("--mean", "0.13"));
        v.put("--metric", List.of("--metric", "cosine"));
        v.put("--min-dist", List.of("--min-dist", "0.2"));
        v.put("--model", List.of("--model", "mnist_cnn"));
        v.put("--n-neighbors", List.of("--n-neighbors", "10"));
        v.put("--neighbours", List.of("--neighbours", "exact"));
        v.put("--neuron-layout", List.of("--neuron-layout", "mds"));
        v.put("--no-bundle", List.of("--no-bundle"));
        v.put("--perplexity", List.of("--perplexity", "10"));
        v.put("--projection", List.of("--projection", "tsne,pca"));
        v.put("--projector", List.of("--projector", "last"));
        v.put("--quiet", List.of("--quiet"));
        v.put("--record-paths", List.of("--record-paths", "absolute"));
        v.put("--repulsion", List.of("--repulsion", "exact"));
        v.put("--scale", List.of("--scale", "1/255"));
        v.put("--seed", List.of("--seed", "1"));
        v.put("--size", List.of("--size", "50"));
        v.put("--spread", List.of("--spread", "1.5"));
        v.put("--std", List.of("--std", "0.3"));
        v.put("--tensor", List.of("--tensor", "/dense1/Relu_output_0,/dense2/Relu_output_0"));
        v.put("--theta", List.of("--theta", "0.3"));
        v.put("--threads", List.of("--threads", "1"));
        v.put("--umap-epochs", List.of("--umap-epochs", "100"));
        return v;
    }

    /** The base run; a variant replaces the value of the option it changes. */
    static List<String> base() {
        return new ArrayList<>(List.of("report", "--model", "mnist_mlp", "--size", "40", "--image-size", "256",
                "--iterations", "250", "--projector", "none", "--backend", "cpu",
                "--threads", "2", "--mean", "0.1307", "--std", "0.3081", "--cache-dir",
                tmp.resolve("cache").toString()));
    }

    static List<String> with(List<String> args, List<String> change) {
        List<String> out = new ArrayList<>(args);
        int at = out.indexOf(change.get(0));
        if (at >= 0) {
            out.set(at + 1, change.get(1));  // every option the base sets takes a value
        } else {
            out.addAll(change);
        }
        return out;
    }

    static TreeSet<String> reportOptions() {
        JCommander jc = JCommander.newBuilder().addCommand(new AnalysisCommands.Report()).build();
        TreeSet<String> names = new TreeSet<>();
        for (ParameterDescription p : jc.getCommands().get("report").getParameters()) {
            names.add(p.getLongestName());
        }
        return names;
    }

    @Test
    void everyOptionOfReportHasARecordInThisTest() {
        TreeSet<String> known = new TreeSet<>(variants().keySet());
        known.addAll(NOT_A_SETTING.keySet());
        known.addAll(PARSED_ONLY.keySet());
        assertEquals(known, reportOptions(), "an option of hav report without an entry here: add a variant");
    }

    @Test
    void optionsNeedingOtherInputsReachTheRecordedCommandLine() {
        for (Map.Entry<String, List<String>> e : PARSED_ONLY.entrySet()) {
            AnalysisCommands.Report report = new AnalysisCommands.Report();
            JCommander.newBuilder().addObject(report).build().parse(e.getValue().toArray(String[]::new));
            Map<String, Object> recorded = CommandLineRecord.of(report);
            assertEquals(e.getValue().get(1), String.valueOf(recorded.get(e.getKey())), e.getKey());
        }
        assertTrue(CommandLineRecord.of(new AnalysisCommands.Report()).keySet().containsAll(variants().keySet()));
    }

    @Test
    void everyOptionReachesReportJsonAndHavDiffShowsIt() throws Exception {
        Path baseDir = tmp.resolve("base");
        List<String> args = base();
        args.addAll(List.of("--out", baseDir.toString()));
        assertEquals(0, hav(args.toArray(String[]::new)), "base report");
        JsonNode baseOptions = options(baseDir);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : variants().entrySet()) {
            String option = e.getKey();
            Path dir = tmp.resolve("variant" + option);
            List<String> variant = with(base(), e.getValue());
            variant.addAll(List.of("--out", dir.toString()));
            int code = hav(variant.toArray(String[]::new));
            if (code != 0) {
                failures.add(option + ": the report failed with exit " + code + " (" + lastErr + ")");
                continue;
            }
            JsonNode recorded = options(dir);
            if (!recorded.has(option)) {
                failures.add(option + ": not in report.json's provenance.options");
                continue;
            }
            if (recorded.get(option).equals(baseOptions.get(option))) {
                failures.add(option + ": recorded the same value as the base run, " + recorded.get(option));
            }
            int diff = hav("diff", baseDir.resolve("report.json").toString(), dir.resolve("report.json").toString(),
                    "--json");
            if (diff != 1 || !lastOut.contains("options." + option)) {
                failures.add(option + ": hav diff (exit " + diff + ") does not show it");
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    static JsonNode options(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("report.json").toFile()).at("/provenance/options");
    }

    static String lastOut = "";
    static String lastErr = "";

    /** hav in this JVM, its output captured (HavRun), the end of its error output kept for messages. */
    static int hav(String... args) {
        HavRun r = HavRun.of(args);
        lastOut = r.out();
        lastErr = r.err().length() > 600 ? r.err().substring(r.err().length() - 600) : r.err();
        return r.code();
    }
}
