#!/usr/bin/env python3
"""Exact trustworthiness (k = 12 by default, as hav's Metrics and sklearn.manifold.trustworthiness) in row blocks, so
that 60000 points need memory for a block x N distance matrix rather than N x N (sklearn's needs 29 GB at 60000).

Usage: /usr/bin/python3 benchmarks/umap/trustworthiness.py X.npy EMBEDDING.npy [K]   prints the value.
The rank of j among i's input-space neighbours is 1 + the number of points strictly closer to i than j (i itself
excluded), the definition sklearn uses for distinct distances.
"""
import sys

import numpy as np


def neighbours(z, k, block):
    n = len(z)
    sq = (z.astype(np.float64) ** 2).sum(1)
    out = np.empty((n, k), dtype=np.int64)
    for s in range(0, n, block):
        d = sq[s:s + block, None] + sq[None, :] - 2 * (z[s:s + block].astype(np.float64) @ z.T.astype(np.float64))
        d[np.arange(len(d)), np.arange(s, s + len(d))] = np.inf
        part = np.argpartition(d, k, axis=1)[:, :k]
        order = np.take_along_axis(d, part, 1).argsort(1)
        out[s:s + block] = np.take_along_axis(part, order, 1)
    return out


def trustworthiness(x, e, k=12, block=256):
    n = len(x)
    x = x.astype(np.float32)
    emb = neighbours(e, k, 2048)
    sq = (x.astype(np.float64) ** 2).sum(1)
    penalty = 0.0
    for s in range(0, n, block):
        rows = np.arange(s, min(n, s + block))
        d = sq[rows, None] + sq[None, :] - 2 * (x[rows].astype(np.float64) @ x.T.astype(np.float64))
        d[np.arange(len(rows)), rows] = np.inf
        dj = np.take_along_axis(d, emb[rows], 1)                      # input distance to each embedding neighbour
        rank = (d[:, None, :] < dj[:, :, None]).sum(2) + 1            # 1-based rank among input neighbours
        penalty += np.maximum(rank - k, 0).sum()
    return 1 - 2.0 / (n * k * (2 * n - 3 * k - 1)) * penalty


if __name__ == "__main__":
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    print(trustworthiness(np.load(sys.argv[1]), np.load(sys.argv[2]).astype(np.float64), k))
