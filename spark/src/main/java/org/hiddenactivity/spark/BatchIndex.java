package org.hiddenactivity.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The batch's index and the comparison across runs: {@code index.json} (every run's status and message, rewritten as
 * runs finish), {@code comparison.json}, {@code comparison.csv} and {@code index.html} (a sortable table, offline).
 */
final class BatchIndex {
    static final String STATUS = "index.json";
    static final String HTML = "index.html";
    static final String JSON_FILE = "comparison.json";
    static final String CSV = "comparison.csv";

    private BatchIndex() {}

    /** One run's row: what the comparison shows, read from its report.json. */
    record Row(RunResult run, String dataset, Map<Integer, Double> accuracy, Map<Integer, Double> hitPerLayer,
               Integer lastEpoch, Double specialisationBefore, Double specialisationAfter, String thumbnail,
               String report) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", run.name());
            m.put("command", run.command());
            m.put("model", run.model());
            m.put("dataset", dataset);
            m.put("status", run.status());
            m.put("message", run.message());
            m.put("accuracy_per_epoch", stringKeys(accuracy));
            m.put("last_epoch", lastEpoch);
            m.put("neighbourhood_hit_k6_per_layer", stringKeys(hitPerLayer));
            m.put("specialisation_before", specialisationBefore);
            m.put("specialisation_after", specialisationAfter);
            m.put("thumbnail", thumbnail);
            m.put("report", report);
            return m;
        }
    }

    static void writeStatus(BatchFiles files, List<RunResult> results, String batchId, boolean complete)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_id", batchId);
        m.put("complete", complete);
        m.put("done", results.stream().filter(RunResult::ok).count());
        m.put("failed", results.stream().filter(r -> !r.ok()).count());
        List<Map<String, Object>> runs = new ArrayList<>();
        results.forEach(r -> runs.add(r.toMap()));
        m.put("runs", runs);
        files.writeText(files.file(STATUS), Batch.JSON.writeValueAsString(m));
    }

    static void writeAll(BatchFiles files, List<RunResult> results, String batchId) throws IOException {
        writeStatus(files, results, batchId, true);
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            rows.add(row(files, r));
        }
        List<Map<String, Object>> json = new ArrayList<>();
        rows.forEach(r -> json.add(r.toMap()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("batch_id", batchId);
        doc.put("runs", json);
        files.writeText(files.file(JSON_FILE), Batch.JSON.writeValueAsString(doc));
        files.writeText(files.file(CSV), csv(rows));
        files.writeText(files.file(HTML), html(rows, batchId));
    }

    /** The comparison row of one run; numbers absent from its report (another command, a failure) stay null. */
    static Row row(BatchFiles files, RunResult r) throws IOException {
        Map<Integer, Double> accuracy = new java.util.TreeMap<>();
        Map<Integer, Double> hits = new java.util.TreeMap<>();
        String dataset = null;
        Integer lastEpoch = null;
        Double before = null;
        Double after = null;
        String thumbnail = null;
        String report = null;
        Path dir = files.run(r.name());
        Path reportJson = new Path(dir, "report.json");
        if (r.ok() && files.exists(reportJson)) {
            JsonNode doc = Batch.JSON.readTree(files.readText(reportJson));
            JsonNode results = doc.path("results");
            dataset = doc.path("model").path("dataset").isTextual() ? doc.path("model").path("dataset").asText()
                    : doc.path("dataset").isTextual() ? doc.path("dataset").asText() : null;
            int observations = results.path("projection").path("observations").asInt(0);
            for (JsonNode s : results.path("epochs").path("steps")) {
                if (observations > 0 && s.has("misclassified") && s.has("epoch")) {
                    accuracy.put(s.get("epoch").asInt(), 1 - s.get("misclassified").asDouble() / observations);
                }
            }
            lastEpoch = results.path("projection").has("epoch") ? results.path("projection").get("epoch").asInt()
                    : null;
            if (observations > 0 && lastEpoch != null && !accuracy.containsKey(lastEpoch)
                    && results.path("projection").has("misclassified")) {
                accuracy.put(lastEpoch, 1 - results.path("projection").get("misclassified").asDouble() / observations);
            }
            for (JsonNode s : results.path("layers").path("steps")) {
                if (s.has("layer") && s.path("neighbourhood_hit_k6").isNumber()) {
                    hits.put(s.get("layer").asInt(), s.get("neighbourhood_hit_k6").asDouble());
                }
            }
            if (hits.isEmpty() && results.path("projection").path("neighbourhood_hit_k6").isNumber()) {
                hits.put(results.path("projection").path("layer").asInt(),
                        results.path("projection").path("neighbourhood_hit_k6").asDouble());
            }
            before = number(results.path("discriminative").path("before").path("specialisation"));
            after = number(results.path("discriminative").path("after").path("specialisation"));
            thumbnail = thumbnail(files, dir, r.name(), hits.isEmpty() ? null : ((java.util.TreeMap<Integer, Double>) hits).lastKey(), lastEpoch);
            if (files.exists(new Path(dir, "index.html"))) {
                report = BatchFiles.link(r.name(), "index.html");
            }
        }
        return new Row(r, dataset, accuracy, hits, lastEpoch, before, after, thumbnail, report);
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /** The last layer's projection at the last checkpoint, as the report's own thumbnail. */
    private static String thumbnail(BatchFiles files, Path dir, String name, Integer layer, Integer epoch)
            throws IOException {
        Path figures = new Path(dir, "figures");
        if (layer == null || epoch == null || !files.exists(figures)) {
            return null;
        }
        List<String> wanted = List.of("layers_epoch" + epoch + "_layer_" + layer + "_thumb.png",
                "epochs_layer" + layer + "_epoch_" + epoch + "_thumb.png");
        TreeSet<String> present = new TreeSet<>();
        for (FileStatus s : files.fs.listStatus(figures)) {
            present.add(s.getPath().getName());
        }
        for (String w : wanted) {
            if (present.contains(w)) {
                return BatchFiles.link(name, "figures/" + w);
            }
        }
        return null;
    }

    private static Map<String, Double> stringKeys(Map<Integer, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static TreeSet<Integer> union(List<Row> rows, boolean epochs) {
        TreeSet<Integer> keys = new TreeSet<>();
        rows.forEach(r -> keys.addAll(epochs ? r.accuracy().keySet() : r.hitPerLayer().keySet()));
        return keys;
    }

    static String csv(List<Row> rows) {
        TreeSet<Integer> epochs = union(rows, true);
        TreeSet<Integer> layers = union(rows, false);
        List<String> header = new ArrayList<>(List.of("name", "command", "model", "dataset", "status"));
        epochs.forEach(e -> header.add("accuracy_epoch_" + e));
        layers.forEach(l -> header.add("neighbourhood_hit_k6_layer_" + l + "_last_epoch"));
        header.addAll(List.of("specialisation_before", "specialisation_after", "report", "message"));
        StringBuilder sb = new StringBuilder(String.join(",", header)).append("\r\n");
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.run().name(), r.run().command(), r.run().model(),
                    str(r.dataset()), r.run().status()));
            epochs.forEach(e -> cells.add(num(r.accuracy().get(e))));
            layers.forEach(l -> cells.add(num(r.hitPerLayer().get(l))));
            cells.addAll(List.of(num(r.specialisationBefore()), num(r.specialisationAfter()), str(r.report()),
                    str(r.run().message())));
            List<String> quoted = new ArrayList<>();
            cells.forEach(c -> quoted.add(csvCell(c)));
            sb.append(String.join(",", quoted)).append("\r\n");
        }
        return sb.toString();
    }

    /** RFC 4180 quoting; a cell a spreadsheet would read as a formula gets a leading apostrophe. */
    static String csvCell(String s) {
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.eE+-]+")) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static String str(String s) {
        return s == null ? "" : s;
    }

    private static String num(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.6f", d);
    }

    /** HTML text and attribute escaping (every string that comes from a file or the plan goes through it). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String html(List<Row> rows, String batchId) {
        TreeSet<Integer> epochs = union(rows, true);
        TreeSet<Integer> layers = union(rows, false);
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hav batch</title>\n")
                .append("<style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("th,td{border:1px solid #ccc;padding:4px 6px;text-align:right;vertical-align:middle}")
                .append("th{cursor:pointer;background:#f3f3f3}th.asc::after{content:' \\25B2'}")
                .append("th.desc::after{content:' \\25BC'}td.t{text-align:left}tr.failed{background:#fde8e8}")
                .append("img{width:96px;height:96px;image-rendering:auto}</style></head><body>\n")
                .append("<h1>hav batch</h1>\n<p>Batch ").append(esc(batchId)).append(": ").append(rows.size())
                .append(" runs. Click a column header to sort. Also as <a href=\"comparison.json\">comparison.json</a>")
                .append(" and <a href=\"comparison.csv\">comparison.csv</a>; status and messages in")
                .append(" <a href=\"index.json\">index.json</a>.</p>\n<table id=\"runs\"><thead><tr>");
        List<String> heads = new ArrayList<>(List.of("run", "model", "dataset", "status"));
        epochs.forEach(e -> heads.add("accuracy, epoch " + e));
        layers.forEach(l -> heads.add("neighbourhood hit, layer " + l + " (last epoch)"));
        heads.addAll(List.of("specialisation before", "specialisation after", "last layer", "report / message"));
        for (String h : heads) {
            sb.append("<th>").append(esc(h)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (Row r : rows) {
            sb.append("<tr class=\"").append(r.run().ok() ? "ok" : "failed").append("\">");
            text(sb, r.run().name());
            text(sb, r.run().model());
            text(sb, r.dataset());
            text(sb, r.run().status());
            epochs.forEach(e -> number(sb, r.accuracy().get(e)));
            layers.forEach(l -> number(sb, r.hitPerLayer().get(l)));
            number(sb, r.specialisationBefore());
            number(sb, r.specialisationAfter());
            sb.append("<td data-v=\"\">");
            if (r.thumbnail() != null) {
                sb.append("<img alt=\"projection of the last layer\" src=\"").append(esc(r.thumbnail())).append("\">");
            }
            sb.append("</td>");
            if (r.report() != null) {
                sb.append("<td class=\"t\" data-v=\"").append(esc(r.run().name())).append("\"><a href=\"")
                        .append(esc(r.report())).append("\">report</a></td>");
            } else {
                text(sb, r.run().message());
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>\n<script>\n")
                .append("// sorts by the clicked column: numbers numerically (blank last), text alphabetically\n")
                .append("document.querySelectorAll('#runs th').forEach(function (th, col) {\n")
                .append("  th.addEventListener('click', function () {\n")
                .append("    var asc = !th.classList.contains('asc');\n")
                .append("    document.querySelectorAll('#runs th').forEach(function (h) { h.classList.remove('asc', 'desc'); });\n")
                .append("    th.classList.add(asc ? 'asc' : 'desc');\n")
                .append("    var body = document.querySelector('#runs tbody');\n")
                .append("    var rows = Array.prototype.slice.call(body.rows);\n")
                .append("    rows.sort(function (a, b) {\n")
                .append("      var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');\n")
                .append("      if (x === y) { return 0; }\n")
                .append("      if (x === '') { return 1; }\n")
                .append("      if (y === '') { return -1; }\n")
                .append("      var nx = parseFloat(x), ny = parseFloat(y), c;\n")
                .append("      var num = /^-?[0-9.]+([eE][-+]?[0-9]+)?$/;\n")
                .append("      if (num.test(x) && num.test(y)) { c = nx - ny; }\n")
                .append("      else { c = x < y ? -1 : 1; }\n")
                .append("      return asc ? c : -c;\n")
                .append("    });\n")
                .append("    rows.forEach(function (r) { body.appendChild(r); });\n")
                .append("  });\n});\n</script>\n</body></html>\n");
        return sb.toString();
    }

    private static void text(StringBuilder sb, String s) {
        sb.append("<td class=\"t\" data-v=\"").append(esc(s)).append("\">").append(esc(s)).append("</td>");
    }

    private static void number(StringBuilder sb, Double d) {
        if (d == null || d.isNaN()) {
            sb.append("<td data-v=\"\"></td>");
        } else {
            String key = Double.toString(d);
            sb.append("<td data-v=\"").append(key).append("\">")
                    .append(String.format(Locale.ROOT, "%.4f", d)).append("</td>");
        }
    }
}
