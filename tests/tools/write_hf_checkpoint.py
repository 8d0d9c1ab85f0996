#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write Hugging Face checkpoint directories (config.json + safetensors) at test time.

Needs only Debian's python3-numpy and python3-torch (no transformers, no safetensors): the
safetensors format is written here from its specification (8-byte little-endian header length,
JSON header padded with spaces to a multiple of 8, then the tensor bytes in header order).

    write_hf_checkpoint.py stories OUT --bin stories260K.bin [--dtype F32|BF16|F16] [--shards N]
        llama2.c's stories260K converted to Hugging Face's Llama layout: the rows of wq and wk
        permuted from llama2.c's interleaved rotary pairs to rotate-half exactly as
        transformers' convert_llama_weights_to_hf.py permute() does. Also checks in numpy that
        every converted tensor is the llama2.c one (permuted where it must be).
    write_hf_checkpoint.py gpt2 OUT [--prefix] [--dtype ..] [--shards N] [--seed S]
    write_hf_checkpoint.py qwen2 OUT [--dtype ..] [--shards N] [--seed S]
        tiny random checkpoints (seeded) of those architectures.

Options that make a bad directory on purpose (the loader's error tests):
    --drop NAME          leave tensor NAME out
    --set KEY=JSON       override a config.json entry (e.g. model_type="bert")
    --offset-past-end    the last tensor's data_offsets end lies past the file
    --overlap            the second tensor's data starts inside the first one's
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def tensor_bytes(t, dtype):
    t = t.detach().to(DTYPES[dtype]).contiguous()
    if dtype == "BF16":  # numpy has no bfloat16: take the raw 16-bit patterns
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().astype("<" + t.numpy().dtype.str[1:]).tobytes()


def write_safetensors(path, tensors, dtype, lie=None):
    """tensors: list of (name, torch tensor). lie: None, "offset-past-end" or "overlap"."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        data = tensor_bytes(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    names = [n for n, _ in tensors]
    if lie == "offset-past-end":
        begin, end = header[names[-1]]["data_offsets"]
        header[names[-1]]["data_offsets"] = [begin + 64, end + 64]
    elif lie == "overlap":
        first, second = header[names[0]], header[names[1]]
        size = second["data_offsets"][1] - second["data_offsets"][0]
        start = first["data_offsets"][1] - 2
        second["data_offsets"] = [start, start + size]
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_directory(out, config, tensors, args):
    os.makedirs(out, exist_ok=True)
    for item in args.set or []:
        key, value = item.split("=", 1)
        config[key] = json.loads(value)
    tensors = [(n, t) for n, t in tensors if n not in (args.drop or [])]
    lie = "offset-past-end" if args.offset_past_end else "overlap" if args.overlap else None
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    if args.shards <= 1:
        write_safetensors(os.path.join(out, "model.safetensors"), tensors, args.dtype, lie)
        return
    weight_map = {}
    per_shard = -(-len(tensors) // args.shards)
    for s in range(args.shards):
        part = tensors[s * per_shard:(s + 1) * per_shard]
        shard = "model-%05d-of-%05d.safetensors" % (s + 1, args.shards)
        write_safetensors(os.path.join(out, shard), part, args.dtype, lie if s == 0 else None)
        weight_map.update({n: shard for n, _ in part})
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 0}, "weight_map": weight_map}, f, indent=2)


# --- stories260K: llama2.c to Hugging Face ---------------------------------------------------

def read_llama2c(path):
    raw = open(path, "rb").read()
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = np.frombuffer(raw[:28], dtype="<i4")
    shared = vocab > 0
    vocab = abs(vocab)
    floats = np.frombuffer(raw[28:], dtype="<f4")
    head_dim = dim // heads
    kv_dim = kv_heads * head_dim
    shapes = [("tok_embeddings", (vocab, dim)), ("attention_norm", (layers, dim)),
              ("wq", (layers, dim, dim)), ("wk", (layers, kv_dim, dim)), ("wv", (layers, kv_dim, dim)),
              ("wo", (layers, dim, dim)), ("ffn_norm", (layers, dim)), ("w1", (layers, hidden, dim)),
              ("w2", (layers, dim, hidden)), ("w3", (layers, hidden, dim)), ("norm", (dim,)),
              ("freq_cis_real", (seq_len, head_dim // 2)), ("freq_cis_imag", (seq_len, head_dim // 2))]
    if not shared:
        shapes.append(("output", (vocab, dim)))
    w, at = {}, 0
    for name, shape in shapes:
        n = int(np.prod(shape))
        w[name] = torch.from_numpy(floats[at:at + n].reshape(shape).copy())
        at += n
    assert at == floats.size, "llama2.c checkpoint of unexpected size"
    hp = dict(dim=int(dim), hidden=int(hidden), layers=int(layers), heads=int(heads), kv_heads=int(kv_heads),
              vocab=int(vocab), seq_len=int(seq_len), shared=bool(shared))
    return hp, w


def permute(w, n_heads, dim1, dim2):
    # transformers/models/llama/convert_llama_weights_to_hf.py
    return w.view(n_heads, dim1 // n_heads // 2, 2, dim2).transpose(1, 2).reshape(dim1, dim2)


def stories(args):
    hp, w = read_llama2c(args.bin)
    dim, layers, heads, kv_heads = hp["dim"], hp["layers"], hp["heads"], hp["kv_heads"]
    head_dim = dim // heads
    kv_dim = kv_heads * head_dim
    t = [("model.embed_tokens.weight", w["tok_embeddings"])]
    for i in range(layers):
        p = "model.layers.%d." % i
        q = permute(w["wq"][i], heads, dim, dim)
        k = permute(w["wk"][i], kv_heads, kv_dim, dim)
        # The same permutation by index, written independently: HF row h*hd + j*hd/2 + r is
        # llama2.c row h*hd + 2r + j.
        rows = [h * head_dim + 2 * r + j for h in range(heads) for j in range(2) for r in range(head_dim // 2)]
        assert torch.equal(q, w["wq"][i][rows]), "permute() disagrees with the index formula"
        t += [(p + "input_layernorm.weight", w["attention_norm"][i]),
              (p + "self_attn.q_proj.weight", q), (p + "self_attn.k_proj.weight", k),
              (p + "self_attn.v_proj.weight", w["wv"][i]), (p + "self_attn.o_proj.weight", w["wo"][i]),
              (p + "post_attention_layernorm.weight", w["ffn_norm"][i]),
              (p + "mlp.gate_proj.weight", w["w1"][i]), (p + "mlp.down_proj.weight", w["w2"][i]),
              (p + "mlp.up_proj.weight", w["w3"][i])]
    t.append(("model.norm.weight", w["norm"]))
    if not hp["shared"]:
        t.append(("lm_head.weight", w["output"]))
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": dim,
              "intermediate_size": hp["hidden"], "num_hidden_layers": layers, "num_attention_heads": heads,
              "num_key_value_heads": kv_heads, "vocab_size": hp["vocab"], "max_position_embeddings": hp["seq_len"],
              "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": hp["shared"],
              "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "torch_dtype": "float32"}
    write_directory(args.out, config, t, args)


# --- tiny random checkpoints -----------------------------------------------------------------

def random_tensors(spec, seed):
    g = torch.Generator().manual_seed(seed)
    return [(name, torch.randn(*shape, generator=g) * 0.2) for name, shape in spec]


def gpt2(args):
    d, heads, layers, positions, vocab, inner = 16, 4, 2, 32, 48, 40
    spec = [("wte.weight", (vocab, d)), ("wpe.weight", (positions, d))]
    for i in range(layers):
        p = "h.%d." % i
        spec += [(p + "ln_1.weight", (d,)), (p + "ln_1.bias", (d,)),
                 (p + "attn.c_attn.weight", (d, 3 * d)), (p + "attn.c_attn.bias", (3 * d,)),
                 (p + "attn.c_proj.weight", (d, d)), (p + "attn.c_proj.bias", (d,)),
                 (p + "ln_2.weight", (d,)), (p + "ln_2.bias", (d,)),
                 (p + "mlp.c_fc.weight", (d, inner)), (p + "mlp.c_fc.bias", (inner,)),
                 (p + "mlp.c_proj.weight", (inner, d)), (p + "mlp.c_proj.bias", (d,))]
    spec += [("ln_f.weight", (d,)), ("ln_f.bias", (d,))]
    tensors = random_tensors(spec, args.seed)
    if args.prefix:
        tensors = [("transformer." + n, t) for n, t in tensors]
    config = {"model_type": "gpt2", "n_embd": d, "n_head": heads, "n_layer": layers, "n_positions": positions,
              "n_inner": inner, "vocab_size": vocab, "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
              "bos_token_id": 0, "eos_token_id": 0}
    write_directory(args.out, config, tensors, args)


def qwen2(args):
    d, heads, kv_heads, layers, ffn, vocab = 16, 4, 2, 3, 24, 40
    hd = d // heads
    spec = [("model.embed_tokens.weight", (vocab, d))]
    for i in range(layers):
        p = "model.layers.%d." % i
        spec += [(p + "input_layernorm.weight", (d,)),
                 (p + "self_attn.q_proj.weight", (heads * hd, d)), (p + "self_attn.q_proj.bias", (heads * hd,)),
                 (p + "self_attn.k_proj.weight", (kv_heads * hd, d)), (p + "self_attn.k_proj.bias", (kv_heads * hd,)),
                 (p + "self_attn.v_proj.weight", (kv_heads * hd, d)), (p + "self_attn.v_proj.bias", (kv_heads * hd,)),
                 (p + "self_attn.o_proj.weight", (d, heads * hd)), (p + "post_attention_layernorm.weight", (d,)),
                 (p + "mlp.gate_proj.weight", (ffn, d)), (p + "mlp.up_proj.weight", (ffn, d)),
                 (p + "mlp.down_proj.weight", (d, ffn))]
    spec += [("model.norm.weight", (d,)), ("lm_head.weight", (vocab, d))]
    config = {"model_type": "qwen2", "hidden_size": d, "num_attention_heads": heads, "num_key_value_heads": kv_heads,
              "num_hidden_layers": layers, "intermediate_size": ffn, "vocab_size": vocab,
              "max_position_embeddings": 64, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
              "tie_word_embeddings": False, "use_sliding_window": True, "sliding_window": 8,
              "max_window_layers": 2, "bos_token_id": 0, "eos_token_id": 1, "hidden_act": "silu"}
    write_directory(args.out, config, random_tensors(spec, args.seed), args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=["stories", "gpt2", "qwen2"])
    parser.add_argument("out")
    parser.add_argument("--bin", help="llama2.c checkpoint (stories)")
    parser.add_argument("--dtype", choices=sorted(DTYPES), default="F32")
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", action="store_true", help="gpt2: names with 'transformer.'")
    parser.add_argument("--drop", action="append")
    parser.add_argument("--set", action="append")
    parser.add_argument("--offset-past-end", action="store_true")
    parser.add_argument("--overlap", action="store_true")
    args = parser.parse_args()
    {"stories": stories, "gpt2": gpt2, "qwen2": qwen2}[args.kind](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
