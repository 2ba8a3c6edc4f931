package org.hiddenactivity.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Not a test: the measurement behind benchmarks/explorer/measure.sh, skipped unless -Dhav.explorer.report=DIR names
 * a report folder. Opens DIR/index.html in headless Chromium several times and records load-to-interactive (the
 * explorer's performance.now() at the end of its initialisation), hover latency (handler time, and time from the
 * mouse event to the next animation frame) over real pointer moves, and frames drawn during a slider move. Writes
 * the numbers as JSON to -Dhav.explorer.out. It asserts nothing about speed (targets live in benchmarks/).
 */
class ExplorerTiming {
    @Test
    @SuppressWarnings("unchecked")
    void measure() throws Exception {
        String report = System.getProperty("hav.explorer.report");
        Assumptions.assumeTrue(report != null && !report.isBlank(), "set -Dhav.explorer.report=DIR to measure");
        Path index = Path.of(report).toAbsolutePath().resolve("index.html");
        int loads = Integer.getInteger("hav.explorer.loads", 7);
        int hovers = Integer.getInteger("hav.explorer.hovers", 300);
        Map<String, Object> out = new LinkedHashMap<>();
        try (Browser b = Browser.start(1500, 2400)) {
            double[] ready = new double[loads];
            for (int k = 0; k < loads; k++) {
                b.open(index);
                ready[k] = ((Number) b.js("return havExplorer.readyAt;")).doubleValue();
            }
            out.put("observations", ((Number) b.js("return HAV_EXPLORER.n;")).intValue());
            out.put("points_per_view", b.js("return HAV_EXPLORER.sequences.map(function (s) {"
                    + " return {id: s.id, steps: s.steps.length, points: s.steps.length * HAV_EXPLORER.n}; });"));
            out.put("load_to_interactive_ms", stats(ready));
            out.put("errors", b.errors());
            // hover: real pointer moves over random points of the first view
            String panel = (String) b.js("return HAV_EXPLORER.sequences[0].id;");
            WebElement overlay = b.driver.findElement(By.cssSelector("canvas[data-panel='" + panel + "']"));
            b.js("arguments[0].scrollIntoView({block: 'center'}); havExplorer.hoverSamples.length = 0;", overlay);
            Random r = new Random(0);
            int n = ((Number) b.js("return HAV_EXPLORER.n;")).intValue();
            for (int h = 0; h < hovers; h++) {
                Map<String, Number> p = (Map<String, Number>) b.js("return havExplorer.screenPosition(arguments[0], arguments[1]);",
                        panel, r.nextInt(n));
                new Actions(b.driver).moveToLocation((int) Math.round(p.get("x").doubleValue()),
                        (int) Math.round(p.get("y").doubleValue())).perform();
            }
            b.until("return havExplorer.hoverSamples.length > 0;");
            List<Map<String, Number>> samples = (List<Map<String, Number>>) b.js("return havExplorer.hoverSamples;");
            out.put("hover_samples", samples.size());
            out.put("hover_handler_ms", stats(samples.stream().mapToDouble(s -> s.get("handlerMs").doubleValue()).toArray()));
            out.put("hover_event_to_next_frame_ms", stats(samples.stream().mapToDouble(s -> s.get("eventToFrameMs").doubleValue()).toArray()));
            // a slider move: frames drawn during the 700 ms animation
            WebElement slider = b.driver.findElement(By.id("slider-" + panel));
            long before = ((Number) b.js("return havExplorer.panels[arguments[0]].framesDrawn;", panel)).longValue();
            double t0 = ((Number) b.js("return performance.now();")).doubleValue();
            slider.sendKeys(Keys.HOME);
            b.until("return !havExplorer.panels[arguments[0]].animating;", panel);
            double t1 = ((Number) b.js("return performance.now();")).doubleValue();
            long frames = ((Number) b.js("return havExplorer.panels[arguments[0]].framesDrawn;", panel)).longValue() - before;
            out.put("slider_animation", Map.of("frames", frames, "ms", t1 - t0));
            out.put("user_agent", b.js("return navigator.userAgent;"));
        }
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
        String target = System.getProperty("hav.explorer.out");
        if (target != null && !target.isBlank()) {
            Files.writeString(Path.of(target), json);
        }
        System.out.println(json);
    }

    static Map<String, Double> stats(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("median", Bootstrap.quantile(s, 0.5));
        m.put("p95", Bootstrap.quantile(s, 0.95));
        m.put("max", s[s.length - 1]);
        m.put("min", s[0]);
        return m;
    }
}
