#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Time `maskscope export` against PyTorch + matplotlib making the same figure, as processes.

The figure: the softmax weights of every head of one self-attention layer (L = --seq-len,
E = --d-model, H = --heads), one heatmap per head in a grid, viridis on [0, 1], one colour bar,
saved as PNG at --dpi.

  (a) maskscope export --view weights --head all --seq-len L --heads H --d-model E
                       --out OUT.png --dpi DPI
  (b) /usr/bin/python3 (this interpreter) running a script that imports torch and matplotlib
      (Agg), runs nn.MultiheadAttention(E, H, batch_first=True) on random inputs with
      need_weights=True, average_attn_weights=False, draws the heads with imshow in a
      ceil(sqrt(H))-column grid with a colour bar, and saves the PNG at DPI.

Each is timed end to end (process start to exit, as a user waits for it), alternating (a) and (b)
in every round after one untimed warm-up of each, so both see the same machine state. Thread
settings are left at each program's defaults. Prints the medians and the ratio (b) / (a);
the target is at least 20.

Usage:
    /usr/bin/python3 scripts/export_vs_matplotlib.py [--maskscope build/app/maskscope]
        [--seq-len 256] [--heads 8] [--d-model 512] [--dpi 150] [--repeat 7] [--json]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MATPLOTLIB_FIGURE = r'''
import math, sys
import torch
from torch import nn
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

seq_len, heads, d_model, dpi, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
torch.manual_seed(0)
mha = nn.MultiheadAttention(d_model, heads, batch_first=True).eval()
x = torch.randn(1, seq_len, d_model)
with torch.no_grad():
    _, weights = mha(x, x, x, need_weights=True, average_attn_weights=False)
weights = weights[0].numpy()  # (H, L, L)

columns = math.ceil(math.sqrt(heads))
rows = math.ceil(heads / columns)
fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns + 1, 3.2 * rows + 0.6), squeeze=False)
image = None
for h, ax in enumerate(axes.flat):
    if h >= heads:
        ax.axis("off")
        continue
    image = ax.imshow(weights[h], cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    ax.set_title(f"head {h}")
    ax.set_xlabel("key")
    ax.set_ylabel("query")
fig.colorbar(image, ax=axes.ravel().tolist(), label="weight")
fig.suptitle(f"Attention weights - all {heads} heads")
fig.savefig(out, dpi=dpi)
'''


def run_timed(cmd):
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode(errors='replace')}")
    return elapsed * 1000.0


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maskscope", default=os.path.join(REPO, "build", "app", "maskscope"))
    ap.add_argument("--seq-len", type=int, default=256)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--d-model", type=int, default=512)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args()
    if not os.access(args.maskscope, os.X_OK):
        sys.exit(f"no maskscope binary at {args.maskscope} (build it, or pass --maskscope)")

    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "figure.py")
        with open(script, "w") as f:
            f.write(MATPLOTLIB_FIGURE)
        ours_png, theirs_png = os.path.join(tmp, "maskscope.png"), os.path.join(tmp, "matplotlib.png")
        ours = [args.maskscope, "export", "--view", "weights", "--head", "all",
                "--seq-len", str(args.seq_len), "--heads", str(args.heads), "--d-model", str(args.d_model),
                "--out", ours_png, "--dpi", str(args.dpi)]
        theirs = [sys.executable, script, str(args.seq_len), str(args.heads), str(args.d_model),
                  str(args.dpi), theirs_png]
        run_timed(ours)  # warm-up: page cache, font caches
        run_timed(theirs)
        ours_ms, theirs_ms = [], []
        for _ in range(args.repeat):
            ours_ms.append(run_timed(ours))
            theirs_ms.append(run_timed(theirs))
        result = {
            "figure": f"weights of all {args.heads} heads, L={args.seq_len}, d_model={args.d_model}, "
                      f"PNG at {args.dpi} dpi",
            "repeat": args.repeat,
            "maskscope_median_ms": statistics.median(ours_ms),
            "matplotlib_median_ms": statistics.median(theirs_ms),
            "maskscope_ms": ours_ms,
            "matplotlib_ms": theirs_ms,
            "maskscope_png": png_size(ours_png),
            "matplotlib_png": png_size(theirs_png),
        }
        result["speedup"] = result["matplotlib_median_ms"] / result["maskscope_median_ms"]
        result["meets_20x"] = result["speedup"] >= 20.0

    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"figure: {result['figure']}; {args.repeat} runs each, alternating, after one warm-up")
    print(f"  maskscope export      median {result['maskscope_median_ms']:8.1f} ms  "
          f"({result['maskscope_png'][0]}x{result['maskscope_png'][1]} px)")
    print(f"  torch + matplotlib    median {result['matplotlib_median_ms']:8.1f} ms  "
          f"({result['matplotlib_png'][0]}x{result['matplotlib_png'][1]} px)")
    print(f"  speed-up {result['speedup']:.1f}x (target >= 20x: {'met' if result['meets_20x'] else 'NOT met'})")


if __name__ == "__main__":
    main()
