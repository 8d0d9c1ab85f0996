#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference forward pass of a Hugging Face checkpoint directory in PyTorch (float32), for the
tests of MaskScope's forward pass: per layer, the attention weights of every query head.

    hf_torch_forward.py DIR --ids 1,403,407,261 [--out DIR/reference] [--llama2c stories260K.bin]
    hf_torch_forward.py DIR --case NAME SIDE 1,403,407/1,291,370,400 [--case ...] [--out ...]

Writes into --out (default DIR/reference), for --ids (one sequence):
    ids.npy                     (T,) int64, the token ids given
    layer{i}_weights.npy        (H, T, T) float32, softmax weights of query head h, layer i
    logits.npy                  (T, vocab) float32
and for every --case (a batch, sequences separated by '/', padded with id 0 on SIDE, left or
right, to the longest), into OUT/NAME/:
    layer{i}_weights.npy        (B, H, L, L) float32
    next_logits.npy             (B, vocab) float32, the logits after each item's last real token
One run of torch computes every case: the tests start it once per checkpoint.

Padding follows MaskScope's conventions (core/model/forward.h): a token's position is the
number of real tokens before it; key j is visible from query i when j <= i, j is a real token
and (sliding layers) i - j < window; a row without a visible key has NaN weights and adds
nothing to the residual stream.

Needs Debian's python3-numpy and python3-torch only: the safetensors files are read here from
their specification (BF16 and F16 tensors widened exactly to float32, so torch computes in
float32 on the very values MaskScope widens), and the architectures are written from Hugging
Face's modeling code (LlamaForCausalLM, Qwen2ForCausalLM, MistralForCausalLM: RMSNorm, rotate-half rotary embeddings,
grouped-query attention by repeat_interleave, SwiGLU, optional q/k/v biases, sliding-window
layers; GPT2LMHeadModel: learned positions, LayerNorm, Conv1D weights [in, out], gelu_new).

--llama2c BIN also runs llama2.c's own forward (interleaved rotary pairs, unpermuted wq/wk) on
the original checkpoint and fails unless every layer's weights agree with the converted
directory's within 1e-5: the numerical proof that the conversion's permutation is right.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

torch.set_grad_enabled(False)

NP_DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = {}
    for name, d in header.items():
        if name == "__metadata__":
            continue
        begin, end = d["data_offsets"]
        chunk = data[begin:end]
        if d["dtype"] == "BF16":
            bits = np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        else:
            array = np.frombuffer(chunk, dtype=np.dtype(NP_DTYPES[d["dtype"]]).newbyteorder("<")).astype(np.float32)
        out[name] = torch.from_numpy(array.reshape(d["shape"]).copy())
    return out


def read_directory(directory):
    config = json.load(open(os.path.join(directory, "config.json")))
    single = os.path.join(directory, "model.safetensors")
    if os.path.exists(single):
        tensors = read_safetensors(single)
    else:
        index = json.load(open(os.path.join(directory, "model.safetensors.index.json")))
        tensors = {}
        for shard in sorted(set(index["weight_map"].values())):
            tensors.update(read_safetensors(os.path.join(directory, shard)))
    if config["model_type"] == "gpt2":
        tensors = {n[len("transformer."):] if n.startswith("transformer.") else n: t for n, t in tensors.items()}
    return config, tensors


def allowed_keys(real, window=None):
    """real (B, L) bool, True for real tokens: (B, L, L), key j visible from query i when j <= i,
    i - j < window (indices, as Hugging Face's sliding window counts them) and j is real."""
    L = real.shape[1]
    q = torch.arange(L)[:, None]
    k = torch.arange(L)[None, :]
    allowed = k <= q
    if window is not None:
        allowed &= (q - k) < window
    return allowed[None] & real[:, None, :]


def positions_of(real):
    """A token's position is the number of real tokens before it (MaskScope's forward.h)."""
    return torch.cumsum(real.long(), dim=1) - real.long()


def attend(q, k, v, allowed):
    """q (B, H, L, hd), k/v (B, H, L, hd), allowed (B, L, L): weights (B, H, L, L) and output
    (B, L, H*hd). A row without an allowed key has NaN weights and adds nothing."""
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    weights = torch.softmax(scores.masked_fill(~allowed[:, None], float("-inf")), dim=-1)
    out = (torch.nan_to_num(weights, nan=0.0) @ v).transpose(1, 2)
    return weights, out.reshape(out.shape[0], out.shape[1], -1)


def rms_norm(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_rotate_half(x, theta, positions):
    """x (B, H, L, hd), positions (B, L): Hugging Face's apply_rotary_pos_emb."""
    hd = x.shape[-1]
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    freqs = positions.float()[..., None] * inv_freq
    emb = torch.cat((freqs, freqs), dim=-1)[:, None]
    return x * emb.cos() + rotate_half(x) * emb.sin()


def rope_interleaved(x, theta, positions):
    """x (B, H, L, hd), positions (B, L): llama2.c's rotation of pairs (2i, 2i+1)."""
    hd = x.shape[-1]
    inv_freq = 1.0 / (theta ** (torch.arange(0, hd, 2).float() / hd))
    angles = (positions.float()[..., None] * inv_freq)[:, None]
    cos, sin = angles.cos(), angles.sin()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x0 * cos - x1 * sin
    out[..., 1::2] = x0 * sin + x1 * cos
    return out


def layer_windows(config):
    layers = config["num_hidden_layers"]
    if "layer_types" in config and config["layer_types"] is not None:
        return [config.get("sliding_window") if t == "sliding_attention" else None for t in config["layer_types"]]
    if config["model_type"] == "mistral" and config.get("sliding_window"):
        return [config["sliding_window"]] * layers
    if config["model_type"] == "qwen2" and config.get("use_sliding_window"):
        first = config.get("max_window_layers", 28)
        return [config.get("sliding_window", 4096) if i >= first else None for i in range(layers)]
    return [None] * layers


def llama_forward(config, w, ids, real, rope=rope_rotate_half):
    """ids, real (B, L): per-layer weights (B, H, L, L) and logits (B, L, vocab)."""
    d, H = config["hidden_size"], config["num_attention_heads"]
    KV = config.get("num_key_value_heads", H)
    hd = config.get("head_dim", d // H)
    eps, theta = config.get("rms_norm_eps", 1e-6), config.get("rope_theta", 10000.0)
    B, L = ids.shape
    positions = positions_of(real)
    x = w["model.embed_tokens.weight"][ids]
    windows = layer_windows(config)
    all_weights = []
    for i in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name, heads):
            y = h @ w[p + "self_attn.%s.weight" % name].T
            if p + "self_attn.%s.bias" % name in w:
                y = y + w[p + "self_attn.%s.bias" % name]
            return y.view(B, L, heads, hd).transpose(1, 2)
        q, k, v = proj("q_proj", H), proj("k_proj", KV), proj("v_proj", KV)
        q, k = rope(q, theta, positions), rope(k, theta, positions)
        k, v = k.repeat_interleave(H // KV, dim=1), v.repeat_interleave(H // KV, dim=1)
        weights, out = attend(q, k, v, allowed_keys(real, windows[i]))
        all_weights.append(weights)
        x = x + out @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return all_weights, x @ head.T


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def gpt2_forward(config, w, ids, real):
    d, H = config.get("n_embd", 768), config.get("n_head", 12)
    eps = config.get("layer_norm_epsilon", 1e-5)
    B, L = ids.shape
    hd = d // H
    x = w["wte.weight"][ids] + w["wpe.weight"][positions_of(real)]
    norm = lambda x, name: torch.nn.functional.layer_norm(x, (d,), w[name + ".weight"], w[name + ".bias"], eps)
    allowed = allowed_keys(real)
    all_weights = []
    for i in range(config.get("n_layer", 12)):
        p = "h.%d." % i
        qkv = norm(x, p + "ln_1") @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = (t.reshape(B, L, H, hd).transpose(1, 2) for t in qkv.split(d, dim=-1))
        weights, out = attend(q, k, v, allowed)
        all_weights.append(weights)
        x = x + out @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = gelu_new(norm(x, p + "ln_2") @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + h @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    return all_weights, norm(x, "ln_f") @ w["wte.weight"].T


def max_difference(a, b):
    """The largest |a - b|, infinity where exactly one of them is NaN (two NaNs agree)."""
    nan_a, nan_b = torch.isnan(a), torch.isnan(b)
    if (nan_a != nan_b).any():
        return math.inf
    return torch.nan_to_num((a - b).abs(), nan=0.0).max().item()


def check_against_llama2c(config, bin_path, ids, real, weights):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from write_hf_checkpoint import read_llama2c
    hp, t = read_llama2c(bin_path)
    w = {"model.embed_tokens.weight": t["tok_embeddings"], "model.norm.weight": t["norm"]}
    for i in range(hp["layers"]):
        p = "model.layers.%d." % i
        w.update({p + "input_layernorm.weight": t["attention_norm"][i], p + "self_attn.q_proj.weight": t["wq"][i],
                  p + "self_attn.k_proj.weight": t["wk"][i], p + "self_attn.v_proj.weight": t["wv"][i],
                  p + "self_attn.o_proj.weight": t["wo"][i], p + "post_attention_layernorm.weight": t["ffn_norm"][i],
                  p + "mlp.gate_proj.weight": t["w1"][i], p + "mlp.down_proj.weight": t["w2"][i],
                  p + "mlp.up_proj.weight": t["w3"][i]})
    original, _ = llama_forward(config, w, ids, real, rope=rope_interleaved)
    for i, (a, b) in enumerate(zip(original, weights)):
        error = max_difference(a, b)
        if error > 1e-5:
            raise SystemExit("layer %d: the converted checkpoint's weights differ from llama2.c's by %g" % (i, error))


def padded_batch(sequences, side):
    """ids and real (B, L): the sequences padded with id 0 on `side` ("left" or "right")."""
    L = max(len(s) for s in sequences)
    ids = torch.zeros(len(sequences), L, dtype=torch.int64)
    real = torch.zeros(len(sequences), L, dtype=torch.bool)
    for b, s in enumerate(sequences):
        where = slice(L - len(s), L) if side == "left" else slice(0, len(s))
        ids[b, where] = torch.tensor(s, dtype=torch.int64)
        real[b, where] = True
    return ids, real


def run(config, w, sequences, side, llama2c):
    ids, real = padded_batch(sequences, side)
    forward = gpt2_forward if config["model_type"] == "gpt2" else llama_forward
    weights, logits = forward(config, w, ids, real)
    if llama2c:
        check_against_llama2c(config, llama2c, ids, real, weights)
    last = [len(ids[b]) - 1 if side == "left" else len(s) - 1 for b, s in enumerate(sequences)]
    next_logits = torch.stack([logits[b, i] for b, i in enumerate(last)])
    return ids, weights, logits, next_logits


def save(out, name, array):
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, name), array)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--ids", help="comma-separated token ids of one sequence")
    parser.add_argument("--case", nargs=3, action="append", default=[], metavar=("NAME", "SIDE", "IDS"),
                        help="a padded batch: SIDE left or right, IDS sequences separated by '/'")
    parser.add_argument("--out")
    parser.add_argument("--llama2c", help="compare with llama2.c's forward on this .bin")
    args = parser.parse_args()
    if not args.ids and not args.case:
        parser.error("give --ids or --case")
    config, w = read_directory(args.dir)
    out = args.out or os.path.join(args.dir, "reference")
    if args.ids:
        ids, weights, logits, _ = run(config, w, [[int(i) for i in args.ids.split(",")]], "right", args.llama2c)
        save(out, "ids.npy", ids[0].numpy())
        for i, wts in enumerate(weights):
            save(out, "layer%d_weights.npy" % i, wts[0].numpy().astype(np.float32))
        save(out, "logits.npy", logits[0].numpy().astype(np.float32))
    for name, side, text in args.case:
        if side not in ("left", "right"):
            parser.error("case %s: the side is left or right, not %s" % (name, side))
        sequences = [[int(i) for i in s.split(",")] for s in text.split("/")]
        _, weights, _, next_logits = run(config, w, sequences, side, args.llama2c)
        for i, wts in enumerate(weights):
            save(os.path.join(out, name), "layer%d_weights.npy" % i, wts.numpy().astype(np.float32))
        save(os.path.join(out, name), "next_logits.npy", next_logits.numpy().astype(np.float32))
    return 0


if __name__ == "__main__":
    sys.exit(main())
