#!/usr/bin/env python3
"""umap-learn on an .npy matrix, timed, with trustworthiness (k = 12, as hav's Metrics) and neighbourhood hit (k = 6).

Usage: /usr/bin/python3 benchmarks/umap/umap_learn.py X.npy LABELS.npy OUT.npy [--init spectral|random] [--threads N]
Prints one JSON line. The time covers UMAP(...).fit_transform only (numba compilation included on a first call, so
the script first fits a 200-point warm-up to exclude it, as a user's second call in one session would).
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("x")
    ap.add_argument("labels")
    ap.add_argument("out")
    ap.add_argument("--init", default="spectral")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--seed", type=int, default=-1, help="random_state (-1: none, umap-learn's parallel mode)")
    a = ap.parse_args()
    if a.threads > 0:
        os.environ["NUMBA_NUM_THREADS"] = str(a.threads)
    import numpy as np
    import umap

    x = np.load(a.x).astype(np.float32)
    y = np.load(a.labels)
    kw = {} if a.seed < 0 else {"random_state": a.seed}
    umap.UMAP(init=a.init, **kw).fit_transform(x[:200])  # warm-up: numba compilation
    t0 = time.perf_counter()
    e = umap.UMAP(init=a.init, **kw).fit_transform(x)
    seconds = time.perf_counter() - t0
    np.save(a.out, e.astype(np.float32))
    print(json.dumps({"fit_seconds": seconds, "n": int(x.shape[0])}), file=sys.stderr, flush=True)  # before the slow quality
    print(json.dumps(quality(x, e, y, seconds, a, umap.__version__)))


def quality(x, e, y, seconds, a, version):
    import numpy as np
    from sklearn.neighbors import NearestNeighbors
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from trustworthiness import trustworthiness  # sklearn's needs an N x N matrix: 29 GB at 60000 points
    idx = NearestNeighbors(n_neighbors=7).fit(e).kneighbors(e, return_distance=False)[:, 1:]
    hit = float(np.mean(y[idx] == y[:, None]))
    return {"tool": "umap-learn " + version, "init": a.init, "n": int(x.shape[0]), "seconds": seconds,
            "trustworthiness": float(trustworthiness(x, e.astype(np.float64), 12)), "neighbourhood_hit": hit,
            "seed": a.seed}


if __name__ == "__main__":
    sys.exit(main())
