"""Chooses the ten class colours by measurement (issue 16): every pair at least 10 CIEDE2000 apart under simulated
protan, deutan and tritan vision (Machado et al. 2009, severity 1) and as far apart as possible as the static trail
figures render them (depth ramp, then tone mapping on their dark background). Usage:
    /usr/bin/python3 benchmarks/palette/search.py            # search, print the palette and its measures
    /usr/bin/python3 benchmarks/palette/search.py --measure HEX,HEX,...   # measure a given palette
"""
import itertools
import sys
import numpy as np
import colour_measures as cm

CONDITIONS = [None, "protan", "deutan", "tritan"]
BACKGROUND = np.array([12, 12, 16], dtype=float)   # TrailPlot's background
WHITE = np.array([255, 255, 255], dtype=float)


def rendered(rgb, depth=0.6, brightness=0.75):
    """A class colour as a trail figure shows it: Palette.depthRamp at `depth`, tone-mapped to `brightness`."""
    rgb = np.asarray(rgb, dtype=float)
    dark = np.clip(np.round(rgb * 0.3), 0, 255)
    bright = np.round(rgb + 0.25 * (WHITE - rgb))
    ramp = np.round(dark + depth * (bright - dark))
    return np.clip(np.round(BACKGROUND + brightness * (ramp - BACKGROUND)), 0, 255)


def labs(rgbs):
    rgbs = np.asarray(rgbs, dtype=float)
    out = {str(c): cm.rgb255_to_lab(rgbs, c) for c in CONDITIONS}
    out["rendered"] = cm.rgb255_to_lab(rendered(rgbs))
    return out


def pair_minimum(lab):
    n = len(lab)
    i, j = np.triu_indices(n, 1)
    d = cm.ciede2000(lab[i], lab[j])
    k = int(np.argmin(d))
    return float(d[k]), (int(i[k]), int(j[k]))


def measure(rgbs):
    table = {}
    for name, lab in labs(rgbs).items():
        table[name] = pair_minimum(lab)
    return table


def score(table):
    # the deficiency conditions must reach 10 and the rendered colours 15: scale each by its target
    return min(table["protan"][0] / 10, table["deutan"][0] / 10, table["tritan"][0] / 10,
               table["None"][0] / 15, table["rendered"][0] / 15)


def search(seed=0, rounds=4000):
    rng = np.random.default_rng(seed)
    grid = np.array(list(itertools.product(range(0, 256, 17), repeat=3)), dtype=float)
    lab_all = labs(grid)
    # light enough to read on the trail figures' dark background (normal-vision L* of at least 45) and far enough
    # from white to read on the white scatter plots and neuron maps (CIEDE2000 from white at least 25)
    white = cm.rgb255_to_lab(WHITE)
    keep = (lab_all["None"][:, 0] >= 45) & (cm.ciede2000(lab_all["None"], white) >= 25)
    grid = grid[keep]
    lab_all = {k: v[keep] for k, v in lab_all.items()}
    n = len(grid)
    names = list(lab_all)
    # greedy farthest-point start
    chosen = [int(rng.integers(n))]
    while len(chosen) < 10:
        best, arg = -1, -1
        for c in range(n):
            if c in chosen:
                continue
            s = min(min(float(np.min(cm.ciede2000(lab_all[k][c], lab_all[k][chosen]))) / (15 if k in ("None", "rendered") else 10)
                        for k in names), 99)
            if s > best:
                best, arg = s, c
        chosen.append(arg)

    def total(idx):
        return score({k: pair_minimum(lab_all[k][idx]) for k in names})

    current = total(chosen)
    for _ in range(rounds):
        slot = int(rng.integers(10))
        cand = int(rng.integers(n))
        if cand in chosen:
            continue
        trial = list(chosen)
        trial[slot] = cand
        s = total(trial)
        if s >= current:
            chosen, current = trial, s
    return grid[chosen].astype(int), current


def hexes(rgbs):
    return ["#%02X%02X%02X" % tuple(int(v) for v in c) for c in rgbs]


def report(rgbs):
    t = measure(rgbs)
    print("palette:", ",".join(hexes(rgbs)))
    white = cm.rgb255_to_lab(WHITE)
    print("  smallest CIEDE2000 from white (scatter plots):      %6.2f" % float(np.min(cm.ciede2000(
        cm.rgb255_to_lab(np.asarray(rgbs, dtype=float)), white))))
    for k, (d, (i, j)) in t.items():
        label = {"None": "normal vision", "rendered": "rendered (trail figure proxy)"}.get(k, k)
        print("  smallest CIEDE2000, %-30s %6.2f  (classes %d / %d)" % (label + ":", d, i, j))


if __name__ == "__main__":
    print("CIEDE2000 against Sharma et al. 2005: largest error %.1e" % cm.check_ciede2000())
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        rgbs = [tuple(int(h.strip().lstrip("#")[k:k + 2], 16) for k in (0, 2, 4)) for h in sys.argv[2].split(",")]
        report(np.array(rgbs))
    else:
        best, best_score = None, -1
        for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
            p, s = search(seed)
            print("seed %d: score %.3f" % (seed, s))
            if s > best_score:
                best, best_score = p, s
        report(best)
