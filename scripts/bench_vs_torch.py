#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Time MaskScope's attention against PyTorch nn.MultiheadAttention on this machine.

Both sides run in the same invocation, single-threaded, on the same problem:
self-attention, B=1, L=--seq-len, E=--d-model, H=--heads, a causal bool attn_mask
(True = blocked, torch.triu(ones, 1)) and a right-padding key_padding_mask with
--valid-len valid keys, per-head weights requested.

  (a) PyTorch: nn.MultiheadAttention(E, H, batch_first=True) in eval mode under
      torch.no_grad(), forward(..., need_weights=True, average_attn_weights=False),
      torch.set_num_threads(1). It must be the standard path
      (F.multi_head_attention_forward), which like MaskScope materialises the
      per-head logits and weights. In torch 1.13 the native fast path is refused
      whenever attn_mask is given, so it should never be taken here; the script
      checks anyway (torch._native_multi_head_attention is made to raise during a
      probe call) and, if it would be taken, times F.multi_head_attention_forward
      directly and says so.
  (b) MaskScope: `<maskscope> bench --seq-len L --d-model E --heads H --causal
      --valid-lens V --repeat N`, which prints JSON {"median_ms", "min_ms", ...}.

OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 are set (unless already set) before
torch is imported and are inherited by maskscope: torch.set_num_threads(1) alone
does not stop OpenBLAS from using its own thread pool when torch was built with
BLAS_INFO=generic (Debian). The BLAS that is actually loaded is reported, with a
loud warning for the reference (netlib) BLAS.

FLOP count (dense, masking does not reduce it), with dk = E / H:
    in-projection   2 * B * L * E * 3E
    QK^T and AV     2 * B * H * L * L * dk * 2
    out-projection  2 * B * L * E * E
GFLOP/s = FLOPs / median time.

Usage (Debian python with torch):
    /usr/bin/python3 scripts/bench_vs_torch.py [--maskscope build/app/maskscope]
        [--seq-len 1024] [--d-model 512] [--heads 8] [--valid-len 900] [--repeat 15]
        [--warmup 3] [--torch-only] [--json]
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg, quiet):
    print(msg, file=sys.stderr if quiet else sys.stdout)


def flops(B, L, E, H):
    dk = E // H
    return 2 * B * L * E * 3 * E + 2 * B * H * L * L * dk * 2 + 2 * B * L * E * E


def blas_libraries(maps_path="/proc/self/maps"):
    """Shared libraries mapped into a process whose name mentions a BLAS/LAPACK."""
    keys = ("blas", "lapack", "mkl", "blis", "atlas")
    libs = set()
    with open(maps_path) as fh:
        for line in fh:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if any(k in os.path.basename(path).lower() for k in keys):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def blas_verdict(libs):
    """'openblas', 'reference' (netlib), 'mkl', 'blis', 'other' or 'none'."""
    joined = " ".join(libs).lower()
    if "openblas" in joined:
        return "openblas"
    if "mkl" in joined:
        return "mkl"
    if "blis" in joined:
        return "blis"
    if "libblas.so" in joined:
        return "reference"      # e.g. /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 (netlib)
    return "other" if libs else "none"


def loud_warning(msg, quiet):
    bar = "!" * 78
    log(f"{bar}\n!!! WARNING: {msg}\n{bar}", quiet)


def check_torch_blas(quiet):
    cfg = torch.__config__.show()
    blas_info = next((p.split("=", 1)[1] for p in cfg.replace(",", " ").split()
                      if p.startswith("BLAS_INFO=")), "?")
    a = torch.randn(64, 64)
    _ = a @ a  # make sure the BLAS is loaded and used
    libs = blas_libraries()
    verdict = blas_verdict(libs)
    log(f"torch {torch.__version__}: BLAS_INFO={blas_info}; loaded: {', '.join(libs) or 'none'}",
        quiet)
    if verdict == "reference":
        loud_warning("PyTorch is running on the REFERENCE (netlib) BLAS - timings are "
                     "meaningless. Select OpenBLAS: update-alternatives --config "
                     "libblas.so.3-x86_64-linux-gnu", quiet)
    elif verdict != "openblas":
        loud_warning(f"PyTorch is not running on OpenBLAS (found: {verdict})", quiet)
    return {"blas_info": blas_info, "libraries": libs, "kind": verdict}


def check_binary_blas(binary, quiet):
    """What BLAS the maskscope binary resolves to (ldd), if any."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {"libraries": [], "kind": "unknown"}
    libs = sorted({os.path.realpath(ln.split("=>")[1].split()[0]) for ln in out.splitlines()
                   if "=>" in ln and any(k in ln.lower() for k in ("blas", "lapack", "mkl"))
                   and ln.split("=>")[1].split() and ln.split("=>")[1].split()[0].startswith("/")})
    verdict = blas_verdict(libs) if libs else "none (not linked)"
    if verdict == "reference":
        loud_warning("maskscope resolves to the REFERENCE (netlib) BLAS", quiet)
    return {"libraries": libs, "kind": verdict}


class FastPathTaken(Exception):
    pass


def bench_torch(L, E, H, valid_len, repeat, warmup, quiet):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    B = 1
    mha = nn.MultiheadAttention(E, H, batch_first=True, dropout=0.0).eval()
    x = torch.randn(B, L, E)
    attn_mask = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    kpm = torch.zeros(B, L, dtype=torch.bool)
    kpm[:, valid_len:] = True

    def module_call():
        return mha(x, x, x, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=True,
                   average_attn_weights=False)

    def functional_call():
        xt = x.transpose(0, 1)
        out, w = F.multi_head_attention_forward(
            xt, xt, xt, E, H, mha.in_proj_weight, mha.in_proj_bias, None, None, False, 0.0,
            mha.out_proj.weight, mha.out_proj.bias, training=False, key_padding_mask=kpm,
            need_weights=True, attn_mask=attn_mask, average_attn_weights=False)
        return out.transpose(0, 1), w

    with torch.no_grad():
        # Probe: does the module take the native fast path?
        original = torch._native_multi_head_attention

        def refuse(*args, **kwargs):
            raise FastPathTaken()

        torch._native_multi_head_attention = refuse
        try:
            module_call()
            fn, path = module_call, "standard (nn.MultiheadAttention -> F.multi_head_attention_forward)"
        except FastPathTaken:
            fn, path = functional_call, "standard, forced (module would take the fast path)"
            loud_warning("nn.MultiheadAttention would take the native fast path; timing "
                         "F.multi_head_attention_forward directly instead", quiet)
        finally:
            torch._native_multi_head_attention = original

        out, w = fn()
        assert w.shape == (B, H, L, L), f"per-head weights expected, got {tuple(w.shape)}"
        assert not torch.isnan(w).any()
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": statistics.median(times), "min_ms": min(times), "path": path,
            "threads": torch.get_num_threads()}


def resolve_binary(path):
    if os.path.isabs(path) or os.path.exists(path):
        return os.path.abspath(path)
    return os.path.join(REPO, path)


def bench_maskscope(binary, L, E, H, valid_len, repeat):
    cmd = [binary, "bench", "--seq-len", str(L), "--d-model", str(E), "--heads", str(H),
           "--causal", "--valid-lens", str(valid_len), "--repeat", str(repeat)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.strip()}")
    text = proc.stdout.strip()
    try:
        result = json.loads(text[text.index("{"):text.rindex("}") + 1])
        float(result["median_ms"]), float(result["min_ms"])
    except (ValueError, KeyError, TypeError) as e:
        sys.exit(f"error: could not parse maskscope bench JSON ({e}); stdout was:\n{text}")
    result["command"] = " ".join(cmd)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--maskscope", default="build/app/maskscope",
                    help="maskscope binary (default: %(default)s, relative to the repo)")
    ap.add_argument("--seq-len", type=int, default=1024)
    ap.add_argument("--d-model", type=int, default=512)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--valid-len", type=int, default=900,
                    help="valid (unpadded) key length; the rest is right padding")
    ap.add_argument("--repeat", type=int, default=15, help="timed runs (default: %(default)s)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed torch runs first")
    ap.add_argument("--torch-only", action="store_true", help="skip maskscope")
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON only")
    a = ap.parse_args()
    L, E, H, V = a.seq_len, a.d_model, a.heads, a.valid_len
    if E % H or not (1 <= V <= L) or a.repeat < 1:
        ap.error("need heads | d-model, 1 <= valid-len <= seq-len, repeat >= 1")

    binary = None
    if not a.torch_only:
        binary = resolve_binary(a.maskscope)
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            sys.exit(f"error: maskscope binary not found or not executable: {binary}\n"
                     f"Build it first (cmake -S . -B build && cmake --build build), pass "
                     f"--maskscope PATH, or use --torch-only.")

    quiet = a.json
    config = {"B": 1, "seq_len": L, "d_model": E, "heads": H, "valid_len": V, "causal": True,
              "repeat": a.repeat, "dtype": "float32",
              "env": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}}
    report = {"config": config, "flops": flops(1, L, E, H),
              "torch_blas": check_torch_blas(quiet)}
    report["torch"] = bench_torch(L, E, H, V, a.repeat, a.warmup, quiet)
    if binary:
        report["maskscope_blas"] = check_binary_blas(binary, quiet)
        report["maskscope"] = bench_maskscope(binary, L, E, H, V, a.repeat)
    for side in ("torch", "maskscope"):
        if side in report:
            report[side]["gflops"] = report["flops"] / (report[side]["median_ms"] * 1e-3) / 1e9
    if binary:
        report["ratio_torch_over_maskscope"] = (report["torch"]["median_ms"]
                                                / report["maskscope"]["median_ms"])

    if a.json:
        print(json.dumps(report, indent=2))
        return
    print(f"\nB=1 L={L} E={E} H={H} causal + right padding (valid {V}), float32, "
          f"{a.repeat} runs; FLOPs {report['flops'] / 1e9:.3f} G")
    print(f"torch path: {report['torch']['path']}, {report['torch']['threads']} thread(s)")
    print(f"\n{'':<10} {'median ms':>10} {'min ms':>10} {'GFLOP/s':>9}")
    for side in ("torch", "maskscope"):
        if side in report:
            r = report[side]
            print(f"{side:<10} {r['median_ms']:>10.2f} {r['min_ms']:>10.2f} {r['gflops']:>9.2f}")
    if binary:
        print(f"\nratio torch/maskscope (median): {report['ratio_torch_over_maskscope']:.2f}  "
              f"(>1 = maskscope faster)")
        print(f"maskscope BLAS: {report['maskscope_blas']['kind']}")


if __name__ == "__main__":
    main()
