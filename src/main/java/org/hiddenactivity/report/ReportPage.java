package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one HTML report shows, independent of how it was computed: sections of figures and tables, findings that
 * link to the numbers they rest on, provenance and timings. {@link HtmlReportWriter} turns it into index.html.
 */
public final class ReportPage {
    /** A figure: a thumbnail that links to the full-resolution image (paths relative to index.html). */
    public record Figure(String title, String thumbnail, String image, String caption) {}

    /** A table whose cells may carry an anchor id, so a finding can link to the number it rests on. */
    public record Table(String id, String title, List<String> headers, List<List<Cell>> rows) {}

    /** One table cell; {@code id} is null unless a finding points at it. */
    public record Cell(String text, String id) {
        public static Cell of(String text) { return new Cell(text, null); }
    }

    /** A sentence computed from the numbers, with the anchor of the cell it rests on. */
    public record Finding(String text, String anchor, String evidence) {}

    /** A titled part of the report. */
    public record Section(String id, String title, String description, List<Figure> figures, List<Table> tables) {}

    public String title;
    public String subtitle;
    public final List<Map.Entry<String, String>> summary = new ArrayList<>();
    public final List<Finding> findings = new ArrayList<>();
    public final List<Section> sections = new ArrayList<>();
    public final List<Map.Entry<String, String>> parameters = new ArrayList<>();
    public final List<Map.Entry<String, String>> timings = new ArrayList<>();
    public String provenanceJson;
    public String jsonFile;
}
