#!/usr/bin/python3
"""Checks org.hiddenactivity.neurons.ExtraTrees against scikit-learn's ExtraTreesClassifier.feature_importances_.

Run from the repository root after `mvn -o -q compile`:  /usr/bin/python3 benchmarks/importance/compare_sklearn.py
(MNIST is read from $MNIST_DIR when set; the other datasets ship with scikit-learn or are generated.)
Prints, per dataset, the Spearman rank correlation Java vs scikit-learn, and scikit-learn vs itself with another
seed (the noise floor: two random forests never agree exactly), plus both run times.
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import sklearn
from scipy.stats import spearmanr
from sklearn.datasets import load_digits, make_classification
from sklearn.ensemble import ExtraTreesClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TREES = 100
THREADS = 2


def sklearn_importances(x, y, seed):
    model = ExtraTreesClassifier(n_estimators=TREES, max_features="sqrt", criterion="gini", bootstrap=False,
                                 max_depth=None, min_samples_split=2, random_state=seed, n_jobs=THREADS)
    t0 = time.perf_counter()
    model.fit(x, y)
    return model.feature_importances_, time.perf_counter() - t0


def java_importances(x, y, seed, tmp):
    xp, yp, out = (os.path.join(tmp, n) for n in ("x.npy", "y.npy", "imp.npy"))
    np.save(xp, x.astype(np.float32))
    np.save(yp, y.astype(np.int32))
    cmd = ["java", "-cp", os.path.join(ROOT, "target", "classes"),
           os.path.join(ROOT, "benchmarks", "importance", "Importances.java"), xp, yp, out, str(TREES), str(seed),
           str(THREADS)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("Java run failed (did you run `mvn -o -q compile` first?):\n" + res.stderr)
    seconds = float(res.stdout.split("java_seconds=")[1].split()[0])
    return np.load(out), seconds


def mnist_test_head(n=2000):
    """First n MNIST test images (784 pixels, many constant columns), if the project's copy is present."""
    import gzip
    for folder in (os.environ.get("MNIST_DIR", ""), os.path.join(ROOT, "src", "main", "resources", "datasets", "mnist"),
                   os.path.expanduser("~/.cache/hidden-activity/datasets/mnist")):
        images = os.path.join(folder, "t10k-images-idx3-ubyte.gz")
        labels = os.path.join(folder, "t10k-labels-idx1-ubyte.gz")
        if folder and os.path.exists(images) and os.path.exists(labels):
            with gzip.open(images) as f:
                x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:n].astype(np.float32) / 255
            with gzip.open(labels) as f:
                y = np.frombuffer(f.read(), np.uint8, offset=8)[:n].astype(np.int64)
            return x, y
    return None


def datasets():
    mnist = mnist_test_head()
    if mnist is not None:
        yield "MNIST test head (2000 x 784 pixels)", mnist[0], mnist[1], None
    else:
        print("MNIST not found (set MNIST_DIR): skipped")
    digits = load_digits()
    yield "digits (1797 x 64, sklearn bundled)", digits.data.astype(np.float32), digits.target, None
    # Graded signal: feature j separates the classes with strength decreasing in j, so the true ranking is defined.
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 2000)
    strength = np.linspace(1.5, 0.05, 200)
    x = rng.normal(size=(10, 200))[y] * strength + rng.normal(size=(2000, 200))
    yield "graded 2000 x 200 (signal strength decreasing with column, 10 classes)", x.astype(np.float32), y, None
    # Mostly noise: ranks among pure-noise columns are arbitrary, so also report them over the informative ones.
    x, y = make_classification(n_samples=2000, n_features=1000, n_informative=50, n_redundant=0, n_classes=10,
                               n_clusters_per_class=1, shuffle=False, random_state=0)
    yield "make_classification 2000 x 1000 (50 informative, 10 classes)", x.astype(np.float32), y, 50


def main():
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, {TREES} trees, {THREADS} threads")
    with tempfile.TemporaryDirectory() as tmp:
        for name, x, y, informative in datasets():
            ref, t_ref = sklearn_importances(x, y, 0)
            ref2, _ = sklearn_importances(x, y, 1)
            ours, t_ours = java_importances(x, y, 0, tmp)
            rho = spearmanr(ours, ref).correlation
            floor = spearmanr(ref2, ref).correlation
            if informative:
                rho_inf = spearmanr(ours[:informative], ref[:informative]).correlation
                floor_inf = spearmanr(ref2[:informative], ref[:informative]).correlation
                name += (f" [informative columns only: java vs sklearn {rho_inf:.4f}, sklearn vs sklearn "
                         f"{floor_inf:.4f}; informative share of importance java "
                         f"{ours[:informative].sum():.3f}, sklearn {ref[:informative].sum():.3f}]")
            top = len(set(np.argsort(-ours)[:10]) & set(np.argsort(-ref)[:10]))
            print(f"{name}: spearman(java, sklearn) = {rho:.4f}; spearman(sklearn seed 1, seed 0) = {floor:.4f}; "
                  f"top-10 overlap {top}/10; sum(java) = {ours.sum():.6f}; "
                  f"time java {t_ours:.2f} s, sklearn {t_ref:.2f} s")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
