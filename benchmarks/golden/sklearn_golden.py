#!/usr/bin/python3
"""Golden outputs of scikit-learn's t-SNE pieces on small fixed inputs, for SklearnGoldenTest (mvn test).

Run once with Debian's scikit-learn (python3-sklearn 1.2.1):

    /usr/bin/python3 benchmarks/golden/sklearn_golden.py src/test/resources/golden/sklearn_tsne.json

For each case it records the input (float32), the kNN (sklearn's NearestNeighbors, k = floor(3 x perplexity):
the project's k; TSNE itself takes one more), the conditional P rows of sklearn's _binary_search_perplexity, the
joint P of _joint_probabilities_nn, a fixed 2-D embedding, sklearn's exact KL of that embedding (_kl_divergence
with that P, Q over all pairs) and its trustworthiness at two k's. Nothing here is computed by the project.
"""
import json
import sys

import numpy as np
import scipy
import sklearn
from scipy.spatial.distance import squareform
from sklearn.manifold import trustworthiness
from sklearn.manifold._t_sne import _joint_probabilities_nn, _kl_divergence
from sklearn.manifold._utils import _binary_search_perplexity
from sklearn.neighbors import NearestNeighbors


def blobs(seed, n, d, clusters, spread):
    rng = np.random.RandomState(seed)
    centres = rng.normal(0, spread, size=(clusters, d))
    labels = np.arange(n) % clusters
    return (centres[labels] + rng.normal(0, 1, size=(n, d))), labels


def case(name, x, perplexity, embedding, trust_ks):
    x = x.astype(np.float32)
    n = x.shape[0]
    k = min(n - 1, int(np.floor(3 * perplexity)))
    knn = NearestNeighbors(n_neighbors=k, metric="euclidean").fit(x)
    graph = knn.kneighbors_graph(mode="distance")
    graph.data **= 2
    graph.sort_indices()
    sqdist = graph.data.reshape(n, k).astype(np.float32)
    # kneighbors_graph keeps each row's columns sorted by index; the kNN order is by distance
    order = np.argsort(sqdist, axis=1, kind="stable")
    conditional = _binary_search_perplexity(sqdist, perplexity, 0)
    joint = _joint_probabilities_nn(graph.copy(), perplexity, 0).tocoo()
    dense = np.zeros((n, n))
    dense[joint.row, joint.col] = joint.data
    y = embedding.astype(np.float32)
    kl, _ = _kl_divergence(y.astype(np.float64).ravel(), squareform(dense, checks=False), 1, n, 2)
    return {
        "name": name,
        "perplexity": perplexity,
        "k": k,
        "n": n,
        "d": x.shape[1],
        "x": x.ravel().tolist(),
        # row-major n x k, each row in the order sklearn's search saw it (index order), with the neighbour index
        "knn_index": graph.indices.reshape(n, k).tolist(),
        "knn_sqdist": sqdist.tolist(),
        "conditional_p": np.asarray(conditional).tolist(),
        "joint_p": {"row": joint.row.tolist(), "col": joint.col.tolist(), "val": joint.data.tolist()},
        "embedding": y.ravel().tolist(),
        "kl": float(kl),
        "trustworthiness": {str(t): float(trustworthiness(x, y, n_neighbors=t)) for t in trust_ks},
        "knn_order_by_distance": np.take_along_axis(graph.indices.reshape(n, k), order, axis=1).tolist(),
    }


def main(out):
    raw, labels = blobs(0, 60, 5, 3, 4.0)
    # unit: max |x| in [1, 2), where the project's rescaling (TsneInput) leaves the data as they are
    unit = (raw / np.abs(raw).max() * 1.5).astype(np.float32)
    rng = np.random.RandomState(1)
    # a fixed embedding: the first two coordinates plus noise (not a t-SNE result, any layout will do)
    embedding = unit[:, :2] * 10 + rng.normal(0, 0.5, size=(60, 2))
    cases = [
        case("unit_p10", unit, 10.0, embedding, [5, 12]),
        case("unit_p4", unit, 4.0, embedding, [5]),
        # times 10: sklearn works on these distances as they are, the project rescales first
        case("times10_p10", unit * np.float32(10), 10.0, embedding, [12]),
    ]
    doc = {
        "generator": "benchmarks/golden/sklearn_golden.py",
        "command": "/usr/bin/python3 benchmarks/golden/sklearn_golden.py src/test/resources/golden/sklearn_tsne.json",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
