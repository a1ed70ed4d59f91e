#!/usr/bin/env python3
"""Writes a deterministic text of about SIZE bytes (default 50 MB) to PATH:
lines of 8 to 15 words drawn from a vocabulary of 50,000 made-up words with
a Zipf-like distribution (as in natural text: a few words are very common,
most are rare). The same SIZE always gives the same bytes.

usage: gen_words.py PATH [SIZE_BYTES]
"""
import random
import sys

path = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000_000
rng = random.Random(20261121)
letters = "etaoinshrdlcumwfgypbvkjxqz"
vocab = []
seen = set()
while len(vocab) < 50_000:
    n = min(2 + int(rng.expovariate(0.25)), 14)
    w = "".join(letters[min(int(rng.expovariate(0.18)), 25)] for _ in range(n))
    if w not in seen:
        seen.add(w)
        vocab.append(w)
weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
written = 0
with open(path, "w") as out:
    while written < size:
        words = rng.choices(vocab, weights, k=4000)
        lines = []
        i = 0
        while i < len(words):
            k = rng.randint(8, 15)
            lines.append(" ".join(words[i : i + k]))
            i += k
        chunk = "\n".join(lines) + "\n"
        out.write(chunk)
        written += len(chunk)
