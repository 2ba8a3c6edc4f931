#!/usr/bin/env python3
"""GPU kit, Python half: scikit-learn t-SNE on the same inputs (timed, all cores), and the quality of every
embedding the Java half wrote: trustworthiness (k=12) and the exact KL(P||Q) with one P for all (scikit-learn's
P from its own kNN, exact Z), so the CUDA, CPU and scikit-learn embeddings are measured the same way."""
import argparse
import json
import os
import time

import numpy as np


def exact_kl(P, Y):
    """KL(P||Q) with Q from all pairs (chunked), P a symmetric CSR matrix summing to 1."""
    Y = Y.astype(np.float64)
    n = len(Y)
    sq = (Y ** 2).sum(1)
    z = 0.0
    for s in range(0, n, 2048):
        d2 = sq[s:s + 2048, None] + sq[None, :] - 2 * Y[s:s + 2048] @ Y.T
        w = 1.0 / (1.0 + np.maximum(d2, 0))
        z += w.sum() - len(w)  # minus the diagonal (w = 1)
    P = P.tocoo()
    d2 = ((Y[P.row] - Y[P.col]) ** 2).sum(1)
    q = 1.0 / (1.0 + d2) / z
    p = P.data
    keep = p > 0
    return float((p[keep] * np.log(p[keep] / q[keep])).sum())


def sklearn_p(X, perplexity=30.0):
    from sklearn.manifold._t_sne import _joint_probabilities_nn
    from sklearn.neighbors import NearestNeighbors
    n = len(X)
    k = min(n - 1, int(3.0 * perplexity + 1))
    nn = NearestNeighbors(n_neighbors=k, metric="euclidean", n_jobs=-1).fit(X)
    D = nn.kneighbors_graph(mode="distance")
    D.data **= 2
    return _joint_probabilities_nn(D, perplexity, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--emb", required=True)
    ap.add_argument("--sklearn", default="act2000,act12000")
    ap.add_argument("--quality", default="act2000,act12000")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    import sklearn
    from sklearn.manifold import TSNE, trustworthiness
    res = {"sklearn_version": sklearn.__version__, "threads": os.cpu_count(), "sklearn": {}, "quality": {}}
    for name in [s for s in a.sklearn.split(",") if s]:
        X = np.load(os.path.join(a.inputs, name + ".npy"))
        t0 = time.perf_counter()
        tsne = TSNE(n_components=2, perplexity=30.0, init="pca", learning_rate="auto", max_iter=1000,
                    random_state=0, n_jobs=-1, method="barnes_hut", angle=0.5)
        Y = tsne.fit_transform(X)
        sec = time.perf_counter() - t0
        np.save(os.path.join(a.emb, name + "_sklearn.npy"), Y.astype(np.float32))
        res["sklearn"][name] = {"seconds": sec, "kl_reported": float(tsne.kl_divergence_), "n_iter": int(tsne.n_iter_)}
        print(name, "sklearn", sec, flush=True)
    for name in [s for s in a.quality.split(",") if s]:
        X = np.load(os.path.join(a.inputs, name + ".npy"))
        try:
            P = sklearn_p(X)
        except Exception as e:  # private API: record and go on without exact KL
            P = None
            res["quality"]["p_error"] = repr(e)
        q = {}
        for who in ("cuda", "cudabh", "cpu", "sklearn"):
            f = os.path.join(a.emb, f"{name}_{who}.npy")
            if not os.path.exists(f):
                continue
            Y = np.load(f)
            entry = {"trustworthiness_k12": float(trustworthiness(X, Y, n_neighbors=12))}
            if P is not None:
                entry["kl_exact"] = exact_kl(P, Y)
            q[who] = entry
        res["quality"][name] = q
        print(name, q, flush=True)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
