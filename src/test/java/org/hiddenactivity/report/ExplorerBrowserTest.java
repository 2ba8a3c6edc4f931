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

    /** The colour a point of class {@code c} is drawn in, read from the page's data (the palette, not the code under test). */
    int[] classColour(long c) {
        return hex((String) js("return HAV_EXPLORER.classColours[arguments[0]];", c));
    }

    @SuppressWarnings("unchecked")
    List<Number> pixelAt(String panel, long i) {
        return (List<Number>) js("var p = havExplorer.panels[arguments[0]], s = havExplorer.screenPosition(arguments[0], arguments[1]);"
                + " var r = p.overlay.getBoundingClientRect(); return havExplorer.pixel(arguments[0], s.x - r.left, s.y - r.top);", panel, i);
    }

    static double distance(List<Number> px, int[] rgb) {
        double d = 0;
        for (int c = 0; c < 3; c++) {
            d = Math.max(d, Math.abs(px.get(c).intValue() - rgb[c]));
        }
        return d;
    }

    /** An isolated misclassified observation whose true and predicted classes have clearly different colours. */
    long misclassifiedWithDistinctColours() {
        return num("var p = havExplorer.panels.layers, D = HAV_EXPLORER, cp = D.checkpoints.length - 1, best = -1, bestGap = 0;"
                + " function rgb(h) { return [1, 3, 5].map(function (k) { return parseInt(h.substr(k, 2), 16); }); }"
                + " for (var i = 0; i < D.n; i++) { var t = D.targets[i], q = D.checkpoints[cp].predicted[i]; if (t === q) continue;"
                + "  var a = rgb(D.classColours[t]), b = rgb(D.classColours[q]);"
                + "  if (Math.max(Math.abs(a[0]-b[0]), Math.abs(a[1]-b[1]), Math.abs(a[2]-b[2])) < 120) continue;"
                + "  var s = havExplorer.screenPosition('layers', i), gap = 1e9;"
                + "  for (var j = 0; j < D.n; j++) { if (j === i) continue; var o = havExplorer.screenPosition('layers', j);"
                + "   gap = Math.min(gap, (s.x-o.x)*(s.x-o.x) + (s.y-o.y)*(s.y-o.y)); }"
                + "  if (gap > bestGap) { bestGap = gap; best = i; } } return bestGap >= 64 ? best : -1;");
    }

    /** Chooses an option of the colour menu as a user does (the change event of the select). */
    void chooseColour(String mode) {
        WebElement menu = browser.driver.findElement(By.id("colour-mode"));
        js("arguments[0].scrollIntoView({block: 'center'});", menu);
        menu.click();
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", menu, mode);
    }

    /** Waits until no animation or scheduled redraw is pending. */
    void idle() {
        browser.until("return !havExplorer.idle || havExplorer.idle();");
    }

    @Test
    void colouringByTrueAndPredictedClassShowsThoseClassesOnTheCanvas() {
        long i = misclassifiedWithDistinctColours();
        assertTrue(i >= 0, "no isolated misclassified point with distinct colours");
        long target = num("return HAV_EXPLORER.targets[arguments[0]];", i);
        long predicted = num("var D = HAV_EXPLORER; return D.checkpoints[D.checkpoints.length - 1].predicted[arguments[0]];", i);
        // the layers view shows the last checkpoint: its predicted class is the last checkpoint's
        assertEquals(num("return havExplorer.panels.layers.checkpoint();"), num("return HAV_EXPLORER.checkpoints.length - 1;"));
        chooseColour("true");
        idle();
        List<Number> px = pixelAt("layers", i);
        assertTrue(distance(px, classColour(target)) <= 40, "true-class colouring drew " + px + " for class " + target);
        assertTrue(distance(px, classColour(predicted)) > 60, "true-class colouring drew the predicted class " + px);
        chooseColour("predicted");
        idle();
        px = pixelAt("layers", i);
        assertTrue(distance(px, classColour(predicted)) <= 40, "predicted colouring drew " + px + " for class " + predicted);
        assertTrue(distance(px, classColour(target)) > 60, "predicted colouring drew the true class " + px);
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void unselectedPointsKeepTheirHueWhenSomethingIsSelected() {
        long i = isolatedObservation("layers", false);
        long other = num("var D = HAV_EXPLORER; for (var j = 0; j < D.n; j++) if (j !== arguments[0] && D.targets[j] !== D.targets[arguments[0]]) return j; return -1;", i);
        js("havExplorer.select([arguments[0]], false);", other);
        idle();
        List<Number> px = pixelAt("layers", i);
        int[] rgb = classColour(num("return HAV_EXPLORER.targets[arguments[0]];", i));
        // lighter, not transparent: opaque, and the class colour mixed with white (each channel between the two)
        assertTrue(px.get(3).intValue() > 200, "an unselected point is near-invisible: " + px);
        for (int c = 0; c < 3; c++) {
            assertTrue(px.get(c).intValue() >= rgb[c] - 12, "channel " + c + " darker than the class colour: " + px);
        }
        double hueShown = hue(px.get(0).intValue(), px.get(1).intValue(), px.get(2).intValue());
        assertTrue(Math.abs(hueShown - hue(rgb[0], rgb[1], rgb[2])) < 20 || Math.abs(hueShown - hue(rgb[0], rgb[1], rgb[2])) > 340,
                "hue changed: " + px + " vs " + java.util.Arrays.toString(rgb));
    }

    static double hue(int r, int g, int b) {
        float[] hsb = java.awt.Color.RGBtoHSB(r, g, b, null);
        return hsb[0] * 360;
    }

    @Test
    void neuronMapBeforeAfterTogglesLeaveTheMapDrawnAndNoErrors() throws InterruptedException {
        WebElement before = browser.driver.findElement(By.id("neuron-map-0"));
        WebElement after = browser.driver.findElement(By.id("neuron-map-1"));
        js("arguments[0].scrollIntoView({block: 'center'});", before);
        // slowly (each animation finished), then quickly (a click during the other's animation)
        for (int k = 0; k < 4; k++) {
            before.click();
            Thread.sleep(1000);
            after.click();
            Thread.sleep(1000);
        }
        for (int k = 0; k < 6; k++) {
            before.click();
            Thread.sleep(60);
            after.click();
            Thread.sleep(60);
        }
        idle();
        assertEquals(List.of(), browser.errors());
        assertEquals(1, num("return havExplorer.stats.neurons.map;"));
        assertTrue(num("return havExplorer.stats.neurons.drawn;") > 100, "the neuron map went blank");
        // and a confusion cell still selects, and says so
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='1'][data-predicted='1']"));
        long count = Long.parseLong(cell.getText());
        cell.click();
        assertEquals(count, num("return havExplorer.state.selectedCount;"));
        assertEquals(count + " observations selected", browser.driver.findElement(By.id("selection-count")).getText());
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void theGalleryIsAGridNotOneColumn() {
        WebElement gallery = browser.driver.findElement(By.id("gallery"));
        assertTrue(gallery.getAttribute("class").contains("hx-gallery"), "class: " + gallery.getAttribute("class"));
        List<WebElement> items = gallery.findElements(By.cssSelector(".hx-gallery-item"));
        assertTrue(items.size() >= 3);
        // the first three images share a row
        assertEquals(items.get(0).getLocation().getY(), items.get(2).getLocation().getY());
        assertTrue(items.get(2).getLocation().getX() > items.get(0).getLocation().getX());
    }

    @Test
    void aBrushEndingOutsideTheCanvasSelectsUpToTheEdge() {
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='layers']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) js("var b = arguments[0].getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height};", overlay);
        int w = r.get("w").intValue();
        int h = r.get("h").intValue();
        int x0 = r.get("x").intValue() + w / 2;
        int y0 = r.get("y").intValue() + h / 2;
        // from the centre to beyond the bottom-right corner: released outside the canvas
        new Actions(browser.driver).moveToLocation(x0, y0).clickAndHold().moveByOffset(w / 4, h / 4)
                .moveToLocation(x0 + w / 2 + 30, y0 + h / 2 + 30).release().perform();
        String count = "var m = 0, b = arguments[0].getBoundingClientRect();"
                + " for (var i = 0; i < HAV_EXPLORER.n; i++) { var s = havExplorer.screenPosition('layers', i);"
                + "  if (s.x >= arguments[1] && s.x <= b.right && s.y >= arguments[2] && s.y <= b.bottom) m++; } return m;";
        long surely = ((Number) js(count, overlay, x0 + 1, y0 + 1)).longValue();
        long atMost = ((Number) js(count, overlay, x0 - 1, y0 - 1)).longValue();
        long selected = num("return havExplorer.state.selectedCount;");
        assertTrue(surely > 0, "the brushed quarter is empty");
        assertTrue(selected >= surely && selected <= atMost, selected + " selected, " + surely + " to " + atMost + " inside");
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void escapeClearsTheSelection() {
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='2'][data-predicted='2']"));
        cell.click();
        assertTrue(num("return havExplorer.state.selectedCount;") > 0);
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        browser.until("return havExplorer.state.selectedCount === 0;");
        assertEquals("nothing selected", browser.driver.findElement(By.id("selection-count")).getText());
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void theUrlKeepsTheViewAndALinkReopensIt() {
        browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='5'][data-predicted='5']")).click();
        browser.driver.findElement(By.id("filter-true-7")).click();
        chooseColour("predicted");
        WebElement slider = browser.driver.findElement(By.id("slider-layers"));
        js("arguments[0].scrollIntoView({block: 'center'});", slider);
        slider.sendKeys(Keys.HOME);
        idle();
        browser.driver.findElement(By.id("neuron-map-0")).click();
        idle();
        String url = browser.driver.getCurrentUrl();
        assertTrue(url.contains("#explorer?"), url);
        List<?> selected = (List<?>) js("return havExplorer.state.selectedList;");
        long points = num("return havExplorer.stats.layers.points;");
        // a fresh page from the link: the same selection, filter, colouring, step and neuron map
        browser.driver.get("about:blank");
        browser.driver.get(url);
        browser.until("return !!(window.havExplorer && havExplorer.ready);");
        idle();
        assertEquals(selected, js("return havExplorer.state.selectedList;"));
        assertEquals(selected.size() + " observations selected", browser.driver.findElement(By.id("selection-count")).getText());
        assertFalse(browser.driver.findElement(By.id("filter-true-7")).isSelected());
        assertEquals(points, num("return havExplorer.stats.layers.points;"));
        assertEquals("predicted", js("return document.getElementById('colour-mode').value;"));
        assertEquals(0, num("return havExplorer.panels.layers.t;"));
        assertEquals("layer 1 (dense1) (1/4)", browser.driver.findElement(By.id("step-label-layers")).getText());
        assertEquals(0, num("return havExplorer.stats.neurons.map;"));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void wheelZoomsAroundThePointerAndPanMovesTheView() {
        long i = isolatedObservation("layers", false);
        moveTo("layers", i);
        @SuppressWarnings("unchecked")
        Map<String, Number> before = (Map<String, Number>) js("return havExplorer.screenPosition('layers', arguments[0]);", i);
        new Actions(browser.driver).scrollFromOrigin(org.openqa.selenium.interactions.WheelInput.ScrollOrigin.fromViewport(
                (int) Math.round(before.get("x").doubleValue()), (int) Math.round(before.get("y").doubleValue())), 0, -400).perform();
        browser.until("return havExplorer.panels.layers.zoom.k > 1.5;");
        @SuppressWarnings("unchecked")
        Map<String, Number> after = (Map<String, Number>) js("return havExplorer.screenPosition('layers', arguments[0]);", i);
        // the point under the pointer stays under it (within the pixel the pointer was rounded to)
        assertEquals(before.get("x").doubleValue(), after.get("x").doubleValue(), 1.5);
        assertEquals(before.get("y").doubleValue(), after.get("y").doubleValue(), 1.5);
        // and the zoomed view draws it there
        assertTrue(pixelAt("layers", i).get(3).intValue() > 200);
        // pan with the drag menu set to pan: the point moves with the pointer
        js("var s = document.getElementById('drag-tool'); s.value = 'pan'; s.dispatchEvent(new Event('change'));");
        new Actions(browser.driver).clickAndHold().moveByOffset(-30, -20).moveByOffset(-30, -20).release().perform();
        @SuppressWarnings("unchecked")
        Map<String, Number> panned = (Map<String, Number>) js("return havExplorer.screenPosition('layers', arguments[0]);", i);
        assertEquals(after.get("x").doubleValue() - 60, panned.get("x").doubleValue(), 2);
        assertEquals(after.get("y").doubleValue() - 40, panned.get("y").doubleValue(), 2);
        assertEquals(0, num("return havExplorer.state.selectedCount;"), "panning selects nothing");
        browser.driver.findElement(By.id("zoom-reset-layers")).click();
        assertEquals(1, num("return havExplorer.panels.layers.zoom.k;"));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void aLassoSelectsThePointsInsideItsPolygon() {
        js("var s = document.getElementById('drag-tool'); s.value = 'lasso'; s.dispatchEvent(new Event('change'));");
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='layers']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) js("var b = arguments[0].getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width};", overlay);
        int x = r.get("x").intValue();
        int y = r.get("y").intValue();
        int w = r.get("w").intValue();
        // a triangle: (w/5, w/5) -> (4w/5, w/5) -> (w/5, 4w/5), drawn in small steps
        int[][] corners = {{w / 5, w / 5}, {4 * w / 5, w / 5}, {w / 5, 4 * w / 5}};
        Actions a = new Actions(browser.driver).moveToLocation(x + corners[0][0], y + corners[0][1]).clickAndHold();
        for (int c = 1; c <= 3; c++) {
            int[] from = corners[c - 1];
            int[] to = corners[c % 3];
            for (int k = 1; k <= 10; k++) {
                a.moveToLocation(x + from[0] + (to[0] - from[0]) * k / 10, y + from[1] + (to[1] - from[1]) * k / 10);
            }
        }
        a.release().perform();
        // inside the triangle: x >= w/5, y >= w/5, x + y <= w (a margin of 2 px either side for rounding)
        String count = "var m = 0, w = arguments[0], e = arguments[1], p = havExplorer.panels.layers;"
                + " for (var i = 0; i < HAV_EXPLORER.n; i++) { var x = p.sx(p.pos[2*i]), y = p.sy(p.pos[2*i+1]);"
                + "  if (x >= w/5 + e && y >= w/5 + e && x + y <= w - 1.5*e) m++; } return m;";
        long surely = ((Number) js(count, w, 2)).longValue();
        long atMost = ((Number) js(count, w, -2)).longValue();
        long selected = num("return havExplorer.state.selectedCount;");
        assertTrue(surely > 5, "the lasso is empty");
        assertTrue(selected >= surely && selected <= atMost, selected + " selected, " + surely + " to " + atMost + " inside");
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void theKeyboardReachesPointsNeuronsCellsAndImages() {
        // Tab from the colour menu reaches the layers view
        WebElement menu = browser.driver.findElement(By.id("colour-mode"));
        js("arguments[0].focus();", menu);
        boolean reached = false;
        for (int k = 0; k < 60 && !reached; k++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            reached = Boolean.TRUE.equals(js("return document.activeElement.getAttribute('data-panel') === 'layers';"));
        }
        assertTrue(reached, "Tab never reached the layers view");
        new Actions(browser.driver).sendKeys(Keys.ARROW_RIGHT).perform();
        long focused = num("return havExplorer.focused.observation;");
        assertTrue(focused >= 0);
        new Actions(browser.driver).sendKeys(Keys.ARROW_RIGHT).perform();
        long next = num("return havExplorer.focused.observation;");
        assertNotEquals(focused, next, "the arrow did not move the focus");
        // it is to the right of the previous one, and the card shows it
        assertTrue(num("var p = havExplorer.panels.layers; return p.sx(p.pos[2*arguments[0]]) > p.sx(p.pos[2*arguments[1]]) ? 1 : 0;", next, focused) == 1);
        assertEquals(String.valueOf(next), browser.driver.findElement(By.cssSelector("#hover-card [data-field=index]")).getText());
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        assertEquals(List.of(next), ((List<?>) js("return havExplorer.state.selectedList;")).stream().map(o -> ((Number) o).longValue()).toList());
        // a neuron: focus the neuron view, arrow, Enter colours by it
        js("document.querySelector(\"canvas[data-panel='neurons']\").focus();");
        new Actions(browser.driver).sendKeys(Keys.ARROW_LEFT).sendKeys(Keys.ENTER).perform();
        browser.until("return havExplorer.state.colourMode === 'neuron';");
        assertEquals(num("return havExplorer.focused.neuron;"), num("return havExplorer.state.neuronColour.neurons[0];"));
        // a confusion cell and a gallery image take focus and Enter
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='4'][data-predicted='4']"));
        js("arguments[0].focus();", cell);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        assertEquals(Long.parseLong(cell.getText()), num("return havExplorer.state.selectedCount;"));
        WebElement image = browser.driver.findElement(By.cssSelector("#gallery .hx-gallery-item"));
        js("arguments[0].focus();", image);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        assertEquals(Long.parseLong(image.getAttribute("data-observation")), num("return havExplorer.state.selectedList[0];"));
        assertEquals(1, num("return havExplorer.state.selectedCount;"));
        new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
        assertEquals(0, num("return havExplorer.state.selectedCount;"));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void nearestNeighboursInActivationSpaceAreListedAndRinged() {
        long i = isolatedObservation("layers", false);
        js("havExplorer.select([arguments[0]], false);", i);
        List<WebElement> items = browser.driver.findElements(By.cssSelector("#neighbour-list .hx-neighbour"));
        assertEquals(8, items.size());
        // the distances, computed here from the raw activation bytes and the neuron ranges of the after map
        @SuppressWarnings("unchecked")
        List<Number> expected = (List<Number>) js("var nm = HAV_EXPLORER.neurons, k = nm.maps.length - 1, mp = nm.maps[k], n = HAV_EXPLORER.n;"
                + " var bin = atob(HAV_NEURON_ACTIVATIONS[k]), i = arguments[0], d = [];"
                + " for (var j = 0; j < n; j++) { if (j === i) continue; var s = 0;"
                + "  for (var u = 0; u < nm.units; u++) { var span = (mp.ranges[u][1] - mp.ranges[u][0]) / 255;"
                + "   var a = bin.charCodeAt(u * n + i) * span, b = bin.charCodeAt(u * n + j) * span; s += (a - b) * (a - b); }"
                + "  d.push(Math.sqrt(s)); } d.sort(function (x, y) { return x - y; }); return d.slice(0, 8);", i);
        for (int k = 0; k < 8; k++) {
            double shown = Double.parseDouble(items.get(k).getAttribute("data-distance"));
            assertEquals(expected.get(k).doubleValue(), shown, 1e-6 * Math.max(1, shown), "neighbour " + k);
        }
        // ringed in magenta on the overlay of the layers view
        long first = Long.parseLong(items.get(0).getAttribute("data-observation"));
        long ringed = num("var p = havExplorer.panels.layers, i = arguments[0], x = Math.round(p.sx(p.pos[2*i])), y = Math.round(p.sy(p.pos[2*i+1]));"
                + " var d = p.overlay.getContext('2d').getImageData(x - 8, y - 8, 17, 17).data, m = 0;"
                + " for (var k = 0; k < d.length; k += 4) { if (d[k+3] > 128 && d[k] > 180 && d[k+1] < 80 && d[k+2] > 80) m++; } return m;", first);
        assertTrue(ringed > 5, "no magenta ring around neighbour " + first);
        // clicking a neighbour selects it
        items.get(0).click();
        assertEquals(first, num("return havExplorer.state.selectedList[0];"));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void manyTrailsAreThinnedAndTheViewSaysSo() {
        js("havExplorer.maxTrails = 5;");
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='0'][data-predicted='0']"));
        long count = Long.parseLong(cell.getText());
        cell.click();
        assertEquals(5, num("return havExplorer.stats.layers.trails;"));
        WebElement notice = browser.driver.findElement(By.id("trail-notice-layers"));
        assertTrue(notice.isDisplayed());
        assertTrue(notice.getText().contains("5 of the " + count), notice.getText());
        js("havExplorer.maxTrails = 400; havExplorer.redraw();");
        assertEquals(count, num("return havExplorer.stats.layers.trails;"));
        assertFalse(notice.isDisplayed());
    }

    @Test
    void filterByChangedPredictionAndSelectByIndexAndColourByCorrectness() {
        browser.driver.findElement(By.id("filter-changed")).click();
        long changed = num("var D = HAV_EXPLORER, a = D.checkpoints[0].predicted, b = D.checkpoints[D.checkpoints.length - 1].predicted, m = 0;"
                + " for (var i = 0; i < D.n; i++) if (a[i] !== b[i]) m++; return m;");
        assertTrue(changed > 0);
        assertEquals(changed, num("return havExplorer.stats.layers.points;"));
        browser.driver.findElement(By.id("filter-changed")).click();
        WebElement find = browser.driver.findElement(By.id("find-observation"));
        find.sendKeys("10-14,20");
        find.sendKeys(Keys.ENTER);
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L, 20L),
                ((List<?>) js("return havExplorer.state.selectedList;")).stream().map(o -> ((Number) o).longValue()).toList());
        js("havExplorer.select([], false);");
        long i = misclassifiedWithDistinctColours();
        chooseColour("correct");
        // a misclassified point is vermilion (#d55e00)
        assertTrue(distance(pixelAt("layers", i), new int[] {0xd5, 0x5e, 0x00}) <= 40, "" + pixelAt("layers", i));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void everyControlUsedQuicklyAndSlowlyLeavesNoError() throws InterruptedException {
        for (int pause : new int[] {0, 250}) {
            browser.open(index);
            By all = By.cssSelector("#explorer-root button, #explorer-root input[type=checkbox], #explorer-root input[type=range],"
                    + " #explorer-root select, #explorer-root td[tabindex]");
            int count = browser.driver.findElements(all).size();
            assertTrue(count > 100, count + " controls");
            for (int k = 0; k < count; k++) {
                // found anew each time: some controls rebuild others (the checkpoint menu rebuilds the matrix)
                List<WebElement> now = browser.driver.findElements(all);
                if (k >= now.size()) {
                    break;
                }
                WebElement c = now.get(k);
                String tag = c.getTagName();
                if (!c.isDisplayed()) {
                    continue;
                }
                js("arguments[0].scrollIntoView({block: 'center'});", c);
                if (tag.equals("select")) {
                    js("var s = arguments[0], o = Array.prototype.filter.call(s.options, function (x) { return !x.disabled; });"
                            + " s.value = o[o.length - 1].value; s.dispatchEvent(new Event('change', {bubbles: true}));", c);
                } else if ("range".equals(c.getAttribute("type"))) {
                    c.sendKeys(Keys.HOME);
                    c.sendKeys(Keys.END);
                } else {
                    c.click();
                }
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            // the play buttons were pressed once: pause them, as a person would, so that the views come to rest
            for (WebElement play : browser.driver.findElements(By.cssSelector("[id^=play-]"))) {
                if (play.getText().contains("pause")) {
                    js("arguments[0].scrollIntoView({block: 'center'});", play);
                    play.click();
                }
            }
            idle();
            assertEquals(List.of(), browser.errors(), "after using every control with pauses of " + pause + " ms");
            assertEquals(js("return havExplorer.state.selectedCount;").toString(),
                    String.valueOf(num("return havExplorer.state.selectedList.length;")));
        }
    }

    @Test
    void deadAndSaturatedUnitsAndHistogramsPerLayerAndCheckpoint() {
        long layers = num("return HAV_EXPLORER.units.length;");
        long checkpoints = num("return HAV_EXPLORER.checkpoints.length;");
        assertEquals(layers * checkpoints, browser.driver.findElements(By.cssSelector("#units-table td")).size());
        // the neuron view's layer at its after map: dead units are those whose activation range is empty there
        long layer = num("return HAV_EXPLORER.neurons.layer;");
        long epoch = num("var nm = HAV_EXPLORER.neurons; return nm.maps[nm.maps.length - 1].epoch;");
        long deadByRanges = num("var nm = HAV_EXPLORER.neurons, mp = nm.maps[nm.maps.length - 1], d = 0;"
                + " for (var j = 0; j < nm.units; j++) if (mp.ranges[j][0] === mp.ranges[j][1]) d++; return d;");
        WebElement cell = browser.driver.findElement(By.cssSelector("#units-table td[data-layer='" + layer + "'][data-epoch='" + epoch + "']"));
        assertEquals(String.valueOf(deadByRanges), cell.getAttribute("data-dead"));
        assertTrue(cell.getText().startsWith(deadByRanges + " / "), cell.getText());
        // a cell's histogram counts every activation of that layer once
        WebElement first = browser.driver.findElement(By.cssSelector("#units-table td[data-layer='1']"));
        js("arguments[0].scrollIntoView({block: 'center'});", first);
        first.click();
        long units = num("return HAV_EXPLORER.units[0].checkpoints[0].units;");
        assertEquals(1, num("return havExplorer.stats.units.layer;"));
        assertEquals(ReportFixture.SIZE * units, num("return havExplorer.stats.units.total;"));
        assertTrue(browser.driver.findElement(By.id("units-histogram-caption")).getText()
                .contains((ReportFixture.SIZE * units) + " values"));
        // the histogram is drawn: some blue bars
        long blue = num("var c = document.getElementById('units-histogram'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, m = 0;"
                + " for (var k = 0; k < d.length; k += 4) if (d[k] < 30 && d[k+2] > 150 && d[k+3] > 200) m++; return m;");
        assertTrue(blue > 100, "no histogram bars");
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void aFindingLinksToTheExplorerViewThatShowsIt() {
        List<WebElement> links = browser.driver.findElements(By.cssSelector("#findings a.view-link"));
        assertFalse(links.isEmpty(), "no finding links to the explorer");
        WebElement link = links.stream().filter(l -> l.getAttribute("href").contains("step.")).findFirst().orElse(links.get(0));
        String href = link.getAttribute("href");
        js("arguments[0].scrollIntoView({block: 'center'});", link);
        link.click();
        idle();
        java.util.regex.Matcher m = Pattern.compile("step\\.(\\w+)=(\\d+)").matcher(href);
        if (m.find()) {
            assertEquals(Long.parseLong(m.group(2)), num("return havExplorer.panels[arguments[0]].t;", m.group(1)), href);
        }
        if (href.contains("wrong=1")) {
            assertTrue(browser.driver.findElement(By.id("filter-misclassified")).isSelected());
        }
        if (href.contains("map=0")) {
            assertEquals(0, num("return havExplorer.stats.neurons.map;"));
        }
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void theNeuronBySubsetMatrixShowsMeansAndTheDifferenceOfTwoSubsets() {
        WebElement cell = browser.driver.findElement(By.cssSelector("#confusion-table td[data-true='7'][data-predicted='7']"));
        js("arguments[0].scrollIntoView({block: 'center'});", cell);
        cell.click();
        browser.until("return !!(havExplorer.matrix && havExplorer.matrix.layout);");
        // A = the picked cell, B = all observations, by default
        assertEquals("cell", js("return document.getElementById('matrix-a').value;"));
        assertEquals("all", js("return document.getElementById('matrix-b').value;"));
        // means computed here from the raw activation bytes of the after map
        String mean = "var nm = HAV_EXPLORER.neurons, k = nm.maps.length - 1, n = HAV_EXPLORER.n, bin = atob(HAV_NEURON_ACTIVATIONS[k]);"
                + " var j = arguments[0], keep = arguments[1], s = 0, c = 0;"
                + " for (var i = 0; i < n; i++) { if (keep(i)) { s += bin.charCodeAt(j * n + i); c++; } } return s / c / 255;";
        String pixel = "var p = havExplorer.matrix.cellAt(arguments[0], arguments[1]), dpr = window.devicePixelRatio || 1;"
                + " var d = document.getElementById('matrix-canvas').getContext('2d').getImageData(Math.round(p.x * dpr), Math.round(p.y * dpr), 1, 1).data;"
                + " return [d[0], d[1], d[2]];";
        for (int j : new int[] {0, 5, 17}) {
            double classMean = ((Number) js(mean.replace("keep(i)", "HAV_EXPLORER.targets[i] === 3"), j, null)).doubleValue();
            int[] expected = hex((String) js("return HAV_EXPLORER.viridis[Math.round(arguments[0] * 255)];", classMean));
            @SuppressWarnings("unchecked")
            List<Number> shown = (List<Number>) js(pixel, "class-3", j);
            assertTrue(distance(shown, expected) <= 3, "neuron " + j + " class 3: " + shown + " vs " + java.util.Arrays.toString(expected));
            double a = ((Number) js(mean.replace("keep(i)", "HAV_EXPLORER.targets[i] === 7 && HAV_EXPLORER.checkpoints[HAV_EXPLORER.checkpoints.length - 1].predicted[i] === 7"), j, null)).doubleValue();
            double b = ((Number) js(mean.replace("keep(i)", "true"), j, null)).doubleValue();
            int[] diff = hex((String) js("return havExplorer.diverging(arguments[0]);", a - b));
            @SuppressWarnings("unchecked")
            List<Number> shownDiff = (List<Number>) js(pixel, "diff", j);
            assertTrue(distance(shownDiff, diff) <= 3, "neuron " + j + " difference: " + shownDiff + " vs " + java.util.Arrays.toString(diff));
        }
        assertEquals(List.of(), browser.errors());
    }

    @Test
    void everyTextOfTheExplorerIsAtLeastTenPixels() {
        @SuppressWarnings("unchecked")
        List<String> small = (List<String>) js("var out = [], all = document.querySelectorAll('#explorer-root *');"
                + " for (var k = 0; k < all.length; k++) { var e = all[k], own = false;"
                + "  for (var c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === 3 && c.textContent.trim()) own = true;"
                + "  if (own && e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 10)"
                + "   out.push(e.tagName + ' ' + getComputedStyle(e).fontSize + ' ' + e.textContent.trim().substring(0, 30)); }"
                + " return out;");
        assertEquals(List.of(), small, "text under 10 px");
    }

    @Test
    void neuronImportanceIsShownBySizeNotOpacityAlone() {
        // the after map, coloured by the class each neuron matters most for: the most important neuron is drawn
        // opaque and larger than the least important live one
        @SuppressWarnings("unchecked")
        Map<String, Number> r = (Map<String, Number>) js("var v = havExplorer.neurons, k = v.currentMap(), mp = v.maps[k], lo = -1, hi = -1;"
                + " for (var j = 0; j < v.units; j++) { if (mp.positions[2*j] < 0) continue; var s = v.look(j, k).share;"
                + "  if (lo < 0 || s < v.look(lo, k).share) lo = j; if (hi < 0 || s > v.look(hi, k).share) hi = j; }"
                + " function extent(j) { var p = v.position(j), g = v.points.getContext('2d'), dpr = window.devicePixelRatio || 1, r = 0;"
                + "  for (var d = 0; d < 12; d++) { var a = g.getImageData(Math.round((p.x + d) * dpr), Math.round(p.y * dpr), 1, 1).data[3]; if (a > 128) r = d; else break; }"
                + "  return r; }"
                + " return {lo: extent(lo), hi: extent(hi), alphaHi: v.points.getContext('2d').getImageData(Math.round(v.position(hi).x * (window.devicePixelRatio || 1)), Math.round(v.position(hi).y * (window.devicePixelRatio || 1)), 1, 1).data[3]};");
        assertTrue(r.get("hi").intValue() >= r.get("lo").intValue() + 3, "sizes: " + r);
        assertTrue(r.get("alphaHi").intValue() > 240, "the most important neuron is faint: " + r);
    }

    static int[] hex(String h) {
        return new int[] {Integer.parseInt(h.substring(1, 3), 16), Integer.parseInt(h.substring(3, 5), 16),
                Integer.parseInt(h.substring(5, 7), 16)};
    }

    /**
     * The raw class output of the last checkpoint over the fixture's observations, read from the activation cache
     * (the file whose row argmax is the page's prediction of every observation).
     */
    static org.hiddenactivity.core.FloatMatrix lastScores(List<Number> predicted) throws java.io.IOException {
        Path cache = ReportFixture.DIR.resolveSibling("cache").resolve("activations");
        try (java.util.stream.Stream<Path> files = Files.list(cache)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains("_scores_")).toList()) {
                org.hiddenactivity.core.FloatMatrix m = org.hiddenactivity.core.Npy.readMatrix(f);
                if (m.rows() != predicted.size()) {
                    continue;
                }
                boolean same = true;
                for (int i = 0; i < m.rows() && same; i++) {
                    int arg = 0;
                    for (int c = 1; c < m.cols(); c++) {
                        if (m.get(i, c) > m.get(i, arg)) {
                            arg = c;
                        }
                    }
                    same = arg == predicted.get(i).intValue();
                }
                if (same) {
                    return m;
                }
            }
        }
        throw new AssertionError("no cached class output matches the page's predictions");
    }

    static int[] viridis(double t) {
        org.hiddenactivity.render.Palette.Rgb c = org.hiddenactivity.render.Palette.viridis(Math.round(t * 255) / 255.0);
        return new int[] {c.r(), c.g(), c.b()};
    }

    void typeInto(String id, String text) {
        WebElement f = browser.driver.findElement(By.id(id));
        js("arguments[0].scrollIntoView({block: 'center'});", f);
        f.clear();
        f.sendKeys(text);
        f.sendKeys(Keys.TAB);
    }

    @Test
    @SuppressWarnings("unchecked")
    void colourFilterAndSelectByConfidenceAndLoss() throws Exception {
        List<Number> predicted = (List<Number>) js("var D = HAV_EXPLORER; return Array.from(D.checkpoints[D.checkpoints.length - 1].predicted);");
        List<Number> targets = (List<Number>) js("return Array.from(HAV_EXPLORER.targets);");
        org.hiddenactivity.core.FloatMatrix scores = lastScores(predicted);
        int n = scores.rows();
        int classes = scores.cols();
        // the shipped MLP is exported with a softmax at its end (models/train_reference.py): probabilities
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += scores.get(i, c);
            }
            assertEquals(1, sum, 1e-3, "row " + i + " of the class output is not a probability vector");
        }
        String report = Files.readString(ReportFixture.DIR.resolve("report").resolve("report.json"));
        Map<String, Object> classScores = (Map<String, Object>) ((Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(report, Map.class).get("explorer")).get("class_scores");
        List<String> kinds = (List<String>) classScores.get("kinds");
        assertEquals(1, kinds.size(), kinds.toString());
        assertTrue(kinds.get(0).startsWith("probabilities: "), "report.json does not say the output holds probabilities: " + kinds);
        double[] confidence = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            confidence[i] = scores.get(i, predicted.get(i).intValue());
            loss[i] = -Math.log(Math.max(1e-30, scores.get(i, targets.get(i).intValue())));
        }
        assertEquals(num("return HAV_EXPLORER.checkpoints.length - 1;"), num("return havExplorer.panels.layers.checkpoint();"));

        // colour: the point's pixel is the sequential map's colour of its confidence, then of its loss
        long i = isolatedObservation("layers", false);
        assertTrue(i >= 0);
        chooseColour("confidence");
        idle();
        List<Number> px = pixelAt("layers", i);
        assertTrue(distance(px, viridis(confidence[(int) i])) <= 40, "confidence " + confidence[(int) i] + " drawn as " + px);
        assertTrue(browser.driver.findElement(By.id("colour-legend")).getText().contains("confidence"));
        chooseColour("loss");
        idle();
        px = pixelAt("layers", i);
        double cap = 2 * Math.log(classes);
        assertTrue(distance(px, viridis(Math.min(1, loss[(int) i] / cap))) <= 40, "loss " + loss[(int) i] + " drawn as " + px);
        assertTrue(browser.driver.findElement(By.id("colour-legend")).getText().contains("loss"));
        // the surest right point against the worst-lost point (loss) and the least sure point (confidence)
        int sure = -1;
        int lost = 0;
        int unsure = 0;
        for (int k = 0; k < n; k++) {
            if (predicted.get(k).equals(targets.get(k)) && (sure < 0 || confidence[k] > confidence[sure])) {
                sure = k;
            }
            lost = loss[k] > loss[lost] ? k : lost;
            unsure = confidence[k] < confidence[unsure] ? k : unsure;
        }
        assertTrue(loss[lost] > 1 && confidence[unsure] < confidence[sure] - 0.02, "loss " + loss[lost] + ", confidence "
                + confidence[unsure] + " and " + confidence[sure]);
        long lastCp = num("return HAV_EXPLORER.checkpoints.length - 1;");
        String script = "return havExplorer.colourOf(arguments[0], arguments[2]) !== havExplorer.colourOf(arguments[1], arguments[2]);";
        assertEquals(Boolean.TRUE, js(script, sure, lost, lastCp), "loss colours a sure right and a lost point alike");
        chooseColour("confidence");
        assertEquals(Boolean.TRUE, js(script, sure, unsure, lastCp), "confidence colours a sure and an unsure point alike");
        chooseColour("loss");

        // hover card: confidence and loss of the observation at the view's checkpoint
        moveTo("layers", i);
        browser.until("return !document.getElementById('hover-card').hidden;");
        assertEquals(String.format(java.util.Locale.ROOT, "%.3f", confidence[(int) i]),
                browser.driver.findElement(By.cssSelector("#hover-card [data-field=confidence]")).getText());

        // filter by a range of confidence, then of loss as well: the view draws exactly those observations
        // (thresholds between two values of the data, which are rounded as data.js rounds them)
        double[] shownConfidence = new double[n];
        double[] shownLoss = new double[n];
        for (int k = 0; k < n; k++) {
            shownConfidence[k] = Math.round(confidence[k] * 1e4) / 1e4;
            shownLoss[k] = Math.round(loss[k] * 1e3) / 1e3;
        }
        // (the trained MLP is sure of most observations: confidence 1 at 1e-4; keep those below the largest value)
        double[] sortedConfidence = shownConfidence.clone();
        java.util.Arrays.sort(sortedConfidence);
        int below = 0;
        while (sortedConfidence[below + 1] < sortedConfidence[n - 1]) {
            below++;
        }
        double confMax = between(shownConfidence, below);
        typeInto("filter-confidence-max", plain(confMax));
        long expected = 0;
        List<Double> kept = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (shownConfidence[k] <= confMax) {
                expected++;
                kept.add(shownLoss[k]);
            }
        }
        assertTrue(expected > 0 && expected < n, expected + " of " + n);
        idle();
        assertEquals(expected, num("return havExplorer.stats.layers.points;"));
        double lossMin = between(kept.stream().mapToDouble(Double::doubleValue).toArray(), kept.size() / 2);
        typeInto("filter-loss-min", plain(lossMin));
        long both = 0;
        for (int k = 0; k < n; k++) {
            if (shownConfidence[k] <= confMax && shownLoss[k] >= lossMin) {
                both++;
            }
        }
        assertTrue(both > 0 && both < expected, both + " of " + expected);
        idle();
        assertEquals(both, num("return havExplorer.stats.layers.points;"));
        // select those shown: the same observations become the selection
        browser.driver.findElement(By.id("select-filtered")).click();
        assertEquals(both + " observations selected", browser.driver.findElement(By.id("selection-count")).getText());

        // the URL keeps the ranges and the colouring: reopening it shows the same
        String url = (String) js("return location.href;");
        assertTrue(url.contains("conf=0~" + plain(confMax)) && url.contains("loss=" + plain(lossMin) + "~") && url.contains("colour=loss"), url);
        browser.driver.get("about:blank");
        browser.driver.get(url);
        browser.until("return !!(window.havExplorer && window.havExplorer.ready);");
        assertEquals(plain(confMax), browser.driver.findElement(By.id("filter-confidence-max")).getAttribute("value"));
        assertEquals(plain(lossMin), browser.driver.findElement(By.id("filter-loss-min")).getAttribute("value"));
        assertEquals("loss", js("return document.getElementById('colour-mode').value;"));
        assertEquals(both, num("return havExplorer.stats.layers.points;"));
        assertEquals(List.of(), browser.errors());
    }

    /** A cached activation matrix of the fixture: the file whose name holds {@code part} ("_e100_dense2-"), 300 rows. */
    static org.hiddenactivity.core.FloatMatrix cachedActivations(String part) throws java.io.IOException {
        Path cache = ReportFixture.DIR.resolveSibling("cache").resolve("activations");
        try (java.util.stream.Stream<Path> files = Files.list(cache)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(part)).sorted().toList()) {
                org.hiddenactivity.core.FloatMatrix m = org.hiddenactivity.core.Npy.readMatrix(f);
                if (m.rows() == ReportFixture.SIZE) {
                    return m;
                }
            }
        }
        throw new AssertionError("no cached activations " + part);
    }

    void chooseOption(String id, String value) {
        WebElement menu = browser.driver.findElement(By.id(id));
        js("arguments[0].scrollIntoView({block: 'center'});", menu);
        js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", menu, value);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyHiddenLayerHasNeuronMapsChosenByALayerMenuKeptInTheUrl() throws Exception {
        String report = Files.readString(ReportFixture.DIR.resolve("report").resolve("report.json"));
        List<Object> hidden = (List<Object>) ((Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(report, Map.class).get("model")).get("hidden_layers");
        List<WebElement> options = browser.driver.findElements(By.cssSelector("#neuron-layer option"));
        assertEquals(hidden.size(), options.size(), "one entry per hidden layer");
        assertEquals("4", js("return document.getElementById('neuron-layer').value;"), "the last layer first");
        chooseOption("neuron-layer", "2");
        String title = browser.driver.findElement(By.cssSelector("#panel-neurons h3")).getText();
        assertTrue(title.startsWith("Neurons of layer 2 (dense2)"), title);
        idle();
        // the map drawn is layer 2's: hovering its most widely ranging isolated neuron shows that neuron's
        // top-activating image, which is the argmax of its column in layer 2's cached activations (epoch 100)
        org.hiddenactivity.core.FloatMatrix acts = cachedActivations("_e100_dense2-");
        long j = num("var nm = havExplorer.neurons.nm, mp = nm.maps[nm.maps.length - 1], best = -1, bestScore = 0;"
                + " for (var a = 0; a < nm.units; a++) { if (mp.positions[2*a] < 0) continue; var p = havExplorer.neuronScreenPosition(a);"
                + "  var gap = 1e9; for (var b = 0; b < nm.units; b++) { if (b === a || mp.positions[2*b] < 0) continue;"
                + "   var q = havExplorer.neuronScreenPosition(b); gap = Math.min(gap, (p.x-q.x)*(p.x-q.x) + (p.y-q.y)*(p.y-q.y)); }"
                + "  var score = gap >= 100 ? mp.ranges[a][1] - mp.ranges[a][0] : 0; if (score > bestScore) { bestScore = score; best = a; } }"
                + " return best;");
        assertTrue(j >= 0, "no isolated live neuron in layer 2");
        int argmax = 0;
        for (int i = 1; i < acts.rows(); i++) {
            if (acts.get(i, (int) j) > acts.get(argmax, (int) j)) {
                argmax = i;
            }
        }
        WebElement overlay = browser.driver.findElement(By.cssSelector("canvas[data-panel='neurons']"));
        js("arguments[0].scrollIntoView({block: 'center'});", overlay);
        Map<String, Number> p = (Map<String, Number>) js("return havExplorer.neuronScreenPosition(arguments[0]);", j);
        new Actions(browser.driver).moveToLocation((int) Math.round(p.get("x").doubleValue()),
                (int) Math.round(p.get("y").doubleValue())).perform();
        browser.until("return !document.getElementById('hover-card').hidden;");
        List<WebElement> tops = browser.driver.findElements(By.cssSelector("#hover-card [data-field=top-images] .hx-sprite"));
        assertEquals(String.valueOf(argmax), tops.get(0).getAttribute("data-observation"));
        assertTrue(num("return havExplorer.stats.neurons.drawn;") > 100);
        // the neuron x subset matrix follows the layer
        assertTrue(browser.driver.findElement(By.cssSelector("#panel-matrix h3")).getText().contains("layer 2"));
        // the URL keeps the layer, and a link reopens it
        String url = (String) js("return location.href;");
        assertTrue(url.contains("nlayer=2"), url);
        browser.driver.get("about:blank");
        browser.driver.get(url);
        browser.until("return !!(window.havExplorer && window.havExplorer.ready);");
        assertEquals("2", js("return document.getElementById('neuron-layer').value;"));
        assertTrue(browser.driver.findElement(By.cssSelector("#panel-neurons h3")).getText().startsWith("Neurons of layer 2"));
        chooseOption("neuron-layer", "4");
        assertFalse(((String) js("return location.href;")).contains("nlayer="));
        assertEquals(List.of(), browser.errors());
    }

    @Test
    @SuppressWarnings("unchecked")
    void nearestNeighboursAreOfferedForEveryLayerAndCheckpointTheViewsShow() throws Exception {
        // every (layer, epoch) an observation view or a neuron map shows has an entry
        List<String> shown = (List<String>) js("var D = HAV_EXPLORER, out = {};"
                + " D.sequences.forEach(function (s) { s.steps.forEach(function (t) { out[t.layer + '~' + t.epoch] = 1; }); });"
                + " [D.neurons].concat(D.neuronLayers).forEach(function (l) { l.maps.forEach(function (m) { out[l.layer + '~' + m.epoch] = 1; }); });"
                + " return Object.keys(out);");
        List<String> offered = (List<String>) js("return Array.from(document.querySelectorAll('#neighbour-map option'))"
                + ".map(function (o) { return o.getAttribute('data-layer') + '~' + o.getAttribute('data-epoch'); });");
        assertEquals(new java.util.TreeSet<>(shown), new java.util.TreeSet<>(offered));
        assertTrue(offered.size() >= 12, offered.toString());
        // layer 1 before training: the list is the 8 nearest by the exact float activations of the cache
        long i = isolatedObservation("layers", false);
        js("havExplorer.select([arguments[0]], false);", i);
        String set = (String) js("return document.querySelector('#neighbour-map option[data-layer=\"1\"][data-epoch=\"0\"]').value;");
        chooseOption("neighbour-map", set);
        // layer 1's activations are not in neurons.js: their own script loads, then the list is made
        assertTrue(num("return HAV_EXPLORER.activationSets[arguments[0]].file ? 1 : 0;", Long.parseLong(set)) == 1);
        browser.until("return document.querySelectorAll('#neighbour-list .hx-neighbour').length === 8;");
        org.hiddenactivity.core.FloatMatrix acts = cachedActivations("_e0_dense1-");
        int n = acts.rows();
        double[] exact = new double[n];
        double tolerance = 0;
        for (int u = 0; u < acts.cols(); u++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                lo = Math.min(lo, acts.get(k, u));
                hi = Math.max(hi, acts.get(k, u));
            }
            tolerance += Math.pow((hi - lo) / 255.0, 2);    // one byte per value: each difference off by <= range/255
            for (int k = 0; k < n; k++) {
                exact[k] += Math.pow(acts.get(k, u) - acts.get((int) i, u), 2);
            }
        }
        tolerance = Math.sqrt(tolerance);
        double[] sorted = new double[n - 1];
        for (int k = 0, m = 0; k < n; k++) {
            if (k != i) {
                sorted[m++] = Math.sqrt(exact[k]);
            }
        }
        java.util.Arrays.sort(sorted);
        List<WebElement> items = browser.driver.findElements(By.cssSelector("#neighbour-list .hx-neighbour"));
        assertEquals(8, items.size());
        for (WebElement item : items) {
            int o = Integer.parseInt(item.getAttribute("data-observation"));
            double d = Double.parseDouble(item.getAttribute("data-distance"));
            assertEquals(Math.sqrt(exact[o]), d, tolerance, "distance of " + o);
            assertTrue(Math.sqrt(exact[o]) <= sorted[7] + 2 * tolerance, o + " is not among the 8 nearest");
        }
        assertTrue(browser.driver.findElement(By.id("neighbour-status")).getText().contains("layer 1 (dense1) at epoch 0"));
        // ringed in the views: the state the views draw from holds the same observations
        List<Number> ringed = (List<Number>) js("return havExplorer.state.neighbours;");
        assertEquals(items.stream().map(e -> e.getAttribute("data-observation")).toList(),
                ringed.stream().map(x -> String.valueOf(x.longValue())).toList());
        String url = (String) js("return location.href;");
        assertTrue(url.contains("near=1~0"), url);
        browser.driver.get("about:blank");
        browser.driver.get(url);
        browser.until("return !!(window.havExplorer && window.havExplorer.ready);");
        assertEquals(set, js("return document.getElementById('neighbour-map').value;"));
        browser.until("return document.querySelectorAll('#neighbour-list .hx-neighbour').length === 8;");
        assertEquals(List.of(), browser.errors());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFigureThumbnailHasAnHtmlLegendOfAtLeastTenPixels() {
        List<WebElement> figures = browser.driver.findElements(By.cssSelector(".figures figure"));
        assertTrue(figures.size() > 10, figures.size() + " figures");
        List<String> classes = (List<String>) js("return HAV_EXPLORER.classes;");
        List<String> colours = (List<String>) js("return HAV_EXPLORER.classColours;");
        int withClasses = 0;
        for (WebElement f : figures) {
            List<WebElement> keys = f.findElements(By.cssSelector(".fig-legend .fig-key"));
            assertFalse(keys.isEmpty(), "no legend under " + f.findElement(By.tagName("img")).getAttribute("src"));
            for (WebElement k : keys) {
                double px = Double.parseDouble(((String) js("return getComputedStyle(arguments[0]).fontSize;", k)).replace("px", ""));
                assertTrue(px >= 10, "legend text of " + px + " px");
                assertTrue(k.isDisplayed());
            }
            if (keys.size() == classes.size()) {
                withClasses++;
                for (int c = 0; c < classes.size(); c++) {
                    assertEquals(classes.get(c), keys.get(c).getText().trim());
                    String bg = (String) js("return getComputedStyle(arguments[0].querySelector('.fig-swatch')).backgroundColor;", keys.get(c));
                    int[] rgb = hex(colours.get(c));
                    assertEquals("rgb(" + rgb[0] + ", " + rgb[1] + ", " + rgb[2] + ")", bg, "swatch of class " + c);
                }
            }
        }
        // the trail, trace, step and projection figures of both sequences and the discriminative map
        assertTrue(withClasses >= 10, withClasses + " figures with a class legend");
    }

    /** A value halfway between the k-th smallest of {@code v} and the next larger distinct value. */
    static double between(double[] v, int k) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int j = k;
        while (j + 1 < s.length && s[j + 1] == s[k]) {
            j++;
        }
        double next = j + 1 < s.length ? s[j + 1] : s[k] + 1e-3;
        return Double.parseDouble(plain((s[k] + next) / 2));
    }

    /** Up to 6 decimals, no trailing zeros (as JavaScript's String(number) writes such a value). */
    static String plain(double v) {
        return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.6f", v)).stripTrailingZeros().toPlainString();
    }
}
