#!/usr/bin/env python3
"""Each stage's kernels against its host launch, on the same inputs, through native/include/hav_stages.h (ctypes).

The host launches run the kernels' own __host__ __device__ arithmetic and are held to the CPU engine by
CudaKernelsOnHostTest wherever the library builds; this script closes the chain on a GPU machine without Java:
kernels == host launches (within float tolerance) => kernels == CPU engine. Inputs have ties, duplicate points,
n below 3 x perplexity and several snapshots.

  python3 stage_check.py LIB.so [--host-only] [--out result.json]
--host-only: runs the host launches alone (a dry run where there is no GPU: checks the library loads and runs).
Exit code 0 when every comparison passed, 1 otherwise.
"""
import argparse
import ctypes as C
import json
import sys

import numpy as np

F32 = np.float32


def ptr(a, t):
    return a.ctypes.data_as(C.POINTER(t))


class Stages:
    def __init__(self, path):
        self.lib = C.CDLL(path)
        self.err = C.create_string_buffer(2048)

    def call(self, name, *args):
        rc = getattr(self.lib, name)(*args, self.err, 2048)
        if rc != 0:
            raise RuntimeError(f"{name}: status {rc}: {self.err.value.decode()}")

    def knn(self, x, k, dev):
        n, d = x.shape
        idx = np.zeros((n, k), np.int32)
        dist = np.zeros((n, k), F32)
        self.call("hav_stage_knn", ptr(x, C.c_float), n, d, k, dev, ptr(idx, C.c_int), ptr(dist, C.c_float))
        return idx, dist

    def cond(self, d, perplexity, dev):
        n, k = d.shape
        out = np.zeros((n, k), F32)
        self.call("hav_stage_conditional_p", ptr(d, C.c_float), n, k, C.c_float(perplexity), dev, ptr(out, C.c_float))
        return out

    def sym(self, idx, p, dev):
        n, k = idx.shape
        rp = np.zeros(n + 1, np.int32)
        col = np.zeros(2 * n * k, np.int32)
        val = np.zeros(2 * n * k, F32)
        nnz = C.c_int(0)
        plogp = C.c_double(0)
        self.call("hav_stage_symmetrize", ptr(idx, C.c_int), ptr(p, C.c_float), n, k, dev, ptr(rp, C.c_int),
                  ptr(col, C.c_int), ptr(val, C.c_float), C.byref(nnz), C.byref(plogp))
        return rp, col[:nnz.value].copy(), val[:nnz.value].copy(), plogp.value

    def tree(self, y, dev):
        n = y.shape[0]
        box = np.zeros(3, F32)
        order = np.zeros(n, np.int32)
        child = np.zeros(2 * (n - 1), np.int32)
        node = np.zeros(4 * (n - 1), F32)
        self.call("hav_stage_tree", ptr(y, C.c_float), n, dev, ptr(box, C.c_float), ptr(order, C.c_int),
                  ptr(child, C.c_int), ptr(node, C.c_float))
        return box, order, child, node

    def forces(self, csr, y, exag, theta, exact, dev):
        rp, col, val, plogp = csr
        n = y.shape[0]
        attr = np.zeros((n, 2), F32)
        rep = np.zeros((n, 2), F32)
        z = C.c_double(0)
        kl = C.c_double(0)
        self.call("hav_stage_forces", ptr(rp, C.c_int), ptr(col, C.c_int), ptr(val, C.c_float), n,
                  C.c_double(plogp), ptr(y, C.c_float), C.c_float(exag), C.c_float(theta), int(exact), dev,
                  ptr(attr, C.c_float), ptr(rep, C.c_float), C.byref(z), C.byref(kl))
        return attr, rep, z.value, kl.value

    def update(self, y, u, g, attr, rep, z, lr, mom, min_gain, dev):
        y, u, g = y.copy(), u.copy(), g.copy()
        snaps, n = y.shape[0], y.shape[1]
        self.call("hav_stage_update", ptr(y, C.c_float), ptr(u, C.c_float), ptr(g, C.c_float), ptr(attr, C.c_float),
                  ptr(rep, C.c_float), ptr(z, C.c_double), n, snaps, C.c_float(lr), C.c_float(mom),
                  C.c_float(min_gain), dev)
        return y, u, g

    def proximal(self, y, c, dev):
        y = y.copy()
        self.call("hav_stage_proximal", ptr(y, C.c_float), y.shape[1], y.shape[0], C.c_double(c), dev)
        return y

    def pca(self, x, q0, iterations, rows, dev):
        n, d = x.shape
        k = q0.shape[1]
        y = np.zeros((n, 2), F32)
        nv = C.c_int(0)
        self.call("hav_stage_pca", ptr(x, C.c_float), n, d, ptr(q0, C.c_double), k, iterations, rows, dev,
                  ptr(y, C.c_float), C.byref(nv))
        return None if nv.value else y


def tricky(n, d, seed):
    r = np.random.default_rng(seed)
    x = np.vstack([r.normal(c, 1, size=(n // 3, d)) for c in (0, 6, -6)] + [r.normal(0, 1, size=(n - 3 * (n // 3), d))])
    x[n // 3: n // 3 + n // 6] = x[r.integers(0, n // 3, n // 6)]       # duplicates
    x[-(n // 6):] = 10 + r.integers(0, 3, size=(n // 6, d))               # a grid: ties
    return np.ascontiguousarray(x, F32)


def layout(n, seed):
    r = np.random.default_rng(seed)
    y = r.normal(0, 5, size=(n, 2))
    y[::3] *= 0.002
    y[r.integers(0, n, n // 10)] = y[r.integers(0, n, n // 10)]
    return np.ascontiguousarray(y, F32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib")
    ap.add_argument("--host-only", action="store_true")
    ap.add_argument("--out")
    a = ap.parse_args()
    s = Stages(a.lib)
    results = []

    def check(stage, ok, detail):
        results.append({"stage": stage, "pass": bool(ok), "detail": detail})
        print(("PASS " if ok else "FAIL ") + stage + ": " + detail, flush=True)

    dev = 0 if a.host_only else 1
    mode = "host launch twice (dry run)" if a.host_only else "kernels vs host launch"
    for n, d, k in ((90, 7, 12), (20, 5, 19), (3000, 50, 90)):
        x = tricky(n, d, n)
        hi, hd = s.knn(x, k, 0)
        di, dd = s.knn(x, k, dev)
        same = np.allclose(np.sort(hd, 1), np.sort(dd, 1), rtol=1e-5, atol=1e-6)
        exact = np.sum((x[np.arange(n)[:, None]] - x[di]) ** 2, axis=2)
        valid = np.allclose(exact, dd, rtol=1e-4, atol=1e-5) and all(len(set(r)) == k for r in di) and \
            not np.any(di == np.arange(n)[:, None])
        check(f"knn n={n} d={d} k={k}", same and valid, f"{mode}; sorted distances equal: {same}, indices valid: {valid}")
        for perplexity in (k / 3, 30.0):
            hp = s.cond(hd, perplexity, 0)
            dp = s.cond(hd, perplexity, dev)
            diff = float(np.max(np.abs(hp - dp) / np.maximum(hp, 1e-3)))
            check(f"p rows n={n} perplexity={perplexity:g}", diff <= 1e-6, f"max relative difference {diff:.2e}")
        hp = s.cond(hd, k / 3, 0)
        hs = s.sym(hi, hp, 0)
        ds = s.sym(hi, hp, dev)
        dense = [np.zeros((n, n)) for _ in range(2)]
        for m, (rp, col, val, _) in zip(dense, (hs, ds)):
            for i in range(n):
                m[i, col[rp[i]:rp[i + 1]]] = val[rp[i]:rp[i + 1]]
        diff = float(np.max(np.abs(dense[0] - dense[1])) / np.max(dense[0]))
        check(f"symmetrisation n={n}", diff <= 1e-5 and abs(hs[3] - ds[3]) <= 1e-6 * abs(hs[3]),
              f"max P difference {diff:.2e} of max P; plogp {hs[3]:.9g} vs {ds[3]:.9g}")
        y = layout(n, n)
        for exact, theta in ((True, 0.5), (False, 0.0), (False, 0.5)):
            for exag in (12.0, 1.0):
                ha, hr, hz, hk = s.forces(hs, y, exag, theta, exact, 0)
                da, dr, dz, dk = s.forces(hs, y, exag, theta, exact, dev)
                g = lambda at, rp, z: 4 * (at.astype(np.float64) - rp / z)
                gd = float(np.max(np.abs(g(ha, hr, hz) - g(da, dr, dz))) / np.max(np.abs(g(ha, hr, hz))))
                tol = 1e-4 if (exact or theta == 0) else 1e-3
                check(f"forces n={n} {'exact' if exact else 'barnes-hut'} theta={theta} exaggeration={exag:g}",
                      gd <= tol and abs(hk - dk) <= 1e-4 * abs(hk),
                      f"max gradient difference {gd:.2e} of max; z {hz:.6g} vs {dz:.6g}; KL {hk:.6g} vs {dk:.6g}")
    for n in (2, 3, 57, 5000):
        y = layout(n, n)
        hb, ho, hc, hn = s.tree(y, 0)
        db, do, dc, dn = s.tree(y, dev)
        ok = np.array_equal(hb, db) and np.array_equal(ho, do) and np.array_equal(hc, dc) and \
            np.allclose(hn, dn, rtol=1e-5, atol=1e-6 * float(hb[2]))
        check(f"tree n={n}", ok, f"box/order/children identical and summaries within 1e-5: {ok}")
    r = np.random.default_rng(8)
    snaps, n = 3, 40
    y, u = r.normal(size=(snaps, n, 2)).astype(F32), (0.1 * r.normal(size=(snaps, n, 2))).astype(F32)
    g = (0.5 + r.random(size=(snaps, n, 2))).astype(F32)
    g.reshape(-1)[::7] = 0.0105
    z = np.array([1234.5, 88.25, 0.75])
    attr = (0.01 * r.normal(size=(snaps, n, 2))).astype(F32)
    rep = (z[:, None, None] * 0.01 * r.normal(size=(snaps, n, 2))).astype(F32)
    h = s.update(y, u, g, attr, rep, z, 200.0, 0.8, 0.01, 0)
    dv = s.update(y, u, g, attr, rep, z, 200.0, 0.8, 0.01, dev)
    diff = max(float(np.max(np.abs(p - q) / (np.abs(p) + 1e-3))) for p, q in zip(h, dv))
    check("update 3 snapshots", diff <= 1e-5, f"max relative difference {diff:.2e}")
    for snaps in (2, 5):
        for c in (0.05, 3.0):
            y = (3 * r.normal(size=(snaps, 30, 2))).astype(F32)
            diff = float(np.max(np.abs(s.proximal(y, c, 0) - s.proximal(y, c, dev))))
            check(f"proximal {snaps} snapshots c={c}", diff <= 1e-5, f"max difference {diff:.2e}")
    for n, d in ((300, 30), (12500, 10), (2000, 1000)):
        x = tricky(n, d, d)
        k = min(d, 10)
        q0 = np.ascontiguousarray(np.random.default_rng(n).normal(size=(d, k)))
        hy = s.pca(x, q0, 4, 10000, 0)
        dy = s.pca(x, q0, 4, 10000, dev)
        diff = float(np.max(np.abs(hy - dy))) / 1e-4
        check(f"pca start {n} x {d}", diff <= 2e-3, f"max difference {diff:.2e} of the start's scale")
    failed = [x for x in results if not x["pass"]]
    print(f"{len(results) - len(failed)} of {len(results)} comparisons passed ({mode})")
    if a.out:
        with open(a.out, "w") as f:
            json.dump({"mode": mode, "total": len(results), "passed": len(results) - len(failed), "results": results},
                      f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
