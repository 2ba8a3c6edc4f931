#!/usr/bin/env bash
# park.sh: makes the checkout small enough for the device tool's 64 MiB carry (tracked files that are present +
# untracked files not ignored + the carried kit) by moving tracked folders the GPU run does not read into
# benchmarks/gpu/parked/ (git-ignored, so it does not travel), and back. Nothing is deleted; a move is a rename.
#   bash benchmarks/gpu/park.sh            park the default folders (models/mnist_cnn src/test)
#   bash benchmarks/gpu/park.sh DIR...     park these instead (paths relative to the checkout)
#   bash benchmarks/gpu/park.sh --restore  move everything parked back
# The GPU run reads models/mnist_mlp (the report), benchmarks/gpu/kit and nothing else of the tree.
# Restore right after the device call: while parked, the build's tests and git status see the folders as deleted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
parked="$root/benchmarks/gpu/parked"
cd "$root"
if [ "${1:-}" = "--restore" ]; then
  [ -f "$parked/list.txt" ] || { echo "park.sh: nothing is parked ($parked/list.txt is absent)"; exit 0; }
  while IFS= read -r rel; do
    [ -n "$rel" ] || continue
    if [ ! -e "$parked/$rel" ] && [ -e "$rel" ]; then continue; fi  # restored by an earlier, interrupted --restore
    if [ -e "$rel" ]; then
      echo "park.sh: $rel exists again in the checkout; left $parked/$rel where it is: compare and move it by hand" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$rel")"
    mv "$parked/$rel" "$rel"
    echo "restored $rel"
  done < "$parked/list.txt"
  rm "$parked/list.txt"
  find "$parked" -depth -type d -empty -delete
  exit 0
fi
if [ -e "$parked/list.txt" ]; then
  echo "park.sh: folders are parked already (see $parked/list.txt); run park.sh --restore first" >&2
  exit 1
fi
if ! git check-ignore -q "$parked/x"; then
  echo "park.sh: $parked is not git-ignored here, so parked files would still travel; add benchmarks/gpu/parked/ to .gitignore" >&2
  exit 1
fi
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(models/mnist_cnn src/test)
for rel in "${folders[@]}"; do
  case "$rel" in
    /*|*..*|models/mnist_mlp*|benchmarks/gpu*|"") echo "park.sh: will not park '$rel' (the GPU run needs it or it is outside the checkout)" >&2; exit 1;;
  esac
  [ -e "$rel" ] || { echo "park.sh: $rel does not exist" >&2; exit 1; }
done
mkdir -p "$parked"
for rel in "${folders[@]}"; do
  mkdir -p "$parked/$(dirname "$rel")"
  mv "$rel" "$parked/$rel"
  echo "$rel" >> "$parked/list.txt"
  echo "parked $rel"
done
echo "park.sh: restore with: bash benchmarks/gpu/park.sh --restore"
