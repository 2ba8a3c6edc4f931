#!/usr/bin/env python3
"""Builds the GPU benchmark inputs as float32 .npy files (run on the GPU machine, where numpy is).

Inputs, each z-scored per column (constant columns -> 0) as the analyses do before projecting:
  act2000   2000 x 1000: MNIST test images 0..1999 through a hidden layer (see below)
  act12000  12000 x 1000: six snapshots of those 2000 images stacked (a joint t-SNE across "epochs")
  mnist70k  70000 x 784: all MNIST pixels (train + test), or the test split and shifted copies without the train file
  blobs250k 250000 x 50: 20 seeded Gaussian clusters (blobs1m: 1000000 x 50, with --million)
  small500  500 x 50: first 500 rows of blobs250k's generator, for compute-sanitizer

Hidden layer: the reference MLP's activations are used when models/ holds them as .npy
(--activations DIR with act2000.npy / act12000.npy); otherwise an honest stand-in: images / 255 through a fixed,
seeded random ReLU layer 784 -> 1000 (He-initialised); the six "epochs" are W_e = W_0 + 0.15 e N(0, He).
The source used is printed and written to inputs.json.
"""
import argparse
import gzip
import json
import os
import sys

import numpy as np


def idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = np.frombuffer(data[:16], dtype=">i4")
    if magic != 2051:
        sys.exit(f"{path}: not an idx image file (magic {magic})")
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(n, rows * cols)


def zscore(x):
    x = x.astype(np.float64)
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = np.inf  # constant column -> 0
    return ((x - mu) / sd).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", required=True, help="folder with the four MNIST idx .gz files")
    ap.add_argument("--out", required=True)
    ap.add_argument("--activations", default=None)
    ap.add_argument("--mlp", default=None, help="folder with e0.npy ... e100.npy: the shipped MLP's layer 4 over "
                    "the first 2000 test images at epochs 0, 20, ..., 100 (hav activations on the device)")
    ap.add_argument("--million", action="store_true", help="also blobs1m: 1000000 x 50, the same 20 clusters")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    test = idx_images(os.path.join(a.mnist, "t10k-images-idx3-ubyte.gz"))
    info = {}
    train_file = os.path.join(a.mnist, "train-images-idx3-ubyte.gz")
    if os.path.exists(train_file):
        train = idx_images(train_file)
    else:
        # the carried tree holds only the test split: 60000 stand-in rows are its images shifted by one pixel
        # (six shifts), so mnist70k keeps MNIST's structure without 10 MB of training images in the carry
        side = test.reshape(-1, 28, 28)
        shifts = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, -1)]
        train = np.vstack([np.roll(side, s, axis=(1, 2)).reshape(-1, 784) for s in shifts])
        info["mnist70k"] = "stand-in: the 10000 MNIST test images and six copies shifted by one pixel"
    if a.activations and os.path.exists(os.path.join(a.activations, "act2000.npy")):
        act2000 = np.load(os.path.join(a.activations, "act2000.npy"))
        act12000 = np.load(os.path.join(a.activations, "act12000.npy"))
        info["activations"] = "reference MLP activations from " + a.activations
    else:
        rng = np.random.default_rng(0)
        he = np.sqrt(2.0 / 784)
        w0 = rng.normal(0, he, size=(784, 1000))
        b = rng.normal(0, 0.01, size=1000)
        x = test[:2000].astype(np.float64) / 255.0
        snaps = []
        for e in range(6):
            w = w0 + 0.15 * e * rng.normal(0, he, size=w0.shape)
            snaps.append(np.maximum(x @ w + b, 0))
        act2000 = snaps[0]
        act12000 = np.vstack(snaps)
        info["activations"] = ("stand-in: MNIST test images 0..1999 / 255 through a seeded random ReLU layer "
                               "784->1000 (no reference MLP activations available); act12000 = 6 perturbed layers")
    # the compact reference MLP's last hidden layer (2000 x 256 at the last epoch, and its six checkpoints stacked):
    # exported by `hav activations` on the device (--mlp), or an older kit's packed float16 copy
    src = os.path.join(a.mnist, "mlp12000.npy.gz")
    epochs = [os.path.join(a.mlp, f"e{e}.npy") for e in (0, 20, 40, 60, 80, 100)] if a.mlp else []
    if epochs and all(os.path.exists(f) for f in epochs):
        six = np.vstack([np.load(f) for f in epochs]).astype(np.float32)
        np.save(os.path.join(a.out, "mlp12000.npy"), zscore(six))
        np.save(os.path.join(a.out, "mlp2000.npy"), zscore(six[-2000:]))
        info["mlp"] = ("mnist_mlp (compact) layer 4 over MNIST test 0..1999: mlp2000 = epoch 100, "
                       "mlp12000 = epochs 0, 20, 40, 60, 80, 100 stacked; from hav activations in " + a.mlp)
    elif os.path.exists(src):
        with gzip.open(src, "rb") as f:
            six = np.load(f).astype(np.float32)  # packed as float16
        np.save(os.path.join(a.out, "mlp12000.npy"), zscore(six))
        np.save(os.path.join(a.out, "mlp2000.npy"), zscore(six[-2000:]))
        info["mlp"] = ("mnist_mlp (compact) layer 4 over MNIST test 0..1999: mlp2000 = epoch 100, "
                       "mlp12000 = epochs 0, 20, 40, 60, 80, 100 stacked; from " + src)
    np.save(os.path.join(a.out, "act2000.npy"), zscore(act2000))
    np.save(os.path.join(a.out, "act12000.npy"), zscore(act12000))
    np.save(os.path.join(a.out, "mnist70k.npy"), zscore(np.vstack([train, test])))
    rng = np.random.default_rng(1)
    centres = rng.normal(0, 8, size=(20, 50))
    labels = np.arange(250000) % 20
    blobs = centres[labels] + rng.normal(0, 1, size=(250000, 50))
    np.save(os.path.join(a.out, "blobs250k.npy"), blobs.astype(np.float32))
    np.save(os.path.join(a.out, "small500.npy"), blobs[:500].astype(np.float32))
    if a.million:
        labels = np.arange(1000000) % 20
        big = centres[labels] + rng.normal(0, 1, size=(1000000, 50))
        np.save(os.path.join(a.out, "blobs1m.npy"), big.astype(np.float32))
    np.save(os.path.join(a.out, "labels2000.npy"), np.frombuffer(
        gzip.open(os.path.join(a.mnist, "t10k-labels-idx1-ubyte.gz")).read()[8:], dtype=np.uint8)[:2000])
    print(json.dumps(info))
    with open(os.path.join(a.out, "inputs.json"), "w") as f:
        json.dump(info, f)


if __name__ == "__main__":
    main()
