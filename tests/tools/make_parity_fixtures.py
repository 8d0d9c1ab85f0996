#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate PyTorch reference fixtures for MaskScope's parity tests.

Each case becomes a directory tests/data/parity/<case>/ holding the inputs of
nn.MultiheadAttention, named after its forward arguments and state_dict keys, and
the expected outputs:

    query.npy              (B, Lq, E)
    key.npy, value.npy     (B, Lk, E)   cross-attention only; absent = same as query
    in_proj_weight.npy     (3E, E)
    in_proj_bias.npy       (3E,)        random, non-zero
    out_proj.weight.npy    (E, E)
    out_proj.bias.npy      (E,)         random, non-zero
    attn_mask.npy          (Lq, Lk)     optional; bool (True = blocked) or float (added)
    key_padding_mask.npy   (B, Lk)      optional; bool (True = padding)
    expected_attn_output.npy   (B, Lq, E)
    expected_attn_weights.npy  (B, H, Lq, Lk)  per head (average_attn_weights=False)
    case.json              {"heads", "dtype", "description", "torch_version"}

The expected outputs come from
    nn.MultiheadAttention(E, H, batch_first=True, dropout=0.0).eval()
    mha(q, k, v, attn_mask=..., key_padding_mask=..., need_weights=True,
        average_attn_weights=False)
on the *standard* path (F.multi_head_attention_forward). In torch 1.13 the native
fast path (torch._native_multi_head_attention) can be taken for self-attention
without attn_mask in eval mode when no gradient is required, even with
need_weights=True. It is a different implementation: it rounds differently (on the
Debian 1.13 CPU build about 1 ulp off the standard path; fully padded rows came out
NaN there too, but other builds/devices are reported to give zeros). We avoid it
three ways: grad mode is on and
the parameters require grad (so MultiheadAttention.forward refuses the fast path),
torch._native_multi_head_attention is replaced by a function that raises while the
reference is computed, and the module result must equal a direct call of
F.multi_head_attention_forward bit for bit (NaN pattern included). An independent
NumPy implementation of the formula, in the case's dtype, must agree within
tolerance and have the same NaN pattern.

Arrays are C-contiguous little-endian (np.save). Activations and parameters share
the case's dtype (float64 cases: mha.double() and double inputs). Every case uses
its own torch.manual_seed, so the output is reproducible.

Usage (Debian python with torch 1.13):
    /usr/bin/python3 tests/tools/make_parity_fixtures.py            # (re)write fixtures
    /usr/bin/python3 tests/tools/make_parity_fixtures.py --check    # compare, write nothing
    /usr/bin/python3 tests/tools/make_parity_fixtures.py --out DIR
"""

import argparse
import contextlib
import json
import math
import os
import sys
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO, "tests", "data", "parity")

# Files this script owns inside a case directory (stale ones are removed on rewrite).
OWNED_FILES = {
    "query.npy", "key.npy", "value.npy", "in_proj_weight.npy", "in_proj_bias.npy",
    "out_proj.weight.npy", "out_proj.bias.npy", "attn_mask.npy", "key_padding_mask.npy",
    "expected_attn_output.npy", "expected_attn_weights.npy", "case.json",
}


@dataclass
class Case:
    name: str
    description: str
    seed: int
    B: int
    Lq: int
    E: int
    H: int
    Lk: Optional[int] = None            # None = self-attention (Lk = Lq, key = value = query)
    dtype: str = "float32"
    attn_mask: Optional[str] = None     # see make_attn_mask()
    blocked_rows: List[int] = field(default_factory=list)  # rows fully blocked by attn_mask
    valid_lens: Optional[List[int]] = None  # key_padding_mask from valid lengths
    pad_side: str = "right"
    inputs_from_float32: bool = False   # draw random values in float32, then widen
    # Properties asserted on the result: "uniform_blocked_rows", "nonuniform_blocked_rows",
    # "nan_blocked_rows" (and NaN nowhere else), "no_nan".
    expect: List[str] = field(default_factory=list)

    @property
    def cross(self) -> bool:
        return self.Lk is not None

    @property
    def key_len(self) -> int:
        return self.Lk if self.cross else self.Lq


CASES = [
    Case("self_nomask", "Self-attention, no masks: plain softmax(QK^T/sqrt(dk)) over all keys.",
         seed=101, B=2, Lq=6, E=16, H=4, expect=["no_nan"]),
    Case("causal_bool", "Causal bool attn_mask, True = blocked (torch.triu(ones, 1)): query i "
         "sees keys 0..i. Same seed and inputs as causal_float, so outputs must be identical.",
         seed=102, B=2, Lq=7, E=16, H=4, attn_mask="causal_bool", expect=["no_nan"]),
    Case("causal_float", "Causal float attn_mask: 0 on and below the diagonal, -inf above, added "
         "to the logits. Same seed and inputs as causal_bool, so outputs must be identical.",
         seed=102, B=2, Lq=7, E=16, H=4, attn_mask="causal_float", expect=["no_nan"]),
    Case("kpm_right", "key_padding_mask with right padding, B=3 valid lengths 8, 5, 2 (True = "
         "padding at the end). Padded query rows are still computed; they just cannot be "
         "attended to.",
         seed=103, B=3, Lq=8, E=16, H=4, valid_lens=[8, 5, 2], pad_side="right",
         expect=["no_nan"]),
    Case("kpm_left", "key_padding_mask with left padding, B=3 valid lengths 8, 5, 2 (True = "
         "padding at the start).",
         seed=104, B=3, Lq=8, E=16, H=4, valid_lens=[8, 5, 2], pad_side="left",
         expect=["no_nan"]),
    Case("causal_kpm_right", "Causal bool attn_mask combined with a right-padding "
         "key_padding_mask (valid lengths 8, 6, 3); merged with logical_or. Key 0 is always "
         "valid, so no row is fully blocked.",
         seed=105, B=3, Lq=8, E=16, H=4, attn_mask="causal_bool", valid_lens=[8, 6, 3],
         pad_side="right", expect=["no_nan"]),
    Case("causal_kpm_left_nan", "Causal bool attn_mask combined with a left-padding "
         "key_padding_mask (valid lengths 7, 4, 1): in item b the first 7-len(b) query rows "
         "see only padded keys, so they are fully blocked by the merge and come out NaN "
         "(weights and output).",
         seed=106, B=3, Lq=7, E=16, H=4, attn_mask="causal_bool", valid_lens=[7, 4, 1],
         pad_side="left"),
    Case("neg1e9_blocked_row_f32", "Float attn_mask using a finite -1e9 instead of -inf: causal "
         "(-1e9 above the diagonal) and row 3 fully blocked (-1e9 everywhere). In float32 "
         "-1e9 + logit rounds to -1e9 exactly (ulp 64), so the blocked row comes out uniform "
         "1/Lk, not NaN. Same values as neg1e9_blocked_row_f64.",
         seed=107, B=2, Lq=6, E=16, H=4, attn_mask="causal_neg1e9", blocked_rows=[3],
         expect=["no_nan", "uniform_blocked_rows"]),
    Case("neg1e9_blocked_row_f64", "Float64 twin of neg1e9_blocked_row_f32 (same random values, "
         "drawn in float32 and widened): in float64 -1e9 + logit keeps the logit (ulp ~1.2e-7), "
         "so the fully blocked row 3 is softmax over its unmasked logits: finite and NOT "
         "uniform. Those logits carry rounding error up to ulp(1e9)/2 ~ 6e-8, so compare this "
         "case at ~1e-6, not at the usual float64 tolerance.",
         seed=107, B=2, Lq=6, E=16, H=4, dtype="float64", attn_mask="causal_neg1e9",
         blocked_rows=[3], inputs_from_float32=True,
         expect=["no_nan", "nonuniform_blocked_rows"]),
    Case("bool_blocked_row_nan", "Bool attn_mask that blocks all of row 2 (plus causal "
         "elsewhere): the blocked row becomes -inf everywhere, softmax gives NaN, and the NaN "
         "spreads through the output row (all E columns, every batch item). Every other row "
         "is finite.",
         seed=108, B=2, Lq=6, E=16, H=4, attn_mask="causal_bool", blocked_rows=[2],
         expect=["nan_blocked_rows"]),
    Case("cross_kpm", "Cross-attention, Lq=5 queries over Lk=9 keys/values (key.npy and "
         "value.npy are distinct tensors), with a right-padding key_padding_mask (valid key "
         "lengths 9, 4).",
         seed=109, B=2, Lq=5, Lk=9, E=16, H=4, valid_lens=[9, 4], pad_side="right",
         expect=["no_nan"]),
    Case("heads1", "A single head (dk = E = 8) with a causal bool attn_mask: scale is "
         "1/sqrt(8).",
         seed=110, B=2, Lq=6, E=8, H=1, attn_mask="causal_bool", expect=["no_nan"]),
    Case("heads8", "Eight heads of dk=4 (E=32), self-attention with a right-padding "
         "key_padding_mask (valid lengths 10, 7). Without attn_mask and with even heads this "
         "configuration is fast-path eligible in torch 1.13; the fixture is the standard path.",
         seed=111, B=2, Lq=10, E=32, H=8, valid_lens=[10, 7], pad_side="right",
         expect=["no_nan"]),
    Case("causal_kpm_f64", "Float64: causal bool attn_mask plus right-padding key_padding_mask "
         "(valid lengths 9, 6, 2).",
         seed=112, B=3, Lq=9, E=16, H=4, dtype="float64", attn_mask="causal_bool",
         valid_lens=[9, 6, 2], pad_side="right", expect=["no_nan"]),
    Case("float_bias_kpm", "Float attn_mask of arbitrary finite biases (randn) added to the "
         "logits, combined with a right-padding key_padding_mask (valid lengths 7, 5, 3) "
         "merged by masked_fill(-inf). Biases change the weights without blocking anything.",
         seed=113, B=3, Lq=7, E=16, H=4, attn_mask="randn", valid_lens=[7, 5, 3],
         pad_side="right", expect=["no_nan"]),
    Case("kpm_all_padded", "Self-attention with key_padding_mask where batch item 1 is entirely "
         "padding (valid lengths 6, 0): every row of item 1 is fully blocked and comes out NaN "
         "(weights and output) on the standard path. Item 0 is finite. This configuration is "
         "fast-path eligible in torch 1.13; the fixture is the standard path.",
         seed=114, B=2, Lq=6, E=16, H=4, valid_lens=[6, 0], pad_side="right"),
]


def torch_dtype(name):
    return {"float32": torch.float32, "float64": torch.float64}[name]


def make_attn_mask(case: Case, gen_dtype) -> Optional[torch.Tensor]:
    """(Lq, Lk) attn_mask in PyTorch's spelling, or None."""
    Lq, Lk = case.Lq, case.key_len
    kind = case.attn_mask
    if kind is None:
        return None
    upper = torch.triu(torch.ones(Lq, Lk, dtype=torch.bool), diagonal=1)
    if kind == "causal_bool":
        m = upper.clone()
        for r in case.blocked_rows:
            m[r, :] = True
        return m
    if kind == "causal_float":
        m = torch.zeros(Lq, Lk, dtype=gen_dtype).masked_fill(upper, float("-inf"))
        assert not case.blocked_rows
        return m
    if kind == "causal_neg1e9":
        m = torch.zeros(Lq, Lk, dtype=gen_dtype).masked_fill(upper, -1e9)
        for r in case.blocked_rows:
            m[r, :] = -1e9
        return m
    if kind == "randn":
        return torch.randn(Lq, Lk, dtype=gen_dtype)
    raise ValueError(kind)


def make_key_padding_mask(case: Case) -> Optional[torch.Tensor]:
    if case.valid_lens is None:
        return None
    Lk = case.key_len
    assert len(case.valid_lens) == case.B
    kpm = torch.zeros(case.B, Lk, dtype=torch.bool)
    for b, n in enumerate(case.valid_lens):
        if case.pad_side == "right":
            kpm[b, n:] = True
        else:
            kpm[b, :Lk - n] = True
    return kpm


@contextlib.contextmanager
def fast_path_forbidden():
    """Make any use of the native fast path an error while the reference is computed."""
    original = torch._native_multi_head_attention

    def refuse(*args, **kwargs):
        raise AssertionError("nn.MultiheadAttention took the native fast path")

    torch._native_multi_head_attention = refuse
    try:
        yield
    finally:
        torch._native_multi_head_attention = original


def build(case: Case):
    """Returns (mha, query, key, value, attn_mask, key_padding_mask) for a case."""
    dt = torch_dtype(case.dtype)
    gen_dt = torch.float32 if case.inputs_from_float32 else dt
    torch.manual_seed(case.seed)
    mha = nn.MultiheadAttention(case.E, case.H, batch_first=True, dropout=0.0)
    with torch.no_grad():
        mha.in_proj_bias.copy_(0.5 * torch.randn(3 * case.E))
        mha.out_proj.bias.copy_(0.5 * torch.randn(case.E))
    if case.dtype == "float64":
        mha.double()
    mha.eval()
    query = torch.randn(case.B, case.Lq, case.E, dtype=gen_dt).to(dt)
    if case.cross:
        key = torch.randn(case.B, case.Lk, case.E, dtype=gen_dt).to(dt)
        value = torch.randn(case.B, case.Lk, case.E, dtype=gen_dt).to(dt)
    else:
        key = value = query
    attn_mask = make_attn_mask(case, gen_dt)
    if attn_mask is not None and attn_mask.is_floating_point():
        attn_mask = attn_mask.to(dt)
    kpm = make_key_padding_mask(case)
    return mha, query, key, value, attn_mask, kpm


def run_module(mha, query, key, value, attn_mask, kpm):
    """The reference: the module's standard path, grad enabled, fast path forbidden."""
    assert not mha.training and mha.dropout == 0.0 and mha.batch_first
    assert all(p.requires_grad for p in mha.parameters())
    with torch.enable_grad(), fast_path_forbidden():
        q = query.clone().requires_grad_(True)
        if key is query:
            k = v = q                      # keep `query is key is value` for self-attention
        else:
            k, v = key.clone(), value.clone()
        out, w = mha(q, k, v, attn_mask=attn_mask, key_padding_mask=kpm,
                     need_weights=True, average_attn_weights=False)
    return out.detach().numpy(), w.detach().numpy()


def run_functional(mha, query, key, value, attn_mask, kpm):
    """F.multi_head_attention_forward called directly (sequence-first layout)."""
    with torch.no_grad():
        q = query.transpose(0, 1)
        if key is query:
            k = v = q
        else:
            k, v = key.transpose(0, 1), value.transpose(0, 1)
        out, w = F.multi_head_attention_forward(
            q, k, v, mha.embed_dim, mha.num_heads, mha.in_proj_weight, mha.in_proj_bias,
            None, None, False, 0.0, mha.out_proj.weight, mha.out_proj.bias, training=False,
            key_padding_mask=kpm, need_weights=True, attn_mask=attn_mask,
            average_attn_weights=False)
    return out.transpose(0, 1).numpy(), w.numpy()


def formula(query, key, value, W, b, Wo, bo, H, attn_mask, kpm):
    """Independent NumPy implementation, computed in the inputs' dtype."""
    dt = query.dtype
    B, Lq, E = query.shape
    Lk = key.shape[1]
    dk = E // H
    Q = query @ W[:E].T + b[:E]
    K = key @ W[E:2 * E].T + b[E:2 * E]
    V = value @ W[2 * E:].T + b[2 * E:]
    Q = Q.reshape(B, Lq, H, dk).transpose(0, 2, 1, 3)
    K = K.reshape(B, Lk, H, dk).transpose(0, 2, 1, 3)
    V = V.reshape(B, Lk, H, dk).transpose(0, 2, 1, 3)
    Q = Q / dt.type(math.sqrt(dk))
    mask = np.zeros((B, 1, Lq, Lk), dtype=dt)
    if attn_mask is not None:
        if attn_mask.dtype == np.bool_:
            mask = np.where(attn_mask, dt.type(-np.inf), mask)
        else:
            mask = mask + attn_mask
    if kpm is not None:
        mask = np.where(kpm[:, None, None, :], dt.type(-np.inf), mask)
    with np.errstate(invalid="ignore"):
        logits = mask + Q @ K.transpose(0, 1, 3, 2)
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        weights = e / e.sum(axis=-1, keepdims=True)
        ctx = (weights @ V).transpose(0, 2, 1, 3).reshape(B, Lq, E)
        out = ctx @ Wo.T + bo
    return out.astype(dt), weights.astype(dt)


def same_bits(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


def max_abs_diff(a, b):
    """Max |a-b| over finite entries; raises if the NaN patterns differ."""
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        raise AssertionError("NaN patterns differ")
    fin = ~np.isnan(a)
    return float(np.max(np.abs(a[fin] - b[fin]), initial=0.0))


def check_expectations(case: Case, out, w, attn_mask, kpm):
    Lk = case.key_len
    nan_rows = np.isnan(w).any(axis=-1)                    # (B, H, Lq)
    # A row is either entirely NaN or entirely finite, in the weights and in the output.
    assert np.array_equal(nan_rows, np.isnan(w).all(axis=-1))
    out_nan_rows = np.isnan(out).any(axis=-1)              # (B, Lq)
    assert np.array_equal(out_nan_rows, np.isnan(out).all(axis=-1))
    assert np.array_equal(out_nan_rows, nan_rows.any(axis=1))
    assert np.array_equal(nan_rows, np.broadcast_to(nan_rows[:, :1], nan_rows.shape))
    # NaN rows are exactly the rows with no allowed key (-inf everywhere).
    blocked = np.zeros((case.B, case.Lq, Lk), dtype=bool)
    if attn_mask is not None:
        blocked |= (attn_mask if attn_mask.dtype == np.bool_ else np.isneginf(attn_mask))[None]
    if kpm is not None:
        blocked |= kpm[:, None, :]
    assert np.array_equal(out_nan_rows, blocked.all(axis=-1)), "NaN rows != fully blocked rows"
    # Finite rows sum to one and give exactly zero weight to -inf-blocked keys.
    fin = ~nan_rows
    tol = 1e-5 if case.dtype == "float32" else 1e-12
    assert np.allclose(w.sum(axis=-1)[fin], 1.0, atol=tol)
    assert np.all(w[np.broadcast_to(blocked[:, None], w.shape) & fin[..., None]] == 0.0)
    for e in case.expect:
        rows = w[:, :, case.blocked_rows, :]
        if e == "no_nan":
            assert not np.isnan(w).any() and not np.isnan(out).any()
        elif e == "uniform_blocked_rows":
            assert np.all(rows == rows[..., :1]) and np.allclose(rows, 1.0 / Lk), "not uniform"
        elif e == "nonuniform_blocked_rows":
            assert np.all(np.ptp(rows, axis=-1) > 1e-3), "blocked rows unexpectedly uniform"
        elif e == "nan_blocked_rows":
            assert np.all(np.isnan(rows))
            assert np.isnan(w).sum() == rows.size, "NaN outside the blocked rows"
        else:
            raise ValueError(e)
    return int(nan_rows[:, 0].sum())


def le_contiguous(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    if a.dtype.byteorder == ">" or (a.dtype.byteorder == "=" and sys.byteorder == "big"):
        a = a.astype(a.dtype.newbyteorder("<"))
    return a


def generate(case: Case):
    """Computes a case; returns ({filename: array}, case_json, stats)."""
    mha, query, key, value, attn_mask, kpm = build(case)
    out, w = run_module(mha, query, key, value, attn_mask, kpm)
    out_f, w_f = run_functional(mha, query, key, value, attn_mask, kpm)
    if not (same_bits(out, out_f) and same_bits(w, w_f)):
        raise AssertionError(f"{case.name}: module differs from F.multi_head_attention_forward")

    dt = np.dtype(case.dtype)
    sd = {k: v.detach().numpy() for k, v in mha.state_dict().items()}
    np_mask = None if attn_mask is None else attn_mask.numpy()
    np_kpm = None if kpm is None else kpm.numpy()
    out_r, w_r = formula(query.numpy(), key.numpy(), value.numpy(), sd["in_proj_weight"],
                         sd["in_proj_bias"], sd["out_proj.weight"], sd["out_proj.bias"],
                         case.H, np_mask, np_kpm)
    tol = (2e-5, 1e-5) if case.dtype == "float32" else (1e-12, 1e-12)
    if np_mask is not None and np_mask.dtype != np.bool_:
        # Adding a large finite mask value rounds the logit to ulp(|mask|): allow for that.
        big = float(np.max(np.abs(np_mask[np.isfinite(np_mask)]), initial=0.0))
        tol = (tol[0] + 8 * np.finfo(dt).eps * big, tol[1])
    d_out, d_w = max_abs_diff(out, out_r), max_abs_diff(w, w_r)
    fin = ~np.isnan(out)
    if not (np.allclose(out[fin], out_r[fin], atol=tol[0], rtol=tol[1])
            and np.allclose(w[~np.isnan(w)], w_r[~np.isnan(w)], atol=tol[0], rtol=tol[1])):
        raise AssertionError(f"{case.name}: formula disagrees (out {d_out:.3g}, w {d_w:.3g})")
    nan_rows = check_expectations(case, out, w, np_mask, np_kpm)

    assert out.shape == (case.B, case.Lq, case.E) and out.dtype == dt
    assert w.shape == (case.B, case.H, case.Lq, case.key_len) and w.dtype == dt
    files = {
        "query.npy": query.numpy(),
        "in_proj_weight.npy": sd["in_proj_weight"],
        "in_proj_bias.npy": sd["in_proj_bias"],
        "out_proj.weight.npy": sd["out_proj.weight"],
        "out_proj.bias.npy": sd["out_proj.bias"],
        "expected_attn_output.npy": out,
        "expected_attn_weights.npy": w,
    }
    if case.cross:
        files["key.npy"] = key.numpy()
        files["value.npy"] = value.numpy()
    if np_mask is not None:
        files["attn_mask.npy"] = np_mask
    if np_kpm is not None:
        files["key_padding_mask.npy"] = np_kpm
    for name, a in files.items():
        assert a.dtype == dt or (name.endswith("mask.npy") and a.dtype == np.bool_), name
    assert np_kpm is None or np_kpm.dtype == np.bool_
    files = {k: le_contiguous(v) for k, v in files.items()}
    meta = {"heads": case.H, "dtype": case.dtype, "description": case.description,
            "torch_version": torch.__version__}
    stats = {"d_out": d_out, "d_w": d_w, "nan_rows": nan_rows}
    return files, meta, stats


def write_case(out_dir, case, files, meta):
    d = os.path.join(out_dir, case.name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f in OWNED_FILES and f not in files and f != "case.json":
            os.remove(os.path.join(d, f))
    for name, a in files.items():
        np.save(os.path.join(d, name), a, allow_pickle=False)
    with open(os.path.join(d, "case.json"), "w") as fh:
        json.dump(meta, fh, indent=2)
        fh.write("\n")
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))


def compare_case(out_dir, case, files, meta):
    """--check: True iff the committed case matches what we would write."""
    d = os.path.join(out_dir, case.name)
    present = {f for f in os.listdir(d) if f in OWNED_FILES} if os.path.isdir(d) else set()
    if present != set(files) | {"case.json"}:
        return False
    for name, a in files.items():
        if not same_bits(np.load(os.path.join(d, name), allow_pickle=False), a):
            return False
    with open(os.path.join(d, "case.json")) as fh:
        return json.load(fh) == meta


def describe_masks(case):
    parts = []
    if case.attn_mask:
        parts.append(case.attn_mask + (f" rows{case.blocked_rows}" if case.blocked_rows else ""))
    if case.valid_lens is not None:
        parts.append(f"kpm-{case.pad_side}{case.valid_lens}")
    return " + ".join(parts) or "-"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory and compare with the files in --out; write nothing")
    args = ap.parse_args()

    torch.set_num_threads(1)
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    print(f"torch {torch.__version__}, numpy {np.__version__}; "
          f"{'checking' if args.check else 'writing'} {args.out}")
    hdr = (f"{'case':<24} {'dtype':<7} {'B':>2} {'Lq':>3} {'Lk':>3} {'E':>3} {'H':>2} "
           f"{'NaN rows':>8} {'max|d out|':>10} {'max|d w|':>9} {'bytes':>6}  masks")
    print(hdr)
    print("-" * len(hdr))
    total, failures = 0, []
    for case in CASES:
        files, meta, st = generate(case)
        if args.check:
            ok = compare_case(args.out, case, files, meta)
            if not ok:
                failures.append(case.name)
            d = os.path.join(args.out, case.name)
            size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
                       if f in OWNED_FILES) if os.path.isdir(d) else 0
        else:
            size = write_case(args.out, case, files, meta)
        total += size
        print(f"{case.name:<24} {case.dtype:<7} {case.B:>2} {case.Lq:>3} {case.key_len:>3} "
              f"{case.E:>3} {case.H:>2} {st['nan_rows']:>8} {st['d_out']:>10.2e} "
              f"{st['d_w']:>9.2e} {size:>6}  {describe_masks(case)}"
              + ("" if not args.check else ("  OK" if ok else "  MISMATCH")))
    print("-" * len(hdr))
    print(f"{len(CASES)} cases, {total} bytes total. NaN rows = (batch item, query) rows that are "
          f"NaN in every head; d = module vs independent NumPy formula (finite entries).")
    assert total < 1_000_000, "fixtures must stay under 1 MB"
    if failures:
        print("MISMATCH in: " + ", ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
