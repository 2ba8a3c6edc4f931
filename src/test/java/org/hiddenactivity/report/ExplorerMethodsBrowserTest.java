package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hiddenactivity.analysis.AnalysisContext;
import org.hiddenactivity.analysis.AnalysisOptions;
import org.hiddenactivity.analysis.Evolution;
import org.hiddenactivity.core.FloatMatrix;
import org.hiddenactivity.core.Progress;
import org.hiddenactivity.projection.Alignment;
import org.hiddenactivity.projection.PcaProjection;
import org.hiddenactivity.projection.TsneParameters;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The explorer with one sequence id under two projection methods (the fixture's t-SNE of the layers and a PCA of
 * the same features): a method menu switches the view, keeps its step, and the URL keeps the method.
 */
class ExplorerMethodsBrowserTest {
    static final Path DIR = Path.of("target", "test-report", "methods").toAbsolutePath();

    @Test
    void aSequenceUnderTwoMethodsGetsAMethodMenuThatSwitchesTheViewAndIsKeptInTheUrl() throws IOException {
        ReportFixture.mnistMlp();
        ReportFixture.delete(DIR);
        copy(ReportFixture.DIR.resolve("report"), DIR);
        List<FloatMatrix> pca = new ArrayList<>();
        AnalysisOptions options = new AnalysisOptions("mnist_mlp", null, null, ReportFixture.SIZE, 0, null, "cpu", 0,
                false, true, 512, TsneParameters.defaults().withMaxIter(400), true, 0.1,
                ReportFixture.DIR.resolveSibling("cache"));
        try (AnalysisContext ctx = AnalysisContext.open(options)) {
            int last = ctx.model().lastEpoch();
            // the fixture's projections come from the projection cache
            Evolution.Result tsne = Evolution.layers(ctx, last, Alignment.CHAINED);
            List<Evolution.Step> pcaSteps = new ArrayList<>();
            for (Evolution.Step st : tsne.steps()) {
                FloatMatrix points = new PcaProjection(2, 1, 1).fit(ctx.features(st.epoch(), st.layer()), null,
                        Progress.NONE).points();
                pca.add(points);
                // the quality object is the t-SNE step's: the explorer shows only its neighbourhood hit
                pcaSteps.add(new Evolution.Step(st.label(), st.layer(), st.epoch(), points, st.quality(),
                        st.misclassified(), st.predicted()));
            }
            List<String> labels = tsne.steps().stream().map(s -> "layer " + s.layer()).toList();
            List<ExplorerData.Sequence> sequences = List.of(
                    new ExplorerData.Sequence("layers", "Through the layers", "chained", false, tsne.steps(), labels, "tsne"),
                    new ExplorerData.Sequence("layers", "Through the layers", "independent", false, pcaSteps, labels, "pca"));
            ExplorerData.write(ctx, sequences, List.of(last), null, null, "methods", DIR.resolve("explorer"));
        }
        try (Browser browser = Browser.start(1500, 1400)) {
            Path index = DIR.resolve("index.html");
            browser.open(index);
            List<WebElement> methods = browser.driver.findElements(By.cssSelector("#method-layers option"));
            assertEquals(List.of("t-SNE", "PCA"), methods.stream().map(WebElement::getText).toList());
            assertEquals(1L, ((Number) browser.js("return document.querySelectorAll('.hx-panel[id^=panel-layers]').length;")).longValue(),
                    "one view for the two methods");
            int step = 1;
            browser.js("havExplorer.panels.layers.goTo(arguments[0], true);", step);
            double tsneRatio = ratio(browser, step);
            browser.js("var m = document.getElementById('method-layers'); m.value = 'pca';"
                    + " m.dispatchEvent(new Event('change', {bubbles: true}));");
            assertEquals((long) step, ((Number) browser.js("return havExplorer.panels.layers.t;")).longValue(), "the step is kept");
            double pcaRatio = ratio(browser, step);
            double expected = ratio(pca.get(step));
            assertEquals(expected, pcaRatio, 0.01 * expected, "the view does not show the PCA's points");
            assertTrue(Math.abs(tsneRatio - expected) > 0.05 * expected, "t-SNE and PCA agree by chance; pick other points");
            assertTrue(browser.driver.findElement(By.cssSelector("#panel-layers h3")).getText().contains("PCA"));
            String url = (String) browser.js("return location.href;");
            assertTrue(url.contains("method.layers=pca"), url);
            browser.driver.get("about:blank");
            browser.driver.get(url);
            browser.until("return !!(window.havExplorer && window.havExplorer.ready);");
            assertEquals("pca", browser.js("return document.getElementById('method-layers').value;"));
            assertEquals(expected, ratio(browser, step), 0.01 * expected);
            assertEquals(List.of(), browser.errors());
        }
    }

    /** |p0 p1| / |p0 p2| of observations 0, 1, 2 where the view draws them at step t (independent of scale and shift). */
    @SuppressWarnings("unchecked")
    static double ratio(Browser browser, int t) {
        double[][] p = new double[3][];
        for (int i = 0; i < 3; i++) {
            Map<String, Number> q = (Map<String, Number>) browser.js("return havExplorer.stepPosition('layers', arguments[0], arguments[1]);", i, t);
            // screen y grows downwards: a reflection, which keeps distances
            p[i] = new double[] {q.get("x").doubleValue(), q.get("y").doubleValue()};
        }
        return Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]) / Math.hypot(p[0][0] - p[2][0], p[0][1] - p[2][1]);
    }

    static double ratio(FloatMatrix m) {
        return Math.hypot(m.get(0, 0) - m.get(1, 0), m.get(0, 1) - m.get(1, 1))
                / Math.hypot(m.get(0, 0) - m.get(2, 0), m.get(0, 1) - m.get(2, 1));
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
