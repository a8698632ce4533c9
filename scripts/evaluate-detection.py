#!/usr/bin/env python3
"""Evaluates `--from auto` on real lines: samples lines of 8 or more characters from the bench
corpus, encodes each in GBK, GB18030, Big5 (Traditional lines), UTF-16LE/BE without a BOM,
UTF-16 with a BOM and UTF-8 with a BOM, and checks that `hanfix --no-repair` gives the line
back exactly. Prints one row per encoding: cases, decoded exactly, rate.

    python3 scripts/evaluate-detection.py [CORPUS_DIR] [--lines N] [--hanfix PATH]
"""
import argparse, pathlib, random, subprocess

parser = argparse.ArgumentParser()
parser.add_argument("corpus", nargs="?", default="/tmp/bench/corpus")
parser.add_argument("--lines", type=int, default=200)
parser.add_argument("--hanfix", default=".build/release/hanfix")
args = parser.parse_args()

def sample(name):
    lines = pathlib.Path(args.corpus, name).read_text(encoding="utf-8").split("\n")
    good = [l for l in lines if 8 <= len(l) <= 80 and sum(0x4E00 <= ord(c) <= 0x9FFF for c in l) >= 4]
    return random.Random(2026).sample(good, args.lines)

hans, hant = sample("zh-hans.unique.txt"), sample("zh-hant.unique.txt")
encodings = [("GBK", "gbk", hans), ("GB18030", "gb18030", hans), ("Big5", "cp950", hant),
             ("UTF-16LE", "utf-16-le", hans + hant), ("UTF-16BE", "utf-16-be", hans + hant),
             ("UTF-16 with BOM", "utf-16", hans + hant), ("UTF-8 with BOM", "utf-8-sig", hans + hant)]
print("encoding\tcases\tdecoded\trate")
for name, codec, lines in encodings:
    cases = decoded = 0
    for line in lines:
        try:
            data = (line + "\n").encode(codec)
        except UnicodeEncodeError:
            continue  # not representable: not a case
        cases += 1
        result = subprocess.run([args.hanfix, "--no-repair"], input=data, capture_output=True)
        decoded += result.returncode == 0 and result.stdout.decode("utf-8", "replace") == line + "\n"
    print(f"{name}\t{cases}\t{decoded}\t{100 * decoded / cases:.1f}%")
