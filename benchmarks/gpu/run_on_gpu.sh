#!/usr/bin/env bash
# run_on_gpu.sh: the whole GPU check in one command, on the GPU machine, from the kit made by pack.sh:
#   bash benchmarks/gpu/kit/run_on_gpu.sh        (results: $OUT/gpu_results.json, logs beside it)
#   bash benchmarks/gpu/kit/run_on_gpu.sh --dry-run   (here, no GPU: checks the kit and the carry budget, runs the
#                                                      parts that need no GPU; exit 0 when the kit is ready)
# Steps, each time-limited so one failure leaves the others' results: (1) inputs (make_inputs.py, 1M x 50 too),
# (1b) every stage's kernels against its host launch (stage_check.py; the host launches are held to the CPU engine by
# CudaKernelsOnHostTest), and the JUnit CUDA suite when the kit carries OpenBLAS, (2) Java: exact-reference
# self-check (with OpenBLAS) + CUDA timings with per-stage seconds, each input run twice in one JVM (JVM start
# excluded), (3) compute-sanitizer memcheck + racecheck on a small case through the C API, (4) scikit-learn on the
# same inputs (all cores) and the quality of every embedding (quality.py).
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${1:-}" = "--dry-run" ]; then
  # The carry: the checkout's tracked files travel with the kit; together at most 64 MiB.
  repo="$(cd "$kit/../../.." && pwd)"
  fail=0
  need() { if [ -e "$kit/$1" ]; then echo "ok      $1"; else echo "MISSING $1"; fail=1; fi; }
  for f in runtime.tgz hav.jar lib include/hav_tsne.h include/hav_stages.h run_on_gpu.sh make_inputs.py quality.py \
           stage_check.py sanitize_main.c data; do need "$f"; done
  for so in libhav_tsne.so libjniHavTsneNative.so libjniHavStagesNative.so; do
    if unzip -Z1 "$kit/hav.jar" 2>/dev/null | grep -c "projection/cuda/linux-x86_64/$so" >/dev/null; then echo "ok      hav.jar: $so"
    else echo "MISSING hav.jar: $so"; fail=1; fi
  done
  if ls "$kit"/lib/openblas-*linux-x86_64.jar >/dev/null 2>&1; then
    need launcher/RunTests.class; need test-classes
    echo "note    OpenBLAS carried: the JUnit suite and the exact-reference self-check will run"
  else
    echo "note    no OpenBLAS in the kit (carry budget): the JUnit suite and the CPU-engine self-check are skipped;"
    echo "        stage_check.py checks every kernel against its host launch instead"
  fi
  tracked=$(cd "$repo" && git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
  kitb=$(du -sb "$kit" | cut -f1)
  total=$((tracked + kitb))
  printf 'carry   tracked tree %.1f MiB + kit %.1f MiB = %.1f MiB (limit 64)\n' \
    "$(echo "$tracked / 1048576" | bc -l)" "$(echo "$kitb / 1048576" | bc -l)" "$(echo "$total / 1048576" | bc -l)"
  [ "$total" -le $((64 * 1048576)) ] || { echo "OVER    the carry exceeds 64 MiB"; fail=1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  tar xzf "$kit/runtime.tgz" -C "$work" && "$work/runtime/bin/java" -version 2>&1 | head -1 | sed 's/^/java    /' \
    || { echo "FAIL    the carried Java runtime does not start"; fail=1; }
  python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$kit/hav.jar" "$work"
  lib="$work/org/hiddenactivity/projection/cuda/linux-x86_64/libhav_tsne.so"
  if timeout 300 python3 "$kit/stage_check.py" "$lib" --host-only > "$work/stage.log" 2>&1; then
    echo "ok      stage_check.py --host-only: $(tail -1 "$work/stage.log")"
  else
    echo "FAIL    stage_check.py --host-only:"; tail -5 "$work/stage.log"; fail=1
  fi
  [ $fail = 0 ] && echo "dry run: the kit is ready" || echo "dry run: NOT ready"
  exit $fail
fi
final="${OUT:-$kit/out}"
work="${HAV_KIT_WORK:-/tmp/hav-kit}"
out="$work/out"   # everything is gathered here; only a few files go to $OUT (the device tool returns at most 8)
mkdir -p "$final" "$out" "$work/in" "$work/emb"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/log.txt"; }
# Gathers what exists so far into $OUT: a step killed by the time limit leaves the earlier steps' results.
publish() {
  python3 - "$out" <<'PY'
import json, os, sys, datetime
out = sys.argv[1]
res = {"date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
for name in ("java_results.json", "java_results_1m.json", "quality.json", "stage_check.json"):
    p = os.path.join(out, name)
    res[name.split(".")[0]] = json.load(open(p)) if os.path.exists(p) else "missing"
for name in ("nvidia_smi.csv", "log.txt", "inputs.log", "junit.log"):
    p = os.path.join(out, name)
    res[name] = open(p).read() if os.path.exists(p) else "missing"
json.dump(res, open(os.path.join(out, "gpu_results.json"), "w"), indent=1)
PY
  for f in gpu_results.json java.log java1m.log java_sync.log sanitizer.log quality.log stage_check.log; do
    [ -f "$out/$f" ] && cp "$out/$f" "$final/"
  done
}
export PYTHONUNBUFFERED=1
export LD_LIBRARY_PATH="/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="$PATH:/usr/local/cuda/bin"
log "kit $kit"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv > "$out/nvidia_smi.csv" 2>&1
cat "$out/nvidia_smi.csv" | tee -a "$out/log.txt"
tar xzf "$kit/runtime.tgz" -C "$work"
JAVA="$work/runtime/bin/java"
CP="$kit/hav.jar:$kit/lib/*"
# no javacpp.pathsFirst: it would load the system's libopenblas (no LAPACKE) before the jar's; CUDA runtime
# libraries not in a jar are still found through LD_LIBRARY_PATH
JOPTS=(-Xmx64g)

log "1. inputs"
repo="$(cd "$kit/../../.." && pwd)"
cp "$repo"/src/main/resources/datasets/mnist/t10k-*.gz "$kit/data/" 2>/dev/null || true
timeout 180 python3 "$kit/make_inputs.py" --million --mnist "$kit/data" --out "$work/in" > "$out/inputs.log" 2>&1
log "inputs rc=$? $(tail -1 "$out/inputs.log")"

log "1b. every stage's kernels against its host launch"
mkdir -p "$work/lib"
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$kit/hav.jar" "$work/lib"
stagelib="$work/lib/org/hiddenactivity/projection/cuda/linux-x86_64/libhav_tsne.so"
timeout 180 python3 "$kit/stage_check.py" "$stagelib" --out "$out/stage_check.json" > "$out/stage_check.log" 2>&1
log "stage_check rc=$? $(tail -1 "$out/stage_check.log")"
publish
if [ -f "$kit/launcher/RunTests.class" ]; then
  TCP="$kit/launcher:$kit/test-classes:$kit/hav.jar:$kit/lib/*:$kit/junit/*"
  timeout 240 "$JAVA" "${JOPTS[@]}" -Dhav.gpu.tests=true -cp "$TCP" RunTests \
    org.hiddenactivity.projection.CudaKernelsOnHostTest org.hiddenactivity.projection.cuda.CudaTsneContractTest \
    org.hiddenactivity.projection.cuda.CudaGpuTest org.hiddenactivity.projection.SharedAffinityRuleTest \
    > "$out/junit.log" 2>&1
  log "junit rc=$? $(tail -1 "$out/junit.log")"
  publish
fi

log "2. Java: self-check and timings"
# the exact-reference self-check runs the CPU engine, which needs OpenBLAS
selfcheck=""; ls "$kit"/lib/openblas-*linux-x86_64.jar >/dev/null 2>&1 && selfcheck="--selfcheck"
HAV_CUDA_PROFILE=1 timeout 240 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench --out "$work/emb" \
  --repeat 2 $selfcheck act2000="$work/in/act2000.npy" act12000="$work/in/act12000.npy" \
  mlp2000="$work/in/mlp2000.npy" mlp12000="$work/in/mlp12000.npy" \
  mnist70k="$work/in/mnist70k.npy" blobs250k="$work/in/blobs250k.npy" > "$out/java.log" 2>&1
rc=$?
log "java rc=$rc"
publish
tail -5 "$out/java.log"
cp "$work/emb/java_results.json" "$out/" 2>/dev/null
if grep -q '"error"' "$work/emb/java_results.json" 2>/dev/null || [ $rc -ne 0 ]; then
  log "2b. a run failed: small case again with HAV_CUDA_SYNC=1 to name the failing kernel"
  HAV_CUDA_SYNC=1 timeout 60 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench \
    --out "$work/dbg" --repeat 1 act2000="$work/in/act2000.npy" > "$out/java_sync.log" 2>&1
  log "sync rerun rc=$?"
fi

if [ -z "${HAV_KIT_SKIP_SANITIZER:-}" ]; then
log "3. compute-sanitizer"
mkdir -p "$work/san"
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$kit/hav.jar" "$work/san"
lib="$work/san/org/hiddenactivity/projection/cuda/linux-x86_64"
cc="$(command -v gcc || command -v cc || echo nvcc)"
"$cc" -O2 -I"$kit/include" "$kit/sanitize_main.c" -L"$lib" -Wl,-rpath,"$lib" -lhav_tsne -lm -o "$work/san/sanitize" \
  > "$out/sanitizer.log" 2>&1
for tool in memcheck racecheck; do
  timeout 100 compute-sanitizer --tool "$tool" --error-exitcode 9 "$work/san/sanitize" 500 100 >> "$out/sanitizer.log" 2>&1
  log "compute-sanitizer $tool rc=$?"
done
tail -4 "$out/sanitizer.log"
fi

log "4. scikit-learn and quality"
timeout 200 python3 "$kit/quality.py" --inputs "$work/in" --emb "$work/emb" --out "$out/quality.json" \
  --sklearn act2000,act12000,mlp2000,mlp12000 --quality act2000,act12000,mlp2000,mlp12000 \
  > "$out/quality.log" 2>&1
log "quality rc=$?"
publish
tail -3 "$out/quality.log"

log "5. 1M x 50"
# 1M x 50 in its own JVM and time limit: if it runs out of memory or time, the table above stands
mkdir -p "$work/emb1m"
timeout 200 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench --out "$work/emb1m" --repeat 1 \
  blobs1m="$work/in/blobs1m.npy" > "$out/java1m.log" 2>&1
log "java 1M rc=$?"
cp "$work/emb1m/java_results.json" "$out/java_results_1m.json" 2>/dev/null
publish
log "done: $final/gpu_results.json"
