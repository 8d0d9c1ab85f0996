#!/usr/bin/python3
"""Writes tests/data/model/tok512_sentencepiece.json: SentencePiece's own ids (Debian's
python3-sentencepiece) for varied sentences encoded with ../shared/models/stories260K/tok512.model.
tst_llama2ctokenizer checks that tok512.bin, encoded as llama2.c does, gives the same ids.

Run from the repository root:  /usr/bin/python3 tests/tools/make_tokenizer_fixture.py
"""
import json
import os
import sentencepiece as spm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "..", "shared", "models", "stories260K", "tok512.model")
OUT = os.path.join(ROOT, "tests", "data", "model", "tok512_sentencepiece.json")

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
    sp = spm.SentencePieceProcessor(model_file=MODEL)
    cases = [{"text": s, "ids": sp.encode(s)} for s in SENTENCES]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write('{"tokenizer": "stories260K/tok512.model", "sentencepiece": "%s", "cases": [\n'
                % spm.__version__)
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
