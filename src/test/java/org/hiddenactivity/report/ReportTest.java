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
        AnalysisOptions options = new AnalysisOptions("mnist_mlp", null, null, 300, 0, null, "cpu", 0, false, true, 512,
                TsneParameters.defaults().withMaxIter(400), true, 0.1, tmp.resolve("cache"));
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            written = ReportBuilder.run(ctx, new ReportBuilder.Plan(Alignment.CHAINED, Alignment.JOINT, null, null,
                    NeuronAnalysis.Layout.MDS), tmp.resolve("report"));
        }
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
        // findings link to cells that exist
        Matcher anchors = Pattern.compile("class=\"evidence\" href=\"#([^\"]+)\"").matcher(html);
        int count = 0;
        while (anchors.find()) {
            count++;
            assertTrue(html.contains("id=\"" + anchors.group(1) + "\""), "finding links to missing #" + anchors.group(1));
        }
        assertTrue(count >= 5, "only " + count + " findings");
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
}
