#!/usr/bin/env python3
"""Writes the benchmark inputs: the first N MNIST test images as float32 pixels in [0, 1], and their labels.

Usage: python3 benchmarks/make_inputs.py [--mnist DIR] [--out DIR] [--sizes 2000,10000]
DIR defaults to the test split shipped with the project (src/main/resources/datasets/mnist).
Outputs: mnist_test_<N>.npy (N x 784, float32) and mnist_test_<N>_labels.npy (N, int32).
"""
import argparse
import gzip
import os
import struct

import numpy as np


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte idx file")
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{directory}: no {stem}[.gz] (give --mnist DIR holding the MNIST test split)")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mnist", default=os.path.join(root, "src", "main", "resources", "datasets", "mnist"))
    parser.add_argument("--out", default=os.path.join(root, "generated", "bench"))
    parser.add_argument("--sizes", default="2000,10000")
    args = parser.parse_args()
    images = read_idx(find(args.mnist, "t10k-images-idx3-ubyte"))
    labels = read_idx(find(args.mnist, "t10k-labels-idx1-ubyte"))
    os.makedirs(args.out, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        if n > len(images):
            raise SystemExit(f"asked for {n} images, the test split has {len(images)}")
        x = images[:n].reshape(n, -1).astype(np.float32) / 255.0
        base = os.path.join(args.out, f"mnist_test_{n}")
        np.save(base + ".npy", x)
        np.save(base + "_labels.npy", labels[:n].astype(np.int32))
        print(base + ".npy", x.shape)


if __name__ == "__main__":
    main()
