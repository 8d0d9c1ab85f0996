#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference attention of the real stories260K model (../shared/models/stories260K, never
copied here) for tst_forward: an independent Llama forward pass in PyTorch (Debian's
python3-torch), reading the llama2.c .bin itself with NumPy, rotating interleaved pairs with
complex numbers as llama2.c's model.py does.

For each case writes OUT/stories260K_<case>.json (token ids, pad side, valid lengths, the top-5
next tokens) and OUT/stories260K_<case>_weights.npy: float32 attention weights, shape (layers,
batch, heads, L, L). They are derived from the model, so they are never committed: tst_forward
writes them into a temporary directory at test time.

Conventions the C++ forward shares (model/forward.h): BOS 1 then SentencePiece's ids; padding
id 0; a token's position is the number of real tokens before it; the mask is causal AND not
padding, filled with -inf; a row without an allowed key has NaN weights and adds nothing to the
residual stream.

    /usr/bin/python3 tests/tools/make_model_reference.py [--out DIR (default: .)] [--shared DIR]
"""
import argparse
import json
import os

import numpy as np
import sentencepiece as spm
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CASES = {
    "single": (["Once upon a time, there was a little girl named Lily."], "right"),
    "left": (["Lily saw a cat.", "The big dog ran to the park and played."], "left"),
    "right": (["Lily saw a cat.", "The big dog ran to the park and played."], "right"),
}


def read_llama2c(path):
    raw = open(path, "rb").read()
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = np.frombuffer(raw[:28], dtype="<i4")
    shared = vocab > 0
    vocab = abs(int(vocab))
    floats = np.frombuffer(raw[28:], dtype="<f4")
    head_dim = dim // heads
    pos = 0

    def take(*shape):
        nonlocal pos
        n = int(np.prod(shape))
        t = torch.from_numpy(floats[pos:pos + n].copy()).reshape(shape)
        pos += n
        return t

    w = {"embed": take(vocab, dim), "att_norm": take(layers, dim), "wq": take(layers, dim, dim),
         "wk": take(layers, kv_heads * head_dim, dim), "wv": take(layers, kv_heads * head_dim, dim),
         "wo": take(layers, dim, dim), "ffn_norm": take(layers, dim), "w1": take(layers, hidden, dim),
         "w2": take(layers, dim, hidden), "w3": take(layers, hidden, dim), "norm": take(dim)}
    take(seq_len, head_dim // 2)
    take(seq_len, head_dim // 2)
    w["head"] = w["embed"] if shared else take(vocab, dim)
    assert pos == floats.size
    cfg = dict(dim=int(dim), layers=int(layers), heads=int(heads), kv_heads=int(kv_heads), head_dim=int(head_dim))
    return cfg, w


def rms_norm(x, weight, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate_interleaved(x, positions, theta=10000.0):
    """x: (B, L, H, d); positions: (B, L). Pairs (2i, 2i+1) as complex numbers."""
    d = x.shape[-1]
    freqs = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    angles = positions.float()[..., None] * freqs  # (B, L, d/2)
    rotation = torch.polar(torch.ones_like(angles), angles)[:, :, None, :]
    xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], d // 2, 2))
    return torch.view_as_real(xc * rotation).flatten(3)


def forward(cfg, w, ids, valid, pad_left):
    """Returns per-layer weights (layers, B, H, L, L) and final hidden states (B, L, dim)."""
    B, L = ids.shape
    H, KV, d = cfg["heads"], cfg["kv_heads"], cfg["head_dim"]
    real = torch.zeros(B, L, dtype=torch.bool)
    for b in range(B):
        if pad_left:
            real[b, L - valid[b]:] = True
        else:
            real[b, :valid[b]] = True
    positions = torch.cumsum(real.long(), dim=1) - real.long()  # real tokens before each token
    causal = torch.tril(torch.ones(L, L, dtype=torch.bool))
    allowed = causal[None, :, :] & real[:, None, :]  # (B, Lq, Lk)
    additive = torch.zeros(B, L, L).masked_fill(~allowed, float("-inf"))
    x = w["embed"][ids]
    all_weights = []
    for l in range(cfg["layers"]):
        h = rms_norm(x, w["att_norm"][l])
        q = (h @ w["wq"][l].T).view(B, L, H, d)
        k = (h @ w["wk"][l].T).view(B, L, KV, d)
        v = (h @ w["wv"][l].T).view(B, L, KV, d)
        q = rotate_interleaved(q, positions)
        k = rotate_interleaved(k, positions)
        k = k.repeat_interleave(H // KV, dim=2)
        v = v.repeat_interleave(H // KV, dim=2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # (B, H, L, d)
        logits = q @ k.transpose(-1, -2) / (d ** 0.5) + additive[:, None]
        weights = torch.softmax(logits, dim=-1)
        all_weights.append(weights.clone())
        out = torch.nan_to_num(weights, nan=0.0) @ v  # a row without a key adds nothing
        out = out.transpose(1, 2).reshape(B, L, H * d)
        x = x + out @ w["wo"][l].T
        h = rms_norm(x, w["ffn_norm"][l])
        x = x + (torch.nn.functional.silu(h @ w["w1"][l].T) * (h @ w["w3"][l].T)) @ w["w2"][l].T
    return torch.stack(all_weights), x


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=".", help="where the fixtures go (created if needed)")
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="the shared data beside the checkout")
    args = parser.parse_args()
    model_dir = os.path.join(args.shared, "models", "stories260K")
    os.makedirs(args.out, exist_ok=True)
    torch.set_grad_enabled(False)
    cfg, w = read_llama2c(os.path.join(model_dir, "stories260K.bin"))
    sp = spm.SentencePieceProcessor(model_file=os.path.join(model_dir, "tok512.model"))
    for name, (texts, side) in CASES.items():
        seqs = [[1] + sp.encode(t) for t in texts]
        L = max(len(s) for s in seqs)
        pad_left = side == "left"
        ids = torch.zeros(len(seqs), L, dtype=torch.long)
        for b, s in enumerate(seqs):
            if pad_left:
                ids[b, L - len(s):] = torch.tensor(s)
            else:
                ids[b, :len(s)] = torch.tensor(s)
        valid = [len(s) for s in seqs]
        weights, x = forward(cfg, w, ids, valid, pad_left)
        next_tokens = []
        for b in range(len(seqs)):
            last = L - 1 if pad_left else valid[b] - 1
            logits = rms_norm(x[b, last], w["norm"]) @ w["head"].T
            p = torch.softmax(logits.double(), dim=-1)
            top = torch.topk(p, 5)
            next_tokens.append([[int(i), float(q)] for q, i in zip(top.values, top.indices)])
        np.save(os.path.join(args.out, f"stories260K_{name}_weights.npy"), weights.numpy().astype("<f4"))
        with open(os.path.join(args.out, f"stories260K_{name}.json"), "w", encoding="utf-8") as f:
            json.dump({"texts": texts, "pad_side": side, "pad_id": 0, "ids": ids.tolist(), "valid": valid,
                       "weights": f"stories260K_{name}_weights.npy", "next_tokens": next_tokens}, f)
            f.write("\n")


if __name__ == "__main__":
    main()
