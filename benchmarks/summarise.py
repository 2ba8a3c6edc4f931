#!/usr/bin/env python3
"""Markdown tables of a `hav bench tsne` results file: one row per (input size, tool), medians over repeats, the
ratios to scikit-learn (and, where it ran, umap-learn) that benchmarks/README.md tracks, and the kNN rows
(`--recall`: exact vs approximate search, recall at k = 90).

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
    knn = []
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                if r["tool"] == "knn":
                    knn.append(r)
                else:
                    runs[(r["n"], r["tool"])].append(r)
    med = lambda rs, k: statistics.median(r[k] for r in rs if r.get(k) is not None) \
        if rs and any(r.get(k) is not None for r in rs) else float("nan")
    print("| n | tool | runs | wall s (median) | CPU s (median) | wall / sklearn | wall / umap | KL | KL / sklearn | "
          "trustworthiness | kNN preservation | neighbourhood hit | repulsion / kNN | load (1 min) |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for (n, tool) in sorted(runs, key=lambda k: (k[0], not k[1].startswith("hav"), k[1])):
        rs = runs[(n, tool)]
        sk = runs.get((n, "sklearn"))
        um = runs.get((n, "umap"))
        wall, cpu, kl = med(rs, "seconds"), med(rs, "cpu_seconds"), med(rs, "kl")
        ratio = f"{wall / med(sk, 'seconds'):.2f}" if sk else "-"
        ratio_umap = f"{wall / med(um, 'seconds'):.2f}" if um else "-"
        kl_ratio = f"{kl / med(sk, 'kl'):.3f}" if sk else "-"
        loads = ", ".join(f"{r['load_average_1min']:.1f}" for r in rs)
        how = f"{rs[0].get('repulsion', '')} / {rs[0].get('neighbour_search', '')}" if "repulsion" in rs[0] else "-"
        print(f"| {n} | {tool} {rs[0]['version']} | {len(rs)} | {wall:.2f} | {cpu:.2f} | {ratio} | {ratio_umap} | "
              f"{kl:.4f} | {kl_ratio} | {med(rs, 'trustworthiness'):.4f} | {med(rs, 'knn_preservation'):.4f} | "
              f"{med(rs, 'neighbourhood_hit'):.4f} | {how} | {loads} |")
    if knn:
        print()
        print("| n | d | k | exact kNN s | approximate kNN s | recall | HNSW | load (1 min) |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        for r in sorted(knn, key=lambda r: r["n"]):
            print(f"| {r['n']} | {r['d']} | {r['k']} | {r['exact_seconds']:.2f} | {r['approximate_seconds']:.2f} | "
                  f"{r['recall']:.4f} | {r['hnsw']} | {r['load_average_1min']:.1f} |")


if __name__ == "__main__":
    main()
