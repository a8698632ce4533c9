#!/usr/bin/env python3
"""Writes Tests/HanFixTests/Fixtures/repair-cases.jsonl: mojibake made from real Chinese lines
(the benchmark corpus of Debian translations), clean lines that must come back unchanged, and
irreversible damage that must be kept and reported. Deterministic: same corpus, same file.

    python3 scripts/generate-repair-cases.py [CORPUS_DIR]      # default /tmp/bench/corpus
    python3 scripts/generate-repair-cases.py --eval 500 --out /tmp/repair-eval.jsonl

One JSON object per line: label, recipe, kind, original, fixed, expect[, damage]. Damage =
encode the real text with codec A, decode the bytes with codec B. --eval writes a larger set
from lines the committed file does not use (a held-out set; not committed).

The hand-written repair-cases-hand.jsonl is not copied: the tests read both files. This script
only validates it (same format, unique labels, the same oracle), so it can be edited without
the corpus and checked with `--hand-only`. Standard library only.
"""
import argparse
import json
import pathlib
import random
import re
import sys
import unicodedata

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests/HanFixTests/Fixtures"
SOURCES = {"hans": "zh-hans.unique.txt", "hant": "zh-hant.unique.txt"}
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN_RUN = re.compile(f"[{HAN}]+")
PIECE = re.compile(r"[^，。；：、！？ ]+")  # clauses between Chinese punctuation or spaces
DAMAGE_KINDS = ["replacement-character", "kunjinkao", "tangtang", "tuntun", "question-marks"]

# recipe: (scripts of the source lines, codec that wrote the bytes, codec that read them,
# times applied). "cp1252*" is the sloppy Windows-1252 below.
RECIPES = {
    "utf8-as-cp1252": ("hans hant", "utf-8", "cp1252*", 1),
    "utf8-as-cp1252x2": ("hans hant", "utf-8", "cp1252*", 2),
    "utf8-as-cp1252x3": ("hans hant", "utf-8", "cp1252*", 3),
    "utf8-as-latin1": ("hans hant", "utf-8", "latin-1", 1),
    "utf8-as-gbk": ("hans hant", "utf-8", "gbk", 1),
    "gbk-as-latin1": ("hans", "gbk", "latin-1", 1),
    "gbk-as-cp1252": ("hans", "gbk", "cp1252*", 1),
    "big5-as-gbk": ("hant", "cp950", "gbk", 1),
    "gbk-as-big5": ("hans", "gbk", "cp950", 1),
    "big5-backslash": ("hant", "cp950", "cp950", 1),
}
# Cases per recipe and kind in the committed file (the brief: ≥ 30 whole, ≥ 20 partial).
COMMITTED = {"whole": 30, "partial": 20}
SMALL = {"utf8-as-cp1252x2": {"whole": 16, "partial": 10},
         "utf8-as-cp1252x3": {"whole": 12, "partial": 8},
         "big5-backslash": {"whole": 24, "partial": 0}}  # escaping hits a whole string
MAX_LENGTH = {"utf8-as-cp1252x2": 40, "utf8-as-cp1252x3": 24}  # keeps the file small

# Browsers (WHATWG windows-1252) read the five bytes Windows-1252 leaves undefined as the C1
# controls of the same number; Python's cp1252 raises on them.
CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def sloppy_cp1252(data):
    return "".join(chr(b) if b in CP1252_HOLES else bytes([b]).decode("cp1252") for b in data)


def han_count(text):
    return sum(1 for _ in re.finditer(f"[{HAN}]", text))


def damage(recipe, text):
    """The mojibake `recipe` makes of `text`, or None when it cannot (strict codecs)."""
    _, writer, reader, times = RECIPES[recipe]
    try:
        if recipe == "big5-backslash":
            # Naive escaping doubles a 0x5C trail byte: B3 5C -> B3 5C 5C, read back as 許\.
            if text.encode("cp950").decode("cp950") != text:
                return None
            hit = {c for c in text if len(c.encode("cp950")) == 2 and c.encode("cp950")[1] == 0x5C}
            return "".join(c + "\\" if c in hit else c for c in text) if hit else None
        if text.encode(writer).decode(writer) != text:
            return None  # the real line must round-trip through the writing codec
        for _ in range(times):
            data = text.encode(writer)
            text = sloppy_cp1252(data) if reader == "cp1252*" else data.decode(reader, "strict")
    except UnicodeError:
        return None
    # Private-use results are decoder-specific (ICU refuses them); skip such lines.
    return None if any(unicodedata.category(c) == "Co" for c in text) else text


def undo(recipe, mojibake):
    """Independent oracle: re-encode with the codec that misread, decode with the one that wrote."""
    _, writer, reader, times = RECIPES[recipe]
    if recipe == "big5-backslash":
        return mojibake.encode("cp950").replace(b"\\\\", b"\\").decode("cp950")
    for _ in range(times):
        if reader == "cp1252*":
            data = bytes(ord(c) if ord(c) in CP1252_HOLES else c.encode("cp1252")[0] for c in mojibake)
        else:
            data = mojibake.encode(reader)
        mojibake = data.decode(writer, "strict")
    return mojibake


def eligible(line):
    """Mostly Han, 8–60 characters, nothing that could itself look like damage or mojibake."""
    if not 8 <= len(line) <= 60 or line != line.strip() or "\\" in line or "??" in line:
        return False
    if any(mark in line for mark in ("\ufffd", "锟斤拷", "烫烫", "屯屯")):
        return False
    # No controls (tabs included), format or private-use characters; no Latin-1/Latin
    # Extended letters, so no source line can already be (or be taken for) mojibake.
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Cn") or 0x80 <= ord(c) <= 0x2FF
           for c in line):
        return False
    return han_count(line) >= 0.6 * len(line)


class Generator:
    def __init__(self, corpus, rng):
        self.rng = rng
        self.used = set()  # each line text appears in at most one case, committed or eval
        self.pool = []  # (script, file name, 1-based line number, text), shuffled once
        for script, name in SOURCES.items():
            lines = (corpus / name).read_text(encoding="utf-8").split("\n")
            self.pool += [(script, name, n + 1, t) for n, t in enumerate(lines) if eligible(t)]
        rng.shuffle(self.pool)

    def take(self, want, scripts, make):
        """The first `want` unused pool lines of `scripts` for which make() returns cases."""
        out, lines = [], 0
        for script, name, number, text in self.pool:
            if lines == want:
                break
            if script not in scripts or text in self.used:
                continue
            cases = make(text, f"{name}:{number}")
            if cases:
                self.used.add(text)
                out += cases
                lines += 1
        return out

    def mojibake(self, recipe, kind, want):
        scripts = RECIPES[recipe][0].split()
        limit = MAX_LENGTH.get(recipe, 60)

        def make(text, where):
            if len(text) > limit:
                return None
            spans = [(0, len(text))]
            if kind == "partial":
                pieces = [m.span() for m in PIECE.finditer(text)]
                spans = [(a, b) for a, b in pieces if len(pieces) > 1 and han_count(text[a:b]) >= 4
                         and han_count(text[:a] + text[b:]) >= 2]  # the rest is real Chinese too
                self.rng.shuffle(spans)
            for a, b in spans:
                bad = damage(recipe, text[a:b])
                if bad is not None:
                    assert undo(recipe, bad) == text[a:b], (recipe, text)
                    return [case(f"{recipe}/{kind}/{where}", recipe, kind, text[:a] + bad + text[b:], text)]
            return None
        return self.take(want, scripts, make)

    def lossy(self, want):
        """UTF-8 read as GBK whose byte count leaves one lone lead byte at the end."""
        def make(text, where):
            data = text.encode("utf-8")
            last = text[-1].encode("utf-8")
            if len(last) != 3 or not 0x81 <= data[-1] <= 0xFE or han_count(text) < 5:
                return None
            try:  # everything but the last byte must decode strictly ...
                head = data[:-1].decode("gbk", "strict")
                data.decode("gbk", "strict")
                return None
            except UnicodeDecodeError as error:  # ... and the whole fail only at the end
                if error.start != len(data) - 1 or error.reason != "incomplete multibyte sequence":
                    return None
            if damage("utf8-as-gbk", text[:-1]) is None or any(unicodedata.category(c) == "Co" for c in head):
                return None
            tail = head[-1]  # the GBK character made of the lost character's first two bytes
            assert tail.encode("gbk") == last[:2] and head[:-1].encode("gbk").decode("utf-8") == text[:-1]
            assert data.decode("gbk", "replace") == head + "\ufffd"
            return [case(f"utf8-as-gbk/lossy/{where}/{name}", "utf8-as-gbk", "lossy", head + lost,
                         text[:-1] + tail + lost, damage="lossy-tail")
                    for name, lost in (("fffd", "\ufffd"), ("qmark", "?"))]
        return self.take(want, ["hans", "hant"], make)

    def negative(self, want, script):
        return self.take(want, [script], lambda text, where: [
            case(f"negative/{where}", "none", "negative", text, text)])

    def damaged(self, want, kind):
        """2–4 Han characters inside a Han run replaced, so Han stands on both sides (我??你)."""
        def make(text, where):
            runs = [m.span() for m in HAN_RUN.finditer(text) if m.end() - m.start() >= 4]
            if not runs:
                return None
            a, b = self.rng.choice(runs)
            k = self.rng.randint(2, min(4, b - a - 2))
            start = self.rng.randint(a + 1, b - 1 - k)
            fill = {"replacement-character": "\ufffd" * k, "kunjinkao": "锟斤拷" * self.rng.randint(1, 2),
                    "tangtang": "烫" * self.rng.randint(3, 6), "tuntun": "屯" * self.rng.randint(3, 6),
                    "question-marks": "?" * k}[kind]
            text = text[:start] + fill + text[start + k:]
            return [case(f"damage/{kind}/{where}", "none", "damage", text, text, damage=kind)]
        return self.take(want, ["hans", "hant"], make)

    def generate(self, counts):
        """counts(recipe, kind) -> how many; in a fixed order, so output is reproducible."""
        cases = []
        for recipe in RECIPES:
            for kind in ("whole", "partial"):
                cases += self.mojibake(recipe, kind, counts(recipe, kind))
        cases += self.lossy(counts("utf8-as-gbk", "lossy"))
        for script in ("hans", "hant"):
            cases += self.negative(counts("none", "negative"), script)
        for kind in DAMAGE_KINDS:
            cases += self.damaged(counts("none", "damage"), kind)
        return cases


# Cases HanFix is known to get wrong, by label; they stay in the corpus as "fail". (Empty now:
# 虏厨单单 for 簡報等等, mojibake made of common characters, is caught by the mixed-script test.)
KNOWN_FAILURES = set()


def case(label, recipe, kind, original, fixed, damage=None):
    row = {"label": label, "recipe": recipe, "kind": kind, "original": original, "fixed": fixed,
           "expect": "fail" if label in KNOWN_FAILURES else "pass"}
    if damage:
        row["damage"] = damage
    return row


def committed_count(recipe, kind):
    if recipe == "none":
        return {"negative": 35, "damage": 5}[kind]  # per script / per damage kind
    if kind == "lossy":
        return 12  # lines; two cases each (U+FFFD and '?')
    return SMALL.get(recipe, COMMITTED)[kind]


def check(row):
    """The format and the oracle, for generated and hand-written rows alike."""
    keys = ["label", "recipe", "kind", "original", "fixed", "expect"]
    assert list(row)[:6] == keys and set(row) <= set(keys + ["damage"]), row
    original, fixed, kind = row["original"], row["fixed"], row["kind"]
    if kind in ("negative", "damage"):
        assert original == fixed and row["recipe"] == "none", row
        assert kind == "negative" or row["damage"] in DAMAGE_KINDS, row
    elif kind == "lossy":  # all but the kept tail (mojibake character + U+FFFD or '?') restored
        assert original[-1] in "\ufffd?" and fixed[-2:] == original[-2:], row
        assert undo("utf8-as-gbk", original[:-2]) == fixed[:-2], row
    elif kind == "whole":
        assert undo(row["recipe"], original) == fixed, row
    else:  # partial: undo the stretch between the common prefix and suffix
        p = 0
        while p < min(len(original), len(fixed)) and original[p] == fixed[p]:
            p += 1
        s = 0
        while s < min(len(original), len(fixed)) - p and original[-1 - s] == fixed[-1 - s]:
            s += 1
        middle, want = original[p:len(original) - s], fixed[p:len(fixed) - s]
        assert undo(row["recipe"], middle) == want, row


def dump(row):
    # Escape invisible characters (C1 controls, soft hyphen, ZWJ, U+2028 …) so the file stays
    # legible and no reader that splits at Unicode line breaks (U+0085) cuts a row in two.
    text = json.dumps(row, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\xad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


def write(path, rows):
    labels = [r["label"] for r in rows]
    assert len(labels) == len(set(labels)), "duplicate labels"
    for row in rows:
        check(row)
        assert json.loads(dump(row)) == row
    path.write_text("".join(dump(r) + "\n" for r in rows), encoding="utf-8")


def table(rows, title):
    counts = {}
    for row in rows:
        key = (row["recipe"], row["kind"])
        counts[key] = counts.get(key, 0) + 1
    print(f"{title}: {len(rows)} cases", file=sys.stderr)
    for (recipe, kind), n in sorted(counts.items()):
        print(f"  {recipe:18} {kind:9} {n:5}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default="/tmp/bench/corpus", type=pathlib.Path)
    parser.add_argument("--eval", type=int, metavar="N", help="N whole + N partial per recipe (held out)")
    parser.add_argument("--out", type=pathlib.Path, help="where --eval writes")
    parser.add_argument("--hand-only", action="store_true", help="only validate the hand-written file")
    args = parser.parse_args()
    if args.eval and not args.out:
        parser.error("--eval needs --out")

    hand = [json.loads(line) for line in
            (FIXTURES / "repair-cases-hand.jsonl").read_text(encoding="utf-8").split("\n") if line]
    for row in hand:
        check(row)
    table(hand, "repair-cases-hand.jsonl")
    if args.hand_only:
        return

    generator = Generator(args.corpus, random.Random(2026))
    committed = generator.generate(committed_count)  # always first: eval then avoids its lines
    if not args.eval:
        write(FIXTURES / "repair-cases.jsonl", committed)
        labels = {r["label"] for r in committed}
        assert not labels & {r["label"] for r in hand}, "hand labels clash with generated ones"
        table(committed, "repair-cases.jsonl")
        table(committed + hand, "both files")
        return
    n = args.eval
    evaluation = generator.generate(lambda recipe, kind: (
        0 if (recipe, kind) == ("big5-backslash", "partial") else
        max(1, n // 2) if kind == "lossy" else max(1, n // 5) if kind == "damage" else n))
    write(args.out, evaluation)
    table(evaluation, str(args.out))


if __name__ == "__main__":
    main()
