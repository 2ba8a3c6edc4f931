#!/usr/bin/python3
"""Peer runner for `hav bench tsne`: UMAP (umap-learn, Debian's python3-umap-learn) as the speed reference at large N.

Usage: umap_embed.py --input X.npy --out Y.npy --json result.json [--threads T] [--seed S] [--perplexity P]
       [--iterations I]
Runs umap.UMAP(n_components=2, n_neighbors=15, min_dist=0.1, metric="euclidean") with its defaults otherwise; the
t-SNE options --perplexity and --iterations are accepted and ignored (UMAP has neither). No random_state is passed:
umap-learn then runs single-threaded, and the comparison is at the same thread count (NUMBA_NUM_THREADS = T), so the
layout is not reproducible from run to run. seconds = wall time of fit_transform (Numba's JIT compilation included,
as a user sees it); cpu_seconds = process CPU time over the same span.
"""
import argparse
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--input", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--perplexity", type=float, default=30.0)
    p.add_argument("--iterations", type=int, default=1000)
    a = p.parse_args()
    for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    import numpy as np
    import umap

    x = np.load(a.input).astype(np.float32)
    if x.ndim != 2:
        sys.exit(f"{a.input}: expected a 2-D array, found shape {x.shape}")
    reducer = umap.UMAP(n_components=2, n_neighbors=15, min_dist=0.1, metric="euclidean", n_jobs=a.threads)
    start = time.perf_counter()
    cpu_start = time.process_time()
    y = reducer.fit_transform(x)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    np.save(a.out, y.astype(np.float32))
    with open(a.json, "w") as f:
        json.dump({"tool": "umap", "version": umap.__version__, "seconds": seconds, "cpu_seconds": cpu_seconds,
                   "n": int(x.shape[0]), "d": int(x.shape[1]), "threads": a.threads}, f)


if __name__ == "__main__":
    main()
