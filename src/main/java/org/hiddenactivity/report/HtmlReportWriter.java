package org.hiddenactivity.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hiddenactivity.core.AtomicFiles;

/**
 * Renders a {@link ReportPage} into index.html through a Mustache template (which escapes every value). The page
 * reads nothing from the network; its explorer runs on the script files under explorer/, and without scripts the
 * page still shows every figure and table.
 */
public final class HtmlReportWriter {
    private static final String TEMPLATE = "org/hiddenactivity/report/report.mustache";

    private HtmlReportWriter() {}

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
        s.put("findings", page.findings);
        s.put("hasFindings", !page.findings.isEmpty());
        s.put("withinUncertainty", page.withinUncertainty);
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
