package org.hiddenactivity.report;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium through Debian's chromedriver, pointed at explicitly so that Selenium Manager
 * never looks for (or downloads) a driver. Console errors and uncaught exceptions of every page are collected by a
 * script installed before the page's own scripts run.
 */
final class Browser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String COLLECT_ERRORS = "window.__havErrors = [];"
            + "window.addEventListener('error', function (e) { window.__havErrors.push('error: ' + e.message + ' at '"
            + " + (e.filename || (e.target && (e.target.src || e.target.href)) || '?')); }, true);"
            + "window.addEventListener('unhandledrejection', function (e) { window.__havErrors.push('rejection: ' + e.reason); });"
            + "(function () { var original = console.error; console.error = function () {"
            + " window.__havErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));"
            + " return original.apply(console, arguments); }; })();";

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts the browser, or skips the calling test (fails in CI) when Chromium or chromedriver is missing. */
    static Browser start(int width, int height) {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("chromium or chromium-driver missing in CI: run scripts/install-system-deps.sh");
            }
            Assumptions.abort("chromium or chromium-driver not installed: run scripts/install-system-deps.sh");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("hav-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1");
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", COLLECT_ERRORS));
        return new Browser(driver, profile);
    }

    /** Opens a file:// page and waits until the explorer says it is ready. */
    void open(Path index) {
        driver.get(index.toUri().toString());
        poll(Duration.ofSeconds(60), "return !!(window.havExplorer && window.havExplorer.ready);");
    }

    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    List<String> errors() {
        return (List<String>) js("return window.__havErrors || ['error collector missing'];");
    }

    /** Waits until {@code script} returns true. */
    void until(String script, Object... args) {
        poll(Duration.ofSeconds(20), script, args);
    }

    /** Polls every 20 ms (selenium-support's FluentWait would be one more dependency for this loop). */
    private void poll(Duration timeout, String script, Object... args) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(js(script, args))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + script + "; page errors: " + errors());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            ReportFixture.delete(profile);
        }
    }
}
