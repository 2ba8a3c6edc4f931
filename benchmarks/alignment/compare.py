"""Compares the layer-sequence alignments (issue 16, deliverable 7) from `hav layers --alignment A --out DIR/A` runs:
- movement: the mean distance an observation moves between consecutive layers, divided by the cluster spread
  (the RMS distance of a class's points to their class centre, averaged over classes and layers), both in the
  trail figures' frame (each snapshot centred and scaled into [-1, 1]^2; joint: one map for all);
- ink: the trails' total length before/after bundling (from the run's JSON) and the share of the trail figure's
  plot area that is drawn (non-background pixels of the bundled *_trails.png and the unbundled *_trace.png).
Usage: /usr/bin/python3 benchmarks/alignment/compare.py DIR [chained joint dynamic]"""
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image


def normalise(snaps, shared):
    out = []
    if shared:
        allp = np.vstack(snaps)
        c = allp.mean(0)
        r = np.abs(allp - c).max()
        return [(s - c) / r for s in snaps]
    for s in snaps:
        c = s.mean(0)
        out.append((s - c) / np.abs(s - c).max())
    return out


def drawn_share(png):
    img = np.asarray(Image.open(png).convert("RGB")).astype(int)
    h, w, _ = img.shape
    # TrailPlot's plot area: left margin 2 %, legend column 22 % on the right; title/note bands left out
    plot = img[int(0.08 * h):int(0.95 * h), int(0.02 * w):int(0.76 * w)]
    bg = np.array([12, 12, 16])
    return float((np.abs(plot - bg).sum(-1) > 24).mean())


def measure(run, alignment):
    d = Path(run) / alignment
    js = next(d.glob("layers_epoch*.json"))
    stem = js.stem
    numbers = json.load(open(js))
    numbers = numbers.get("results", numbers)
    layers = sorted(d.glob(stem + "_layer_*_points.npy"), key=lambda p: int(p.stem.split("_")[-2]))
    snaps = [np.load(p).astype(float) for p in layers]
    y = np.load(d / (stem + "_targets.npy"))
    snaps = normalise(snaps, alignment == "joint")
    move = np.mean([np.linalg.norm(b - a, axis=1).mean() for a, b in zip(snaps, snaps[1:])])
    spreads = []
    for s in snaps:
        for c in np.unique(y):
            p = s[y == c]
            spreads.append(np.sqrt(((p - p.mean(0)) ** 2).sum(1).mean()))
    spread = float(np.mean(spreads))
    return {
        "alignment": alignment,
        "movement_over_spread": float(move / spread),
        "mean_movement": float(move),
        "cluster_spread": spread,
        "trail_length_unbundled": numbers.get("trail_ink_unbundled"),
        "trail_length_bundled": numbers.get("trail_ink_bundled"),
        "drawn_share_unbundled_trace": drawn_share(d / (stem + "_trace.png")),
        "drawn_share_bundled": drawn_share(d / (stem + "_trails.png")),
    }


if __name__ == "__main__":
    run = sys.argv[1]
    modes = sys.argv[2:] or ["chained", "joint", "dynamic"]
    rows = [measure(run, m) for m in modes if (Path(run) / m).is_dir()]
    print(json.dumps(rows, indent=1))
    print("| alignment | movement / spread | length unbundled -> bundled | drawn share trace -> bundled |")
    print("|---|---|---|---|")
    for r in rows:
        print("| %s | %.3f | %.0f -> %.0f (%+.0f%%) | %.3f -> %.3f |" % (
            r["alignment"], r["movement_over_spread"], r["trail_length_unbundled"], r["trail_length_bundled"],
            100 * (r["trail_length_bundled"] / r["trail_length_unbundled"] - 1), r["drawn_share_unbundled_trace"],
            r["drawn_share_bundled"]))
