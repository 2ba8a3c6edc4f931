#!/usr/bin/python3
"""Writes the committed seed inputs of the fuzz harnesses (docs/fuzzing.md), with numpy and Pillow as the
reference writers. Run from the project root with the system interpreter: /usr/bin/python3 scripts/fuzz-seeds.py
The inputs are deterministic; rerunning rewrites the same bytes (numpy 1.24, Pillow 9.4)."""
import gzip
import io
import os
import struct

import numpy as np
from PIL import Image

RES = "src/test/resources/org/hiddenactivity"
NPY = RES + "/core/NpyFuzzTestInputs/npy"
DATA = RES + "/data/DataFormatsFuzzTestInputs"


def save(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def npy(array, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, array)
    else:
        np.lib.format.write_array(buf, array, version=version)
    return buf.getvalue()


def idx(array):
    a = np.asarray(array, dtype=np.uint8)
    return struct.pack(">I", 0x0800 | a.ndim) + b"".join(struct.pack(">I", d) for d in a.shape) + a.tobytes()


def main():
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    # ---- .npy
    save(NPY, "f4_2d", npy(rng.standard_normal((4, 3)).astype(np.float32)))
    save(NPY, "u1_3d", npy(grey))
    save(NPY, "u1_nhwc", npy(rng.integers(0, 256, size=(2, 3, 2, 3), dtype=np.uint8)))
    save(NPY, "f4_nchw_fortran", npy(np.asfortranarray(rng.random((2, 3, 2, 2), dtype=np.float32))))
    save(NPY, "f8_big_endian", npy(rng.standard_normal((2, 3)).astype(">f8")))
    save(NPY, "v2", npy(np.arange(6, dtype=np.int16).reshape(2, 3), version=(2, 0)))
    save(NPY, "v3", npy(np.arange(4, dtype=np.uint16), version=(3, 0)))
    save(NPY, "i8_labels", npy(np.array([0, 3, 1, 2], dtype=np.int64)))
    save(NPY, "b1", npy(np.array([True, False, True])))
    save(NPY, "scalar", npy(np.float32(1.5)))
    save(NPY, "empty", npy(np.zeros((0, 3), dtype=np.float32)))
    py2 = npy(np.arange(4, dtype=np.float32).reshape(2, 2))
    save(NPY, "python2_long_shape", py2.replace(b"(2, 2), }", b"(2L,2L),}"))
    # ---- idx: flags, size, labels length (big-endian u16), labels, images
    images = idx(rng.integers(0, 256, size=(3, 4, 4)))
    labels = idx([7, 0, 9])

    def idx_input(flags, size, lab, img):
        return bytes([flags, size]) + struct.pack(">H", len(lab)) + lab + img

    save(DATA + "/idx", "raw", idx_input(0, 0, labels, images))
    save(DATA + "/idx", "gzip_both", idx_input(3, 2, labels, images))
    save(DATA + "/idx", "already_gzip", idx_input(0, 1, gzip.compress(labels, mtime=0), gzip.compress(images, mtime=0)))
    # ---- cifar: flags, delta (s16), size (u16), first bytes of the batch
    record = bytes([3]) + bytes(range(256)) * 12
    save(DATA + "/cifar", "whole_batch", bytes([1]) + struct.pack(">hH", 0, 5) + record * 2)
    save(DATA + "/cifar", "one_record_short", bytes([1]) + struct.pack(">hH", -3073, 0) + record)
    save(DATA + "/cifar", "short", bytes([0]) + struct.pack(">hH", 0, 0) + record)
    # ---- npyImages: layout, names, size, targets length (u16), targets .npy, images .npy
    def images_input(layout, names, size, targets, imgs):
        t = npy(targets)
        return bytes([layout, names, size]) + struct.pack(">H", len(t)) + t + npy(imgs)

    save(DATA + "/npyImages", "grey", images_input(0, 0, 0, np.array([0, 1, 1], dtype=np.int32), grey))
    save(DATA + "/npyImages", "nhwc_named", images_input(1, 2, 2, np.array([0, 2], dtype=np.int64),
                                                          rng.integers(0, 256, size=(2, 2, 2, 3), dtype=np.uint8)))
    save(DATA + "/npyImages", "nchw_float", images_input(2, 1, 0, np.array([1, 0], dtype=np.uint8),
                                                          rng.random((2, 3, 2, 2), dtype=np.float32)))
    # ---- images: PNG (grey, RGB, RGBA, 16-bit), JPEG, BMP
    def encode(img, fmt, **kw):
        buf = io.BytesIO()
        img.save(buf, format=fmt, **kw)
        return buf.getvalue()

    rgb = Image.fromarray(rng.integers(0, 256, size=(5, 4, 3), dtype=np.uint8), "RGB")
    save(DATA + "/image", "grey.png", encode(Image.fromarray(grey[0], "L"), "PNG"))
    save(DATA + "/image", "rgb.png", encode(rgb, "PNG"))
    save(DATA + "/image", "rgba.png", encode(rgb.convert("RGBA"), "PNG"))
    save(DATA + "/image", "grey16.png", encode(Image.fromarray(
        rng.integers(0, 65536, size=(3, 3), dtype=np.uint16).astype(np.int32), "I").convert("I;16"), "PNG"))
    save(DATA + "/image", "rgb.jpg", encode(rgb, "JPEG", quality=90))
    save(DATA + "/image", "grey.jpg", encode(Image.fromarray(grey[1], "L"), "JPEG"))
    save(DATA + "/image", "rgb.bmp", encode(rgb, "BMP"))
    save(DATA + "/image", "cmyk.jpg", encode(rgb.convert("CMYK"), "JPEG", quality=90))  # refused by name (issue 18)
    for name in ("grey.png", "rgb.png", "rgba.png", "grey16.png"):
        with open(DATA + "/image/" + name, "rb") as f:
            save(DATA + "/pngValidCrc", name, f.read())


if __name__ == "__main__":
    main()
