#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference attention of tiny models whose weights are a formula (so nothing but the results is
committed): Qwen2 (q/k/v biases, separate output head) and Mistral (a sliding window), both in
Hugging Face's rotate-half layout with grouped-query attention, and GPT-2 (learned positions,
LayerNorm, Conv1D weights stored (in, out), GELU tanh). Independent forward passes in PyTorch
(Debian's python3-torch), written as Hugging Face's modeling_llama / modeling_gpt2 compute them.
tst_forward builds the same checkpoints in memory from the same formula.

Weight formula: tensor number t (in the order of the "tensors" list), element k (C order):
  0.4 * sin(0.37 k + 1.1 t + 0.5) + offset, offset 1 for norm weights, else 0; computed in
  float64, stored float32.

Writes tests/data/model/tiny_<name>.json. Conventions as make_model_reference.py.
Run from the repository root:  /usr/bin/python3 tests/tools/make_tiny_model_reference.py
"""
import json
import math
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "model")

MODELS = {
    "qwen2": dict(layers=2, d=16, heads=4, kv_heads=2, ffn=24, vocab=32, theta=1e6, eps=1e-6, bias=True,
                  tied=False, window=None),
    "mistral": dict(layers=2, d=16, heads=4, kv_heads=1, ffn=24, vocab=32, theta=1e4, eps=1e-5, bias=False,
                    tied=False, window=3),
    "gpt2": dict(layers=2, d=16, heads=4, kv_heads=4, ffn=64, vocab=32, positions=16, eps=1e-5, gpt2=True),
}
SEQUENCES = [[1, 5, 9, 30, 2, 17, 8], [1, 11, 4, 22]]  # left-padded with 0 to length 7


def tensor_names(c):
    names = [("model.embed_tokens.weight", (c["vocab"], c["d"]))]
    hd = c["d"] // c["heads"]
    for l in range(c["layers"]):
        p = f"model.layers.{l}."
        names += [(p + "input_layernorm.weight", (c["d"],)),
                  (p + "self_attn.q_proj.weight", (c["heads"] * hd, c["d"])),
                  (p + "self_attn.k_proj.weight", (c["kv_heads"] * hd, c["d"])),
                  (p + "self_attn.v_proj.weight", (c["kv_heads"] * hd, c["d"])),
                  (p + "self_attn.o_proj.weight", (c["d"], c["heads"] * hd)),
                  (p + "post_attention_layernorm.weight", (c["d"],)),
                  (p + "mlp.gate_proj.weight", (c["ffn"], c["d"])),
                  (p + "mlp.up_proj.weight", (c["ffn"], c["d"])),
                  (p + "mlp.down_proj.weight", (c["d"], c["ffn"]))]
        if c["bias"]:
            names += [(p + "self_attn.q_proj.bias", (c["heads"] * hd,)),
                      (p + "self_attn.k_proj.bias", (c["kv_heads"] * hd,)),
                      (p + "self_attn.v_proj.bias", (c["kv_heads"] * hd,))]
    names.append(("model.norm.weight", (c["d"],)))
    if not c["tied"]:
        names.append(("lm_head.weight", (c["vocab"], c["d"])))
    return names


def gpt2_tensor_names(c):
    d, f = c["d"], c["ffn"]
    names = [("wte.weight", (c["vocab"], d)), ("wpe.weight", (c["positions"], d))]
    for l in range(c["layers"]):
        p = f"h.{l}."
        names += [(p + "ln_1.weight", (d,)), (p + "ln_1.bias", (d,)),
                  (p + "attn.c_attn.weight", (d, 3 * d)), (p + "attn.c_attn.bias", (3 * d,)),
                  (p + "attn.c_proj.weight", (d, d)), (p + "attn.c_proj.bias", (d,)),
                  (p + "ln_2.weight", (d,)), (p + "ln_2.bias", (d,)),
                  (p + "mlp.c_fc.weight", (d, f)), (p + "mlp.c_fc.bias", (f,)),
                  (p + "mlp.c_proj.weight", (f, d)), (p + "mlp.c_proj.bias", (d,))]
    return names + [("ln_f.weight", (d,)), ("ln_f.bias", (d,))]


def names_of(c):
    return gpt2_tensor_names(c) if c.get("gpt2") else tensor_names(c)


def offset_of(name):
    return 1.0 if "norm.weight" in name or ("ln_" in name and name.endswith(".weight")) else 0.0


def weights(c):
    w = {}
    for t, (name, shape) in enumerate(names_of(c)):
        k = np.arange(int(np.prod(shape)), dtype=np.float64)
        v = 0.4 * np.sin(0.37 * k + 1.1 * t + 0.5) + offset_of(name)
        w[name] = torch.from_numpy(v.astype(np.float32).reshape(shape))
    return w


def rms_norm(x, weight, eps):
    variance = x.pow(2).mean(-1, keepdim=True)
    return weight * (x * torch.rsqrt(variance + eps))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def forward(c, w, ids, real):
    B, L = ids.shape
    H, KV = c["heads"], c["kv_heads"]
    hd = c["d"] // H
    position_ids = (torch.cumsum(real.long(), -1) - real.long())
    inv_freq = 1.0 / (c["theta"] ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    freqs = position_ids[..., None].float() * inv_freq  # (B, L, hd/2)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]  # (B, 1, L, hd)
    i = torch.arange(L)[:, None]
    j = torch.arange(L)[None, :]
    allowed = (j <= i)
    if c["window"]:
        allowed = allowed & (i - j < c["window"])
    allowed = allowed[None] & real[:, None, :]
    additive = torch.zeros(B, L, L).masked_fill(~allowed, float("-inf"))[:, None]
    x = w["model.embed_tokens.weight"][ids]
    result = []
    for l in range(c["layers"]):
        p = f"model.layers.{l}."

        def proj(name, h):
            y = h @ w[p + name + ".weight"].T
            return y + w[p + name + ".bias"] if c["bias"] else y

        h = rms_norm(x, w[p + "input_layernorm.weight"], c["eps"])
        q = proj("self_attn.q_proj", h).view(B, L, H, hd).transpose(1, 2)
        k = proj("self_attn.k_proj", h).view(B, L, KV, hd).transpose(1, 2)
        v = proj("self_attn.v_proj", h).view(B, L, KV, hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(B, KV, H // KV, L, hd).reshape(B, H, L, hd)  # repeat_kv
        v = v[:, :, None].expand(B, KV, H // KV, L, hd).reshape(B, H, L, hd)
        attn = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(hd) + additive, dim=-1)
        result.append(attn.clone())
        out = (torch.nan_to_num(attn, nan=0.0) @ v).transpose(1, 2).reshape(B, L, H * hd)
        x = x + out @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], c["eps"])
        x = x + (torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
                 * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    return torch.stack(result), x


def gpt2_forward(c, w, ids, real):
    B, L = ids.shape
    H, d = c["heads"], c["d"]
    hd = d // H
    positions = torch.cumsum(real.long(), -1) - real.long()
    allowed = torch.tril(torch.ones(L, L, dtype=torch.bool))[None] & real[:, None, :]
    additive = torch.zeros(B, L, L).masked_fill(~allowed, float("-inf"))[:, None]
    ln = lambda x, p: torch.nn.functional.layer_norm(x, (d,), w[p + ".weight"], w[p + ".bias"], c["eps"])
    conv = lambda x, p: torch.addmm(w[p + ".bias"], x.reshape(-1, x.shape[-1]), w[p + ".weight"]).view(
        *x.shape[:-1], -1)
    x = w["wte.weight"][ids] + w["wpe.weight"][positions]
    result = []
    for l in range(c["layers"]):
        p = f"h.{l}."
        q, k, v = conv(ln(x, p + "ln_1"), p + "attn.c_attn").split(d, dim=2)
        q, k, v = (t.view(B, L, H, hd).transpose(1, 2) for t in (q, k, v))
        attn = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + additive, dim=-1)
        result.append(attn.clone())
        out = (torch.nan_to_num(attn, nan=0.0) @ v).transpose(1, 2).reshape(B, L, d)
        x = x + conv(out, p + "attn.c_proj")
        h = torch.nn.functional.gelu(conv(ln(x, p + "ln_2"), p + "mlp.c_fc"), approximate="tanh")
        x = x + conv(h, p + "mlp.c_proj")
    return torch.stack(result), ln(x, "ln_f")


def main():
    torch.set_grad_enabled(False)
    L = max(len(s) for s in SEQUENCES)
    ids = torch.zeros(len(SEQUENCES), L, dtype=torch.long)
    real = torch.zeros(len(SEQUENCES), L, dtype=torch.bool)
    for b, s in enumerate(SEQUENCES):
        ids[b, L - len(s):] = torch.tensor(s)
        real[b, L - len(s):] = True
    for name, c in MODELS.items():
        w = weights(c)
        if c.get("gpt2"):
            attn, final = gpt2_forward(c, w, ids, real)
            head = w["wte.weight"]
        else:
            attn, x = forward(c, w, ids, real)
            final = rms_norm(x, w["model.norm.weight"], c["eps"])
            head = w["model.embed_tokens.weight"] if c["tied"] else w["lm_head.weight"]
        next_tokens = []
        for b in range(len(SEQUENCES)):
            p = torch.softmax((final[b, -1] @ head.T).double(), -1)
            top = torch.topk(p, 3)
            next_tokens.append([[int(i), float(q)] for q, i in zip(top.values, top.indices)])
        with open(os.path.join(OUT, f"tiny_{name}.json"), "w", encoding="utf-8") as f:
            json.dump({"config": c, "sequences": SEQUENCES, "pad_side": "left",
                       "tensors": [[n, list(s), offset_of(n)] for n, s in names_of(c)],
                       "weights_shape": list(attn.shape),
                       "weights": [round(float(v), 9) if not math.isnan(v) else None for v in attn.flatten().tolist()],
                       "next_tokens": next_tokens}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
