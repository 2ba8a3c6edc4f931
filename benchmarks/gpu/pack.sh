#!/usr/bin/env bash
# pack.sh: makes benchmarks/gpu/kit/ (git-ignored), everything run_on_gpu.sh needs on the GPU machine, which has
# no Java and no network: a jlink runtime (.tgz), hav.jar with the CUDA libraries inside, the few dependency jars
# the GPU run uses (no onnxruntime / OpenCV), MNIST idx files, the scripts and the C header. Checks it stays <= 60 MiB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kit="$root/benchmarks/gpu/kit"
cd "$root"
mvn -o -q -B package -DskipTests
if ! unzip -l target/hav.jar | grep -q 'projection/cuda/linux-x86_64/libjniHavTsneNative.so'; then
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
mnist="$root/src/main/resources/datasets/mnist"
[ -f "$mnist/train-images-idx3-ubyte.gz" ] || mnist=/work/shared/data/mnist
for f in t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz; do
  cp "$mnist/$f" "$kit/data/" 2>/dev/null || cp "/work/shared/data/mnist/$f" "$kit/data/"
done
cp benchmarks/gpu/run_on_gpu.sh benchmarks/gpu/make_inputs.py benchmarks/gpu/quality.py benchmarks/gpu/sanitize_main.c "$kit/"
cp native/include/hav_tsne.h "$kit/include/"
size=$(du -sm "$kit" | cut -f1)
echo "kit: $kit, ${size} MiB"
ls -la "$kit" "$kit/lib"
if [ "$size" -gt 60 ]; then
  echo "pack.sh: kit is ${size} MiB, over 60" >&2
  exit 1
fi
