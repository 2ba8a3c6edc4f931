#!/usr/bin/env bash
# Coverage-guided fuzzing of one parser harness with Jazzer (docs/fuzzing.md).
#   scripts/fuzz.sh HARNESS [DURATION]     e.g. scripts/fuzz.sh npy 10m
# HARNESS: npy, idx, cifar, npyImages, image, pngValidCrc, manifest, onnx, onnxGraphSize (or Class#method of any @FuzzTest). DURATION: Jazzer's syntax (30s,
# 10m, 1h; default 5m). Findings are written into the harness's committed inputs folder
# (src/test/resources/<package>/<Class>Inputs/<method>/), where the normal test run replays them; the growing
# corpus goes to .cifuzz-corpus/ (not tracked). Prints libFuzzer's final statistics.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
harness="${1:?usage: scripts/fuzz.sh HARNESS [DURATION]}"
duration="${2:-5m}"
case "$harness" in
  npy) target='NpyFuzzTest#npy' ;;
  idx|cifar|npyImages|image|pngValidCrc) target="DataFormatsFuzzTest#$harness" ;;
  manifest|onnx|onnxGraphSize) target="ModelFilesFuzzTest#$harness" ;;
  *'#'*) target="$harness" ;;
  *) echo "unknown harness $harness (npy, idx, cifar, npyImages, image, pngValidCrc, manifest, onnx, onnxGraphSize, or Class#method)" >&2; exit 64 ;;
esac
log="$(mktemp "${TMPDIR:-/tmp}/hav-fuzz-$harness.XXXXXX.log")"
echo "fuzzing $target for $duration (log: $log)" >&2
set +e
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B -o test -Dhav.native.skip=true -Dhav.fuzz.hooks=true \
  -Dhav.test.heap=-Xmx2g -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false -DtrimStackTrace=false \
  >"$log" 2>&1
status=$?
set -e
grep -E '^INFO: Seed:|^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|== Java Exception|FuzzTestFinding|Tests run:.*Fail' "$log" | tail -8
exit $status
