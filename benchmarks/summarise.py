#!/usr/bin/env python3
"""Markdown table of a `hav bench tsne` results file: one row per (input size, tool), medians over repeats,
and the ratios to scikit-learn that benchmarks/README.md tracks.

Usage: python3 benchmarks/summarise.py results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    runs = defaultdict(list)
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                runs[(r["n"], r["tool"])].append(r)
    med = lambda rs, k: statistics.median(r[k] for r in rs if r.get(k) is not None) \
        if any(r.get(k) is not None for r in rs) else float("nan")
    print("| n | tool | runs | wall s (median) | CPU s (median) | wall / sklearn | KL | KL / sklearn | "
          "trustworthiness | kNN preservation | neighbourhood hit | load (1 min) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for (n, tool) in sorted(runs, key=lambda k: (k[0], k[1] != "hav-cpu", k[1])):
        rs = runs[(n, tool)]
        sk = runs.get((n, "sklearn"))
        wall, cpu, kl = med(rs, "seconds"), med(rs, "cpu_seconds"), med(rs, "kl")
        ratio = f"{wall / med(sk, 'seconds'):.2f}" if sk else "-"
        kl_ratio = f"{kl / med(sk, 'kl'):.3f}" if sk else "-"
        loads = ", ".join(f"{r['load_average_1min']:.1f}" for r in rs)
        print(f"| {n} | {tool} {rs[0]['version']} | {len(rs)} | {wall:.2f} | {cpu:.2f} | {ratio} | {kl:.4f} | {kl_ratio} | "
              f"{med(rs, 'trustworthiness'):.4f} | {med(rs, 'knn_preservation'):.4f} | "
              f"{med(rs, 'neighbourhood_hit'):.4f} | {loads} |")


if __name__ == "__main__":
    main()
