#!/usr/bin/env bash
# run_on_gpu.sh: the whole GPU check in one command, on the GPU machine, from the kit made by pack.sh:
#   bash benchmarks/gpu/kit/run_on_gpu.sh        (results: $OUT/gpu_results.json, logs beside it)
# Steps, each time-limited so one failure leaves the others' results: (1) inputs (make_inputs.py), (2) Java:
# exact-reference self-check + CUDA timings, each input run twice in one JVM (JVM start excluded), CPU engine too when
# the jar has it, (3) compute-sanitizer memcheck + racecheck on a small case through the C API, (4) scikit-learn on
# the same inputs (all cores) and the quality of every embedding (quality.py).
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
final="${OUT:-$kit/out}"
work="${HAV_KIT_WORK:-/tmp/hav-kit}"
out="$work/out"   # everything is gathered here; only a few files go to $OUT (the device tool returns at most 8)
mkdir -p "$final" "$out" "$work/in" "$work/emb"
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/log.txt"; }
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
timeout 120 python3 "$kit/make_inputs.py" --mnist "$kit/data" --out "$work/in" > "$out/inputs.log" 2>&1
log "inputs rc=$? $(tail -1 "$out/inputs.log")"

log "2. Java: self-check and timings"
HAV_CUDA_PROFILE=1 timeout 240 "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench --out "$work/emb" \
  --repeat 2 --selfcheck act2000="$work/in/act2000.npy" act12000="$work/in/act12000.npy" \
  mlp2000="$work/in/mlp2000.npy" mlp12000="$work/in/mlp12000.npy" \
  mnist70k="$work/in/mnist70k.npy" blobs250k="$work/in/blobs250k.npy" > "$out/java.log" 2>&1
rc=$?
log "java rc=$rc"
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
tail -3 "$out/quality.log"

python3 - "$out" <<'PY'
import json, os, sys, datetime
out = sys.argv[1]
res = {"date_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
for name in ("java_results.json", "quality.json"):
    p = os.path.join(out, name)
    res[name.split(".")[0]] = json.load(open(p)) if os.path.exists(p) else "missing"
for name in ("nvidia_smi.csv", "log.txt", "inputs.log"):
    p = os.path.join(out, name)
    res[name] = open(p).read() if os.path.exists(p) else "missing"
json.dump(res, open(os.path.join(out, "gpu_results.json"), "w"), indent=1)
PY
for f in gpu_results.json java.log java_sync.log sanitizer.log quality.log; do
  [ -f "$out/$f" ] && cp "$out/$f" "$final/"
done
log "done: $final/gpu_results.json"
