package org.hiddenactivity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one HTML report shows, independent of how it was computed: warnings, what was analysed, findings that link
 * to the numbers they rest on, sections of figures and tables (or the reason a section was left out), parameters,
 * timings and provenance. {@link HtmlReportWriter} turns it into index.html.
 */
public final class ReportPage {
    /**
     * A figure: a thumbnail that links to the full-resolution image (paths relative to index.html), with a legend
     * in HTML (the figure's own legend shrinks with the thumbnail below a readable size).
     */
    public record Figure(String title, String thumbnail, String image, String caption, List<LegendEntry> legend) {
        public Figure(String title, String thumbnail, String image, String caption) {
            this(title, thumbnail, image, caption, List.of());
        }
    }

    /**
     * One entry of a figure's HTML legend: a swatch ({@code colour}, any CSS background) of a marker shape
     * ({@code marker}: disc, square, triangle, diamond, or bar for a colour scale) and its name.
     */
    public record LegendEntry(String name, String colour, String marker) {}

    /** A table whose cells may carry an anchor id, so a finding can link to the number it rests on. */
    public record Table(String id, String title, List<String> headers, List<List<Cell>> rows) {}

    /** One table cell; {@code id} is null unless a finding points at it. */
    public record Cell(String text, String id) {
        public static Cell of(String text) { return new Cell(text, null); }
    }

    /** A sentence computed from the numbers, with its uncertainty and the anchor of the cell it rests on. */
    public record Finding(String text, String uncertainty, String anchor, String evidence) {}

    /**
     * A titled part of the report; {@code omitted} non-null means the analysis was left out, and says why (the
     * section then has no figures or tables).
     */
    public record Section(String id, String title, String description, List<Figure> figures, List<Table> tables,
                          String omitted) {
        public Section(String id, String title, String description, List<Figure> figures, List<Table> tables) {
            this(id, title, description, figures, tables, null);
        }

        static Section omitted(String id, String title, String why) {
            return new Section(id, title, "", List.of(), List.of(), why);
        }
    }

    public String title;
    public String subtitle;
    /** The run's warnings (assumed defaults, adjustments), shown first. */
    public final List<String> warnings = new ArrayList<>();
    public final List<Map.Entry<String, String>> summary = new ArrayList<>();
    /** What was analysed: the hidden layers (one row each) and the data and normalisation used. */
    public Table layers;
    public final List<Map.Entry<String, String>> inputs = new ArrayList<>();
    public final List<Finding> findings = new ArrayList<>();
    /** Changes that did not exceed their uncertainty: stated as such, not as findings. */
    public final List<Finding> withinUncertainty = new ArrayList<>();
    public String findingsMethod;
    public final List<Section> sections = new ArrayList<>();
    public Table parameters;
    public final List<Map.Entry<String, String>> timings = new ArrayList<>();
    public final List<Map.Entry<String, String>> exports = new ArrayList<>();
    public String provenanceJson;
    public String jsonFile;
    /** True when the explorer's data files were written (the page then loads explorer/*.js). */
    public boolean explorer;
}
