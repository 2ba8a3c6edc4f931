#!/usr/bin/env bash
# run_on_gpu.sh: the whole GPU check in one command, on the GPU machine, from the kit made by pack.sh:
#   bash benchmarks/gpu/kit/run_on_gpu.sh            results under $OUT (run.txt, results.jsonl, summary.md,
#                                                     gpu_results.json, report_cuda.json, logs.tar.gz)
#   bash benchmarks/gpu/kit/run_on_gpu.sh --dry-run  here, no GPU: checks the kit and the carry, runs every step
#                                                     that needs no GPU (the report on the CPU included); exit 0 = ready
# Steps, in order of importance; each has its own time limit, all share HAV_KIT_BUDGET seconds (default 270) and a
# step that would start with too little left is skipped (say so in the results), so the call ends inside its limit:
#   inputs     make_inputs.py (--million) and the shipped MLP's layer-4 activations (hav activations, 6 epochs)
#   stages     stage_check.py: every stage's kernels against its host launch (ctypes, hav_stages.h)
#   report     hav report --model mnist_mlp end to end, --backend cuda then cpu (fresh caches), per-stage times;
#              quality cuda vs cpu, and cpu vs the reference made by pack.sh here (numbers must be equal)
#   junit      the CUDA suite: CudaKernelsOnHostTest, CudaTsneContractTest, CudaGpuTest, SharedAffinityRuleTest
#   timings    bench.GpuBench: CUDA timings with per-stage seconds, every input twice in one JVM, + the self-check
#   reuse      the small inputs three times with HAV_CUDA_GRAPH_REUSE=1 (graph executables kept across calls)
#   sanitizer  compute-sanitizer memcheck and racecheck on a small run through the C API
#   million    1M x 50 in its own JVM
#   quality    quality.py: scikit-learn on the small inputs and the quality of every embedding
# HAV_KIT_STEPS="report junit" runs only those (the rerun of what a cut-off call did not reach).
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$kit/../../.." && pwd)"
unpack_java() {  # $1: folder; the runtime, hav.jar and lib/ land in $1/java
  tar xJf "$kit/java.tar.xz" -C "$1"
}
report_run() {  # $1 backend, $2 output folder, $3 cache root, $4 log, $5 time limit; prints "rc wall-seconds"
  local t0 t1
  t0=$(date +%s.%N)
  # HAV_HOME: the carried checkout, whose models/mnist_mlp the report reads
  HAV_HOME="$repo" timeout "$5" "$JAVA" -Xmx16g -jar "$JW/hav.jar" report --model mnist_mlp --backend "$1" --fresh -q \
    --cache-dir "$3" --out "$2" > "$4" 2>&1
  local rc=$?
  t1=$(date +%s.%N)
  echo "$rc $(echo "$t1 - $t0" | bc -l)"
}

if [ "${1:-}" = "--dry-run" ]; then
  fail=0
  need() { if [ -e "$kit/$1" ]; then echo "ok      $1"; else echo "MISSING $1"; fail=1; fi; }
  for f in java.tar.xz reference/report-cpu.json kit.json include/hav_tsne.h include/hav_stages.h run_on_gpu.sh \
           make_inputs.py quality.py stage_check.py report_compare.py gather.py sanitize_main.c; do need "$f"; done
  # The carry: what the device tool sends is the checkout's tracked files that are present, its untracked files
  # that git does not ignore, and the kit (carried); together at most 64 MiB.
  present=$(cd "$repo" && { git ls-files -z; git ls-files -z --others --exclude-standard; } | python3 -c \
    "import os,sys; print(sum(os.path.getsize(f) for f in set(sys.stdin.read().split(chr(0))) if f and os.path.isfile(f)))")
  kitb=$(du -sb "$kit" | cut -f1)
  total=$((present + kitb))
  printf 'carry   checkout %.1f MiB + kit %.1f MiB = %.1f MiB (limit 64)\n' \
    "$(echo "$present / 1048576" | bc -l)" "$(echo "$kitb / 1048576" | bc -l)" "$(echo "$total / 1048576" | bc -l)"
  if [ "$total" -gt $((64 * 1048576)) ]; then
    echo "OVER    the carry exceeds 64 MiB: bash benchmarks/gpu/park.sh moves what the device does not need aside"
    fail=1
  fi
  [ -f "$repo/models/mnist_mlp/manifest.json" ] || { echo "MISSING models/mnist_mlp (the report's model)"; fail=1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  unpack_java "$work" || { echo "FAIL    java.tar.xz does not unpack"; exit 1; }
  JW="$work/java"; JAVA="$JW/runtime/bin/java"
  "$JAVA" -version 2>&1 | head -1 | sed 's/^/java    /' || { echo "FAIL    the carried Java runtime does not start"; fail=1; }
  for so in libhav_tsne.so libjniHavTsneNative.so libjniHavStagesNative.so; do
    if unzip -Z1 "$JW/hav.jar" 2>/dev/null | grep -c "projection/cuda/linux-x86_64/$so" >/dev/null; then echo "ok      hav.jar: $so"
    else echo "MISSING hav.jar: $so"; fail=1; fi
  done
  python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$JW/hav.jar" "$work"
  lib="$work/org/hiddenactivity/projection/cuda/linux-x86_64/libhav_tsne.so"
  if [ -z "${HAV_KIT_DRY_SKIP_STAGES:-}" ]; then
    if timeout 300 python3 "$kit/stage_check.py" "$lib" --host-only > "$work/stage.log" 2>&1; then
      echo "ok      stage_check.py --host-only: $(tail -1 "$work/stage.log")"
    else
      echo "FAIL    stage_check.py --host-only:"; tail -5 "$work/stage.log"; fail=1
    fi
  fi
  # The report with the kit's runtime and stripped jars, on the CPU: its numbers must equal the full jars' here.
  read -r rc secs < <(report_run cpu "$work/report-cpu" "$work/cache" "$work/report.log" 600)
  if [ "$rc" = 0 ] && python3 "$kit/report_compare.py" "$work/report-cpu/report.json" "$kit/reference/report-cpu.json" \
       --mode equal > "$work/compare.log" 2>&1; then
    echo "ok      report with the kit's jars (cpu, $(printf '%.1f' "$secs") s wall): $(head -1 "$work/compare.log")"
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print('        stages', r.get('timings_seconds'), 'total', r.get('total_seconds'))" "$work/report-cpu/report.json"
  else
    echo "FAIL    report with the kit's jars (rc $rc):"; tail -8 "$work/report.log"; cat "$work/compare.log" 2>/dev/null | head -12
    fail=1
  fi
  # The JUnit launcher and test classes (host launches only here).
  TCP="$JW/launcher:$JW/test-classes:$JW/hav.jar:$JW/lib/*:$JW/junit/*"
  if timeout 300 "$JAVA" -Xmx2g -cp "$TCP" RunTests org.hiddenactivity.projection.CudaKernelsOnHostTest \
       > "$work/junit.log" 2>&1; then
    echo "ok      JUnit from the kit: $(tail -1 "$work/junit.log")"
  else
    echo "FAIL    JUnit from the kit:"; tail -8 "$work/junit.log"; fail=1
  fi
  [ $fail = 0 ] && echo "dry run: the kit is ready" || echo "dry run: NOT ready"
  exit $fail
fi

final="${OUT:-$kit/out}"
work="${HAV_KIT_WORK:-/tmp/hav-kit}"
out="$work/out"   # everything is gathered here; a few files go to $OUT (the device tool returns at most 8)
mkdir -p "$final" "$out" "$work/in" "$work/emb"
budget="${HAV_KIT_BUDGET:-270}"
steps="${HAV_KIT_STEPS:-inputs stages report junit timings reuse sanitizer million quality}"
start=$(date +%s)
rm -f "$out/skipped.txt"  # a rerun on the warm machine keeps the earlier steps' results, not their skip notes
log() { echo "[$(date -u +%H:%M:%S) +$(( $(date +%s) - start ))s] $*" | tee -a "$out/log.txt"; }
# limit NAME SECONDS MINIMUM: the step's time limit (its own, or what is left of the budget less 5 s); empty (and the
# step recorded as skipped) when less than MINIMUM is left or the step is not in HAV_KIT_STEPS
limit() {
  case " $steps " in *" $1 "*) ;; *) echo ""; return;; esac
  local left=$(( budget - ($(date +%s) - start) - 5 ))
  if [ "$left" -lt "$3" ]; then echo "skipped ($1: ${left} s left of the budget, needs ${3} s)" >> "$out/skipped.txt"; echo ""; return; fi
  echo $(( left < $2 ? left : $2 ))
}
# Gathers what exists so far into $OUT: a step cut off leaves the earlier steps' results.
publish() {
  python3 "$kit/gather.py" "$out" "$final" "$kit/kit.json" > /dev/null 2>> "$out/log.txt"
  (cd "$out" && tar czf "$final/logs.tar.gz" --ignore-failed-read ./*.log ./*.txt ./*.csv 2>/dev/null)
}
export PYTHONUNBUFFERED=1
export LD_LIBRARY_PATH="/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
export PATH="$PATH:/usr/local/cuda/bin"
echo "command: HAV_KIT_BUDGET=$budget HAV_KIT_STEPS=\"$steps\" bash benchmarks/gpu/kit/run_on_gpu.sh" > "$out/run.txt"
echo "date (UTC): $(date -u '+%Y-%m-%d %H:%M:%S')" >> "$out/run.txt"
log "kit $kit, budget ${budget} s, steps: $steps"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv > "$out/nvidia_smi.csv" 2>&1
tee -a "$out/log.txt" < "$out/nvidia_smi.csv"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)" >> "$out/run.txt"
echo "gpu: $(tail -1 "$out/nvidia_smi.csv")" >> "$out/run.txt"
[ -f "$work/java/.unpacked" ] || { rm -rf "$work/java"; unpack_java "$work" && touch "$work/java/.unpacked"; }
JW="$work/java"; JAVA="$JW/runtime/bin/java"
CP="$JW/hav.jar:$JW/lib/*"
# no javacpp.pathsFirst: it would load the system's libopenblas (no LAPACKE) before the jar's; CUDA runtime
# libraries not in a jar are still found through LD_LIBRARY_PATH
JOPTS=(-Xmx64g)
log "java unpacked: $("$JAVA" -version 2>&1 | head -1)"

if s=$(limit inputs 90 20) && [ -n "$s" ]; then
  log "inputs (limit $s s)"
  mkdir -p "$work/mnist" "$work/mlp"
  unzip -q -o -j "$JW/hav.jar" 'datasets/mnist/t10k-*' -d "$work/mnist"
  end=$(( $(date +%s) + s ))
  for e in 0 20 40 60 80 100; do
    HAV_HOME="$repo" timeout $(( end - $(date +%s) > 1 ? end - $(date +%s) : 1 )) "$JAVA" -Xmx8g -jar "$JW/hav.jar" \
      activations --model mnist_mlp --layer 4 --epoch "$e" --size 2000 --cache-dir "$work/cache-act" \
      --out "$work/mlp/e$e.npy" -q >> "$out/inputs.log" 2>&1
  done
  timeout $(( end - $(date +%s) > 1 ? end - $(date +%s) : 1 )) python3 "$kit/make_inputs.py" --million \
    --mnist "$work/mnist" --mlp "$work/mlp" --out "$work/in" >> "$out/inputs.log" 2>&1
  log "inputs rc=$? $(tail -1 "$out/inputs.log")"
fi

if s=$(limit stages 90 20) && [ -n "$s" ]; then
  log "stages: every stage's kernels against its host launch (limit $s s)"
  mkdir -p "$work/lib"
  python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$JW/hav.jar" "$work/lib"
  stagelib="$work/lib/org/hiddenactivity/projection/cuda/linux-x86_64/libhav_tsne.so"
  timeout "$s" python3 "$kit/stage_check.py" "$stagelib" --out "$out/stage_check.json" > "$out/stage_check.log" 2>&1
  log "stage_check rc=$? $(tail -1 "$out/stage_check.log")"
  publish
fi

if s=$(limit report 100 30) && [ -n "$s" ]; then
  log "report: hav report --model mnist_mlp, cuda then cpu (limit $s s for both)"
  read -r rc secs < <(report_run cuda "$work/report-cuda" "$work/cache-cuda" "$out/report_cuda.log" "$s")
  echo "{\"backend\": \"cuda\", \"rc\": ${rc:-124}, \"wall_seconds\": ${secs:-null}}" > "$out/report_cuda_wall.json"
  log "report cuda rc=${rc:-124} wall ${secs:-?} s"
  s2=$(limit report 60 15)
  if [ -n "$s2" ]; then
    read -r rc2 secs2 < <(report_run cpu "$work/report-cpu" "$work/cache-cpu" "$out/report_cpu.log" "$s2")
    echo "{\"backend\": \"cpu\", \"rc\": ${rc2:-124}, \"wall_seconds\": ${secs2:-null}}" > "$out/report_cpu_wall.json"
    log "report cpu rc=${rc2:-124} wall ${secs2:-?} s"
  fi
  cp "$work/report-cuda/report.json" "$out/report_cuda.json" 2>/dev/null
  cp "$work/report-cpu/report.json" "$out/report_cpu.json" 2>/dev/null
  python3 "$kit/report_compare.py" "$out/report_cuda.json" "$out/report_cpu.json" --mode quality \
    --out "$out/report_quality.json" > "$out/report_compare.log" 2>&1
  python3 "$kit/report_compare.py" "$out/report_cpu.json" "$kit/reference/report-cpu.json" --mode equal \
    --tolerance 1e-6 --out "$out/report_cpu_vs_here.json" >> "$out/report_compare.log" 2>&1
  log "report comparisons: $(grep -h '^report' "$out/report_compare.log" | tr '\n' ';')"
  publish
fi

if s=$(limit junit 90 30) && [ -n "$s" ]; then
  log "junit: the CUDA suite with -Dhav.gpu.tests=true (limit $s s)"
  TCP="$JW/launcher:$JW/test-classes:$JW/hav.jar:$JW/lib/*:$JW/junit/*"
  timeout "$s" "$JAVA" "${JOPTS[@]}" -Dhav.gpu.tests=true -cp "$TCP" RunTests \
    org.hiddenactivity.projection.CudaKernelsOnHostTest org.hiddenactivity.projection.cuda.CudaTsneContractTest \
    org.hiddenactivity.projection.cuda.CudaGpuTest org.hiddenactivity.projection.SharedAffinityRuleTest \
    > "$out/junit.log" 2>&1
  log "junit rc=$? $(tail -1 "$out/junit.log")"
  publish
fi

if s=$(limit timings 120 30) && [ -n "$s" ]; then
  log "timings: GpuBench with the self-check (limit $s s)"
  HAV_CUDA_PROFILE=1 timeout "$s" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench --out "$work/emb" \
    --repeat 2 --cpu-max 2000 --selfcheck act2000="$work/in/act2000.npy" mlp2000="$work/in/mlp2000.npy" \
    act12000="$work/in/act12000.npy" mlp12000="$work/in/mlp12000.npy" \
    mnist70k="$work/in/mnist70k.npy" blobs250k="$work/in/blobs250k.npy" > "$out/java.log" 2>&1
  rc=$?
  log "timings rc=$rc"
  cp "$work/emb/java_results.json" "$out/" 2>/dev/null
  if grep -q '"error"' "$work/emb/java_results.json" 2>/dev/null || [ $rc -ne 0 ]; then
    if s=$(limit timings 40 20) && [ -n "$s" ]; then
      log "a run failed: the small case again with HAV_CUDA_SYNC=1 to name the failing kernel"
      HAV_CUDA_SYNC=1 timeout "$s" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench \
        --out "$work/dbg" --repeat 1 act2000="$work/in/act2000.npy" > "$out/java_sync.log" 2>&1
      log "sync rerun rc=$?"
    fi
  fi
  publish
fi

if s=$(limit reuse 60 20) && [ -n "$s" ]; then
  log "reuse: the small inputs again with HAV_CUDA_GRAPH_REUSE=1 (graph executables kept across calls) (limit $s s)"
  HAV_CUDA_GRAPH_REUSE=1 HAV_CUDA_PROFILE=1 timeout "$s" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench \
    --out "$work/emb-reuse" --repeat 3 --cpu-max 0 act2000="$work/in/act2000.npy" mlp2000="$work/in/mlp2000.npy" \
    act12000="$work/in/act12000.npy" mnist70k="$work/in/mnist70k.npy" > "$out/java_reuse.log" 2>&1
  log "reuse rc=$? $(grep -h 'kept graphs' "$out/java_reuse.log" | tail -1)"
  cp "$work/emb-reuse/java_results.json" "$out/java_results_reuse.json" 2>/dev/null
  publish
fi

if s=$(limit sanitizer 80 25) && [ -n "$s" ]; then
  log "sanitizer (limit $s s for both tools)"
  mkdir -p "$work/san"
  python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if '/linux-x86_64/' in n]" "$JW/hav.jar" "$work/san"
  lib="$work/san/org/hiddenactivity/projection/cuda/linux-x86_64"
  cc="$(command -v gcc || command -v cc || echo nvcc)"
  "$cc" -O2 -I"$kit/include" "$kit/sanitize_main.c" -L"$lib" -Wl,-rpath,"$lib" -lhav_tsne -lm -o "$work/san/sanitize" \
    > "$out/sanitizer.log" 2>&1
  for tool in memcheck racecheck; do
    timeout $(( s / 2 )) compute-sanitizer --tool "$tool" --error-exitcode 9 "$work/san/sanitize" 500 100 \
      >> "$out/sanitizer.log" 2>&1
    log "compute-sanitizer $tool rc=$?"
  done
  publish
fi

if s=$(limit million 120 40) && [ -n "$s" ]; then
  log "million: 1M x 50 in its own JVM (limit $s s)"
  mkdir -p "$work/emb1m"
  timeout "$s" "$JAVA" "${JOPTS[@]}" -cp "$CP" org.hiddenactivity.bench.GpuBench --out "$work/emb1m" --repeat 1 \
    blobs1m="$work/in/blobs1m.npy" > "$out/java1m.log" 2>&1
  log "million rc=$?"
  cp "$work/emb1m/java_results.json" "$out/java_results_1m.json" 2>/dev/null
  publish
fi

if s=$(limit quality 100 30) && [ -n "$s" ]; then
  log "quality: scikit-learn and the quality of every embedding (limit $s s)"
  timeout "$s" python3 "$kit/quality.py" --inputs "$work/in" --emb "$work/emb" --out "$out/quality.json" \
    --sklearn act2000,mlp2000,act12000,mlp12000 --quality act2000,mlp2000,act12000,mlp12000 > "$out/quality.log" 2>&1
  log "quality rc=$?"
  publish
fi

log "done"
publish
ls -la "$final"
