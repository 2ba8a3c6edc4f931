#!/usr/bin/env bash
# pack.sh: makes benchmarks/gpu/kit/ (git-ignored), everything run_on_gpu.sh needs on the GPU machine, which has
# no Java and no network: a jlink runtime (.tgz), hav.jar with the CUDA libraries inside, the few dependency jars
# the GPU run uses (no onnxruntime / OpenCV), the shipped MLP's activations made here, the scripts and the headers.
# The checkout's tracked files travel too: run_on_gpu.sh --dry-run checks both together against the 64 MiB carry.
# HAV_KIT_OPENBLAS=1 adds OpenBLAS (16 MB: the CPU engine, hence the JUnit suite and the exact-reference self-check)
# with JUnit and the test classes, when the carry has room for it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kit="$root/benchmarks/gpu/kit"
cd "$root"
mvn -o -q -B package -DskipTests
if ! unzip -Z1 target/hav.jar | grep -c 'projection/cuda/linux-x86_64/libjniHavTsneNative.so' >/dev/null; then
  echo "pack.sh: target/hav.jar has no CUDA libraries (was nvcc missing?)" >&2
  exit 1
fi
rm -rf "$kit"
mkdir -p "$kit/lib" "$kit/data" "$kit/include"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# java.management: JavaCPP's Loader reads the process id; jdk.unsupported: sun.misc.Unsafe.
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --compress=2 --output "$tmp/runtime"
tar czf "$kit/runtime.tgz" -C "$tmp" runtime
cp target/hav.jar "$kit/"
for pattern in 'javacpp-*.jar' 'cuda-*.jar' 'openblas-*.jar' 'jackson-*.jar' 'jcommander-*.jar' 'progressbar-*.jar' 'jline-*.jar'; do
  # shellcheck disable=SC2086
  cp target/lib/$pattern "$kit/lib/" 2>/dev/null || true
done
# The device carries at most 64 MiB with the working tree: drop the native libraries the GPU run never loads
# (CUDA's NPP/cuFFT/... bindings; OpenBLAS's alternative JNI builds and headers).
for jar in "$kit"/lib/cuda-*-linux-x86_64.jar; do
  zip -q -d "$jar" $(unzip -Z1 "$jar" | grep -E '\.so' | grep -v -E 'libjni(cudart|nvml)\.so|libjnicudart' ) >/dev/null || true
done
for jar in "$kit"/lib/openblas-*-linux-x86_64.jar; do
  zip -q -d "$jar" '*/libjniopenblas_full.so' '*/libjniopenblas_nolapack.so' '*/include/*' >/dev/null || true
done
# MNIST: only the test split, read on the device from the carried tree (src/main/resources/datasets/mnist);
# make_inputs.py builds the 70000 x 784 case from it (the training images would not fit the carry).
if [ "${HAV_KIT_OPENBLAS:-0}" != 1 ]; then
  rm -f "$kit"/lib/openblas-*.jar
else
  mkdir -p "$kit/junit" "$kit/launcher" "$kit/test-classes/org/hiddenactivity"
  m2="$HOME/.m2/repository"
  for j in org/junit/jupiter/junit-jupiter-api/5.14.4 org/junit/jupiter/junit-jupiter-engine/5.14.4 \
           org/junit/jupiter/junit-jupiter-params/5.14.4 org/junit/platform/junit-platform-commons/1.14.4 \
           org/junit/platform/junit-platform-engine/1.14.4 org/junit/platform/junit-platform-launcher/1.14.4 \
           org/opentest4j/opentest4j/1.3.0 org/apiguardian/apiguardian-api/1.1.2; do
    cp "$m2/$j"/*.jar "$kit/junit/"
  done
  javac -d "$kit/launcher" -cp "$kit/junit/*" benchmarks/gpu/RunTests.java
  cp -r target/test-classes/org/hiddenactivity/projection "$kit/test-classes/org/hiddenactivity/"
fi
# the datasets inside the jar are in the carried tree already
zip -q -d "$kit/hav.jar" 'datasets/*' >/dev/null 2>&1 || true
# The reference MLP's last hidden layer over the first 2000 test images, at the last epoch and at all six stacked.
java -Xmx4g -jar target/hav.jar activations --model mnist_mlp --layer 4 --epoch 100 --size 2000 --out "$tmp/e100.npy" -q
/usr/bin/python3 - "$tmp" "$kit/data" <<'PY'
import gzip, subprocess, sys
import numpy as np
tmp, data = sys.argv[1], sys.argv[2]
snaps = []
for e in (0, 20, 40, 60, 80, 100):
    f = f"{tmp}/e{e}.npy"
    if e != 100:
        subprocess.run(["java", "-Xmx4g", "-jar", "target/hav.jar", "activations", "--model", "mnist_mlp", "--layer", "4",
                        "--epoch", str(e), "--size", "2000", "--out", f, "-q"], check=True, stdout=subprocess.DEVNULL)
    snaps.append(np.load(f))
# mlp2000 is the last 2000 rows of mlp12000: make_inputs.py cuts it there
with gzip.open(f"{data}/mlp12000.npy.gz", "wb") as out:
    np.save(out, np.vstack(snaps).astype(np.float16))  # half the carry; make_inputs.py widens and z-scores
PY
cp benchmarks/gpu/run_on_gpu.sh benchmarks/gpu/make_inputs.py benchmarks/gpu/quality.py benchmarks/gpu/sanitize_main.c \
  benchmarks/gpu/stage_check.py "$kit/"
cp native/include/hav_tsne.h native/include/hav_stages.h "$kit/include/"
size=$(du -sm "$kit" | cut -f1)
echo "kit: $kit, ${size} MiB"
ls -la "$kit" "$kit/lib"
bash "$kit/run_on_gpu.sh" --dry-run
