#!/usr/bin/env bash
# run_cpu_table.sh: the CPU table of issue 11 in one command: hav (CPU backend), scikit-learn, Rtsne and umap-learn
# on the first N z-scored MNIST training images, N = 2000, 10000, 20000, 60000, same threads, interleaved (for every
# N, every tool in turn), scored by the project's metrics, plus the exact vs approximate kNN (time, recall at k = 90).
#
#   benchmarks/run_cpu_table.sh [--sizes 2000,10000,20000,60000] [--threads 2] [--repeats 1] [--peer-max 20000]
#                               [--backends cpu] [--mnist DIR]
#
# --mnist: folder with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] (default: $HAV_MNIST_DIR, then
# ~/.cache/hidden-activity/datasets/mnist). scikit-learn and Rtsne run up to --peer-max points (the issue's table
# has no peer numbers above 20000); umap-learn and hav run at every size.
# Writes benchmarks/results/<UTC date>-cpu-table/: results.jsonl (one JSON line per run), summary.md (the table),
# run.txt (machine, date, command, load average before and after). Needs /usr/bin/python3 with python3-sklearn,
# python3-umap-learn, and Rscript with r-cran-rtsne.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=2000,10000,20000,60000
threads=2
repeats=1
peer_max=20000
backends=cpu
mnist="${HAV_MNIST_DIR:-$HOME/.cache/hidden-activity/datasets/mnist}"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --peer-max) peer_max="$2"; shift 2 ;;
    --backends) backends="$2"; shift 2 ;;
    --mnist) mnist="$2"; shift 2 ;;
    *) echo "run_cpu_table.sh: unknown option $1" >&2; exit 64 ;;
  esac
done
stamp="$(date -u +%Y-%m-%dT%H%MZ)"
out="$root/benchmarks/results/${stamp}-cpu-table"
inputs="$root/generated/bench"
mkdir -p "$out" "$inputs"
/usr/bin/python3 "$root/benchmarks/make_inputs.py" --mnist "$mnist" --split train --zscore --sizes "$sizes" --out "$inputs"
{
  echo "command: benchmarks/run_cpu_table.sh --sizes $sizes --threads $threads --repeats $repeats --peer-max $peer_max --backends $backends"
  echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M:%S')"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "git: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/run.txt"
cat "$out/run.txt"
IFS=, read -r -a ns <<< "$sizes"
for n in "${ns[@]}"; do
  peers=umap
  if [ "$n" -le "$peer_max" ]; then peers=sklearn,rtsne,umap; fi
  echo "== n = $n: $backends + $peers (load $(cut -d' ' -f1 /proc/loadavg))"
  "$root/hav" bench tsne --input "$inputs/mnist_train_z_$n.npy" --labels "$inputs/mnist_train_z_${n}_labels.npy" \
    --backends "$backends" --peers "$peers" --threads "$threads" --repeats "$repeats" --recall \
    --out "$out/n$n.jsonl" --keep "$inputs/embeddings"
  cat "$out/n$n.jsonl" >> "$out/results.jsonl"
  rm "$out/n$n.jsonl"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/run.txt"
/usr/bin/python3 "$root/benchmarks/summarise.py" "$out/results.jsonl" > "$out/summary.md"
cat "$out/summary.md"
echo "results: $out"
