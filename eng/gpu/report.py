#!/usr/bin/env python3
"""The closing table of check.sh: scanner ÷ llama-bench for pp and tg, NVML's device memory against llama.cpp's
buffers plus the CUDA context, and the tg roofline fraction. Reads the files check.sh left in OUT; standard library only.

usage: report.py OUT_DIR
"""
import base64
import glob
import json
import os
import statistics
import sys

MiB = 1024 * 1024


def bench_rounds(out):
    """{test: [round mean t/s, ...]} from every llama-bench-<round>.json."""
    rounds = {}
    for path in sorted(glob.glob(os.path.join(out, "llama-bench-*.json"))):
        with open(path) as f:
            for row in json.load(f):
                test = f"pp{row['n_prompt']}" if row["n_gen"] == 0 else f"tg{row['n_gen']}"
                rounds.setdefault(test, []).append(row["avg_ts"])
    return rounds


def scanner_rounds(out):
    """({test: [round mean t/s]}, the last predicate) from every envelope-<round>.json."""
    rounds, predicate = {}, None
    for path in sorted(glob.glob(os.path.join(out, "envelope-*.json"))):
        with open(path) as f:
            envelope = json.load(f)
        predicate = json.loads(base64.b64decode(envelope["payload"]))["predicate"]
        for t in predicate["throughput"]:
            rounds.setdefault(t["test"], []).append(t["meanTokensPerSecond"])
    return rounds, predicate


def main():
    out = sys.argv[1]
    bench = bench_rounds(out)
    scanner, p = scanner_rounds(out)
    if p is None or not bench:
        sys.exit("report.py: no scanner envelope or no llama-bench output in " + out)
    ctx_path = os.path.join(out, "cuda-context.json")
    ctx = json.load(open(ctx_path)) if os.path.exists(ctx_path) else {}

    env = p["environment"]
    lines = [
        f"GPU: {env.get('device')} · driver {env.get('driver')} · CUDA {env.get('cudaVersion')} · {env.get('llamaCppBuild')}",
        f"model: {p['artifact']['name']} · {p['metadata']['parameters']:,} parameters · {p['footprint']['modelBytes'] / MiB:,.0f} MiB"
        f" · context {p['footprint']['contextLength']}",
        "",
        "| test | llama-bench t/s (round means) | scanner t/s (round means) | scanner ÷ llama-bench | target |",
        "|---|---|---|---|---|",
    ]
    for test in sorted(set(bench) & set(scanner)):
        b, s = statistics.mean(bench[test]), statistics.mean(scanner[test])
        lines.append(f"| {test} | {b:.1f} ({', '.join(f'{x:.1f}' for x in bench[test])}) | {s:.1f} ({', '.join(f'{x:.1f}' for x in scanner[test])})"
                     f" | **{s / b:.3f}** | ≥ 0.97 {'met' if s / b >= 0.97 else 'MISSED'} |")

    footprint = p["footprint"]
    device = [b for b in footprint["buffers"] if not b["buffer"].startswith("CPU") and not b["buffer"].endswith("_Host")]
    buffers = sum(b["bytes"] for b in device)
    measured = footprint["deviceBytes"].get("measured")
    context = ctx.get("context_bytes")
    lines += ["", "| device memory | MiB |", "|---|---|"]
    for b in device:
        lines.append(f"| llama.cpp {b['buffer']} {b['kind']} | {b['bytes'] / MiB:,.1f} |")
    lines.append(f"| llama.cpp buffers on the device | {buffers / MiB:,.1f} |")
    if context is not None:
        lines.append(f"| CUDA context (cuda_context probe; one cuBLAS handle adds {ctx.get('cublas_bytes', 0) / MiB:,.1f}) | {context / MiB:,.1f} |")
    if measured is not None:
        lines.append(f"| NVML: growth of used memory around load + context | {measured / MiB:,.1f} |")
        if context is not None:
            expected = buffers + context
            lines.append(f"| NVML ÷ (buffers + context) | **{measured / expected:.3f}** (target within 10%: {'met' if abs(measured / expected - 1) <= 0.10 else 'MISSED'}) |")
    else:
        lines.append("| NVML | not available to the scanner |")

    fraction = p.get("rooflineFraction")
    per_token = footprint.get("bytesReadPerToken")
    tg = next((t["meanTokensPerSecond"] for t in p["throughput"] if t["nGen"] > 0), None)
    lines.append("")
    if fraction and per_token and tg:
        bandwidth = tg * per_token / fraction
        lines.append(f"roofline (tg): **{fraction:.3f}** of {bandwidth / 1e12:.2f} TB/s peak; {per_token / MiB:,.0f} MiB read per token"
                     f" ({footprint.get('bytesReadPerTokenBasis')}); bound {bandwidth / per_token:.0f} t/s, measured {tg:.1f} t/s")
    else:
        lines.append("roofline (tg): not reported (no NVML bandwidth)")

    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
