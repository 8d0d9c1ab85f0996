#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Portable build against -march=native build, measured in the same run.

Times two MaskScope binaries, alternating them round by round so that both see the same load
on a shared machine, and prints medians (and minima) of:
  (a) `bench --seq-len 1024 --heads 8 --d-model 512 --causal --valid-lens 900 --repeat N`
      (the engine's full recompute; the median that bench itself reports, per round), and
  (b) `export --view weights --head all --seq-len 256 --heads 8 --d-model 512 --dpi 150`
      (the 8-head grid as a PNG, timed as a whole process).
The portable build's kernel level (x86-64-v4 on an AVX-512 machine) is taken from its bench
JSON. Standard library only.

Usage:
  scripts/bench_portable_vs_native.py --portable BUILD/app/maskscope --native NATIVE/app/maskscope
      [--rounds 7] [--repeat 5] [--json]
Build the two binaries with
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release                      (portable, the default)
  cmake -S . -B build-native -DCMAKE_BUILD_TYPE=Release -DMASKSCOPE_NATIVE=ON
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = ["bench", "--seq-len", "1024", "--heads", "8", "--d-model", "512", "--causal",
         "--valid-lens", "900"]
EXPORT = ["export", "--view", "weights", "--head", "all", "--seq-len", "256", "--heads", "8",
          "--d-model", "512", "--dpi", "150"]


def bench_once(binary, repeat):
    out = subprocess.run([binary, *BENCH, "--repeat", str(repeat)], check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out)
    return float(result["median_ms"]), result.get("kernel_level", "?")


def export_once(binary, png):
    start = time.perf_counter()
    subprocess.run([binary, *EXPORT, "--out", png], check=True, capture_output=True)
    return (time.perf_counter() - start) * 1e3


def summary(times):
    return {"median_ms": statistics.median(times), "min_ms": min(times), "runs": len(times)}


def measure(binaries, rounds, repeat):
    bench = {name: [] for name in binaries}
    export = {name: [] for name in binaries}
    levels = {}
    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "grid.png")
        for name, binary in binaries.items():  # warm-up: page cache, font caches
            export_once(binary, png)
        for r in range(rounds):
            # Alternate which binary goes first, so neither always follows the other.
            order = list(binaries.items()) if r % 2 == 0 else list(reversed(binaries.items()))
            for name, binary in order:
                ms, levels[name] = bench_once(binary, repeat)
                bench[name].append(ms)
                export[name].append(export_once(binary, png))
    return {"load_average_before": None, "levels": levels,
            "bench": {n: summary(t) for n, t in bench.items()},
            "export": {n: summary(t) for n, t in export.items()}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--portable", required=True, help="maskscope of a default (portable) build")
    ap.add_argument("--native", required=True, help="maskscope of a -DMASKSCOPE_NATIVE=ON build")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5, help="recomputes per bench call")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()
    binaries = {"portable": args.portable, "native": args.native}
    for binary in binaries.values():
        if not os.access(binary, os.X_OK):
            sys.exit(f"no maskscope binary at {binary}")
    load_before = os.getloadavg()
    report = measure(binaries, args.rounds, args.repeat)
    report["load_average_before"] = load_before
    report["load_average_after"] = os.getloadavg()
    for what in ("bench", "export"):
        report[what]["portable_over_native"] = (report[what]["portable"]["median_ms"]
                                                / report[what]["native"]["median_ms"])
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"portable kernel level: {report['levels']['portable']}, native: {report['levels']['native']}")
    print("load average (1, 5, 15 min) before %.2f %.2f %.2f, after %.2f %.2f %.2f"
          % (*report["load_average_before"], *report["load_average_after"]))
    for what, label in (("bench", "bench L=1024, 8 heads (median of medians)"),
                        ("export", "export 8-head grid L=256, PNG (process)")):
        p, n = report[what]["portable"], report[what]["native"]
        print(f"{label}: portable {p['median_ms']:.1f} ms (min {p['min_ms']:.1f}), "
              f"native {n['median_ms']:.1f} ms (min {n['min_ms']:.1f}), "
              f"portable/native {report[what]['portable_over_native']:.3f}")


if __name__ == "__main__":
    main()
