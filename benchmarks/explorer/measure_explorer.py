#!/usr/bin/python3
"""Measures a report's explorer in headless Chromium with real input events (run by measure.sh; asserts nothing).

Opens REPORT/index.html at 1920 x 1080 through Debian's chromedriver and records: load (the explorer's
performance.now() when ready), clicks on points, class filter toggles, diagonal confusion cells (each from the
pointer's release to the next animation frame, so the page's work and its paint are in it) and the animation
while playing (frames per second, longest gap). Only what every explorer version exposes is used, so the same
script measures before and after a change. Prints one JSON object (or writes it to --out).

Usage: /usr/bin/python3 benchmarks/explorer/measure_explorer.py REPORT_DIR [--out FILE] [--loads 5] [--clicks 30]
"""
import argparse
import json
import pathlib
import random
import shutil
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.by import By
except ImportError:
    sys.exit("measure_explorer.py: selenium is missing; run it with /usr/bin/python3 after"
             " 'apt-get install python3-selenium chromium chromium-driver'")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
COLLECT_ERRORS = ("window.__havErrors = [];"
                  "window.addEventListener('error', function (e) { window.__havErrors.push('error: ' + e.message); }, true);"
                  "window.addEventListener('unhandledrejection', function (e) { window.__havErrors.push('rejection: ' + e.reason); });")
# the time from a pointer release to the next animation frame after the click it makes
INSTALL = ("if (!window.__lat) { window.__lat = []; var start = 0;"
           " window.addEventListener('pointerup', function (e) { start = e.timeStamp; }, true);"
           " window.addEventListener('mouseup', function (e) { if (!start) start = e.timeStamp; }, true);"
           " window.addEventListener('click', function () { var s = start; start = 0;"
           "  requestAnimationFrame(function () { window.__lat.push(performance.now() - s); }); }, true); }")


def quantile(s, q):
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(len(s) - 1, lo + 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def stats(values):
    s = sorted(values)
    if not s:
        return {}
    return {"median": quantile(s, 0.5), "p95": quantile(s, 0.95), "max": s[-1], "min": s[0]}


def start_browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1920,1080",
              "--force-device-scale-factor=1"):
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COLLECT_ERRORS})
    return driver


def wait(driver, script, timeout=60):
    end = time.time() + timeout
    while not driver.execute_script(script):
        if time.time() > end:
            raise SystemExit("timed out waiting for: " + script)
        time.sleep(0.02)


def click_at(driver, x, y):
    action = ActionBuilder(driver)
    action.pointer_action.move_to_location(int(round(x)), int(round(y)))
    action.pointer_action.click()
    action.perform()


def latencies(driver, expected):
    end = time.time() + 60
    while driver.execute_script("return window.__lat.length;") < expected and time.time() < end:
        time.sleep(0.05)
    v = driver.execute_script("var v = window.__lat.slice(); window.__lat.length = 0; return v;")
    out = stats(v)
    out["count"] = float(len(v))
    return out


def measure(report, loads, clicks):
    index = (pathlib.Path(report).resolve() / "index.html").as_uri()
    out = {}
    profile = tempfile.mkdtemp(prefix="hav-chromium")
    driver = start_browser(profile)
    try:
        ready = []
        for _ in range(loads):
            driver.get(index)
            wait(driver, "return !!(window.havExplorer && window.havExplorer.ready);")
            ready.append(driver.execute_script("return havExplorer.readyAt;"))
        n = driver.execute_script("return HAV_EXPLORER.n;")
        out["observations"] = n
        out["checkpoints"] = driver.execute_script("return HAV_EXPLORER.checkpoints.length;")
        out["points_per_view"] = driver.execute_script("return HAV_EXPLORER.sequences.map(function (s) {"
                                                       " return {id: s.id, steps: s.steps.length, points: s.steps.length * HAV_EXPLORER.n}; });")
        out["load_to_interactive_ms"] = stats(ready)
        driver.execute_script(INSTALL)

        # clicks on points of the first view
        panel = driver.execute_script("return HAV_EXPLORER.sequences[0].id;")
        overlay = driver.find_element(By.CSS_SELECTOR, "canvas[data-panel='" + panel + "']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", overlay)
        r = random.Random(0)
        for _ in range(clicks):
            p = driver.execute_script("return havExplorer.screenPosition(arguments[0], arguments[1]);", panel, r.randrange(n))
            click_at(driver, p["x"], p["y"])
        out["click_point_ms"] = latencies(driver, clicks)

        # class filter: each class off, then on again
        boxes = driver.find_elements(By.CSS_SELECTOR, "#filter-true input[type=checkbox]")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", boxes[0])
        for box in boxes:
            box.click()
            box.click()
        out["class_filter_ms"] = latencies(driver, 2 * len(boxes))

        # every diagonal cell of the confusion matrix (about n / classes observations each)
        classes = driver.execute_script("return HAV_EXPLORER.classes.length;")
        for c in range(classes):
            cell = driver.find_element(By.CSS_SELECTOR, "#confusion-table td[data-true='%d'][data-predicted='%d']" % (c, c))
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
            cell.click()
        out["confusion_cell_ms"] = latencies(driver, classes)
        out["selected_after_last_cell"] = driver.execute_script("return havExplorer.state.selectedCount;")

        # play the first view for 4 s with that selection (its trails drawn): frames counted by a rAF loop
        play = driver.find_element(By.ID, "play-" + panel)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", play)
        driver.execute_script("window.__frames = []; window.__counting = true; (function f(t) { window.__frames.push(t);"
                              " if (window.__counting) requestAnimationFrame(f); })(performance.now());")
        play.click()
        time.sleep(4)
        play.click()
        frames = driver.execute_script("window.__counting = false; return window.__frames;")
        gaps = [b - a for a, b in zip(frames, frames[1:])] or [0.0]
        span = frames[-1] - frames[0]
        out["animation_playing"] = {"fps": (len(frames) - 1) * 1000.0 / span if span > 0 else 0.0,
                                    "frame_gap_ms": stats(gaps)}
        out["errors"] = driver.execute_script("return window.__havErrors || [];")
        out["user_agent"] = driver.execute_script("return navigator.userAgent;")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--out")
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--clicks", type=int, default=30)
    a = ap.parse_args()
    if not (pathlib.Path(a.report) / "index.html").is_file():
        sys.exit(a.report + ": no index.html here (make a report with ./hav report --model mnist_mlp --out DIR)")
    text = json.dumps(measure(a.report, a.loads, a.clicks), indent=2)
    if a.out:
        pathlib.Path(a.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
