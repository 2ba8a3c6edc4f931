#!/usr/bin/env bash
# Measures a report's explorer in headless Chromium (load-to-interactive, hover latency, slider frames) and the
# report folder's size, and appends one JSON line with the machine, date and load average to
# benchmarks/results/explorer.jsonl.  Usage: benchmarks/explorer/measure.sh [REPORT_DIR]
# (default generated/reports/mnist_mlp, made by ./hav report --model mnist_mlp).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="$(cd "${1:-$root/generated/reports/mnist_mlp}" && pwd)"
out="$root/benchmarks/results/explorer.jsonl"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$root/benchmarks/explorer/measure_explorer.py" "$report" --out "$tmp" >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$tmp" "$report" "$load_before" "$load_after" "$root" >>"$out" <<'PY'
import json, os, platform, subprocess, sys, datetime
m = json.load(open(sys.argv[1]))
report = sys.argv[2]
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(report) for f in fs)
parts = {}
for sub in sorted(os.listdir(report)):
    p = os.path.join(report, sub)
    parts[sub] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs) if os.path.isdir(p) else os.path.getsize(p)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
rec = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
       "command": "benchmarks/explorer/measure.sh " + os.path.relpath(report, sys.argv[5]),
       "machine": {"cpu": cpu, "cores": os.cpu_count(), "os": platform.platform()},
       "load_average_before": sys.argv[3], "load_average_after": sys.argv[4],
       "report_bytes": size, "report_parts_bytes": parts}
rec.update(m)
print(json.dumps(rec))
PY
tail -1 "$out"
