package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.NeuronAnalysis;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole report on the shipped MLP at a small size, opened in headless Chromium. */
class ReportTest {
    @TempDir
    static Path tmp;

    static ReportBuilder.Written written;

    @BeforeAll
    static void buildReport() {
        written = ReportFixture.mnistMlp();
    }

    static List<String> referencedFiles(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyReferencedFileExistsAndEveryNumberIsInTheJson() throws Exception {
        String html = Files.readString(written.index());
        List<String> files = referencedFiles(html);
        assertTrue(files.size() > 10, "few references: " + files);
        for (String f : files) {
            assertTrue(Files.isRegularFile(written.index().getParent().resolve(f)), "missing " + f);
        }
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        JsonNode layers = json.at("/results/layers/steps");
        assertEquals(4, layers.size());
        for (JsonNode step : layers) {
            double hit = step.get("neighbourhood_hit_k6").asDouble();
            assertTrue(hit > 0 && hit <= 1, "hit " + hit);
            String shown = ReportBuilder.fmt(hit);
            assertTrue(html.contains(">" + shown + "<"), "the report does not show " + shown);
        }
        assertEquals(6, json.at("/results/epochs/steps").size());
        assertTrue(json.at("/provenance/checkpoints_sha256").size() == 6);
        assertFalse(json.at("/provenance/dataset_sha256").asText().isEmpty());
        // findings (and changes within their uncertainty) link to cells that exist
        Matcher anchors = Pattern.compile("class=\"evidence\" href=\"#([^\"]+)\"").matcher(html);
        int count = 0;
        while (anchors.find()) {
            count++;
            assertTrue(html.contains("id=\"" + anchors.group(1) + "\""), "finding links to missing #" + anchors.group(1));
        }
        assertEquals(json.at("/results/findings").size(), count, "every statement of report.json is on the page");
        assertTrue(count >= 5, "only " + count + " statements");
        // every statement carries its bootstrap interval; a shown change excludes 0, a change within its uncertainty does not
        for (JsonNode f : json.at("/results/findings")) {
            if (f.has("change")) {
                double lo = f.at("/interval_95/0").asDouble();
                double hi = f.at("/interval_95/1").asDouble();
                assertTrue(lo <= f.get("change").asDouble() + 1e-12 && f.get("change").asDouble() <= hi + 1e-12, f.toString());
                assertEquals(lo > 0 || hi < 0, f.get("finding").asBoolean(), f.toString());
                assertEquals(Bootstrap.RESAMPLES, f.at("/bootstrap/resamples").asInt());
            }
        }
    }

    @Test
    void layersDataAndNormalisationAreNamedAndNothingIsOmitted() throws Exception {
        String html = Files.readString(written.index());
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        assertTrue(written.omitted().isEmpty(), "omitted: " + written.omitted());
        JsonNode layers = json.at("/model/hidden_layers");
        assertEquals(4, layers.size());
        for (JsonNode l : layers) {
            assertTrue(html.contains(">" + l.get("tensor").asText() + "<"), "the page does not name " + l.get("tensor"));
            assertTrue(html.contains(">" + l.get("units").asText() + "<"));
        }
        assertTrue(html.contains("0.1307"), "normalisation mean missing from the page");
        assertTrue(json.at("/normalisation").asText().contains("0.1307"));
        assertTrue(json.at("/dataset").asText().contains("mnist"));
        assertTrue(json.has("warnings"));
        // the joint t-SNE's KL is said once, not in a column of the epoch table
        String epochs = html.substring(html.indexOf("id=\"epochs-table\""));
        epochs = epochs.substring(0, epochs.indexOf("</table>"));
        assertFalse(epochs.contains("KL divergence"), "KL column in the joint epoch table");
        assertTrue(html.contains("One joint t-SNE over all 6 snapshots"));
        // parameters as a table, not a record string
        assertFalse(html.contains("TsneParameters["), "record string on the page");
        assertTrue(html.contains("t-SNE perplexity"));
    }

    @Test
    void exportsForTheEmbeddingProjectorAndCsvOfEveryProjection() throws Exception {
        Path dir = written.index().getParent();
        Path projector = dir.resolve("projector");
        String config = Files.readString(projector.resolve("projector_config.pbtxt"));
        Matcher paths = Pattern.compile("(?:tensor_path|metadata_path|image_path): \"([^\"]+)\"").matcher(config);
        int files = 0;
        while (paths.find()) {
            assertTrue(Files.isRegularFile(projector.resolve(paths.group(1))), "config names missing " + paths.group(1));
            files++;
        }
        assertEquals(3, files);
        List<String> tensors = Files.readAllLines(projector.resolve("layer4_epoch100/tensors.tsv"));
        List<String> metadata = Files.readAllLines(projector.resolve("layer4_epoch100/metadata.tsv"));
        assertEquals(ReportFixture.SIZE, tensors.size());
        assertEquals(ReportFixture.SIZE + 1, metadata.size(), "header + one row per observation");
        assertEquals(256, tensors.get(0).split("\t").length);
        assertEquals("index\tlabel\tlabel_name\tprediction\tprediction_name\tcorrect\tlayer\tepoch", metadata.get(0));
        // the sprite holds one tile per observation, as the config says
        try (org.bytedeco.opencv.opencv_core.Mat m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(
                projector.resolve("sprite.png").toString(), org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED)) {
            int columns = (int) Math.ceil(Math.sqrt(ReportFixture.SIZE));
            assertEquals(columns * 28, m.cols());
            assertTrue(config.contains("single_image_dim: 28"));
        }
        // every projection as CSV, with the points of its .npy and the metadata columns
        try (var s = Files.list(dir.resolve("figures"))) {
            List<Path> npys = s.filter(p -> p.getFileName().toString().endsWith("_points.npy")
                    && !p.getFileName().toString().startsWith("neurons")
                    && !p.getFileName().toString().startsWith("discriminative")).toList();
            assertTrue(npys.size() >= 11, "projections: " + npys);
            for (Path npy : npys) {
                Path csv = npy.resolveSibling(npy.getFileName().toString().replace("_points.npy", ".csv"));
                List<String> rows = Files.readAllLines(csv);
                assertEquals("index,x,y,label,label_name,predicted,predicted_name,correct,layer,epoch", rows.get(0));
                assertEquals(ReportFixture.SIZE + 1, rows.size());
                org.hiddenactivity.core.FloatMatrix points = org.hiddenactivity.core.Npy.readMatrix(npy);
                String[] first = rows.get(1).split(",");
                assertEquals(points.get(0, 0), Float.parseFloat(first[1]), 1e-4 * Math.max(1, Math.abs(points.get(0, 0))));
            }
        }
    }

    @Test
    void headlessChromiumLoadsEveryImage() throws Exception {
        String chromium = findChromium();
        if (chromium == null) {
            // CI installs Chromium (scripts/install-system-deps.sh); elsewhere say why this is skipped
            assertFalse("true".equals(System.getenv("CI")), "Chromium missing in CI: run scripts/install-system-deps.sh");
            Assumptions.abort("chromium not installed: run scripts/install-system-deps.sh");
        }
        Path index = written.index();
        String html = Files.readString(index);
        String probe = "<script>window.addEventListener('load',function(){var ok=0,bad=[];"
                + "for(var i of document.images){if(i.complete&&i.naturalWidth>0){ok++;}else{bad.push(i.src);}}"
                + "var d=document.createElement('div');d.id='image-check';d.textContent='loaded='+ok+';broken='+bad.length+';'+bad.join(',');"
                + "document.body.appendChild(d);});</script>";
        Path check = index.resolveSibling("index-check.html");
        Files.writeString(check, html.replace("</body>", probe + "</body>"));
        Path profile = Files.createTempDirectory(tmp, "chromium");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=15000", "--dump-dom", check.toUri().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        Matcher m = Pattern.compile("id=\"image-check\">loaded=(\\d+);broken=(\\d+);([^<]*)<").matcher(dom);
        assertTrue(m.find(), "the probe did not run; chromium printed: " + dom.substring(0, Math.min(400, dom.length())));
        int images = (int) Pattern.compile("<img ").matcher(html).results().count();
        assertEquals(0, Integer.parseInt(m.group(2)), "broken images: " + m.group(3));
        assertEquals(images, Integer.parseInt(m.group(1)));
    }

    static String findChromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void theReportRecordsNoAbsolutePathOfItsInputs() throws Exception {
        // issue 18, item 10: index.html, report.json and figures/*.json carried the model folder and manifest paths
        String modelDir = org.hiddenactivity.model.ProjectHome.root().resolve("models").toAbsolutePath().toString();
        Path reportDir = written.index().getParent();
        List<Path> files;
        try (var s = Files.walk(reportDir)) {
            files = s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".html")).toList();
        }
        assertTrue(files.size() > 3, files.toString());
        for (Path f : files) {
            String text = Files.readString(f);
            assertFalse(text.contains(modelDir), f + " names " + modelDir);
        }
        JsonNode json = new ObjectMapper().readTree(written.json().toFile());
        assertEquals("mnist_mlp", json.at("/provenance/model_setup/dir").asText());
        assertTrue(json.at("/provenance/model_setup/manifest").asText().startsWith("manifest.json (sha256 "),
                json.at("/provenance/model_setup/manifest").asText());
    }
}
