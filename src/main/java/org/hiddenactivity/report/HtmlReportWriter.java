package org.hiddenactivity.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hiddenactivity.core.AtomicFiles;

/**
 * Renders a {@link ReportPage} into index.html through a Mustache template (which escapes every value). The page
 * reads nothing from the network; its explorer runs on the script files under explorer/, and without scripts the
 * page still shows every figure and table.
 */
public final class HtmlReportWriter {
    private static final String TEMPLATE = "org/hiddenactivity/report/report.mustache";

    /** The explorer's modules: each declares window.HavState or window.HavPointer. */
    static final List<String> EXPLORER_MODULES = List.of("state.js", "pointer.js");
    /** The explorer's views, in order, sharing one function scope (common.js first, main.js last). */
    static final List<String> EXPLORER_VIEWS = List.of("common.js", "view-points.js", "view-neurons.js",
            "view-tables.js", "view-neighbours.js", "view-units.js", "view-matrix.js",
            "main.js");

    private HtmlReportWriter() {}

    /**
     * The explorer as one script: the modules, then the views wrapped in one function. One file, because a page
     * opened from file:// cannot load ES modules; separate sources, so that each part stays small and testable.
     */
    static String explorerScript() {
        StringBuilder out = new StringBuilder("/* The explorer of a hav report, assembled from src/main/resources/"
                + "org/hiddenactivity/report/explorer/ by HtmlReportWriter. */\n");
        for (String module : EXPLORER_MODULES) {
            out.append("\n/* ---- ").append(module).append(" ---- */\n").append(resource(module));
        }
        out.append("\n(function () {\n'use strict';\n");
        for (String view : EXPLORER_VIEWS) {
            out.append("\n/* ---- ").append(view).append(" ---- */\n").append(resource(view));
        }
        out.append("\n})();\n");
        return out.toString();
    }

    private static String resource(String name) {
        String path = "org/hiddenactivity/report/explorer/" + name;
        try (InputStream in = HtmlReportWriter.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code dir/index.html} atomically and returns its path. */
    public static Path write(ReportPage page, Path dir) {
        Mustache mustache = new DefaultMustacheFactory().compile(TEMPLATE);
        StringWriter out = new StringWriter();
        mustache.execute(out, scope(page));
        Path index = dir.resolve("index.html");
        AtomicFiles.writeString(index, out.toString());
        return index;
    }

    private static Map<String, Object> scope(ReportPage page) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("title", page.title);
        s.put("subtitle", page.subtitle);
        s.put("warnings", page.warnings);
        s.put("hasWarnings", !page.warnings.isEmpty());
        s.put("summary", pairs(page.summary));
        s.put("layersTable", page.layers == null ? List.of() : List.of(table(page.layers)));
        s.put("inputs", pairs(page.inputs));
        s.put("findings", findings(page.findings));
        s.put("hasFindings", !page.findings.isEmpty());
        s.put("withinUncertainty", findings(page.withinUncertainty));
        s.put("hasWithinUncertainty", !page.withinUncertainty.isEmpty());
        s.put("findingsMethod", page.findingsMethod);
        s.put("explorer", page.explorer);
        List<Map<String, Object>> sections = new ArrayList<>();
        for (ReportPage.Section sec : page.sections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", sec.id());
            m.put("title", sec.title());
            m.put("description", sec.description());
            m.put("omitted", sec.omitted());
            m.put("figures", sec.figures());
            List<Map<String, Object>> tables = new ArrayList<>();
            for (ReportPage.Table t : sec.tables()) {
                tables.add(table(t));
            }
            m.put("tables", tables);
            sections.add(m);
        }
        s.put("sections", sections);
        s.put("parametersTable", page.parameters == null ? List.of() : List.of(table(page.parameters)));
        s.put("timings", pairs(page.timings));
        s.put("exports", pairs(page.exports));
        s.put("provenanceJson", page.provenanceJson);
        s.put("jsonFile", page.jsonFile);
        return s;
    }

    private static List<Map<String, Object>> findings(List<ReportPage.Finding> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReportPage.Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text", f.text());
            m.put("uncertainty", f.uncertainty());
            m.put("anchor", f.anchor());
            m.put("evidence", f.evidence());
            m.put("view", explorerView(f.anchor()));
            out.add(m);
        }
        return out;
    }

    private static final Pattern STEP_ANCHOR = Pattern.compile("(layers|epochs)-(\\d+)-(\\w+)");
    private static final Pattern CLASS_ANCHOR = Pattern.compile("class-(\\d+)-(\\d+)");
    private static final Pattern NEURON_ANCHOR = Pattern.compile("neurons-[\\w-]*-(before|after)");

    /**
     * The explorer state (a #explorer?... link) that shows what the finding anchored at {@code anchor} is about:
     * the step of a layer or epoch (misclassified only for a misclassification count), a class at a layer (its
     * observations selected), the neuron map before or after training; null when no view shows it better.
     */
    static String explorerView(String anchor) {
        if (anchor == null) {
            return null;
        }
        Matcher m = STEP_ANCHOR.matcher(anchor);
        if (m.matches()) {
            return "#explorer?" + (m.group(3).equals("mis") ? "wrong=1&" : "") + "step." + m.group(1) + "=" + m.group(2);
        }
        m = CLASS_ANCHOR.matcher(anchor);
        if (m.matches()) {
            return "#explorer?selclass=" + m.group(2) + "&step.layers=" + m.group(1);
        }
        m = NEURON_ANCHOR.matcher(anchor);
        if (m.matches()) {
            return "#explorer?map=" + (m.group(1).equals("before") ? 0 : 1);
        }
        return null;
    }

    private static Map<String, Object> table(ReportPage.Table t) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("id", t.id());
        tm.put("title", t.title());
        tm.put("headers", t.headers());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<ReportPage.Cell> r : t.rows()) {
            rows.add(Map.of("cells", r));
        }
        tm.put("rows", rows);
        return tm;
    }

    private static List<Map<String, String>> pairs(List<Map.Entry<String, String>> entries) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries) {
            out.add(Map.of("key", e.getKey(), "value", e.getValue()));
        }
        return out;
    }
}
