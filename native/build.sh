#!/usr/bin/env bash
# native/build.sh CLASSES_DIR JAVACPP_JAR: builds libhav_tsne.so with nvcc and the JNI glue with JavaCPP's Builder,
# and puts both under CLASSES_DIR/org/hiddenactivity/projection/cuda/linux-x86_64/ (where JavaCPP's Loader looks).
# Without nvcc it prints a notice and exits 0: the jar then reports the CUDA backend as "not built".
# Rebuilds only what is older than its sources. HAV_NVCC_ARCHS overrides the target list (e.g. for a quick build).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classes="${1:?usage: build.sh CLASSES_DIR JAVACPP_JAR}"
javacpp_jar="${2:?usage: build.sh CLASSES_DIR JAVACPP_JAR}"
nvcc="${NVCC:-$(command -v nvcc || true)}"
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [ -z "$nvcc" ]; then
  echo "CUDA backend not built: nvcc not found"
  exit 0
fi
build="$here/build"
obj="$build/obj"
mkdir -p "$obj"
# Machine code for sm_75, sm_80 (also runs on sm_86 / sm_89) and sm_90, plus compute_90 PTX for newer GPUs
# (CUDA 13 has no targets below sm_75).
archs="${HAV_NVCC_ARCHS:--gencode arch=compute_75,code=sm_75 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90}"
flags="-O3 -std=c++17 -Xcompiler -fPIC -Xcompiler -fvisibility=hidden -I$here/include --threads 2"
headers=("$here"/include/*.h "$here"/src/*.cuh)
newest_header="$(ls -t "${headers[@]}" | head -1)"
stamp="$build/flags.txt"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$archs $flags" ]; then
  rm -f "$obj"/*.o
  echo "$archs $flags" > "$stamp"
fi
pids=()
for src in "$here"/src/*.cu; do
  o="$obj/$(basename "${src%.cu}").o"
  if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
    echo "nvcc $(basename "$src")"
    # shellcheck disable=SC2086
    "$nvcc" $flags $archs -c "$src" -o "$o.tmp" && mv "$o.tmp" "$o" &
    pids+=($!)
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
lib="$build/libhav_tsne.so"
if [ ! -f "$lib" ] || [ -n "$(find "$obj" -name '*.o' -newer "$lib")" ]; then
  echo "nvcc -shared libhav_tsne.so"
  # shellcheck disable=SC2086
  "$nvcc" -shared -cudart static $archs -o "$lib.tmp" "$obj"/*.o && mv "$lib.tmp" "$lib"
fi
# JNI glue: JavaCPP reads the @Platform annotation of the binding class and compiles the JNI library with g++.
dest="$classes/org/hiddenactivity/projection/cuda/linux-x86_64"
binding="$classes/org/hiddenactivity/projection/cuda/HavTsneNative.class"
jni="$dest/libjniHavTsneNative.so"
mkdir -p "$dest"
cp -p "$lib" "$dest/libhav_tsne.so"
if [ ! -f "$jni" ] || [ "$binding" -nt "$jni" ] || [ "$lib" -nt "$jni" ] || [ "$here/include/hav_tsne.h" -nt "$jni" ]; then
  echo "javacpp HavTsneNative"
  java -cp "$javacpp_jar:$classes" org.bytedeco.javacpp.tools.Builder \
    -classpath "$classes" -d "$build/jni" \
    -Dplatform.includepath="$here/include" -Dplatform.linkpath="$build" \
    org.hiddenactivity.projection.cuda.HavTsneNative > "$build/javacpp.log" 2>&1 \
    || { cat "$build/javacpp.log"; exit 1; }
  cp -p "$build/jni/libjniHavTsneNative.so" "$jni"
fi
echo "CUDA backend built: $dest"
