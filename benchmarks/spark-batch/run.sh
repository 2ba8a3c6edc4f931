#!/usr/bin/env bash
# 12 small reports: one `hav report` process after another (a shell loop) vs `hav batch` with Spark's local[2]
# master, the same 12 runs. Prints wall times and the load average; results are written up in README.md.
# Usage: benchmarks/spark-batch/run.sh [WORKDIR]   (needs scripts/build-spark.sh first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
opts=(--size 150 --iterations 300 --image-size 256 --epochs 0,100)
runs=12
rm -rf "$work/seq" "$work/batch" "$work/cache-seq" "$work/cache-batch"
mkdir -p "$work"
{
  printf '{"runs": [\n'
  for i in $(seq 0 $((runs - 1))); do
    sep=","; [ "$i" = $((runs - 1)) ] && sep=""
    printf '  {"name": "r%02d", "model": "mnist_mlp", "options": ["--seed", "%d", "--size", "150", "--iterations", "300", "--image-size", "256", "--epochs", "0,100", "--cache-dir", "%s"]}%s\n' \
      "$i" "$i" "$work/cache-batch" "$sep"
  done
  printf ']}\n'
} > "$work/plan.json"
echo "machine: $(nproc) cores; $(date -u +%FT%TZ); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/hav" info >/dev/null  # builds the main jar if needed, outside the timing
t0=$(date +%s.%N)
for i in $(seq 0 $((runs - 1))); do
  "$root/hav" report --model mnist_mlp --seed "$i" "${opts[@]}" --cache-dir "$work/cache-seq" \
    --out "$work/seq/r$(printf %02d "$i")" -q >/dev/null
done
t1=$(date +%s.%N)
echo "sequential: $(echo "$t1 - $t0" | bc) s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$root/hav" batch "$work/plan.json" --out "$work/batch" --master 'local[2]' -q >/dev/null
t2=$(date +%s.%N)
echo "hav batch local[2]: $(echo "$t2 - $t1" | bc) s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" <<'PY'
import json, sys, glob
w = sys.argv[1]
idx = json.load(open(w + "/batch/index.json"))
print("batch runs done:", idx["done"], "failed:", idx["failed"],
      "sum of run seconds inside tasks: %.1f" % sum(r["seconds"] for r in idx["runs"]))
for mode in ("seq", "batch/runs"):
    tot = {}
    for f in glob.glob(w + "/" + mode + "/*/report.json"):
        for k, v in json.load(open(f))["results"]["timings_seconds"].items():
            tot[k] = tot.get(k, 0) + v
    print(mode, "stage seconds summed over runs:", {k: round(v, 1) for k, v in tot.items()})
PY
