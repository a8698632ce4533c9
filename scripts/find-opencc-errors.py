#!/usr/bin/env python3
"""Find candidate OpenCC conversion errors in real text, and check the regression fixture.

Used to gather Tests/HanFixTests/Fixtures/accuracy-regressions.jsonl (see the README
beside it). The searches only propose candidates; every fixture row was then judged by
hand (expected output written by a reader), so the searches do not rebuild the fixture.

Needs PyPI `opencc==1.4.2`; the `segment` search also needs PyPI `jieba==0.42.1`.
Run with the benchmark venv, e.g.:

  PY=/tmp/venv/bin/python
  # mixed-script: OpenCC's own output converted a second time changes
  $PY scripts/find-opencc-errors.py twice   s2t   /tmp/bench/corpus/zh-hans-1m.txt
  $PY scripts/find-opencc-errors.py twice   tw2s  /tmp/bench/corpus/zh-hant-1m.txt
  # mixed-script: text already in the target script is changed
  $PY scripts/find-opencc-errors.py cross   tw2sp /tmp/bench/corpus/zh-hans.unique.txt
  # segmentation: whole-line conversion differs from word-by-word conversion (jieba words)
  $PY scripts/find-opencc-errors.py segment s2t   /tmp/bench/corpus/zh-hans.unique.txt
  # check the fixture against the installed OpenCC
  $PY scripts/find-opencc-errors.py check Tests/HanFixTests/Fixtures/accuracy-regressions.jsonl

Each search prints one TSV row per distinct change, most frequent first:
  count  before  after  first-line  context-before  context-after
Line numbers are those of the scanned file.
"""

import argparse
import collections
import difflib
import json
import re
import sys

import opencc

CONFIGS = ("s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s")
KINDS = ("segmentation", "context", "mixed-script")
KEYS = ("config", "input", "expected", "opencc", "why", "source", "kind")
HAN = re.compile(r"[\u3400-\u9fff]")
CONTEXT = 6  # characters of context printed on each side of a change

_converters = {}


def converter(config):
    if config not in _converters:
        _converters[config] = opencc.OpenCC(config)
    return _converters[config]


def lines(path):
    """Yield (line number, text) for every line that holds at least one Han character."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if HAN.search(line):
                yield number, line


def changes(a, b):
    """Yield (a_start, a_end, b_start, b_end) for every span where a and b differ."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            yield a1, a2, b1, b2


def report(found):
    """Print aggregated changes: found maps (before, after) to a list of (line, ctx_a, ctx_b)."""
    for (before, after), hits in sorted(found.items(), key=lambda kv: -len(kv[1])):
        number, ctx_a, ctx_b = hits[0]
        print(len(hits), before, after, number, ctx_a, ctx_b, sep="\t")


def ctx(text, start, end):
    return text[max(0, start - CONTEXT):end + CONTEXT]


def search_twice(config, path):
    """Mixed-script: once = convert(line); an error of the second pass where convert(once) != once.

    The first pass's output is already in the target script, so a correct converter would
    leave it alone. Where the first pass itself was wrong, the second pass may repair it:
    those rows are first-pass (segmentation) errors and must be judged separately."""
    conv = converter(config).convert
    found = collections.defaultdict(list)
    for number, line in lines(path):
        once = conv(line)
        twice = conv(once)
        for a1, a2, b1, b2 in changes(once, twice):
            found[(once[a1:a2], twice[b1:b2])].append((number, ctx(once, a1, a2), ctx(twice, b1, b2)))
    report(found)


def search_cross(config, path):
    """Mixed-script: run a converter over text already in its target script.

    For x2s configs the file should be Simplified text, for s2x configs Traditional text.
    Spans whose source characters belong to the other script (the reverse config would
    change them) are skipped: converting those is legitimate."""
    conv = converter(config).convert
    reverse = converter("s2t" if config.endswith("2s") else "t2s").convert
    found = collections.defaultdict(list)
    for number, line in lines(path):
        out = conv(line)
        if out == line:
            continue
        for a1, a2, b1, b2 in changes(line, out):
            if reverse(line[a1:a2]) != line[a1:a2]:
                continue
            found[(line[a1:a2], out[b1:b2])].append((number, ctx(line, a1, a2), ctx(out, b1, b2)))
    report(found)


def search_segment(config, path):
    """Segmentation: compare OpenCC on the whole line with OpenCC on each jieba word.

    OpenCC matches dictionary phrases greedily, left to right, so a phrase can win across
    a word boundary. Where the two conversions differ, either OpenCC crossed a boundary or
    jieba split a real phrase; a reader decides which. Rows are keyed by the jieba word."""
    try:
        import jieba
    except ImportError:
        sys.exit("the segment search needs PyPI jieba==0.42.1 (pip install jieba==0.42.1)")
    jieba.setLogLevel(60)
    conv = converter(config).convert
    found = collections.defaultdict(list)
    for number, line in lines(path):
        whole = conv(line)
        words = list(jieba.cut(line, HMM=False))
        by_word = "".join(conv(w) for w in words)
        if whole == by_word or len(whole) != len(by_word):
            continue  # equal, or a length-changing phrase makes positions incomparable
        position = 0
        for word in words:
            start, end = position, position + len(word)
            if whole[start:end] != by_word[start:end]:
                found[(word, whole[start:end] + " / " + by_word[start:end])].append(
                    (number, ctx(line, start, end), ctx(whole, start, end)))
            position = end
    report(found)


def check(path):
    """Validate the fixture: keys, kinds, configs, lengths, uniqueness, and OpenCC's output."""
    problems = 0
    seen = set()
    counts = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            row = json.loads(raw)
            where = f"{path}:{number}"
            if tuple(row) != KEYS:
                print(f"{where}: keys {list(row)}"); problems += 1; continue
            if row["config"] not in CONFIGS or row["kind"] not in KINDS:
                print(f"{where}: bad config or kind"); problems += 1
            if not 3 <= len(row["input"]) <= 30:
                print(f"{where}: input length {len(row['input'])}"); problems += 1
            key = (row["config"], row["input"])
            if key in seen:
                print(f"{where}: duplicate {key}"); problems += 1
            seen.add(key)
            actual = converter(row["config"]).convert(row["input"])
            if actual != row["opencc"]:
                print(f"{where}: opencc now gives {actual!r}, fixture says {row['opencc']!r}"); problems += 1
            if actual == row["expected"]:
                print(f"{where}: opencc already gives the expected output"); problems += 1
            counts[(row["kind"], row["config"])] += 1
    for (kind, config), n in sorted(counts.items()):
        print(f"{kind}\t{config}\t{n}")
    print(f"{sum(counts.values())} rows, {problems} problems")
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("twice", "cross", "segment"):
        p = sub.add_parser(name)
        p.add_argument("config", choices=CONFIGS)
        p.add_argument("corpus")
    p = sub.add_parser("check")
    p.add_argument("fixture")
    args = parser.parse_args()
    if args.command == "check":
        return check(args.fixture)
    {"twice": search_twice, "cross": search_cross, "segment": search_segment}[args.command](args.config, args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
