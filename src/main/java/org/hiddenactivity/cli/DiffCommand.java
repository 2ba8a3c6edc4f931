package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.core.HavException;

/**
 * {@code hav diff A/report.json B/report.json}: what differs between two runs, provenance first (the settings and
 * versions that explain a difference), then the numbers. Timings and the creation time always differ and are left
 * out unless {@code --timings}. Exit codes as diff(1): 0 the same, 1 they differ, 2 bad input (a file missing, not
 * JSON, or without hav's provenance).
 */
@Parameters(commandNames = "diff", commandDescription = "What differs between two runs' report.json (or analysis"
        + " .json): provenance and numbers. Exit 0 same, 1 differ, 2 bad input")
final class DiffCommand implements HavCommand {
    /** Exit code when the two files differ. */
    static final int EXIT_DIFFERENT = 1;
    /** Lines per section in the text output unless --all. */
    private static final int SHOWN = 40;

    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "A.json B.json")
    List<String> files = new ArrayList<>();

    @Parameter(names = "--tolerance", description = "Numbers differing by at most this fraction of the larger count as equal")
    double tolerance = 0;

    @Parameter(names = "--timings", description = "Also compare timings (seconds) and the creation time")
    boolean timings;

    @Parameter(names = "--all", description = "List every difference (default: the first " + SHOWN + " per section)")
    boolean all;

    @Override
    public boolean helpRequested() {
        return common.help;
    }

    @Override
    public int run() throws Exception {
        if (files.size() != 2) {
            throw new HavException("arguments", "two files needed, got " + files.size(),
                    "pass the report.json of each run: hav diff A/report.json B/report.json");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new HavException("--tolerance " + tolerance, "must be a finite number >= 0", "use e.g. 1e-6");
        }
        Path a = Path.of(files.get(0));
        Path b = Path.of(files.get(1));
        JsonNode docA = RunProvenance.readDocument(a);
        JsonNode docB = RunProvenance.readDocument(b);
        // both must carry hav's provenance, whole: a foreign or truncated file is bad input, not a difference
        RunProvenance.fromJson(docA.get("provenance"), a.toString());
        RunProvenance.fromJson(docB.get("provenance"), b.toString());
        int[] ignored = {0};
        Predicate<String> provenanceIgnored = path -> !timings && path.equals("created");
        Predicate<String> resultsIgnored = path -> !timings && isTiming(path);
        List<JsonDiff.Difference> differences = new ArrayList<>(JsonDiff.compare("provenance",
                docA.get("provenance"), docB.get("provenance"), tolerance, provenanceIgnored, ignored));
        differences.addAll(JsonDiff.compare("results", orEmpty(docA.get("results")), orEmpty(docB.get("results")),
                tolerance, resultsIgnored, ignored));
        if (common.json) {
            System.out.println(new ObjectMapper().writeValueAsString(json(a, b, differences, ignored[0])));
        } else {
            print(differences, ignored[0]);
        }
        return differences.isEmpty() ? 0 : EXIT_DIFFERENT;
    }

    /** Timing fields: "seconds", "*_seconds" and everything under "timings_seconds". */
    static boolean isTiming(String path) {
        for (String part : path.split("[.\\[]")) {
            if (part.equals("seconds") || part.endsWith("_seconds")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode orEmpty(JsonNode n) {
        return n == null ? new ObjectMapper().createObjectNode() : n;
    }

    private void print(List<JsonDiff.Difference> differences, int ignored) {
        if (differences.isEmpty()) {
            System.out.println("same provenance and numbers" + (ignored > 0 ? " (" + ignored
                    + " timing fields differ; --timings shows them)" : ""));
            return;
        }
        for (String section : List.of("provenance", "results")) {
            List<JsonDiff.Difference> in = differences.stream().filter(d -> d.section().equals(section)).toList();
            if (in.isEmpty()) {
                continue;
            }
            System.out.println(section + " (" + in.size() + " differ):");
            int shown = all ? in.size() : Math.min(SHOWN, in.size());
            for (int i = 0; i < shown; i++) {
                System.out.println("  " + in.get(i).describe());
            }
            if (shown < in.size()) {
                System.out.println("  ... and " + (in.size() - shown) + " more (--all lists them)");
            }
        }
        if (ignored > 0) {
            System.out.println("(" + ignored + " timing fields differ too; --timings shows them)");
        }
    }

    private static ObjectNode json(Path a, Path b, List<JsonDiff.Difference> differences, int ignored) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode out = m.createObjectNode();
        out.put("a", a.toString());
        out.put("b", b.toString());
        out.put("same", differences.isEmpty());
        ArrayNode list = out.putArray("differences");
        for (JsonDiff.Difference d : differences) {
            ObjectNode o = list.addObject();
            o.put("section", d.section());
            o.put("path", d.path());
            o.set("a", d.a());
            o.set("b", d.b());
        }
        out.put("ignored_timings", ignored);
        return out;
    }
}
