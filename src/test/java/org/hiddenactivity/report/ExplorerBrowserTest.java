package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The report's explorer in headless Chromium, opened from file:// with no network: load, hover, click, filter,
 * slider, neuron click. Each state is saved as a screenshot under target/explorer-screenshots/ for a person to see.
 */
class ExplorerBrowserTest {
    static final Path SHOTS = Path.of("target", "explorer-screenshots").toAbsolutePath();
    static Browser browser;
    static Path index;

    @BeforeAll
    static void start() {
        index = ReportFixture.mnistMlp().index();
        browser = Browser.start(1500, 2400);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void open() {
        browser.open(index);
    }

    Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    long num(String script, Object... args) {
        return ((Number) js(script, args)).longValue();
    }

    void shot(String name) {
        WebElement explorer = browser.driver.findElement(By.id("explorer"));
        browser.js("arguments[0].scrollIntoView({block: 'start'});", explorer);
        browser.screenshot(SHOTS.resolve(name + ".png"));
    }

    /** An observation of the layers view whose nearest other point is at least 8 px away (a hover hits only it). */
    long isolatedObservation(String panel, boolean misclassified) {
        return num("var p = havExplorer.panels[arguments[0]]; var D = window.HAV_EXPLORER;"
                + " var cp = p.checkpoint(); var best = -1, bestGap = 0;"
                + " for (var i = 0; i < D.n; i++) {"
                + "   if (arguments[1] && D.checkpoints[cp].predicted[i] === D.targets[i]) continue;"
                + "   var gap = 1e9; for (var j = 0; j < D.n; j++) { if (j === i) continue;"
                + "     var dx = p.sx(p.pos[2*i]) - p.sx(p.pos[2*j]), dy = p.sy(p.pos[2*i+1]) - p.sy(p.pos[2*j+1]);"
                + "     gap = Math.min(gap, dx*dx + dy*dy); }"
                + "   if (gap > bestGap) { bestGap = gap; best = i; } }"
                + " return bestGap >= 64 ? best : -1;", panel, misclassified);
    }

    void moveTo(String panel, long i) {
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='" + panel + "']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        @SuppressWarnings("unchecked")
        Map<String, Number> p = (Map<String, Number>) js("return havExplorer.screenPosition(arguments[0], arguments[1]);", panel, i);
        new Actions(browser.driver).moveToLocation((int) Math.round(p.get("x").doubleValue()),
                (int) Math.round(p.get("y").doubleValue())).perform();
    }

    @Test
    void loadsFromFileWithNoErrorsAndNoNetwork() throws Exception {
        assertEquals(List.of(), browser.errors(), "console errors or uncaught exceptions");
        assertTrue(index.toUri().toString().startsWith("file:"));
        String html = Files.readString(index);
        String script = Files.readString(index.resolveSibling("explorer/explorer.js"));
        for (String text : List.of(html, script)) {
            Matcher remote = Pattern.compile("(?:src|href)=\"(?:https?:)?//").matcher(text);
            assertFalse(remote.find(), "a remote resource is referenced");
            assertFalse(text.contains("fetch("), "fetch() cannot read local files from file://");
        }
        // every sequence view and the neuron map drew their points
        assertTrue(num("return havExplorer.stats.layers.points;") == ReportFixture.SIZE);
        assertTrue(num("return havExplorer.stats.epochs.points;") == ReportFixture.SIZE);
        assertTrue(num("return havExplorer.stats.neurons.drawn;") > 100);
        // the sprite sheet loads from the folder
        js("window.__sprite = null; var im = new Image(); im.onload = function () { window.__sprite = im.naturalWidth; };"
                + " im.onerror = function () { window.__sprite = -1; }; im.src = HAV_EXPLORER.sprite.file;");
        browser.until("return window.__sprite !== null;");
        assertEquals(num("return HAV_EXPLORER.sprite.width;"), num("return window.__sprite;"));
        double readyMs = ((Number) js("return havExplorer.readyAt;")).doubleValue();
        assertTrue(readyMs > 0);
        shot("01-loaded");
    }

    @Test
    void hoverShowsTheImageAndBothLabels() {
        long i = isolatedObservation("layers", true);
        if (i < 0) {
            i = isolatedObservation("layers", false);
        }
        assertTrue(i >= 0, "no isolated point to hover");
        moveTo("layers", i);
        browser.until("return !document.getElementById('hover-card').hidden;");
        WebElement card = browser.driver.findElement(By.id("hover-card"));
        assertEquals(String.valueOf(i), card.findElement(By.cssSelector("[data-field=index]")).getText());
        String trueName = (String) js("return HAV_EXPLORER.classes[HAV_EXPLORER.targets[arguments[0]]];", i);
        String predName = (String) js("var D = HAV_EXPLORER; return D.classes[D.checkpoints[D.checkpoints.length - 1].predicted[arguments[0]]];", i);
        assertEquals(trueName, card.findElement(By.cssSelector("[data-field=true]")).getText());
        assertEquals(predName, card.findElement(By.cssSelector("[data-field=predicted]")).getText());
        WebElement image = card.findElement(By.cssSelector(".hx-sprite"));
        assertEquals(String.valueOf(i), image.getAttribute("data-observation"));
        // the tile shown is observation i's: its offset in the sprite sheet (scale 3)
        long columns = num("return HAV_EXPLORER.sprite.columns;");
        long tile = num("return HAV_EXPLORER.sprite.tileWidth;");
        String expected = (-(i % columns) * tile * 3) + "px " + (-(i / columns) * tile * 3) + "px";
        assertEquals(expected, js("return arguments[0].style.backgroundPosition;", image));
        assertTrue(image.getAttribute("aria-label").contains(trueName));
        shot("02-hover");
    }

    @Test
    void clickSelectsTheObservationAndDrawsItsTrails() {
        long i = isolatedObservation("layers", false);
        moveTo("layers", i);
        new Actions(browser.driver).click().perform();
        browser.until("return havExplorer.state.selectedCount === 1;");
        assertEquals(i, num("return havExplorer.state.selectedList[0];"));
        assertEquals(1, num("return havExplorer.stats.layers.trails;"));
        assertEquals(1, num("return havExplorer.stats.epochs.trails;"), "the selection is shown in the other view too");
        assertEquals("observation #" + i + " selected", browser.driver.findElement(By.id("selection-count")).getText());
        // the trail's first vertex (layer 1) is drawn where the layer-1 projection put the point: a white dot ringed in black
        @SuppressWarnings("unchecked")
        Map<String, Number> first = (Map<String, Number>) js("return havExplorer.stepPosition('layers', arguments[0], 0);", i);
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("return havExplorer.pixel('layers', arguments[0], arguments[1]);",
                first.get("x"), first.get("y"));
        assertTrue(px.get(3).intValue() > 200, "nothing drawn at the trail's first vertex: " + px);
        shot("03-selected-trail");
        // clicking empty space clears the selection
        js("havExplorer.select([], false);");
        assertEquals(0, num("return havExplorer.state.selectedCount;"));
    }

    @Test
    void classFilterHidesTheOtherClasses() {
        browser.driver.findElement(By.id("filter-true-none")).click();
        assertEquals(0, num("return havExplorer.stats.layers.points;"));
        browser.driver.findElement(By.id("filter-true-3")).click();
        long threes = num("return HAV_EXPLORER.targets.filter(function (y) { return y === 3; }).length;");
        assertTrue(threes > 10);
        assertEquals(threes, num("return havExplorer.stats.layers.points;"));
        assertEquals(threes, num("return havExplorer.stats.epochs.points;"));
        // a hidden point far from every shown one leaves the canvas empty where it was
        long hidden = num("var p = havExplorer.panels.layers, D = HAV_EXPLORER, best = -1, bestGap = 0;"
                + " for (var i = 0; i < D.n; i++) { if (D.targets[i] === 3) continue; var gap = 1e9;"
                + "  for (var j = 0; j < D.n; j++) { if (D.targets[j] !== 3) continue;"
                + "   var dx = p.sx(p.pos[2*i]) - p.sx(p.pos[2*j]), dy = p.sy(p.pos[2*i+1]) - p.sy(p.pos[2*j+1]);"
                + "   gap = Math.min(gap, dx*dx + dy*dy); } if (gap > bestGap) { bestGap = gap; best = i; } } return best;");
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("var p = havExplorer.panels.layers; var i = arguments[0];"
                + " return havExplorer.pixel('layers', p.sx(p.pos[2*i]), p.sy(p.pos[2*i+1]));", hidden);
        assertEquals(0, px.get(3).intValue(), "a hidden observation is still drawn");
        // hovering where a hidden point is shows nothing for it
        shot("04-filter-class-3");
        browser.driver.findElement(By.id("filter-true-all")).click();
        assertEquals(ReportFixture.SIZE, num("return havExplorer.stats.layers.points;"));
        // misclassified only: as many as the last checkpoint gets wrong
        browser.driver.findElement(By.id("filter-misclassified")).click();
        long wrong = num("var D = HAV_EXPLORER, cp = D.checkpoints[D.checkpoints.length - 1], w = 0;"
                + " for (var i = 0; i < D.n; i++) { if (cp.predicted[i] !== D.targets[i]) w++; } return w;");
        assertEquals(wrong, num("return havExplorer.stats.layers.points;"));
    }

    @Test
    void sliderMovesThePointsFromOneSnapshotToTheNext() {
        WebElement slider = browser.driver.findElement(By.id("slider-layers"));
        js("arguments[0].scrollIntoView({block: 'center'});", slider);
        long framesBefore = num("return havExplorer.panels.layers.framesDrawn;");
        assertEquals(3, num("return havExplorer.panels.layers.t;"));
        slider.sendKeys(Keys.HOME);
        browser.until("return havExplorer.panels.layers.t === 0 && !havExplorer.panels.layers.animating;");
        long frames = num("return havExplorer.panels.layers.framesDrawn;") - framesBefore;
        assertTrue(frames >= 3, "the move was not animated (" + frames + " frames)");
        // every point is now where layer 1's projection puts it, and most of them moved
        long moved = num("var p = havExplorer.panels.layers, a = p.snapshots[0], b = p.snapshots[3], m = 0, bad = 0;"
                + " for (var k = 0; k < a.length; k++) { if (Math.abs(p.pos[k] - a[k]) > 1e-6) bad++; }"
                + " if (bad) return -bad;"
                + " for (var i = 0; i < a.length / 2; i++) { var dx = p.sx(a[2*i]) - p.sx(b[2*i]), dy = p.sy(a[2*i+1]) - p.sy(b[2*i+1]);"
                + "  if (dx*dx + dy*dy > 25) m++; } return m;");
        assertTrue(moved > ReportFixture.SIZE / 2, "points not at layer 1 or hardly moved: " + moved);
        assertEquals("layer 1 (dense1) (1/4)", browser.driver.findElement(By.id("step-label-layers")).getText());
        shot("05-slider-layer-1");
        // the strip of small multiples jumps too
        browser.driver.findElement(By.cssSelector("#panel-layers .hx-strip-item[data-step='2']")).click();
        browser.until("return havExplorer.panels.layers.t === 2 && !havExplorer.panels.layers.animating;");
    }

    @Test
    void clickingANeuronColoursTheObservationsByItsActivation() {
        // a live neuron of the after-training map, away from its neighbours, with a wide activation range
        long j = num("var nm = HAV_EXPLORER.neurons, mp = nm.maps[nm.maps.length - 1], best = -1, bestScore = 0;"
                + " for (var a = 0; a < nm.units; a++) { if (mp.positions[2*a] < 0) continue; var p = havExplorer.neuronScreenPosition(a);"
                + "  var gap = 1e9; for (var b = 0; b < nm.units; b++) { if (b === a || mp.positions[2*b] < 0) continue;"
                + "   var q = havExplorer.neuronScreenPosition(b); gap = Math.min(gap, (p.x-q.x)*(p.x-q.x) + (p.y-q.y)*(p.y-q.y)); }"
                + "  var score = gap >= 100 ? mp.ranges[a][1] - mp.ranges[a][0] : 0; if (score > bestScore) { bestScore = score; best = a; } }"
                + " return best;");
        assertTrue(j >= 0, "no isolated live neuron");
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='neurons']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        @SuppressWarnings("unchecked")
        Map<String, Number> p = (Map<String, Number>) js("return havExplorer.neuronScreenPosition(arguments[0]);", j);
        new Actions(browser.driver).moveToLocation((int) Math.round(p.get("x").doubleValue()),
                (int) Math.round(p.get("y").doubleValue())).perform();
        browser.until("return !document.getElementById('hover-card').hidden;");
        WebElement card = browser.driver.findElement(By.id("hover-card"));
        assertEquals(String.valueOf(j), card.findElement(By.cssSelector("[data-field=neuron]")).getText());
        List<WebElement> tops = card.findElements(By.cssSelector("[data-field=top-images] .hx-sprite"));
        assertEquals(ExplorerData.TOP, tops.size(), "top-activating images");
        long topObservation = num("var mp = HAV_EXPLORER.neurons.maps[HAV_EXPLORER.neurons.maps.length - 1]; return mp.top[arguments[0]][0];", j);
        assertEquals(String.valueOf(topObservation), tops.get(0).getAttribute("data-observation"));
        shot("06-neuron-hover");
        String before = (String) js("return havExplorer.colourOf(arguments[0], 0);", topObservation);
        // the screenshot scrolled the page: point at the neuron again, then click it
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        @SuppressWarnings("unchecked")
        Map<String, Number> again = (Map<String, Number>) js("return havExplorer.neuronScreenPosition(arguments[0]);", j);
        new Actions(browser.driver).moveToLocation((int) Math.round(again.get("x").doubleValue()),
                (int) Math.round(again.get("y").doubleValue())).click().perform();
        browser.until("return havExplorer.state.colourMode === 'neuron';");
        assertEquals(j, num("return havExplorer.state.neuronColour.neurons[0];"));
        // the most activating observation takes the top of the colour scale, an inactive one the bottom
        String top = (String) js("return havExplorer.colourOf(arguments[0], 0);", topObservation);
        assertEquals(js("return HAV_EXPLORER.viridis[255];"), top);
        assertNotEquals(before, top);
        long lowest = num("var v = havExplorer.state.neuronColour.values, m = 0; for (var i = 1; i < v.length; i++) if (v[i] < v[m]) m = i; return m;");
        assertEquals(js("return HAV_EXPLORER.viridis[0];"), js("return havExplorer.colourOf(arguments[0], 0);", lowest));
        // and the canvas of the layers view shows it: the pixel at that observation is viridis' top colour over white
        @SuppressWarnings("unchecked")
        List<Number> px = (List<Number>) js("var p = havExplorer.panels.layers, i = arguments[0];"
                + " return havExplorer.pixel('layers', p.sx(p.pos[2*i]), p.sy(p.pos[2*i+1]));", topObservation);
        int[] rgb = hex(top);
        for (int c = 0; c < 3; c++) {
            // drawn at opacity 0.9 over a transparent canvas: the colour itself, alpha about 230
            assertTrue(Math.abs(px.get(c).intValue() - rgb[c]) <= 40, "pixel " + px + " vs " + top);
        }
        assertTrue(px.get(3).intValue() > 150);
        shot("07-neuron-colours-observations");
    }

    @Test
    void brushingSelectsARegionAndBrushingNeuronsColoursByTheirMeanActivation() {
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='layers']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        // drag over the middle third of the layers view
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) js("var b = arguments[0].getBoundingClientRect(); return {x: b.left, y: b.top};", overlay);
        int x0 = r.get("x").intValue() + 160;
        int y0 = r.get("y").intValue() + 160;
        new Actions(browser.driver).moveToLocation(x0, y0).clickAndHold().moveByOffset(80, 60).moveByOffset(80, 100)
                .release().perform();
        // points within a pixel of the rectangle's edge may fall either side of it (mouse positions are whole pixels)
        String count = "var p = havExplorer.panels.layers, m = 0, lo = arguments[0], hi = arguments[1];"
                + " for (var i = 0; i < HAV_EXPLORER.n; i++) { var x = p.sx(p.pos[2*i]), y = p.sy(p.pos[2*i+1]);"
                + " if (x >= lo && x <= hi && y >= lo && y <= hi) m++; } return m;";
        long surely = ((Number) js(count, 161, 319)).longValue();
        long atMost = ((Number) js(count, 159, 321)).longValue();
        long selected = num("return havExplorer.state.selectedCount;");
        assertTrue(surely > 0, "the brushed region is empty");
        assertTrue(selected >= surely && selected <= atMost, selected + " selected, " + surely + " to " + atMost + " inside");
        assertEquals(selected, num("return havExplorer.stats.epochs.selected;"), "the selection is shown in the other view");
        shot("09-brushed-region");
        // brushing neurons: the observations take the mean scaled activation of the brushed neurons
        WebElement neurons = browser.driver.findElement(By.cssSelector("canvas[data-panel='neurons']"));
        js("arguments[0].scrollIntoView({block: 'center'});", neurons);
        @SuppressWarnings("unchecked")
        Map<String, Number> q = (Map<String, Number>) js("var b = arguments[0].getBoundingClientRect(); return {x: b.left, y: b.top};", neurons);
        new Actions(browser.driver).moveToLocation(q.get("x").intValue() + 60, q.get("y").intValue() + 60).clickAndHold()
                .moveByOffset(150, 150).moveByOffset(150, 150).release().perform();
        browser.until("return havExplorer.state.colourMode === 'neuron';");
        long brushed = num("return havExplorer.state.neuronSelection.length;");
        assertTrue(brushed > 1, "brushed " + brushed + " neurons");
        // the colour value of an observation is the mean of the brushed neurons' scaled activations
        double expected = ((Number) js("var nm = HAV_EXPLORER.neurons, k = havExplorer.state.neuronColour.map, mp = nm.maps[k];"
                + " var bin = atob(HAV_NEURON_ACTIVATIONS[k]), n = HAV_EXPLORER.n, s = 0, c = 0;"
                + " havExplorer.state.neuronSelection.forEach(function (j) { if (mp.ranges[j][1] > mp.ranges[j][0]) {"
                + "  s += bin.charCodeAt(j * n + 7) / 255; c++; } }); return s / c;")).doubleValue();
        double shown = ((Number) js("return havExplorer.state.neuronColour.means[7];")).doubleValue();
        assertEquals(expected, shown, 1e-6);
        // the colours stretch the means over the whole scale: the largest mean gets viridis' top
        long most = num("var v = havExplorer.state.neuronColour.means, m = 0; for (var i = 1; i < v.length; i++) if (v[i] > v[m]) m = i; return m;");
        assertEquals(js("return HAV_EXPLORER.viridis[255];"), js("return havExplorer.colourOf(arguments[0], 0);", most));
        shot("10-brushed-neurons");
    }

    @Test
    void confusionCellSelectsItsObservationsAndTheGalleryShowsTheErrors() {
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='3'][data-predicted='3']"));
        long count = Long.parseLong(cell.getText());
        cell.click();
        assertEquals(count, num("return havExplorer.state.selectedCount;"));
        long wrong = num("var D = HAV_EXPLORER, cp = D.checkpoints[D.checkpoints.length - 1], w = 0;"
                + " for (var i = 0; i < D.n; i++) { if (cp.predicted[i] !== D.targets[i]) w++; } return w;");
        assertEquals(Math.min(wrong, 300), browser.driver.findElements(By.cssSelector("#gallery .hx-gallery-item")).size());
        assertTrue(browser.driver.findElements(By.cssSelector("#accuracy-table tr")).size() == 1 + 6);
        shot("08-confusion-selection");
    }

    static int[] hex(String h) {
        return new int[] {Integer.parseInt(h.substring(1, 3), 16), Integer.parseInt(h.substring(3, 5), 16),
                Integer.parseInt(h.substring(5, 7), 16)};
    }
}
