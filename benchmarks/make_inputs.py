#!/usr/bin/env python3
"""Writes the benchmark inputs: the first N MNIST images as float32, and their labels.

Usage: python3 benchmarks/make_inputs.py [--mnist DIR] [--out DIR] [--sizes 2000,10000] [--split test|train]
       [--zscore]
DIR defaults to the test split shipped with the project (src/main/resources/datasets/mnist); the training split
(for sizes above 10000) must be given with --mnist (a folder holding train-images-idx3-ubyte[.gz]).
Outputs: mnist_<split>_<N>.npy (N x 784, float32: pixels / 255, or with --zscore each column minus its mean over
the N rows divided by its standard deviation, constant columns 0; then named mnist_<split>_z_<N>.npy) and
..._labels.npy (N, int32).
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
    parser.add_argument("--split", choices=("test", "train"), default="test")
    parser.add_argument("--zscore", action="store_true")
    args = parser.parse_args()
    stem = "t10k" if args.split == "test" else "train"
    images = read_idx(find(args.mnist, stem + "-images-idx3-ubyte"))
    labels = read_idx(find(args.mnist, stem + "-labels-idx1-ubyte"))
    os.makedirs(args.out, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        if n > len(images):
            raise SystemExit(f"asked for {n} images, the test split has {len(images)}")
        x = images[:n].reshape(n, -1).astype(np.float32) / 255.0
        if args.zscore:
            x64 = x.astype(np.float64)
            sd = x64.std(axis=0)
            x = np.where(sd > 0, (x64 - x64.mean(axis=0)) / np.where(sd > 0, sd, 1), 0).astype(np.float32)
        base = os.path.join(args.out, f"mnist_{args.split}{'_z' if args.zscore else ''}_{n}")
        np.save(base + ".npy", x)
        np.save(base + "_labels.npy", labels[:n].astype(np.int32))
        print(base + ".npy", x.shape)


if __name__ == "__main__":
    main()
