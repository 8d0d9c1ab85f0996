#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the tokenizer fixtures of tests/core/model/tst_tokenizers.cpp.

    make_tokenizer_fixtures.py [--out tests/data/model]
    make_tokenizer_fixtures.py --sentencepiece OUT [--shared ../shared]

* Without --sentencepiece: bytelevel/, llama2/, metaspace/ (committed): a tiny tokenizer.json each (vocabulary and merges counted
  from a few sentences here: nothing is trained elsewhere) and expected.json, the ids of test
  sentences from the reference encoders below. Hugging Face's tokenizers library is not in
  Debian 12, so the references are written here from the algorithms, independently of the C++:
  GPT-2's pre-tokenizer regex as a hand-written scanner over Unicode categories, GPT-2's
  byte-to-unicode table and its original bpe() (openai/gpt-2 encoder.py: merge every occurrence
  of the best-ranked pair per pass), SentencePiece-style byte fallback.
* --sentencepiece OUT: OUT/sentencepiece_tok512.json, sentences and the ids Debian's
  python3-sentencepiece gives them with stories260K's tok512.model. Derived from the model, so
  never committed: tst_tokenizers writes it into a temporary directory at test time.
"""
import argparse
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "model")

CORPUS = [
    "Once upon a time, there was a little girl named Lily.",
    "She loved to play outside in the park with her red ball.",
    "The cat's toys weren't there; they'll be back at 10 o'clock.",
    "One day, she saw a big, red ball in the tall green grass!",
]

SENTENCES = [
    "Once upon a time",
    "Lily saw the cat.",
    "  two spaces,\tand a tab\nand a newline  ",
    "The year 2024 had 366 days; we'll see 12345 more.",
    "naïve café — déjà vu 😀",
    "she's here, they've gone, I'm done, you'd know",
    "unseen words: zebra quixotic",
    "Hello<|endoftext|>world",
    "<|endoftext|><|endoftext|> trailing",
    "",
    " ",
]

LLAMA_SENTENCES = [
    "Once upon a time",
    "Lily saw the cat.",
    "  two  spaces ",
    "naïve café 😀 zebra",
    "Hello</s>world<s>again",
    "",
]


# --- GPT-2 byte-level reference -----------------------------------------------------------------

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def is_letter(c):
    return unicodedata.category(c).startswith("L")


def is_number(c):
    return unicodedata.category(c).startswith("N")


def gpt2_pretokenize(text):
    """'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+ by hand."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == "'":
            for suffix in ("s", "t", "re", "ve", "m", "ll", "d"):
                if text.startswith(suffix, i + 1):
                    out.append(text[i:i + 1 + len(suffix)])
                    i += 1 + len(suffix)
                    break
            else:
                suffix = None
            if suffix:
                continue
        j = i + 1 if text[i] == " " else i
        matched = False
        for cls in (is_letter, is_number, lambda c: not c.isspace() and not is_letter(c) and not is_number(c)):
            if j < n and cls(text[j]):
                k = j
                while k < n and cls(text[k]):
                    k += 1
                out.append(text[i:k])
                i = k
                matched = True
                break
        if matched:
            continue
        k = i
        while k < n and text[k].isspace():
            k += 1
        if k == n or k - i == 1:
            out.append(text[i:k])  # whitespace to the end, or one before a non-space (\s+)
            i = k
        else:
            out.append(text[i:k - 1])  # \s+(?!\S): leave the last one for the next word
            i = k - 1
    return out


def gpt2_bpe(token, ranks):
    word = tuple(token)
    while len(word) > 1:
        pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
        best = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if best not in ranks:
            break
        first, second = best
        new_word, i = [], 0
        while i < len(word):
            try:
                j = word.index(first, i)
            except ValueError:
                new_word.extend(word[i:])
                break
            new_word.extend(word[i:j])
            i = j
            if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                new_word.append(first + second)
                i += 2
            else:
                new_word.append(word[i])
                i += 1
        word = tuple(new_word)
    return list(word)


def split_added(text, added):
    """[(segment, is_added)] by leftmost, then longest, added token."""
    out, at = [], 0
    while at < len(text):
        hits = [(text.find(t, at), -len(t), t) for t in added if text.find(t, at) >= 0]
        if not hits:
            break
        hit, _, token = min(hits)
        if hit > at:
            out.append((text[at:hit], False))
        out.append((token, True))
        at = hit + len(token)
    if at < len(text):
        out.append((text[at:], False))
    return out


def count_merges(words, symbols_of, count):
    """BPE merges counted from `words` (a list of symbol tuples): the most frequent pair, ties to
    the smallest pair, `count` times."""
    words = [list(symbols_of(w)) for w in words]
    merges = []
    for _ in range(count):
        pairs = {}
        for w in words:
            for p in zip(w, w[1:]):
                pairs[p] = pairs.get(p, 0) + 1
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        if pairs[best] < 2:
            break
        merges.append(best)
        for w in words:
            i = 0
            while i < len(w) - 1:
                if (w[i], w[i + 1]) == best:
                    w[i:i + 2] = [w[i] + w[i + 1]]
                i += 1
    return merges


def bytelevel(out):
    table = bytes_to_unicode()
    mapped = lambda s: "".join(table[b] for b in s.encode("utf-8"))
    words = [mapped(w) for line in CORPUS for w in gpt2_pretokenize(line)]
    merges = count_merges(words, tuple, 120)
    vocab = {table[b]: i for i, b in enumerate(sorted(table))}
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    eot = "<|endoftext|>"
    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": len(vocab), "content": eot, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": None, "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [a + " " + b for a, b in merges]},
    }
    ranks = {m: r for r, m in enumerate(merges)}
    expected = []
    for text in SENTENCES:
        ids = []
        for segment, is_added in split_added(text, [eot]):
            if is_added:
                ids.append(len(vocab))
                continue
            for word in gpt2_pretokenize(segment):
                ids += [vocab[p] for p in gpt2_bpe(mapped(word), ranks)]
        expected.append({"text": text, "ids": ids})
    write(out, "bytelevel", tokenizer, expected)


# --- Llama-2 style (metaspace, byte fallback) ----------------------------------------------------

def llama_vocab():
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    normalized = ["▁" + line.replace(" ", "▁") for line in CORPUS]
    for c in sorted({c for line in normalized for c in line}):
        vocab.setdefault(c, len(vocab))
    merges = count_merges(normalized, tuple, 150)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    return vocab, merges


def llama_ids(text, vocab, ranks, prepend_first_only):
    ids = []
    for index, (segment, is_added) in enumerate(split_added(text, ["<unk>", "<s>", "</s>"])):
        if is_added:
            ids.append(vocab[segment])
            continue
        s = segment.replace(" ", "▁")
        if not prepend_first_only or index == 0:
            s = s if s.startswith("▁") and prepend_first_only else "▁" + s
        # Characters outside the vocabulary never merge: encode the runs between them.
        symbols, run = [], ""
        for c in s:
            if c in vocab:
                run += c
                continue
            symbols += gpt2_bpe(run, ranks) if run else []
            run = ""
            symbols += ["<0x%02X>" % b for b in c.encode("utf-8")]
        symbols += gpt2_bpe(run, ranks) if run else []
        ids += [vocab[p] for p in symbols]
    return ids


def llama2(out, metaspace):
    vocab, merges = llama_vocab()
    ranks = {m: r for r, m in enumerate(merges)}
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in ("<unk>", "<s>", "</s>")]
    if metaspace:
        normalizer = None
        pre = {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": False}
    else:
        normalizer = {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"},
                                                          {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}
        pre = None
    tokenizer = {
        "version": "1.0", "added_tokens": added, "normalizer": normalizer, "pre_tokenizer": pre,
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [[a, b] for a, b in merges]},
    }
    expected = []
    for text in LLAMA_SENTENCES:
        # Prepend leaves an empty segment empty; Metaspace's "first" prepends only at the start.
        ids = llama_ids(text, vocab, ranks, metaspace) if text else []
        expected.append({"text": text, "ids": ids})
    write(out, "metaspace" if metaspace else "llama2", tokenizer, expected)


def sentencepiece_fixture(out, shared):
    import sentencepiece
    model = os.path.join(shared, "models", "stories260K", "tok512.model")
    sp = sentencepiece.SentencePieceProcessor(model_file=model)
    texts = CORPUS + SENTENCES[:7] + ["Lily and Ben were best friends. They liked to play with the ball."]
    # ids from sentencepiece (the version is in the file name's history: Debian 12's 0.1.97)
    with open(os.path.join(out, "sentencepiece_tok512.json"), "w", encoding="utf-8") as f:
        f.write(one_per_line([{"text": t, "ids": sp.encode(t)} for t in texts]))


def write(out, name, tokenizer, expected):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
        f.write("\n")
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        f.write(one_per_line(expected))


def one_per_line(items):
    return "[\n" + ",\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=OUT, help="where the committed reference tokenizers go")
    parser.add_argument("--sentencepiece", metavar="OUT", help="write only sentencepiece_tok512.json, into OUT")
    parser.add_argument("--shared", default=os.path.join(HERE, "..", "..", "..", "shared"))
    args = parser.parse_args()
    if args.sentencepiece:
        os.makedirs(args.sentencepiece, exist_ok=True)
        sentencepiece_fixture(args.sentencepiece, args.shared)
        return
    os.makedirs(args.out, exist_ok=True)
    bytelevel(args.out)
    llama2(args.out, metaspace=False)
    llama2(args.out, metaspace=True)


if __name__ == "__main__":
    main()
