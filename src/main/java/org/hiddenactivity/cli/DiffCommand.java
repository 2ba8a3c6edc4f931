package org.hiddenactivity.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hiddenactivity.analysis.RunProvenance;
import org.hiddenactivity.core.HavException;
import org.hiddenactivity.core.InputFiles;

/**
 * {@code hav diff A/report.json B/report.json}: what differs between two runs, conclusions first: the findings
 * whose verdict or sign changed, then the numbers that differ beyond a relative tolerance, then the provenance
 * (settings and versions that explain a difference) without paths that differ only in their absolute folder.
 * Timings and the creation time always differ and are left out unless {@code --timings}. Exit codes as diff(1):
 * 0 the same, 1 they differ, 2 bad input (a file missing, not a regular file, too large, not JSON, or without hav's
 * provenance), 3 out of memory.
 */
@Parameters(commandNames = "diff", commandDescription = "What differs between two runs' report.json (or analysis"
        + " .json): changed findings first, then numbers, then provenance. Exit 0 same, 1 differ, 2 bad input,"
        + " 3 out of memory")
final class DiffCommand implements HavCommand {
    /** Exit code when the two files differ. */
    static final int EXIT_DIFFERENT = 1;
    /** Lines per section in the text output unless --all. */
    private static final int SHOWN = 40;
    /** Default relative tolerance: far above float rounding (about 1e-7 for float, 1e-16 for double). */
    static final double DEFAULT_TOLERANCE = 1e-6;
    /** Default absolute tolerance: differences this small are rounding noise around zero. */
    static final double DEFAULT_ABSOLUTE = 1e-12;
    /** Default cap on each file's size; a report.json is tens of KB. */
    static final int DEFAULT_MAX_MIB = 64;

    @ParametersDelegate
    CommonOptions common = new CommonOptions();

    @Parameter(description = "A.json B.json")
    List<String> files = new ArrayList<>();

    @Parameter(names = "--tolerance", description = "Numbers differing by at most this fraction of the larger as equal")
    double tolerance = DEFAULT_TOLERANCE;

    @Parameter(names = "--absolute-tolerance", description = "Numbers differing by at most this much as equal"
            + " (rounding noise near zero)")
    double absoluteTolerance = DEFAULT_ABSOLUTE;

    @Parameter(names = "--max-size", description = "Refuse files larger than this many MiB (checked before reading)")
    int maxMib = DEFAULT_MAX_MIB;

    @Parameter(names = "--timings", description = "Also compare timings (seconds) and the creation time")
    boolean timings;

    @Parameter(names = "--all", description = "List every difference (default: the first " + SHOWN + " per section),"
            + " paths that differ only in their absolute folder included")
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
        for (double t : new double[] {tolerance, absoluteTolerance}) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new HavException("--tolerance " + t, "must be a finite number >= 0", "use e.g. 1e-6");
            }
        }
        if (maxMib < 1) {
            throw new HavException("--max-size " + maxMib, "must be at least 1 (MiB)", "use e.g. 64");
        }
        Path a = InputFiles.path(files.get(0), "diff");
        Path b = InputFiles.path(files.get(1), "diff");
        JsonNode docA = read(a, maxMib);
        JsonNode docB = read(b, maxMib);
        // both must carry hav's provenance, whole: a foreign or truncated file is bad input, not a difference
        RunProvenance.fromJson(docA.get("provenance"), a.toString());
        RunProvenance.fromJson(docB.get("provenance"), b.toString());
        JsonNode resultsA = JsonDiff.findingsById(orEmpty(docA.get("results")));
        JsonNode resultsB = JsonDiff.findingsById(orEmpty(docB.get("results")));
        JsonDiff.Tolerance tol = new JsonDiff.Tolerance(tolerance, absoluteTolerance);
        List<JsonDiff.Conclusion> conclusions = JsonDiff.conclusions(resultsA.get("findings"), resultsB.get("findings"),
                tol);
        int[] ignored = {0};
        Predicate<String> provenanceIgnored = path -> !timings && path.equals("created");
        Predicate<String> resultsIgnored = path -> !timings && isTiming(path);
        List<JsonDiff.Difference> numbers = JsonDiff.compare("results", resultsA, resultsB, tol, resultsIgnored,
                ignored);
        List<JsonDiff.Difference> provenance = new ArrayList<>();
        int pathOnly = 0;
        for (JsonDiff.Difference d : JsonDiff.compare("provenance", docA.get("provenance"), docB.get("provenance"),
                tol, provenanceIgnored, ignored)) {
            if (!all && JsonDiff.differsOnlyInFolders(d)) {
                pathOnly++;
            } else {
                provenance.add(d);
            }
        }
        boolean same = conclusions.isEmpty() && numbers.isEmpty() && provenance.isEmpty();
        if (common.json) {
            System.out.println(new ObjectMapper().writeValueAsString(json(a, b, conclusions, numbers, provenance,
                    ignored[0], pathOnly)));
        } else {
            print(conclusions, numbers, provenance, ignored[0], pathOnly);
        }
        return same ? 0 : EXIT_DIFFERENT;
    }

    /**
     * A result JSON, guarded as the data commands guard their files: a regular file (a FIFO is never opened), its
     * size checked against the cap before anything is read, every refusal naming the file and the reason.
     */
    static JsonNode read(Path file, int maxMib) {
        String expected = "a report.json (or an analysis .json) of a run";
        long size = InputFiles.requireRegularFile(file, expected);
        long max = (long) maxMib << 20;
        if (size > max) {
            throw new HavException(file.toString(), "is " + InputFiles.bytes(size) + ", more than the " + maxMib
                    + " MiB that hav diff reads (a report.json is tens of KB)", "check that this is the right file;"
                    + " if it is, raise the cap with --max-size " + ((size >> 20) + 1));
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        // a parsed JSON tree takes several times its text; refuse early rather than fail half-way
        if (size * 8 > free) {
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (size * 8 > free) {
                throw outOfMemory(file, size);
            }
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode doc = new ObjectMapper().readTree(bytes);
            if (doc == null || !doc.isObject()) {
                throw new HavException(file.toString(), "is not a JSON object", "give a result JSON that hav wrote");
            }
            JsonNode schema = doc.path("provenance").path("schema");
            if (!schema.isMissingNode() && !schema.isNumber()) {
                throw new HavException(file.toString(), "its provenance \"schema\" is " + (schema.isTextual()
                        ? "a text of " + schema.asText().length() + " characters" : "a JSON " + schema.getNodeType()
                        .name().toLowerCase(Locale.ROOT)) + ", not the schema number " + RunProvenance.SCHEMA
                        + " that hav writes", "give a result JSON that hav wrote");
            }
            return doc;
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, size);
        } catch (StreamConstraintsException e) {
            throw new HavException(file.toString(), "is not a result JSON of hav: " + constraint(e),
                    "give a result JSON that hav wrote");
        } catch (JsonProcessingException e) {
            throw new HavException(file.toString(), "is not valid JSON (" + e.getOriginalMessage()
                    .replaceAll("\\s*\\(start marker.*", "") + line(e) + ")", "give a result JSON that hav wrote");
        } catch (IOException e) {
            throw new HavException(file.toString(), "cannot be read: " + e.getMessage(), "check the file",
                    HavException.EXIT_BAD_INPUT, e);
        }
    }

    private static HavException outOfMemory(Path file, long size) {
        Runtime rt = Runtime.getRuntime();
        return new HavException(file.toString(), "reading this " + InputFiles.bytes(size) + " file needs more memory"
                + " than the Java heap has (" + InputFiles.bytes(rt.maxMemory()) + ")", "raise the heap"
                + " (HAV_JAVA_OPTS=-Xmx8g), or refuse such files before reading with a lower --max-size",
                HavException.EXIT_RUNTIME, null);
    }

    private static final Pattern LENGTH = Pattern.compile("(Number|String) value length \\((\\d+)\\) exceeds the"
            + " maximum allowed \\((\\d+)");

    /** The reason a JSON reader's limit was hit, in plain words. */
    static String constraint(StreamConstraintsException e) {
        String msg = String.valueOf(e.getOriginalMessage());
        Matcher m = LENGTH.matcher(msg);
        if (m.find()) {
            String what = m.group(1).equals("Number") ? "a number" : "a text value";
            return String.format(Locale.ROOT, "it holds %s %s characters long, more than the %s that JSON readers"
                    + " accept%s%s", what, m.group(2), m.group(3), m.group(1).equals("Number")
                    ? " (hav writes numbers of at most 25 characters)" : "", line(e));
        }
        if (msg.contains("nesting depth")) {
            return "it nests objects or arrays deeper than JSON readers accept" + line(e);
        }
        return msg.replaceAll("\\s*\\(from `.*", "") + line(e);
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " at line " + e.getLocation().getLineNr();
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

    private void print(List<JsonDiff.Conclusion> conclusions, List<JsonDiff.Difference> numbers,
                       List<JsonDiff.Difference> provenance, int ignored, int pathOnly) {
        if (conclusions.isEmpty() && numbers.isEmpty() && provenance.isEmpty()) {
            System.out.println("same findings, numbers and provenance" + notes(ignored, pathOnly));
            return;
        }
        // a changed conclusion is the first line: it is what a reader of the two reports must not miss
        conclusions.forEach(c -> System.out.println("changed finding " + c.describe()));
        if (conclusions.isEmpty()) {
            System.out.println("findings: the same verdicts and signs");
        }
        section("numbers beyond the tolerance", numbers, String.format(Locale.ROOT, "relative %.3g, absolute %.3g",
                tolerance, absoluteTolerance));
        section("provenance", provenance, null);
        String notes = notes(ignored, pathOnly);
        if (!notes.isEmpty()) {
            System.out.println(notes.strip());
        }
    }

    private void section(String title, List<JsonDiff.Difference> in, String qualifier) {
        if (in.isEmpty()) {
            System.out.println(title + ": none" + (qualifier == null ? "" : " (" + qualifier + ")"));
            return;
        }
        System.out.println(title + " (" + in.size() + (qualifier == null ? "" : "; " + qualifier) + "):");
        int shown = all ? in.size() : Math.min(SHOWN, in.size());
        for (int i = 0; i < shown; i++) {
            System.out.println("  " + in.get(i).describe());
        }
        if (shown < in.size()) {
            System.out.println("  ... and " + (in.size() - shown) + " more (--all lists them)");
        }
    }

    private static String notes(int ignored, int pathOnly) {
        List<String> n = new ArrayList<>();
        if (ignored > 0) {
            n.add(ignored + " timing fields differ; --timings shows them");
        }
        if (pathOnly > 0) {
            n.add(pathOnly + " provenance paths differ only in their absolute folder; --all shows them");
        }
        return n.isEmpty() ? "" : " (" + String.join("; ", n) + ")";
    }

    private static ObjectNode json(Path a, Path b, List<JsonDiff.Conclusion> conclusions,
                                   List<JsonDiff.Difference> numbers, List<JsonDiff.Difference> provenance,
                                   int ignored, int pathOnly) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode out = m.createObjectNode();
        out.put("a", a.toString());
        out.put("b", b.toString());
        out.put("same", conclusions.isEmpty() && numbers.isEmpty() && provenance.isEmpty());
        ArrayNode changed = out.putArray("changed_findings");
        for (JsonDiff.Conclusion c : conclusions) {
            ObjectNode o = changed.addObject();
            o.put("id", c.id());
            o.put("what", c.what());
            o.set("a", c.a());
            o.set("b", c.b());
        }
        ArrayNode list = out.putArray("differences");
        for (List<JsonDiff.Difference> section : List.of(numbers, provenance)) {
            for (JsonDiff.Difference d : section) {
                ObjectNode o = list.addObject();
                o.put("section", d.section());
                o.put("path", d.path());
                o.set("a", d.a());
                o.set("b", d.b());
            }
        }
        out.put("ignored_timings", ignored);
        out.put("path_only_provenance", pathOnly);
        return out;
    }
}
