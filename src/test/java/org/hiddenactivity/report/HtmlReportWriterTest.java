package org.hiddenactivity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The explorer script's assembly and the explorer links of the findings. */
class HtmlReportWriterTest {
    @Test
    void theScriptHoldsEveryModuleAndViewOnceInOrderWithTheViewsInOneFunction() {
        String js = HtmlReportWriter.explorerScript();
        int last = -1;
        for (String part : java.util.stream.Stream.concat(HtmlReportWriter.EXPLORER_MODULES.stream(),
                HtmlReportWriter.EXPLORER_VIEWS.stream()).toList()) {
            String marker = "/* ---- " + part + " ---- */";
            int at = js.indexOf(marker);
            assertTrue(at > last, part + " missing or out of order");
            assertEquals(at, js.lastIndexOf(marker), part + " twice");
            last = at;
        }
        int wrap = js.indexOf("(function () {\n'use strict';");
        assertTrue(wrap > js.indexOf("/* ---- pointer.js ---- */") && wrap < js.indexOf("/* ---- common.js ---- */"));
        assertTrue(js.endsWith("})();\n"));
    }

    @Test
    void findingsLinkToTheViewThatShowsThem() {
        assertEquals("#explorer?step.layers=3", HtmlReportWriter.explorerView("layers-3-nh"));
        assertEquals("#explorer?wrong=1&step.epochs=5", HtmlReportWriter.explorerView("epochs-5-mis"));
        assertEquals("#explorer?selclass=6&step.layers=3", HtmlReportWriter.explorerView("class-3-6"));
        assertEquals("#explorer?map=1", HtmlReportWriter.explorerView("neurons-dead-after"));
        assertEquals("#explorer?map=0", HtmlReportWriter.explorerView("neurons-groups-before"));
        assertNull(HtmlReportWriter.explorerView("projection-mis"));
        assertNull(HtmlReportWriter.explorerView(null));
    }
}
