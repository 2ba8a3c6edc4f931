#!/usr/bin/env bash
# pack.sh: makes benchmarks/gpu/kit/ (git-ignored), everything run_on_gpu.sh needs on the GPU machine, which has
# no Java and no network:
#   java.tar.xz  a jlink runtime, hav.jar (CUDA libraries inside) and the dependency jars the device run loads, each
#                stripped to the linux-x86_64 libraries hav uses (onnxruntime: linux-x64 only; OpenCV: core, imgproc,
#                imgcodecs; OpenBLAS without its _full build; the CUDA preset: cudart and nvml) and stored without
#                compression, so that one xz stream over all of it compresses better than the jars' own deflate;
#                plus JUnit, the projection test classes and RunTests (the CUDA suite on the device)
#   reference/   the shipped-model report made here on the CPU with the full jars (report-cpu.json): the dry run
#                and the device compare their report numbers with it (report_compare.py)
#   the scripts and both C headers.
# The checkout's tracked files travel too: run_on_gpu.sh --dry-run checks tree + kit against the 64 MiB carry and
# says which folders benchmarks/gpu/park.sh must move aside first (the device needs models/mnist_mlp and
# src/main/resources/datasets/mnist from the tree, nothing else).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kit="$root/benchmarks/gpu/kit"
cd "$root"
mvn -o -q -B package -DskipTests
if ! unzip -Z1 target/hav.jar | grep -c 'projection/cuda/linux-x86_64/libjniHavTsneNative.so' >/dev/null; then
  echo "pack.sh: target/hav.jar has no CUDA libraries (was nvcc missing?)" >&2
  exit 1
fi
if [ ! -d target/test-classes/org/hiddenactivity/projection ]; then
  mvn -o -q -B test-compile
fi
rm -rf "$kit"
mkdir -p "$kit/include" "$kit/reference"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
java="$tmp/java"
mkdir -p "$java/lib" "$java/junit" "$java/launcher" "$java/test-classes/org/hiddenactivity"
# java.management: JavaCPP's Loader reads the process id; jdk.unsupported: sun.misc.Unsafe; java.net.http: the
# dataset downloader's classes; jdk.management: the benchmark's CPU time. --compress=0: xz below does better.
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.net.http,jdk.management \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output "$java/runtime"
# hav.jar's manifest names lib/*.jar: the jars the report loads keep their names (compiler: mustache, for the
# page); the others (hnswlib and its eclipse-collections: only the approximate kNN of large inputs) stay behind
for pattern in 'javacpp-*.jar' 'cuda-*.jar' 'openblas-*.jar' 'opencv-*.jar' 'onnxruntime-*.jar' 'protobuf-java-*.jar' \
               'commons-math3-*.jar' 'tribuo-util-onnx-*.jar' 'jackson-*.jar' 'jcommander-*.jar' 'progressbar-*.jar' \
               'jline-*.jar' 'compiler-*.jar'; do
  # shellcheck disable=SC2086
  cp target/lib/$pattern "$java/lib/"
done
cp target/hav.jar "$java/"
m2="$HOME/.m2/repository"
for j in org/junit/jupiter/junit-jupiter-api/5.14.4 org/junit/jupiter/junit-jupiter-engine/5.14.4 \
         org/junit/jupiter/junit-jupiter-params/5.14.4 org/junit/platform/junit-platform-commons/1.14.4 \
         org/junit/platform/junit-platform-engine/1.14.4 org/junit/platform/junit-platform-launcher/1.14.4 \
         org/opentest4j/opentest4j/1.3.0 org/apiguardian/apiguardian-api/1.1.2; do
  cp "$m2/$j"/*.jar "$java/junit/"
done
javac -d "$java/launcher" -cp "$java/junit/*" benchmarks/gpu/RunTests.java
cp -r target/test-classes/org/hiddenactivity/projection "$java/test-classes/org/hiddenactivity/"
# Strip and store: keep only what the device run loads, every entry without compression.
/usr/bin/python3 - "$java" <<'PY'
import os, re, sys, zipfile
java = sys.argv[1]
def keep(jar, name):
    if jar.startswith("onnxruntime-"):
        return not name.startswith("ai/onnxruntime/native/") or name.startswith("ai/onnxruntime/native/linux-x64/")
    if jar.startswith("opencv-") and jar.endswith("-linux-x86_64.jar"):
        if "/linux-x86_64/" not in name:
            return True
        return re.search(r"/linux-x86_64/(libopencv_(core|imgproc|imgcodecs)\.so[.0-9]*|"
                         r"libjniopencv_(core|imgproc|imgcodecs)\.so|libjnicvkernels\.so)$", name) is not None
    if jar.startswith("openblas-") and jar.endswith("-linux-x86_64.jar"):
        return not (name.endswith("/libjniopenblas_full.so") or "/include/" in name)
    if jar.startswith("cuda-") and jar.endswith("-linux-x86_64.jar"):
        return ".so" not in name or re.search(r"/libjni(cudart|nvml)\.so$", name) is not None
    return True
jars = [os.path.join(java, "hav.jar")] + [os.path.join(java, "lib", j) for j in sorted(os.listdir(os.path.join(java, "lib")))]
for path in jars:
    jar = os.path.basename(path)
    src = zipfile.ZipFile(path)
    names = src.namelist()
    kept = [n for n in names if keep(jar, n)]
    # the manifest first, as jar tools expect
    kept.sort(key=lambda n: (n != "META-INF/", n != "META-INF/MANIFEST.MF"))
    with zipfile.ZipFile(path + ".new", "w", zipfile.ZIP_STORED) as dst:
        for n in kept:
            dst.writestr(src.getinfo(n), src.read(n), compress_type=zipfile.ZIP_STORED)
    src.close()
    os.replace(path + ".new", path)
    if len(kept) != len(names):
        print(f"stripped {jar}: kept {len(kept)} of {len(names)} entries")
PY
XZ_OPT=-6 tar cJf "$kit/java.tar.xz" -C "$tmp" java
cp benchmarks/gpu/run_on_gpu.sh benchmarks/gpu/make_inputs.py benchmarks/gpu/quality.py benchmarks/gpu/sanitize_main.c \
  benchmarks/gpu/stage_check.py benchmarks/gpu/report_compare.py benchmarks/gpu/gather.py "$kit/"
cp native/include/hav_tsne.h native/include/hav_stages.h "$kit/include/"
# the commit the kit was built from (the device's copy of the tree has no .git)
dirty=$(git status --porcelain --untracked-files=no | grep -c . || true)
printf '{"commit": "%s", "tracked_files_changed": %s, "packed_utc": "%s"}\n' "$(git rev-parse HEAD)" "$dirty" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$kit/kit.json"
# The reference: the shipped model's report here, CPU backend, the full jars (as a user runs it).
java -Xmx4g -jar target/hav.jar report --model mnist_mlp --backend cpu --fresh -q --cache-dir "$tmp/cache" \
  --out "$tmp/ref" > "$tmp/ref.log" 2>&1 || { tail -20 "$tmp/ref.log"; exit 1; }
cp "$tmp/ref/report.json" "$kit/reference/report-cpu.json"
size=$(du -sm "$kit" | cut -f1)
echo "kit: $kit, ${size} MiB"
ls -la "$kit"
bash "$kit/run_on_gpu.sh" --dry-run
