package org.hiddenactivity.report;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Not a test: screenshots of a report's explorer for a person to look at, skipped unless -Dhav.explorer.screens.report=DIR
 * and -Dhav.explorer.screens=OUT are set. At 1920 x 1080 and 1366 x 768: the views as loaded, with a confusion cell
 * selected (trails, lighter unselected points), the neuron map with a neuron chosen, and the tables.
 */
class ExplorerScreenshots {
    @Test
    void take() throws InterruptedException {
        String report = System.getProperty("hav.explorer.screens.report");
        String screens = System.getProperty("hav.explorer.screens");
        Assumptions.assumeTrue(report != null && screens != null, "set -Dhav.explorer.screens.report=DIR -Dhav.explorer.screens=OUT");
        Path index = Path.of(report).toAbsolutePath().resolve("index.html");
        Path out = Path.of(screens).toAbsolutePath();
        for (int[] size : new int[][] {{1920, 1080}, {1366, 768}}) {
            String tag = size[0] + "x" + size[1];
            try (Browser b = Browser.start(size[0], size[1])) {
                b.open(index);
                scrollTo(b, "explorer");
                b.screenshot(out.resolve(tag + "-1-explorer.png"));
                WebElement cell = b.driver.findElement(By.cssSelector("#confusion-table td[data-true='5'][data-predicted='5']"));
                b.js("arguments[0].click();", cell);
                b.js("havExplorer.panels.layers.goTo(1, true);");
                scrollTo(b, "panel-layers");
                b.screenshot(out.resolve(tag + "-2-selection-trails.png"));
                b.js("var v = havExplorer.neurons; if (v) v.colourBy([v.hit(v.size / 2, v.size / 2) >= 0 ? v.hit(v.size / 2, v.size / 2) : 0], v.currentMap());");
                b.js("havExplorer.select([HAV_EXPLORER.checkpoints[0].predicted.length > 7 ? 7 : 0], false);");
                scrollTo(b, "panel-neurons");
                b.screenshot(out.resolve(tag + "-3-neurons-neighbours.png"));
                scrollTo(b, "confusion");
                b.screenshot(out.resolve(tag + "-4-tables-gallery.png"));
                if (!b.errors().isEmpty()) {
                    throw new AssertionError("page errors: " + b.errors());
                }
            }
        }
    }

    private static void scrollTo(Browser b, String id) throws InterruptedException {
        b.js("document.getElementById(arguments[0]).scrollIntoView({block: 'start'});", id);
        b.until("return !havExplorer.idle || havExplorer.idle();");
        Thread.sleep(300);
    }
}
