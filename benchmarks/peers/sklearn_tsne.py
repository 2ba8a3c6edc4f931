#!/usr/bin/python3
"""Peer runner for `hav bench tsne`: scikit-learn's Barnes-Hut t-SNE with the parameters of the project's defaults.

Usage: sklearn_tsne.py --input X.npy --out Y.npy --json result.json [--threads T] [--seed S]
       [--perplexity 30] [--iterations 1000]
Runs TSNE(perplexity, early_exaggeration=12, learning_rate='auto', init='pca', n_iter, angle=0.5,
method='barnes_hut', n_jobs=threads, random_state=seed) on X as float32 and writes Y (float32) and a JSON object
{"tool", "version", "seconds", "cpu_seconds", "kl_sklearn", "n", "d", "threads"}. seconds = wall time of
fit_transform only (not file I/O); cpu_seconds = the process's CPU time over the same span (all threads), which a
busy machine disturbs less than wall time.
OMP_NUM_THREADS is set to the thread count so the gradient's OpenMP loop uses the same number of threads.
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
    # must precede the numpy/scikit-learn imports: OpenMP and BLAS read it once
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(a.threads)
    import numpy as np
    import sklearn
    from sklearn.manifold import TSNE

    x = np.load(a.input).astype(np.float32)
    if x.ndim != 2:
        sys.exit(f"{a.input}: expected a 2-D array, found shape {x.shape}")
    kwargs = dict(n_components=2, perplexity=a.perplexity, early_exaggeration=12.0, learning_rate="auto",
                  init="pca", angle=0.5, method="barnes_hut", n_jobs=a.threads, random_state=a.seed)
    # scikit-learn renamed n_iter to max_iter in 1.5
    try:
        tsne = TSNE(max_iter=a.iterations, **kwargs)
    except TypeError:
        tsne = TSNE(n_iter=a.iterations, **kwargs)
    start = time.perf_counter()
    cpu_start = time.process_time()
    y = tsne.fit_transform(x)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    np.save(a.out, y.astype(np.float32))
    with open(a.json, "w") as f:
        json.dump({"tool": "sklearn", "version": sklearn.__version__, "seconds": seconds,
                   "cpu_seconds": cpu_seconds,
                   "kl_sklearn": float(tsne.kl_divergence_), "n": int(x.shape[0]), "d": int(x.shape[1]),
                   "threads": a.threads}, f)


if __name__ == "__main__":
    main()
