#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes OUT/tok512_sentencepiece.json: SentencePiece's own ids (Debian's python3-sentencepiece)
for varied sentences encoded with ../shared/models/stories260K/tok512.model. tst_llama2ctokenizer
checks that tok512.bin, encoded as llama2.c does, gives the same ids. The ids are derived from
the model, so they are never committed: the test writes them into a temporary directory.

    /usr/bin/python3 tests/tools/make_tokenizer_fixture.py [--out DIR (default: .)] [--shared DIR]
"""
import argparse
import json
import os
import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SENTENCES = [
    "Once upon a time",
    "Once upon a time, there was a little girl named Lily.",
    "Hello world!",
    "The cat sat on the mat because it was tired.",
    "She said: \"Wow, look at that big, red ball!\"",
    "1 + 2 = 3, and 12345 * 678 = 8369910.",
    "Tom's dog can't swim; it's afraid of water...",
    "A café in Zürich serves crème brûlée.",
    "我喜欢小猫。",
    "Mixed: 日本語 and English, ñandú, Ελληνικά.",
    "line one\nline two\n\nline four",
    "double  spaces   and\ttabs",
    " leading space",
    "trailing space ",
    "UPPER lower MiXeD",
    "emoji 🙂 and symbols © ® ™ € £",
    "a",
    "?!.,;:-()[]{}",
    "The end.",
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=".", help="where the fixture goes (created if needed)")
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="the shared data beside the checkout")
    args = parser.parse_args()
    sp = spm.SentencePieceProcessor(model_file=os.path.join(args.shared, "models", "stories260K", "tok512.model"))
    cases = [{"text": s, "ids": sp.encode(s)} for s in SENTENCES]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "tok512_sentencepiece.json"), "w", encoding="utf-8") as f:
        f.write('{"tokenizer": "stories260K/tok512.model", "sentencepiece": "%s", "cases": [\n'
                % spm.__version__)
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
