package org.hiddenactivity.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Not a test: the measurement behind benchmarks/explorer/measure.sh, skipped unless -Dhav.explorer.report=DIR names
 * a report folder. Opens DIR/index.html in headless Chromium (1920 x 1080) and records, with real input events:
 * load (the explorer's performance.now() when ready), clicks on points, class filter toggles, diagonal confusion
 * cells (each: from the pointer's release to the next animation frame, so the page's work and its paint are
 * in it), and the animation while playing (frames per second and the longest gap between frames). Only what
 * every explorer version exposes is used, so the same code measures before and after a change. Writes JSON to
 * -Dhav.explorer.out; asserts nothing about speed (targets live in benchmarks/explorer/README.md).
 */
class ExplorerTiming {
    /** Records the time from a pointer release to the next animation frame after the click it makes. */
    private static final String INSTALL = "if (!window.__lat) { window.__lat = []; var start = 0;"
            + " window.addEventListener('pointerup', function (e) { start = e.timeStamp; }, true);"
            + " window.addEventListener('mouseup', function (e) { if (!start) start = e.timeStamp; }, true);"
            + " window.addEventListener('click', function () { var s = start; start = 0;"
            + "  requestAnimationFrame(function () { window.__lat.push(performance.now() - s); }); }, true); }";

    @Test
    @SuppressWarnings("unchecked")
    void measure() throws Exception {
        String report = System.getProperty("hav.explorer.report");
        Assumptions.assumeTrue(report != null && !report.isBlank(), "set -Dhav.explorer.report=DIR to measure");
        Path index = Path.of(report).toAbsolutePath().resolve("index.html");
        int loads = Integer.getInteger("hav.explorer.loads", 5);
        int clicks = Integer.getInteger("hav.explorer.clicks", 30);
        Map<String, Object> out = new LinkedHashMap<>();
        try (Browser b = Browser.start(1920, 1080)) {
            double[] ready = new double[loads];
            for (int k = 0; k < loads; k++) {
                b.open(index);
                ready[k] = ((Number) b.js("return havExplorer.readyAt;")).doubleValue();
            }
            int n = ((Number) b.js("return HAV_EXPLORER.n;")).intValue();
            out.put("observations", n);
            out.put("checkpoints", ((Number) b.js("return HAV_EXPLORER.checkpoints.length;")).intValue());
            out.put("points_per_view", b.js("return HAV_EXPLORER.sequences.map(function (s) {"
                    + " return {id: s.id, steps: s.steps.length, points: s.steps.length * HAV_EXPLORER.n}; });"));
            out.put("load_to_interactive_ms", stats(ready));
            b.js(INSTALL);

            // clicks on points of the first view
            String panel = (String) b.js("return HAV_EXPLORER.sequences[0].id;");
            WebElement overlay = b.driver.findElement(By.cssSelector("canvas[data-panel='" + panel + "']"));
            b.js("arguments[0].scrollIntoView({block: 'center'});", overlay);
            Random r = new Random(0);
            for (int k = 0; k < clicks; k++) {
                Map<String, Number> p = (Map<String, Number>) b.js("return havExplorer.screenPosition(arguments[0], arguments[1]);",
                        panel, r.nextInt(n));
                new Actions(b.driver).moveToLocation((int) Math.round(p.get("x").doubleValue()),
                        (int) Math.round(p.get("y").doubleValue())).click().perform();
            }
            out.put("click_point_ms", latencies(b, clicks));

            // class filter: each class off, then on again
            List<Object> boxes = (List<Object>) b.js("return Array.prototype.slice.call(document.querySelectorAll('#filter-true input[type=checkbox]'));");
            b.js("arguments[0].scrollIntoView({block: 'center'});", boxes.get(0));
            for (Object box : boxes) {
                ((WebElement) box).click();
                ((WebElement) box).click();
            }
            out.put("class_filter_ms", latencies(b, 2 * boxes.size()));

            // every diagonal cell of the confusion matrix (about n / classes observations each)
            int classes = ((Number) b.js("return HAV_EXPLORER.classes.length;")).intValue();
            for (int c = 0; c < classes; c++) {
                // found anew each time: an explorer may rebuild the table on a click
                WebElement cell = b.driver.findElement(By.cssSelector("#confusion-table td[data-true='" + c + "'][data-predicted='" + c + "']"));
                b.js("arguments[0].scrollIntoView({block: 'center'});", cell);
                cell.click();
            }
            out.put("confusion_cell_ms", latencies(b, classes));
            out.put("selected_after_last_cell", b.js("return havExplorer.state.selectedCount;"));

            // play the first view for 4 s with that selection (its trails drawn): frames counted by a rAF loop
            WebElement play = b.driver.findElement(By.id("play-" + panel));
            b.js("arguments[0].scrollIntoView({block: 'center'});", play);
            b.js("window.__frames = []; window.__counting = true; (function f(t) { window.__frames.push(t);"
                    + " if (window.__counting) requestAnimationFrame(f); })(performance.now());");
            play.click();
            Thread.sleep(4000);
            play.click();
            List<Number> frames = (List<Number>) b.js("window.__counting = false; return window.__frames;");
            double[] gaps = new double[Math.max(1, frames.size() - 1)];
            for (int k = 1; k < frames.size(); k++) {
                gaps[k - 1] = frames.get(k).doubleValue() - frames.get(k - 1).doubleValue();
            }
            double span = frames.get(frames.size() - 1).doubleValue() - frames.get(0).doubleValue();
            Map<String, Object> anim = new LinkedHashMap<>();
            anim.put("fps", (frames.size() - 1) * 1000.0 / span);
            anim.put("frame_gap_ms", stats(gaps));
            out.put("animation_playing", anim);
            out.put("errors", b.errors());
            out.put("user_agent", b.js("return navigator.userAgent;"));
        }
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
        String target = System.getProperty("hav.explorer.out");
        if (target != null && !target.isBlank()) {
            Files.writeString(Path.of(target), json);
        }
        System.out.println(json);
    }

    /** Waits for the expected number of latencies, takes them and clears the list. */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> latencies(Browser b, int expected) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (((Number) b.js("return window.__lat.length;")).intValue() < expected && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        List<Number> v = (List<Number>) b.js("var v = window.__lat.slice(); window.__lat.length = 0; return v;");
        List<Double> d = new ArrayList<>();
        v.forEach(x -> d.add(x.doubleValue()));
        Map<String, Double> s = stats(d.stream().mapToDouble(Double::doubleValue).toArray());
        s.put("count", (double) d.size());
        return s;
    }

    static Map<String, Double> stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        Map<String, Double> m = new LinkedHashMap<>();
        if (s.length == 0) {
            return m;
        }
        m.put("median", quantile(s, 0.5));
        m.put("p95", quantile(s, 0.95));
        m.put("max", s[s.length - 1]);
        m.put("min", s[0]);
        return m;
    }

    /** Linear interpolation between the order statistics of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
