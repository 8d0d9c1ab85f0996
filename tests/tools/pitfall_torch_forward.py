#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""PyTorch's side of MaskScope's float16/bfloat16 parity test (tests/core/tst_numberformats.cpp).

Usage: pitfall_torch_forward.py DIR FORMAT HEADS
DIR holds query.npy, key.npy, value.npy (B, L, E), in_proj_weight.npy, in_proj_bias.npy,
out_proj.weight.npy, out_proj.bias.npy and attn_mask.npy (B, Lq, Lk), all float32; the mask is
MaskScope's additive mask before any rounding (so -1e9 is still -1e9: the conversion is torch's).
Writes DIR/torch_weights.npy (B, H, Lq, Lk) and DIR/torch_output.npy (B, Lq, E) as float32.

bf16: the real nn.MultiheadAttention in torch.bfloat16 on the CPU (PyTorch 1.13 supports it).
f16:  PyTorch 1.13 has no float16 matmul or softmax on the CPU ("addmm_impl_cpu_" not implemented
      for 'Half'), so those run in float32 and are rounded with .half(), which is what fp32
      accumulation on a GPU does; everything else runs natively in half: the conversions of the
      inputs, parameters and mask, q / sqrt(d_k), and logits + mask.
"""
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F


def load(directory, name):
    return torch.from_numpy(np.load(f"{directory}/{name}.npy"))


def bfloat16_forward(d, heads):
    q, k, v = load(d, "query"), load(d, "key"), load(d, "value")
    e = q.shape[-1]
    mha = torch.nn.MultiheadAttention(e, heads, batch_first=True)
    with torch.no_grad():
        mha.in_proj_weight.copy_(load(d, "in_proj_weight"))
        mha.in_proj_bias.copy_(load(d, "in_proj_bias"))
        mha.out_proj.weight.copy_(load(d, "out_proj.weight"))
        mha.out_proj.bias.copy_(load(d, "out_proj.bias"))
    mha = mha.to(torch.bfloat16)  # training mode with dropout 0: the documented slow path
    mask = load(d, "attn_mask").to(torch.bfloat16).repeat_interleave(heads, dim=0)  # (B*H, Lq, Lk)
    bf = lambda t: t.to(torch.bfloat16)
    out, weights = mha(bf(q), bf(k), bf(v), attn_mask=mask, need_weights=True, average_attn_weights=False)
    return weights.float(), out.float()


def float16_forward(d, heads):
    half = lambda t: t.half()
    q_in, k_in, v_in = (half(load(d, n)) for n in ("query", "key", "value"))
    w_in, b_in = half(load(d, "in_proj_weight")), half(load(d, "in_proj_bias"))
    w_out, b_out = half(load(d, "out_proj.weight")), half(load(d, "out_proj.bias"))
    mask = half(load(d, "attn_mask"))  # -1e9 -> -inf, as .half() converts it
    e = q_in.shape[-1]
    dk = e // heads
    # float32 products of the half values, stored in half. The in-projections add the bias after
    # storing the product, as nn.MultiheadAttention(batch_first=True) does (its F.linear gets a
    # transposed input and does not fuse the bias); out_proj fuses it (contiguous 2-D input).
    in_linear = lambda x, w, b: ((x.float() @ w.float().t()).half() + b)  # native half addition
    linear = lambda x, w, b: F.linear(x.float(), w.float(), b.float()).half()
    matmul = lambda a, b: (a.float() @ b.float()).half()
    q = in_linear(q_in, w_in[:e], b_in[:e])
    k = in_linear(k_in, w_in[e:2 * e], b_in[e:2 * e])
    v = in_linear(v_in, w_in[2 * e:], b_in[2 * e:])
    split = lambda t: t.unflatten(-1, (heads, dk)).transpose(1, 2)  # (B, H, L, dk)
    q, k, v = split(q), split(k), split(v)
    q = q / math.sqrt(dk)  # native half: the divisor is converted to half first
    logits = matmul(q, k.transpose(-2, -1))
    masked = logits + mask[:, None]  # native half addition
    weights = torch.softmax(masked.float(), dim=-1).half()
    heads_out = matmul(weights, v)  # (B, H, Lq, dk)
    concat = heads_out.transpose(1, 2).flatten(-2)
    out = linear(concat, w_out, b_out)
    return weights.float(), out.float()


def main():
    d, fmt, heads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    weights, out = (bfloat16_forward if fmt == "bf16" else float16_forward)(d, heads)
    np.save(f"{d}/torch_weights.npy", weights.detach().numpy().astype(np.float32))
    np.save(f"{d}/torch_output.npy", out.detach().numpy().astype(np.float32))


if __name__ == "__main__":
    main()
