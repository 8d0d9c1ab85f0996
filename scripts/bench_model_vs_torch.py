#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Speed and memory of MaskScope on a ~1B-parameter checkpoint against PyTorch (issue #10).

    scripts/bench_model_vs_torch.py --maskscope BUILD/app/maskscope [--workdir DIR] [--rounds N]

1. Writes once (cached in --workdir, default /tmp/maskscope-bench-1b) a Llama checkpoint of
   TinyLlama's shape (d_model 2048, 22 layers, 32 query heads, 4 K/V heads, FFN 5632, vocabulary
   32000) in BF16 with seeded random weights (std 0.02, norms 1): config.json, two safetensors
   shards and their index, written tensor by tensor so this script never holds the model.
   The tokenizer is stories260K's tok512.model (SentencePiece, 512 pieces; MaskScope accepts a
   tokenizer smaller than the model's vocabulary), read from ../shared, never copied.
2. Takes the token ids and last-layer weights from `maskscope dump --layer 21` (untimed).
3. Times, each in a fresh process, the whole process's wall time and peak resident memory
   (os.wait4's rusage of that child alone) of
   (a) `maskscope bench --model DIR --text ... --layer 21 --repeat 3`, and
   (b) this script's --torch-child mode: what a user would write in PyTorch (OpenBLAS, 2 threads):
       read the safetensors, load the state dict into float32, run the Llama forward
       (RMSNorm, rotate-half RoPE, grouped-query attention, SwiGLU) in float32 up to the last
       layer's attention weights for the same 64 tokens.
   checks that both computed the same thing (every head's weights within 1e-3), and prints a
   table with the ratios and the issue's targets.

Needs Debian's python3-numpy, python3-torch and python3-sentencepiece only (no transformers, no
safetensors package, no network).
"""
import argparse
import json
import math
import mmap
import os
import subprocess
import sys
import time

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, VOCAB = 2048, 22, 32, 4, 5632, 32000
HEAD_DIM = HIDDEN // HEADS
EPS, THETA = 1e-5, 10000.0
SHARDS = 2
TOKENS = 64
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TOKENIZER = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "models", "stories260K", "tok512.model"))
STORY = ("Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
         "One day, she saw a big, red ball. She wanted to play with it, so she ran to her mom and asked "
         "if she could have it. Her mom smiled and said yes, and Lily was very happy all day long.")


# --- the checkpoint ------------------------------------------------------------------------------

def tensor_spec():
    spec = [("model.embed_tokens.weight", (VOCAB, HIDDEN))]
    for i in range(LAYERS):
        p = "model.layers.%d." % i
        spec += [(p + "input_layernorm.weight", (HIDDEN,)),
                 (p + "self_attn.q_proj.weight", (HEADS * HEAD_DIM, HIDDEN)),
                 (p + "self_attn.k_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)),
                 (p + "self_attn.v_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN)),
                 (p + "self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM)),
                 (p + "post_attention_layernorm.weight", (HIDDEN,)),
                 (p + "mlp.gate_proj.weight", (FFN, HIDDEN)),
                 (p + "mlp.up_proj.weight", (FFN, HIDDEN)),
                 (p + "mlp.down_proj.weight", (HIDDEN, FFN))]
    spec += [("model.norm.weight", (HIDDEN,)), ("lm_head.weight", (VOCAB, HIDDEN))]
    return spec


def numel(shape):
    return math.prod(shape)


def split_shards(spec):
    """Contiguous runs of the spec, about equal in bytes."""
    total = sum(numel(s) for _, s in spec)
    shards, current, size = [], [], 0
    for name, shape in spec:
        current.append((name, shape))
        size += numel(shape)
        if len(shards) < SHARDS - 1 and size >= total * (len(shards) + 1) / SHARDS:
            shards.append(current)
            current = []
    shards.append(current)
    return shards


def safetensors_header(part):
    header, offset = {}, 0
    for name, shape in part:
        size = 2 * numel(shape)
        header[name] = {"dtype": "BF16", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode("utf-8")
    return text + b" " * (-len(text) % 8)


def write_checkpoint(directory, seed):
    import torch
    os.makedirs(directory, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    weight_map = {}
    shards = split_shards(tensor_spec())
    for s, part in enumerate(shards):
        shard = "model-%05d-of-%05d.safetensors" % (s + 1, len(shards))
        header = safetensors_header(part)
        with open(os.path.join(directory, shard + ".partial"), "wb") as f:
            f.write(len(header).to_bytes(8, "little"))
            f.write(header)
            for name, shape in part:
                if len(shape) == 1:
                    t = torch.ones(shape)
                else:
                    t = torch.randn(*shape, generator=g).mul_(0.02)
                f.write(t.to(torch.bfloat16).view(torch.int16).numpy().tobytes())
                weight_map[name] = shard
                del t
        os.replace(os.path.join(directory, shard + ".partial"), os.path.join(directory, shard))
    with open(os.path.join(directory, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": 2 * sum(numel(s) for _, s in tensor_spec())},
                   "weight_map": weight_map}, f, indent=2)
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
              "intermediate_size": FFN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "num_key_value_heads": KV_HEADS, "vocab_size": VOCAB, "max_position_embeddings": 2048,
              "rms_norm_eps": EPS, "rope_theta": THETA, "tie_word_embeddings": False,
              "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "torch_dtype": "bfloat16"}
    # config.json last: its presence marks a complete directory for the cache check.
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump(config, f, indent=2)


def ensure_checkpoint(directory, seed):
    if os.path.exists(os.path.join(directory, "config.json")):
        print("checkpoint: cached in %s" % directory)
        return
    t0 = time.monotonic()
    write_checkpoint(directory, seed)
    print("checkpoint: written to %s in %.0f s" % (directory, time.monotonic() - t0))


def text_of_tokens(tokenizer, count):
    """The longest prefix (in words) of STORY that SentencePiece encodes into count - 1 pieces (+ BOS)."""
    import sentencepiece
    sp = sentencepiece.SentencePieceProcessor(model_file=tokenizer)
    words = STORY.split(" ")
    for n in range(len(words), 0, -1):
        text = " ".join(words[:n])
        if 1 + len(sp.encode(text)) <= count:
            break
    ids = sp.encode(text)
    while 1 + len(ids) < count:  # pad with single-piece words, e.g. " a"
        text += " a"
        ids = sp.encode(text)
    if 1 + len(ids) != count:
        sys.exit("could not build a text of exactly %d tokens" % count)
    return text


# --- the torch side ------------------------------------------------------------------------------

def load_state_dict_float32(directory):
    """Reads every tensor of the safetensors shards into a float32 torch tensor."""
    import torch
    index = json.load(open(os.path.join(directory, "model.safetensors.index.json")))
    state = {}
    for shard in sorted(set(index["weight_map"].values())):
        with open(os.path.join(directory, shard), "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        n = int.from_bytes(mapped[:8], "little")
        header = json.loads(mapped[8:8 + n])
        for name, d in header.items():
            if name == "__metadata__":
                continue
            begin, end = d["data_offsets"]
            raw = torch.frombuffer(mapped, dtype=torch.bfloat16, count=(end - begin) // 2, offset=8 + n + begin)
            state[name] = raw.float().reshape(d["shape"])
    return state


def rms_norm(x, weight):
    import torch
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))


def rope(x):
    """x (H, T, hd): Hugging Face's rotate-half rotary embedding."""
    import torch
    T = x.shape[1]
    inv_freq = 1.0 / (THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.int64).float() / HEAD_DIM))
    freqs = torch.outer(torch.arange(T).float(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    half = HEAD_DIM // 2
    rotated = torch.cat((-x[..., half:], x[..., :half]), dim=-1)
    return x * emb.cos() + rotated * emb.sin()


def llama_last_layer_weights(w, ids):
    """The last layer's attention weights (HEADS, T, T), computing only what they need."""
    import torch
    T = len(ids)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    allowed = torch.ones(T, T, dtype=torch.bool).tril()
    for i in range(LAYERS):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"])
        q = (h @ w[p + "self_attn.q_proj.weight"].T).view(T, HEADS, HEAD_DIM).transpose(0, 1)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).view(T, KV_HEADS, HEAD_DIM).transpose(0, 1)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(T, KV_HEADS, HEAD_DIM).transpose(0, 1)
        q, k = rope(q), rope(k)
        k = k.repeat_interleave(HEADS // KV_HEADS, dim=0)
        v = v.repeat_interleave(HEADS // KV_HEADS, dim=0)
        scores = q @ k.transpose(-1, -2) / math.sqrt(HEAD_DIM)
        weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
        if i == LAYERS - 1:
            return weights
        x = x + (weights @ v).transpose(0, 1).reshape(T, HIDDEN) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"])
        gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T


def torch_child(args):
    t0 = time.monotonic()
    import torch
    torch.set_num_threads(2)
    torch.set_grad_enabled(False)
    t1 = time.monotonic()
    state = load_state_dict_float32(args.model)
    t2 = time.monotonic()
    weights = llama_last_layer_weights(state, [int(i) for i in args.ids.split(",")])
    t3 = time.monotonic()
    if args.save:
        import numpy as np
        np.save(args.save, weights.numpy())
    blas = os.path.basename(os.path.dirname(os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")))
    json.dump({"import_ms": 1e3 * (t1 - t0), "load_float32_ms": 1e3 * (t2 - t1), "forward_ms": 1e3 * (t3 - t2),
               "blas": blas, "threads": torch.get_num_threads()}, sys.stdout)


# --- measuring -----------------------------------------------------------------------------------

def run_with_rusage(command):
    """Wall time (s) and peak RSS (MiB) of this child process alone (wait4), and its stdout."""
    path = command_output_path()  # named before the fork: in the child os.getpid() differs
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.execv(command[0], command)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s failed with %d" % (" ".join(command[:2]), os.waitstatus_to_exitcode(status)))
    with open(path) as f:
        out = f.read()
    return wall, usage.ru_maxrss / 1024.0, out


def command_output_path():
    return "/tmp/bench_model_vs_torch.%d.out" % os.getpid()


def maskscope_ids_and_weights(args, text):
    """maskscope dump's token ids and last-layer weights (HEADS, T, T) for the text."""
    import numpy as np
    dump = subprocess.run([args.maskscope, "dump", "--model", args.workdir, "--tokenizer", args.tokenizer,
                           "--text", text, "--layer", str(LAYERS - 1)], capture_output=True, check=True, text=True)
    doc = json.loads(dump.stdout)
    item = doc["batches"][0]
    return item["token_ids"], np.array([h["weights"] for h in item["heads"]], dtype=np.float64)


def check_agreement(ours, saved):
    """maskscope's last-layer weights against the torch forward's, every head."""
    import numpy as np
    theirs = np.load(saved).astype(np.float64)
    os.remove(saved)
    worst = float(np.abs(ours - theirs).max()) if ours.shape == theirs.shape else float("inf")
    print("agreement: %d heads of %d x %d, max |maskscope - torch| = %.2e (limit 1e-3)"
          % (ours.shape[0], ours.shape[1], ours.shape[2], worst))
    if worst > 1e-3:
        sys.exit("maskscope and torch disagree")


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return "%d cores, %s" % (os.cpu_count(), model)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--maskscope", default=os.path.join(HERE, "..", "build", "app", "maskscope"))
    parser.add_argument("--workdir", default="/tmp/maskscope-bench-1b")
    parser.add_argument("--tokenizer", default=DEFAULT_TOKENIZER)
    parser.add_argument("--rounds", type=int, default=1, help="alternate the two processes this many times")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--torch-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.torch_child:
        return torch_child(args)
    args.maskscope = os.path.abspath(args.maskscope)
    print("machine: %s; load average before: %s" % (machine(), " ".join("%.2f" % x for x in os.getloadavg())))
    ensure_checkpoint(args.workdir, args.seed)
    text = text_of_tokens(args.tokenizer, TOKENS)
    ids, ours = maskscope_ids_and_weights(args, text)
    ours_cmd = [args.maskscope, "bench", "--model", args.workdir, "--tokenizer", args.tokenizer, "--text", text,
                "--layer", str(LAYERS - 1), "--repeat", "3"]
    saved = "/tmp/bench_model_vs_torch.%d.npy" % os.getpid()
    # The timed torch process also saves its weights (a 0.5 MB write) for the agreement check.
    torch_cmd = [sys.executable, os.path.abspath(__file__), "--torch-child", "--model", args.workdir,
                 "--ids", ",".join(map(str, ids)), "--save", saved]
    rows = []
    for r in range(args.rounds):
        m_wall, m_rss, m_out = run_with_rusage(ours_cmd)
        t_wall, t_rss, t_out = run_with_rusage(torch_cmd)
        rows.append((m_wall, m_rss, json.loads(m_out), t_wall, t_rss, json.loads(t_out), os.getloadavg()[0]))
        if r == 0:
            check_agreement(ours, saved)
    os.remove(command_output_path())
    for m_wall, m_rss, m, t_wall, t_rss, t, load in rows:
        if m["tokens"] != TOKENS:
            sys.exit("maskscope saw %d tokens, not %d" % (m["tokens"], TOKENS))
        print()
        print("                      maskscope      torch   maskscope/torch  target")
        print("wall time (s)      %10.2f %10.2f %12.2f       <= 0.50" % (m_wall, t_wall, m_wall / t_wall))
        print("peak RSS (MiB)     %10.0f %10.0f %12.2f       <= 0.60" % (m_rss, t_rss, m_rss / t_rss))
        print("maskscope phases (ms): open %.0f, first compute %.0f, change of head or view %.1f, same layer "
              "rebuilt %.1f, earlier layer %.1f (window target < 100); bench's own peak RSS %.0f MiB"
              % (m["open_ms"], m["first_compute_ms"], m["view_change_median_ms"], m["same_layer_median_ms"],
                 m["earlier_layer_median_ms"], m["peak_rss_mib"]))
        print("torch phases (ms): import %.0f, load into float32 %.0f, forward %.0f (threads %d, BLAS %s)"
              % (t["import_ms"], t["load_float32_ms"], t["forward_ms"], t["threads"], t["blas"]))
        print("load average (1 min) after the round: %.2f" % load)


if __name__ == "__main__":
    main()
