#!/usr/bin/env python3
"""Compares the numbers of two hav report.json files (the results section; timings and provenance left out).

  --mode equal    every number equal (the kit's jars against the full ones; the same backend on two machines with
                  --tolerance, a relative bound: the metrics' last bits may follow the thread count); exit 1 on a
                  difference beyond it (listed); the summary also counts the values that are not bit-equal
  --mode quality  a t-SNE backend against the CPU one: each projection's trustworthiness (within 0.01), neighbourhood
                  hit (within 0.02) and KL divergence (within 5 %) side by side; exit 1 when a bound is missed

Writes a JSON summary with --out. Used by run_on_gpu.sh (dry run here, and on the GPU machine).
"""
import argparse
import json
import math
import sys

SKIP = {"timings_seconds", "analysis_seconds", "total_seconds", "tsne_seconds", "seconds", "stage_seconds"}
BOUNDS = {"trustworthiness_k12": ("abs", 0.01), "neighbourhood_hit_k6": ("abs", 0.02), "kl_divergence": ("rel", 0.05)}


def flatten(node, path, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in SKIP or k.endswith("_seconds"):
                continue
            flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            flatten(v, f"{path}[{i}]", out)
    else:
        out[path] = node
    return out


def number(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if v in ("NaN", "Infinity", "-Infinity"):
        return float(v.replace("Infinity", "inf"))
    return None


def same(a, b, tolerance=0.0):
    x, y = number(a), number(b)
    if x is not None and y is not None:
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return x == y or abs(x - y) <= tolerance * max(abs(x), abs(y))
    return a == b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("candidate")
    ap.add_argument("reference")
    ap.add_argument("--mode", choices=("equal", "quality"), required=True)
    ap.add_argument("--tolerance", type=float, default=0.0, help="equal mode: relative difference allowed")
    ap.add_argument("--out")
    a = ap.parse_args()
    # the results section (the whole file if a later report.json names it otherwise: provenance then differs too)
    cand_doc, ref_doc = json.load(open(a.candidate)), json.load(open(a.reference))
    cand = flatten(cand_doc.get("results", cand_doc), "", {})
    ref = flatten(ref_doc.get("results", ref_doc), "", {})
    summary = {"candidate": a.candidate, "reference": a.reference, "mode": a.mode}
    if a.mode == "equal":
        numeric = [k for k in ref if number(ref[k]) is not None]
        keys = sorted(set(ref) | set(cand))
        diffs = [{"key": k, "candidate": cand.get(k, "missing"), "reference": ref.get(k, "missing")}
                 for k in keys if k not in cand or k not in ref or not same(cand[k], ref[k], a.tolerance)]
        not_bit_equal = sum(1 for k in keys if k not in cand or k not in ref or not same(cand[k], ref[k]))
        summary.update(values=len(ref), numbers=len(numeric), tolerance=a.tolerance, different=len(diffs),
                       not_bit_equal=not_bit_equal, differences=diffs[:50])
        ok = not diffs
        print(f"report numbers: {len(ref)} values ({len(numeric)} numbers), {len(diffs)} different"
              + (f" beyond {a.tolerance:g} relative, {not_bit_equal} not bit-equal" if a.tolerance else ""))
        for d in diffs[:20]:
            print(f"  {d['key']}: {d['candidate']} vs {d['reference']}")
    else:
        rows, ok = [], True
        for k in sorted(ref):
            metric = k.rsplit(".", 1)[-1]
            if metric not in BOUNDS or number(ref[k]) is None or number(cand.get(k)) is None:
                continue
            c, r = number(cand[k]), number(ref[k])
            kind, bound = BOUNDS[metric]
            gap = abs(c - r) if kind == "abs" else abs(c - r) / abs(r) if r else abs(c - r)
            met = gap <= bound
            ok &= met
            rows.append({"key": k, "candidate": c, "reference": r, "gap": gap, "bound": f"{kind} {bound}", "met": met})
        summary.update(compared=len(rows), missed=sum(not r["met"] for r in rows), rows=rows)
        print(f"report quality: {len(rows)} metrics compared, {summary['missed']} outside their bound")
        for r in rows:
            if not r["met"] or r["key"].startswith("projection."):
                print(f"  {r['key']}: {r['candidate']:.4f} vs {r['reference']:.4f} ({'ok' if r['met'] else 'MISSED'})")
        ok = ok and bool(rows)
    summary["passed"] = ok
    if a.out:
        with open(a.out, "w") as f:
            json.dump(summary, f, indent=1)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
