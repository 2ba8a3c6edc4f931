#!/usr/bin/env python3
"""Inputs of the UMAP comparison: the first N MNIST test images (pixels / 255), and for N above the test split's 10000
the test images again shifted one pixel right (a new point for each, no duplicates), since the training split is not
shipped with the project. With MNIST_DIR set to a folder holding train-images-idx3-ubyte.gz and
train-labels-idx1-ubyte.gz, the first N training images are used instead (up to 60000).

Usage: [MNIST_DIR=DIR] /usr/bin/python3 benchmarks/umap/make_input.py OUT_DIR N [N ...]
Writes OUT_DIR/mnist_umap_N.npy (N x 784, float32) and OUT_DIR/mnist_umap_N_labels.npy (N, int32).
"""
import gzip
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MNIST = os.path.join(ROOT, "src", "main", "resources", "datasets", "mnist")


def idx(name, folder=MNIST):
    with gzip.open(os.path.join(folder, name), "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = np.frombuffer(data[4:4 + 4 * ndim], dtype=">u4")
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def main():
    out, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    train = os.environ.get("MNIST_DIR")
    if train:
        x = (idx("train-images-idx3-ubyte.gz", train).astype(np.float32) / 255).reshape(-1, 784)
        y = idx("train-labels-idx1-ubyte.gz", train).astype(np.int32)
        print("inputs: the first N MNIST training images of", train)
    else:
        images = idx("t10k-images-idx3-ubyte.gz").astype(np.float32) / 255
        labels = idx("t10k-labels-idx1-ubyte.gz").astype(np.int32)
        shifted = np.zeros_like(images)
        shifted[:, :, 1:] = images[:, :, :-1]
        x = np.concatenate([images, shifted]).reshape(-1, 784)
        y = np.concatenate([labels, labels])
        print("inputs: the MNIST test images, then the same shifted one pixel right")
    os.makedirs(out, exist_ok=True)
    for n in sizes:
        if n > len(x):
            raise SystemExit(f"at most {len(x)} points")
        np.save(os.path.join(out, f"mnist_umap_{n}.npy"), x[:n])
        np.save(os.path.join(out, f"mnist_umap_{n}_labels.npy"), y[:n])
        print(out, n)


if __name__ == "__main__":
    main()
