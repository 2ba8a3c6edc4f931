#!/usr/bin/env python3
"""Gathers what run_on_gpu.sh has produced so far into the folder the device tool returns, in the layout of
benchmarks/results/<date>-<name>/: run.txt (command, date, machine, GPU, kit commit), results.jsonl (one record per
measurement), summary.md (the tables and the targets), plus gpu_results.json (everything, raw) and the device's
report.json (report_cuda.json). Safe to call after every step: missing parts are reported as missing.

  python3 gather.py WORK_OUT FINAL_OUT KIT_JSON
"""
import json
import os
import shutil
import sys

TARGETS = {  # issue 19: end to end through Java
    ("act2000", "cuda"): 0.010,
    ("mnist70k", "cuda"): 0.3,
    ("blobs1m", "cuda"): 10.0,
}
REPORT_TARGET = 5.0


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def main():
    work, final, kit_json = sys.argv[1:4]
    os.makedirs(final, exist_ok=True)
    kit = load(kit_json) or {}
    run_txt = (text(os.path.join(work, "run.txt")) or "") + f"kit: {json.dumps(kit)}\n"
    gpu = (text(os.path.join(work, "nvidia_smi.csv")) or "").strip().splitlines()
    gpu = gpu[-1] if gpu else "unknown"
    date = next((l.split(": ", 1)[1] for l in run_txt.splitlines() if l.startswith("date (UTC)")), "unknown")
    records, md = [], []
    base = {"gpu": gpu, "date": date, "kit_commit": kit.get("commit")}

    # the report end to end
    rep = {}
    for backend in ("cuda", "cpu"):
        r = load(os.path.join(work, f"report_{backend}.json"))
        wall = load(os.path.join(work, f"report_{backend}_wall.json")) or {}
        if r is None and not wall:
            continue
        res = (r or {}).get("results", {})
        prov = (r or {}).get("provenance", {})
        entry = {"tool": "hav-report", "model": "mnist_mlp", "backend_requested": backend,
                 "backend": prov.get("backend"), "device": prov.get("device"), "rc": wall.get("rc"),
                 "wall_seconds": wall.get("wall_seconds"), "total_seconds": res.get("total_seconds"),
                 "analysis_seconds": res.get("analysis_seconds"), "stage_seconds": res.get("timings_seconds"),
                 "projection": {k: v for k, v in (res.get("projection") or {}).items()
                                if k in ("trustworthiness_k12", "neighbourhood_hit_k6", "kl_divergence", "tsne_seconds")},
                 **base}
        rep[backend] = entry
        records.append(entry)
    quality = load(os.path.join(work, "report_quality.json"))
    same_cpu = load(os.path.join(work, "report_cpu_vs_here.json"))
    if rep:
        md.append("## The shipped model's report end to end (`hav report --model mnist_mlp`, 2000 observations)\n")
        stages = []
        for e in rep.values():
            for k in (e.get("stage_seconds") or {}):
                if k not in stages:
                    stages.append(k)
        md.append("| stage | " + " | ".join(f"{b} s" for b in rep) + " |")
        md.append("| --- | " + " | ".join("---:" for _ in rep) + " |")
        for k in stages:
            md.append(f"| {k} | " + " | ".join(f"{(e.get('stage_seconds') or {}).get(k, float('nan')):.3f}"
                                                 for e in rep.values()) + " |")
        for key, label in (("total_seconds", "total (report.json)"), ("wall_seconds", "process wall (JVM start included)")):
            md.append(f"| {label} | " + " | ".join(
                f"{e[key]:.3f}" if isinstance(e.get(key), (int, float)) else "-" for e in rep.values()) + " |")
        c = rep.get("cuda", {})
        if isinstance(c.get("total_seconds"), (int, float)):
            md.append(f"\nTarget report <= {REPORT_TARGET} s on the GPU machine: total {c['total_seconds']:.2f} s "
                      f"({'met' if c['total_seconds'] <= REPORT_TARGET else 'missed'}), process wall "
                      f"{c.get('wall_seconds') or float('nan'):.2f} s.")
        if quality:
            md.append(f"\nQuality, cuda against cpu (same machine): {quality.get('compared')} metrics, "
                      f"{quality.get('missed')} outside their bound (trustworthiness 0.01, neighbourhood hit 0.02, KL 5 %).")
            for row in quality.get("rows", []):
                if row["key"].startswith("projection."):
                    md.append(f"- {row['key']}: cuda {row['candidate']:.4f}, cpu {row['reference']:.4f}")
        if same_cpu:
            md.append(f"\nThe cpu report here against the one pack.sh made on the development machine: "
                      f"{same_cpu.get('different')} of {same_cpu.get('values')} values differ by more than "
                      f"{same_cpu.get('tolerance')} relative, {same_cpu.get('not_bit_equal')} are not bit-equal.")
        md.append("")

    # the timing table
    jr = load(os.path.join(work, "java_results.json")) or {}
    j1 = load(os.path.join(work, "java_results_1m.json")) or {}
    jreuse = load(os.path.join(work, "java_results_reuse.json")) or {}
    reused = [dict(r, backend=r["backend"] + " (HAV_CUDA_GRAPH_REUSE=1)") if "backend" in r else r
              for r in jreuse.get("runs") or []]
    runs = (jr.get("runs") or []) + (j1.get("runs") or []) + reused
    if runs:
        md.append("## t-SNE timings (bench.GpuBench, seconds; every input twice in one JVM)\n")
        md.append("| input | n x d | backend | run | Java wall | native total | stage seconds | KL | target |")
        md.append("| --- | --- | --- | ---: | ---: | ---: | --- | ---: | --- |")
        for r in runs:
            if "input" not in r:
                records.append({"tool": "hav-gpubench", "error": r, **base})
                continue
            rec = {"tool": "hav-gpubench", **{k: r.get(k) for k in ("input", "n", "d", "backend", "repeat",
                   "java_wall_seconds", "kl", "device", "native_seconds_knn_p_opt_total", "stage_seconds")}, **base}
            records.append(rec)
            nat = r.get("native_seconds_knn_p_opt_total") or []
            target = TARGETS.get((r["input"], r["backend"].split(" ")[0]))
            verdict = "" if target is None else f"<= {target}: {'met' if r['java_wall_seconds'] <= target else 'missed'}"
            st = r.get("stage_seconds") or {}
            md.append(f"| {r['input']} | {r['n']} x {r['d']} | {r['backend']} | {r['repeat']} | "
                      f"{r['java_wall_seconds']:.4f} | {nat[3] if len(nat) > 3 else float('nan'):.4f} | "
                      + ", ".join(f"{k} {v:.4f}" for k, v in st.items() if isinstance(v, (int, float)))
                      + f" | {r.get('kl') if r.get('kl') is not None else float('nan'):.4f} | {verdict} |")
        for k in ("selfcheck_exact", "selfcheck_exact_barnes_hut", "selfcheck_dynamic"):
            if k in jr:
                md.append(f"\n{k}: `{json.dumps(jr[k])}`")
        md.append("")

    q = load(os.path.join(work, "quality.json"))
    if q:
        md.append("## Quality against the CPU engine and scikit-learn (trustworthiness k = 12 / exact KL)\n")
        md.append("| input | " + " | ".join(("cuda", "cudabh", "cpu", "sklearn")) + " |")
        md.append("| --- | --- | --- | --- | --- |")
        for name, per in q.get("quality", {}).items():
            if not isinstance(per, dict):
                continue
            cells = []
            for who in ("cuda", "cudabh", "cpu", "sklearn"):
                e = per.get(who)
                cells.append("-" if not e else f"{e.get('trustworthiness_k12', float('nan')):.4f} / "
                                               f"{e.get('kl_exact', float('nan')):.4f}")
                if e:
                    records.append({"tool": "quality", "input": name, "who": who, **e, **base})
            md.append(f"| {name} | " + " | ".join(cells) + " |")
        for name, s in q.get("sklearn", {}).items():
            records.append({"tool": "sklearn", "input": name, **s, "threads": q.get("threads"),
                            "version": q.get("sklearn_version"), **base})
        md.append("")

    stage = load(os.path.join(work, "stage_check.json"))
    junit = text(os.path.join(work, "junit.log"))
    san = text(os.path.join(work, "sanitizer.log"))
    skipped = text(os.path.join(work, "skipped.txt"))
    md.append("## Checks\n")
    stage_log = text(os.path.join(work, "stage_check.log"))
    last = stage_log.strip().splitlines()[-1] if stage_log and stage_log.strip() else None
    md.append(f"- stage_check (kernels vs host launch): "
              + (f"{stage.get('passed')} of {stage.get('total')} passed" if isinstance(stage, dict) and "total" in stage
                 else (f"no result file; its log ends: {last}" if last else "missing")))
    md.append(f"- JUnit CUDA suite: {junit.strip().splitlines()[-1] if junit else 'missing'}")
    if san:
        lines = [l for l in san.splitlines() if "ERROR SUMMARY" in l or "RACECHECK SUMMARY" in l]
        md.append(f"- compute-sanitizer: {'; '.join(lines) if lines else 'see sanitizer.log'}")
    else:
        md.append("- compute-sanitizer: missing")
    if skipped:
        md.append("- skipped for the time budget: " + "; ".join(skipped.strip().splitlines()))
    for name, payload in (("stage_check", stage), ("junit", junit and junit.strip().splitlines()[-1])):
        if payload:
            records.append({"tool": name, "result": payload if name == "junit" else
                            {k: v for k, v in payload.items() if k in ("passed", "total", "failed")}, **base})

    with open(os.path.join(final, "run.txt"), "w") as f:
        f.write(run_txt)
    with open(os.path.join(final, "results.jsonl"), "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")
    with open(os.path.join(final, "summary.md"), "w") as f:
        f.write(f"# GPU run {date} UTC on {gpu}\n\n" + "\n".join(md) + "\n")
    everything = {"date_utc": date, "gpu": gpu, "kit": kit, "run": run_txt, "report": rep,
                  "report_quality": quality, "report_cpu_vs_here": same_cpu, "stage_check": stage,
                  "java_results": jr or "missing", "java_results_1m": j1 or "missing",
                  "java_results_reuse": jreuse or "missing", "quality": q or "missing",
                  "junit_tail": (junit or "missing")[-4000:], "sanitizer_tail": (san or "missing")[-4000:],
                  "skipped": skipped, "log": text(os.path.join(work, "log.txt"))}
    with open(os.path.join(final, "gpu_results.json"), "w") as f:
        json.dump(everything, f, indent=1)
    if os.path.exists(os.path.join(work, "report_cuda.json")):
        shutil.copy(os.path.join(work, "report_cuda.json"), os.path.join(final, "report_cuda.json"))


if __name__ == "__main__":
    main()
