#!/bin/sh
# UMAP of hav beside umap-learn (Debian's umap-learn 0.5.3, system python), same input, same run.
# Usage: [MNIST_DIR=DIR] benchmarks/umap/run.sh OUT_DIR N [N ...]  (MNIST_DIR: see make_input.py)   (hav: the ./hav launcher; HAV overrides it)
# Writes OUT_DIR/results.jsonl: per N one line per tool (seconds, trustworthiness k=12, neighbourhood hit k=6),
# each with the load average before it, and OUT_DIR/run.txt (date, machine, commands).
set -eu
out=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
hav=${HAV:-$root/hav}
mkdir -p "$out/inputs"
{ date -u; uname -a; nproc; free -g | head -2; java -version 2>&1 | head -1; git -C "$root" rev-parse HEAD; } > "$out/run.txt"
/usr/bin/python3 "$root/benchmarks/umap/make_input.py" "$out/inputs" "$@" >> "$out/run.txt"
for n in "$@"; do
  x=$out/inputs/mnist_umap_$n.npy; y=$out/inputs/mnist_umap_${n}_labels.npy
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "hav embed --method umap --input $x --labels $y --json" >> "$out/run.txt"
  "$hav" embed --method umap --input "$x" --labels "$y" --out "$out/hav_$n.npy" --json --quiet \
    | /usr/bin/python3 -c "import json,sys; r=json.loads(sys.stdin.read()); r['tool']='hav'; r['load_before']='$load'; print(json.dumps(r))" >> "$out/results.jsonl"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "umap_learn.py $x $y" >> "$out/run.txt"
  /usr/bin/python3 "$root/benchmarks/umap/umap_learn.py" "$x" "$y" "$out/umap_learn_$n.npy" \
    | /usr/bin/python3 -c "import json,sys; r=json.loads(sys.stdin.read().strip().splitlines()[-1]); r['load_before']='$load'; print(json.dumps(r))" >> "$out/results.jsonl"
done
