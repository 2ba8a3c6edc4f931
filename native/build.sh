#!/usr/bin/env bash
# native/build.sh CLASSES_DIR JAVACPP_JAR: builds libhav_tsne.so and the JNI glue (JavaCPP's Builder), and puts them
# under CLASSES_DIR/org/hiddenactivity/projection/cuda/linux-x86_64/ (where JavaCPP's Loader looks).
#   with nvcc: the engine (hav_tsne.h) and every stage's host and device launches (hav_stages.h);
#   without nvcc: the stages' host launches only, compiled by g++ (the tests of the kernels' arithmetic still run;
#   the CUDA backend reports "not built"). Without g++ either it prints a notice and exits 0.
# Rebuilds only what is older than its sources. HAV_NVCC_ARCHS overrides the target list (e.g. for a quick build);
# HAV_NATIVE_HOST_ONLY=1 builds the host-only library even where nvcc is installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
classes="${1:?usage: build.sh CLASSES_DIR JAVACPP_JAR}"
javacpp_jar="${2:?usage: build.sh CLASSES_DIR JAVACPP_JAR}"
nvcc="${NVCC:-$(command -v nvcc || true)}"
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then nvcc=/usr/local/cuda/bin/nvcc; fi
if [ "${HAV_NATIVE_HOST_ONLY:-0}" = 1 ]; then nvcc=""; fi
cxx="${CXX:-g++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "CUDA backend and stage library not built: no C++ compiler ($cxx)"
  exit 0
fi
build="$here/build"
obj="$build/obj"
mkdir -p "$obj"
# Machine code for sm_75, sm_80 (also runs on sm_86 / sm_89) and sm_90, plus compute_90 PTX for newer GPUs
# (CUDA 13 has no targets below sm_75).
archs="${HAV_NVCC_ARCHS:--gencode arch=compute_75,code=sm_75 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90}"
flags="-O3 -std=c++17 -Xcompiler -fPIC -Xcompiler -fvisibility=hidden -I$here/include --threads 2"
cxxflags="-O2 -std=c++17 -fPIC -fvisibility=hidden -Wall -Wextra -I$here/include"
if [ -n "$nvcc" ]; then
  mode="nvcc $archs $flags"
  cxxflags="$cxxflags -DHAV_WITH_KERNELS"
else
  mode="host-only"
  echo "nvcc not found: building the stage library's host launches only (CUDA backend not built)"
fi
headers=("$here"/include/*.h "$here"/src/*.cuh "$here"/src/*.h)
newest_header="$(ls -t "${headers[@]}" | head -1)"
stamp="$build/flags.txt"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$mode $cxxflags" ]; then
  rm -f "$obj"/*.o "$build/libhav_tsne.so"
  echo "$mode $cxxflags" > "$stamp"
fi
stale() { [ ! -f "$2" ] || [ "$1" -nt "$2" ] || [ "$newest_header" -nt "$2" ]; }
pids=()
for src in "$here"/src/*.cpp; do
  o="$obj/$(basename "${src%.cpp}").o"
  if stale "$src" "$o"; then
    echo "$cxx $(basename "$src")"
    # shellcheck disable=SC2086
    "$cxx" $cxxflags -c "$src" -o "$o.tmp" && mv "$o.tmp" "$o" &
    pids+=($!)
  fi
done
if [ -n "$nvcc" ]; then
  for src in "$here"/src/*.cu; do
    o="$obj/$(basename "${src%.cu}").o"
    if stale "$src" "$o"; then
      echo "nvcc $(basename "$src")"
      # shellcheck disable=SC2086
      "$nvcc" $flags $archs -c "$src" -o "$o.tmp" && mv "$o.tmp" "$o" &
      pids+=($!)
    fi
  done
fi
for p in "${pids[@]}"; do wait "$p"; done
lib="$build/libhav_tsne.so"
if [ ! -f "$lib" ] || [ -n "$(find "$obj" -name '*.o' -newer "$lib")" ]; then
  if [ -n "$nvcc" ]; then
    echo "nvcc -shared libhav_tsne.so"
    # shellcheck disable=SC2086
    "$nvcc" -shared -cudart static $archs -o "$lib.tmp" "$obj"/*.o && mv "$lib.tmp" "$lib"
  else
    echo "$cxx -shared libhav_tsne.so (host stages only)"
    "$cxx" -shared -o "$lib.tmp" "$obj"/*.o && mv "$lib.tmp" "$lib"
  fi
fi
# JNI glue: JavaCPP reads the @Platform annotation of each binding class and compiles its JNI library with g++.
dest="$classes/org/hiddenactivity/projection/cuda/linux-x86_64"
mkdir -p "$dest"
cp -p "$lib" "$dest/libhav_tsne.so"
jni_for() {  # jni_for CLASS HEADER: (re)builds libjniCLASS.so when the class, the library or the header changed
  local cls="$1" header="$2"
  local binding="$classes/org/hiddenactivity/projection/cuda/$cls.class"
  local jni="$dest/libjni$cls.so"
  if [ ! -f "$jni" ] || [ "$binding" -nt "$jni" ] || [ "$lib" -nt "$jni" ] || [ "$here/include/$header" -nt "$jni" ]; then
    echo "javacpp $cls"
    java -cp "$javacpp_jar:$classes" org.bytedeco.javacpp.tools.Builder \
      -classpath "$classes" -d "$build/jni" \
      -Dplatform.includepath="$here/include" -Dplatform.linkpath="$build" \
      "org.hiddenactivity.projection.cuda.$cls" > "$build/javacpp-$cls.log" 2>&1 \
      || { cat "$build/javacpp-$cls.log"; exit 1; }
    cp -p "$build/jni/libjni$cls.so" "$jni"
  fi
}
jni_for HavStagesNative hav_stages.h
if [ -n "$nvcc" ]; then
  jni_for HavTsneNative hav_tsne.h
  echo "CUDA backend built: $dest"
else
  # a library of an earlier nvcc build must not outlive it: the backend then says "not built"
  rm -f "$dest/libjniHavTsneNative.so"
  echo "CUDA stage library built (host launches only): $dest"
fi
