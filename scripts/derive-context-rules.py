#!/usr/bin/env python3
"""Derives HanFix's T→S context rules: the patch dictionaries

    Data/tables/hanfix/patches/TSCharacters.txt   character defaults (著 → 着, 牠 → 它 …)
    Data/tables/hanfix/patches/TSPhrases.txt      phrases that keep the old reading (著名 …),
                                                  context phrases (接著 → 接着 …), fixes

from their sources, deterministically, and prints or checks the evidence quoted in
docs/accuracy/context-rules.md.

    python scripts/derive-context-rules.py                 # write the two patch files
    python scripts/derive-context-rules.py --check         # exit 1 if they are out of date
    python scripts/derive-context-rules.py --report        # evidence tables (Markdown) to stdout
    python scripts/derive-context-rules.py --rows          # accuracy-regressions rows (seconds)
    python scripts/derive-context-rules.py --verify        # emulate the patched t2s and tw2s on the
                                                           # corpus, 30 random samples (~7 minutes)

(run them with /tmp/venv/bin/python, which has opencc)

Needs PyPI opencc==1.4.2 (`import opencc`: its s2t, s2tw, s2hk and t2s spell the keys and
values, and --verify checks the emulator against its t2s). Sources (defaults in brackets):

    --opencc-dir  OpenCC 1.4.2 dictionaries        [Data/tables/opencc]
    --jieba       jieba 0.42.1 jieba/dict.txt (MIT) [/tmp/jieba/jieba-0.42.1/jieba/dict.txt]
    --corpus      real zh_TW text, unique lines     [/tmp/bench/corpus/zh-hant.unique.txt]
    --corpus-full the same repeated (benchmark)     [/tmp/bench/corpus/zh-hant.txt]
    --hans        real zh_CN text, unique lines     [/tmp/bench/corpus/zh-hans.unique.txt]
    --parts       per-source parts of the corpus    [/tmp/bench/parts]

The character rules do not depend on the corpus. The corpus decides which rare words are kept
(a jieba word with count < 20 is kept only if it occurs in zh-hant) and supplies the left
contexts of the context phrases, checked against zh-hans. The hand lists below (DENY, ADD,
CONTEXT_ADD, CONTEXT_DENY, CONTEXT_EXCEPTIONS, PHRASE_FIXES) carry a reason each, and --report
prints the corpus lines behind them.

Conversion model (what the patches are written for): OpenCC's t2s group, short-circuit
TSPhrases → TSCharactersExt → TSCharacters, i.e. greedy leftmost-longest matching, phrases
before characters, with each patch merged into the dictionary of its name (a patch line
replaces OpenCC's line for the key or adds the key).
"""
import argparse
import collections
import hashlib
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PATCH_DIR = ROOT / "Data/tables/hanfix/patches"

# ----------------------------------------------------------------------------- the rules

# Character defaults: (Traditional character, new Simplified default, where its exceptions
# come from). "jieba" = every jieba word containing the character, whose Simplified spelling
# keeps it (so it is a word of the old reading).
CHAR_RULES = [
    ("著", "着", "jieba"),   # zhe/zháo/zhuó → 着; zhù words stay 著
    ("祇", "只", "jieba"),   # zhǐ 'only' → 只; qí 'earth god' words stay 祇
    ("牠", "它", None),      # 'it' (animals); STCharacters already lists 它 → 它 牠
    ("暱", "昵", None),      # 暱稱 → 昵称; STCharacters already lists 昵 → 暱
    ("妳", "你", None),      # 'you' (female); not in GB 2312, 0 in the zh_CN corpus
]

MIN_JIEBA_COUNT = 20          # jieba words below this count need a corpus occurrence

# jieba words (Simplified) that contain the character but are not words of the kept
# reading, or whose corpus occurrences are all crossings. Reason each.
DENY = {
    # 着 words spelled with 著 in jieba (the same word with 着 is not in jieba, or rarer)
    "充满著": "充滿著 = 充满着 (V + particle); jieba tags it n with the floor count 3",
    "标志著": "標誌著 = 标志着 (V + particle); floor count 3",
    "著合": "corpus: only 跟著合適 (跟着 + 合适); floor count 3",
    "著身": "corpus: only 光著身子 / 彎著身軀 (着); floor count 3",
    "明著": "corpus: only 說明著作權 (说明 + 著作权); floor count 2",
    "杂著": "corpus: only 混雜著 / 摻雜著 (杂 + 着), which 雜著 would capture; count 27",
    "著有": "corpus: 15 of 15 are V著 + 有 (意味著有, 流傳著有 …), none is 'has written'; count 3",
}

# Words of the kept reading that jieba lacks or counts too low, and that are safe to add.
ADD = {
    "拙著": ("拙著", "'my humble work', zhù; jieba count 9"),
    "昭著": ("昭著", "'manifest', zhù (臭名昭著, 惡名昭著, 劣跡昭著); OpenCC's TWVariantsRevPhrases keeps it"),
    "合著者": ("合著者", "co-author; OpenCC's own TWVariantsRevPhrases keeps it"),
    "新著": ("新著", "new work, zhù; jieba count 13; its corpus hits are 更新著色器, handled by "
                    "the context phrases 更新著 and 重新著"),
    "彰明較著": ("彰明较著", "very evident, zhù; jieba count 3 (accuracy-regressions.jsonl)"),
    "著佐權": ("著佐权", "copyleft, a pun on 著作權 (corpus: 5 lines of Debian docs; zh-hans writes 著佐权)"),
    "神祇": ("神祇", "deity, qí; the only 祇 word in the corpus (1 occurrence)"),
    "地祇": ("地祇", "earth god, qí (天神地祇)"),
    "祇園": ("祇园", "Gion (Kyoto) / Jetavana, qí"),
}

# Context phrases: a 着 word whose Traditional form starts before a kept word and covers its
# 著 wins under leftmost-longest matching (接著名單 → 接着名单, not 接著名单). Three sources:
# (a) jieba's 着 words with count >= CONTEXT_MIN_COUNT whose stem mostly takes 着
#     (context_score >= CONTEXT_MIN_SCORE): 意味著, 緊接著, 用不著, 順著 …
# (b) the corpus's own left contexts: X著 seen >= LEFT_MIN_COUNT times in zh-hant, whose
#     Simplified x着 occurs >= HANS_MIN_COUNT times in zh-hans and x著 never precedes a kept
#     word there (that would be 擁有著作權, 衍生著作: X + a zhù word). jieba lacks 带着, 拿着 …
#     When one word YX accounts for >= DOMINANT_SHARE of the X著 (代表著 for 表著), the key is
#     YX著, which cannot capture 發表著作.
# (c) CONTEXT_ADD: phrases seen crossing a kept word in the corpus or in OpenCC's issues.
# Every candidate must pass the zh-hans check of (b). And since 著作權 (copyright, 54 times in
# the corpus) is never 着 + 作權, each context phrase K gets the exception K + 作權 →
# …著作权 (保護著作權, 受著作權保護 stay 著).
CONTEXT_MIN_COUNT = 100
CONTEXT_MIN_SCORE = 0.03
LEFT_MIN_COUNT = 10
DOMINANT_SHARE = 0.8
HANS_MIN_COUNT = 3
CONTEXT_ADD = {
    "存在着": "存在著名為 (存在着 + 名为), corpus",
    "生活着": "生活著名為 (OpenCC issue #989)",
    "混合着": "混合著人類, 混合著色器 (合著 would capture them), corpus",
    "照着": "照著作者所計畫 (照着 + 作者), corpus; 參照著作 is an exception below",
    "结合着": "結合著實例 (合著 would capture it; accuracy-regressions.jsonl)",
    "更新着": "更新著色器 (更新 + 着色器; 新著 would capture it), corpus",
    "重新着": "重新著色 (重新 + 着色; 新著 would capture it)",
}
# Left contexts (b) refused although they pass the counts (character: reason).
CONTEXT_DENY = {
    "不": "不著名 (obscure) is zhù; 用不著, 睡不著 … come from (a)",
    "等": "…等著作 (and other works) is zhù",
    "味": "美味著稱 is zhù; 意味著 comes from (a)",
    "可": "可著 is no word; 可著色 is 可 + 着色 either way",
}
# Longer phrases where a context phrase would capture a kept word (Traditional key: why).
CONTEXT_EXCEPTIONS = {
    "參照著作": "所參照著作的清單 (参照 + 著作), corpus",
}

# Other phrase fixes on real text (Traditional key, Simplified value, reason).
PHRASE_FIXES = [
    ("於單", "于单", "OpenCC's 於單 → 於单 (a Xiongnu name) captures 用於單一, 由於單… "
                   "(23 in the corpus, 0 names)"),
    ("醞藉", "酝藉", "= 蘊藉 (refined), keeps 藉; OpenCC gives 酝借 (accuracy-regressions.jsonl)"),
    ("甚夥", "甚夥", "夥 'many' stays 夥 (通用规范汉字表); OpenCC gives 甚伙 (accuracy-regressions.jsonl)"),
    ("終日乾乾", "终日乾乾", "乾 qián (Yijing) stays; OpenCC gives 终日干干; not 乾乾 alone, "
                         "which would capture 乾乾淨淨 (accuracy-regressions.jsonl)"),
    ("規畫", "规划", "Taiwan 規畫 = 规划; OpenCC gives 规画 (corpus: 7 in zh-hant; zh-hans 规划 116, "
                   "规画 1)"),
    ("覆核", "复核", "review again: 复核 in Simplified; OpenCC keeps 覆 (accuracy-regressions.jsonl)"),
]

# ----------------------------------------------------------------------------- helpers

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def load_opencc(path):
    """OpenCC text dictionary: key → [candidates], in file order."""
    table = {}
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, values = line.split("\t")
        table[key] = values.split(" ")
    return table


def load_jieba(path):
    counts, tags = {}, {}
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        word, count, tag = line.split(" ")
        counts[word] = int(count)
        tags[word] = tag
    return counts, tags


class Converter:
    """Greedy leftmost-longest matching over a short-circuit group of dictionaries, as
    OpenCC's conversion step does. `convert_segments` also returns (source, target) pieces."""

    def __init__(self, dicts):
        # per dictionary: the table and, per first character, the longest key length
        self.dicts = []
        for table in dicts:
            longest = {}
            for key in table:
                longest[key[0]] = max(longest.get(key[0], 0), len(key))
            self.dicts.append((table, longest))

    def match(self, text, i):
        for table, longest in self.dicts:
            for n in range(min(longest.get(text[i], 0), len(text) - i), 0, -1):
                value = table.get(text[i:i + n])
                if value is not None:
                    return n, value
        return 1, None

    def convert_segments(self, text):
        i, out = 0, []
        while i < len(text):
            n, value = self.match(text, i)
            out.append((text[i:i + n], text[i:i + n] if value is None else value))
            i += n
        return out

    def convert(self, text):
        return "".join(target for _, target in self.convert_segments(text))


class Sources:
    def __init__(self, args):
        self.args = args
        od = pathlib.Path(args.opencc_dir)
        self.files = {name: od / f"{name}.txt" for name in
                      ("TSPhrases", "TSCharacters", "TSCharactersExt", "CJK_Compatibility_Ideographs",
                       "TWVariantsRevPhrases", "TWVariantsRev", "TWPhrasesRev", "STCharacters")}
        self.opencc = {name: load_opencc(path) for name, path in self.files.items()}
        self.jieba, self.jieba_tags = load_jieba(args.jieba)
        self.corpus = pathlib.Path(args.corpus).read_text(encoding="utf-8")
        self.hans = pathlib.Path(args.hans).read_text(encoding="utf-8")
        import opencc
        self.cc = {name: opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk", "t2s", "tw2s")}

    def first(self, name):
        return {k: v[0] for k, v in self.opencc[name].items()}

    def charwise_s2t(self, word):
        st = self.opencc["STCharacters"]
        return "".join(st[c][0] if c in st else c for c in word)

    def traditional_forms(self, word, charwise=True):
        """OpenCC's s2t, s2tw and s2hk spellings of a Simplified word, and (for kept words)
        the character-by-character one, which keeps 巨著 beside OpenCC's 鉅著."""
        forms = {self.cc[n].convert(word) for n in ("s2t", "s2tw", "s2hk")}
        if charwise:
            forms.add(self.charwise_s2t(word))
        return sorted(forms)


# ----------------------------------------------------------------------------- derivation

def context_score(src, word):
    """How strongly jieba says the stem of a 着 word takes 着: count(stem着) divided by the
    counts of the stem as a word and of the jieba words ending in the stem (+1). Low for
    stems that mostly end other words (有 in 擁有著作權, 當 in 相當著名), where the context
    phrase would capture a kept word."""
    if not hasattr(src, "ending"):
        src.ending = collections.Counter()
        for w, c in src.jieba.items():
            for k in range(1, min(len(w), 5)):
                src.ending[w[-k:]] += c
    stem = word[:-1]
    return src.jieba[word] / (src.jieba.get(stem, 0) + src.ending[stem] + 1)


def derive(src):
    """Returns (char_patch, phrase_patch, evidence): patches as {key: (value, note)}."""
    t2s = src.cc["t2s"]
    ev = {"kept": [], "denied": [], "variant": [], "rare": [], "context": [], "context_rejected": []}
    char_patch, phrase_patch = {}, {}
    ts_chars = src.first("TSCharacters")
    ts_phrases = src.first("TSPhrases")
    for char, default, exceptions in CHAR_RULES:
        char_patch[char] = (default, f"OpenCC: {char} → {ts_chars.get(char, char)}")
        if exceptions != "jieba":
            continue
        for word, count in sorted(src.jieba.items(), key=lambda kv: (-kv[1], kv[0])):
            if char not in word:
                continue
            forms = src.traditional_forms(word)
            forms = [f for f in forms if char in f]
            hits = {f: src.corpus.count(f) for f in forms}
            variant = word.replace(char, default)
            row = (word, count, src.jieba_tags[word], forms, hits, variant, src.jieba.get(variant, 0))
            if word == char:
                continue
            if word in DENY:
                ev["denied"].append(row + (DENY[word],))
                continue
            if src.jieba.get(variant, 0) > count:
                ev["variant"].append(row)
                continue
            if count < MIN_JIEBA_COUNT and not any(hits.values()):
                ev["rare"].append(row)
                continue
            ev["kept"].append(row)
            for form in forms:
                phrase_patch[form] = (t2s.convert(form), f"{char} kept: jieba {word} {count}")
    for word, (value, why) in ADD.items():
        phrase_patch[word] = (value, why)
    # context phrases
    kept_keys = [k for k, (v, _) in phrase_patch.items() if "著" in v]
    continuations = sorted({t2s.convert(k)[1:] for k in kept_keys if k.startswith("著") and len(k) > 1})
    kept_tails = {k[:-1] for k in kept_keys if k.endswith("著")}

    def harm(key):
        """zh-hans lines where the stem of `key` is followed by a kept word starting with 著."""
        stem = t2s.convert(key[:-1])
        return sum(src.hans.count(stem + "著" + c) for c in continuations)

    def add_context(key, note, row):
        if key in phrase_patch or key[:-1] in kept_tails:
            return
        h = harm(key)
        if h:
            ev["context_rejected"].append(row + (f"zh-hans: {key[:-1]}著 + kept word {h}×",))
            return
        phrase_patch[key] = (t2s.convert(key.replace("著", "着")), note)
        ev["context"].append(row + (note,))

    for word, count in sorted(src.jieba.items(), key=lambda kv: (-kv[1], kv[0])):   # (a)
        if len(word) < 2 or not word.endswith("着") or "著" in word or word in CONTEXT_ADD:
            continue
        forms = sorted({f.replace("着", "著") for f in src.traditional_forms(word, charwise=False)})
        hits = sum(src.corpus.count(f) for f in forms)
        if not hits:
            continue
        score = context_score(src, word)
        row = ("a", word, count, f"{score:.3f}", hits)
        if count < CONTEXT_MIN_COUNT or score < CONTEXT_MIN_SCORE:
            ev["context_rejected"].append(row + (f"count {count} < {CONTEXT_MIN_COUNT}" if count < CONTEXT_MIN_COUNT
                                                 else f"score {score:.3f} < {CONTEXT_MIN_SCORE}",))
            continue
        for form in forms:
            add_context(form, f"(a) jieba {word} {count}", row)
    left = collections.Counter(src.corpus[m.start() - 1] for m in re.finditer("著", src.corpus)
                               if m.start() > 0 and HAN.match(src.corpus[m.start() - 1]))
    for char, n in sorted(left.items(), key=lambda kv: (-kv[1], kv[0])):                  # (b)
        if n < LEFT_MIN_COUNT:
            break
        key = char + "著"
        before = collections.Counter(src.corpus[m.start() - 1] for m in re.finditer(key, src.corpus) if m.start() > 0)
        if before:
            y, ny = before.most_common(1)[0]
            if ny >= DOMINANT_SHARE * n and t2s.convert(y + char) in src.jieba:
                key = y + key
        zhe = src.hans.count(t2s.convert(key[:-1]) + "着")
        row = ("b", key, n, f"zh-hans {t2s.convert(key[:-1])}着 {zhe}", "")
        if key in phrase_patch or char in kept_tails:
            continue
        if char in CONTEXT_DENY:
            ev["context_rejected"].append(row + (CONTEXT_DENY[char],))
        elif zhe < HANS_MIN_COUNT:
            ev["context_rejected"].append(row + (f"zh-hans {t2s.convert(key[:-1])}着 {zhe} < {HANS_MIN_COUNT}",))
        else:
            add_context(key, f"(b) zh-hant {key} {n}, zh-hans {t2s.convert(key[:-1])}着 {zhe}", row)
    for word, why in CONTEXT_ADD.items():                                                    # (c)
        for form in sorted({f.replace("着", "著") for f in src.traditional_forms(word, charwise=False)}):
            add_context(form, "(c) " + why, ("c", word, src.corpus.count(form), "", ""))
    for key in sorted(k for k, (v, note) in phrase_patch.items() if note.startswith("(")):
        phrase_patch[key + "作權"] = (t2s.convert(key[:-1]) + "著作权", "exception: 著作權 after a context phrase")
    for key, why in CONTEXT_EXCEPTIONS.items():
        phrase_patch[key] = (t2s.convert(key), "exception: " + why)
    for key, value, why in PHRASE_FIXES:
        phrase_patch[key] = (value, "fix: " + why)
    # drop no-ops: OpenCC already has the key with this value
    for key in sorted(phrase_patch):
        if ts_phrases.get(key) == phrase_patch[key][0]:
            del phrase_patch[key]
    return char_patch, phrase_patch, ev


def render(name, patch, src):
    lines = [
        f"# HanFix patch for OpenCC {name}.txt: merged into it for HanFix's own engine (a line",
        "# here replaces OpenCC's line for the same key or adds the key). Generated by",
        "# scripts/derive-context-rules.py; evidence in docs/accuracy/context-rules.md. Do not edit.",
        "# sources:",
        f"#   OpenCC 1.4.2 dictionaries (Apache-2.0): TSCharacters.txt {sha256(src.files['TSCharacters'])[:16]},",
        f"#     TSPhrases.txt {sha256(src.files['TSPhrases'])[:16]}, STCharacters.txt "
        f"{sha256(src.files['STCharacters'])[:16]} (sha256 prefixes)",
        f"#   jieba 0.42.1 jieba/dict.txt (MIT) {sha256(src.args.jieba)[:16]}",
        f"#   corpus (decides rare words and left contexts): zh-hant.unique.txt {sha256(src.args.corpus)[:16]},",
        f"#     zh-hans.unique.txt {sha256(src.args.hans)[:16]} (Debian zh_TW / zh_CN translations)",
        "#   spelling of keys and values: PyPI opencc 1.4.2 s2t, s2tw, s2hk, t2s",
        f"# entries: {len(patch)}",
    ]
    for key in sorted(patch):
        lines.append(f"{key}\t{patch[key][0]}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- emulation

def build_converters(src, char_patch=None, phrase_patch=None):
    phrases = src.first("TSPhrases")
    chars = src.first("TSCharacters")
    if phrase_patch:
        phrases = {**phrases, **{k: v[0] for k, v in phrase_patch.items()}}
    if char_patch:
        chars = {**chars, **{k: v[0] for k, v in char_patch.items()}}
    normalize = Converter([src.first("CJK_Compatibility_Ideographs")])
    return normalize, Converter([phrases, src.first("TSCharactersExt"), chars])


def segment(table, text):
    """OpenCC's mmseg: maximal forward matching on `table`; unmatched runs form one segment."""
    longest = {}
    for key in table:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    out, i, start = [], 0, 0
    while i < len(text):
        n = 0
        for m in range(min(longest.get(text[i], 0), len(text) - i), 0, -1):
            if text[i:i + m] in table:
                n = m
                break
        if n:
            if start < i:
                out.append(text[start:i])
            out.append(text[i:i + n])
            i += n
            start = i
        else:
            i += 1
    if start < len(text):
        out.append(text[start:])
    return out


REGIONAL_STEPS = {   # OpenCC 1.4.2 configs: the step before the t2s group (all use mmseg on TSPhrases)
    "tw2s": ["TWVariantsRevPhrases", "TWVariantsRev"],
    "tw2sp": ["TWPhrasesRev", "TWVariantsRevPhrases", "TWVariantsRev"],
    "hk2s": ["HKVariantsRevPhrases", "HKVariantsRev"],
}


def suggested_tw_phrases(src, phrase_patch):
    """Kept words that OpenCC's TWVariantsRevPhrases does not protect: tw2s / tw2sp turn their
    著 into 着 before the t2s step sees them, so they need a line there too (key → key)."""
    tw = src.first("TWVariantsRevPhrases")
    seg = Converter([tw])
    out = {}
    for key, (value, _) in sorted(phrase_patch.items()):
        if "著" in value and "著" in key and "著" not in seg.convert(key).replace(key, "") and \
                Converter([tw, {"著": "着"}]).convert(key) != key:
            out[key] = key
    return out


def regional_converter(src, config, char_patch=None, phrase_patch=None, regional_patch=None):
    """OpenCC's tw2s / tw2sp / hk2s: normalization, mmseg on TSPhrases, then the regional
    step and the t2s group, each applied within a segment."""
    normalize, ts = build_converters(src, char_patch, phrase_patch)
    seg = dict(src.first("TSPhrases"))
    if phrase_patch:
        seg.update({k: v[0] for k, v in phrase_patch.items()})
    for name in REGIONAL_STEPS[config]:
        if name not in src.opencc:
            src.opencc[name] = load_opencc(pathlib.Path(src.args.opencc_dir) / f"{name}.txt")
    tables = [src.first(name) for name in REGIONAL_STEPS[config]]
    if regional_patch:
        i = REGIONAL_STEPS[config].index("TWVariantsRevPhrases") if "TWVariantsRevPhrases" in REGIONAL_STEPS[config] else None
        if i is not None:
            tables[i] = {**tables[i], **regional_patch}
    regional = Converter(tables)

    def convert(text):
        return "".join(ts.convert(regional.convert(piece)) for piece in segment(seg, normalize.convert(text)))
    return convert


def zhe_outcomes(normalize, converter, text, char="著"):
    """For each occurrence of `char`: (offset, output character, source piece)."""
    text = normalize.convert(text)
    out, offset = [], 0
    for source, target in converter.convert_segments(text):
        for j, c in enumerate(source):
            if c == char:
                got = target[j] if len(target) == len(source) else ("?" + target)
                out.append((offset + j, got, source))
        offset += len(source)
    return text, out


# ----------------------------------------------------------------------------- report

def report(src, char_patch, phrase_patch, ev):
    p = print
    full = pathlib.Path(src.args.corpus_full).read_text(encoding="utf-8")
    hans = pathlib.Path(src.args.hans).read_text(encoding="utf-8")
    parts = pathlib.Path(src.args.parts)
    manpages = set((parts / "hant-manpages-opencc.txt").read_text(encoding="utf-8").split("\n"))
    human_unique = "\n".join(l for l in src.corpus.split("\n") if l not in manpages)
    human_full = "\n".join(l for l in full.split("\n") if l not in manpages)
    normalize, patched = build_converters(src, char_patch, phrase_patch)

    p("## Character counts (unique lines / full benchmark file)\n")
    p("| char | zh-hant unique | zh-hant.txt | of which human-written (full) | OpenCC t2s output | zh-hans unique | new default in zh-hans unique |")
    p("|---|---|---|---|---|---|---|")
    t2s_out = src.cc["t2s"].convert(src.corpus)
    for char, default, _ in CHAR_RULES:
        p(f"| {char} | {src.corpus.count(char)} | {full.count(char)} | {human_full.count(char)} | "
          f"{t2s_out.count(char)} | {hans.count(char)} | {default}: {hans.count(default)} |")

    p("\n## 著 in zh-hant.txt by outcome of the patched converter\n")
    for label, text in (("zh-hant.txt (all)", full), ("human-written lines only", human_full),
                        ("zh-hant.unique.txt", src.corpus)):
        _, outs = zhe_outcomes(normalize, patched, text)
        c = collections.Counter(o[1] for o in outs)
        kept = collections.Counter(o[2] for o in outs if o[1] == "著")
        p(f"- {label}: {len(outs)} 著 → 着 {c['着']}, stays 著 {c['著']}, other {len(outs) - c['着'] - c['著']}; "
          f"kept by: {', '.join(f'{k} {v}' for k, v in kept.most_common())}")

    def reading(gram):
        ctx = gram.replace("⏎", "")
        for key in phrase_patch:
            if "著" in key and ctx in key and phrase_patch[key][0].count("著"):
                return "zhù (" + key + ")"
        return ""

    for side in ("left", "right"):
        p(f"\n## Top 20 {side} bigrams of 著, human-written zh_TW lines of zh-hant.txt\n")
        p("| bigram | count | patched output (count) |")
        p("|---|---|---|")
        outs_by_gram = collections.defaultdict(collections.Counter)
        text, outs = zhe_outcomes(normalize, patched, human_full)
        for off, got, piece in outs:
            if side == "left":
                g = (text[off - 1] if off > 0 else "^") + "著"
            else:
                g = "著" + (text[off + 1] if off + 1 < len(text) else "$")
            outs_by_gram[g.replace("\n", "⏎")][got] += 1
        for g, n in collections.Counter({g: sum(c.values()) for g, c in outs_by_gram.items()}).most_common(20):
            p(f"| {g} | {n} | " + ", ".join(f"{k} {v}" for k, v in outs_by_gram[g].most_common()) + " |")

    p("\n## jieba words containing 著 / 祇\n")
    p("kept (count ≥ 20 or in the corpus):\n")
    p("| jieba word | count | tag | Traditional keys | corpus hits (unique lines) |")
    p("|---|---|---|---|---|")
    for word, count, tag, forms, hits, variant, vcount in ev["kept"]:
        p(f"| {word} | {count} | {tag} | {' '.join(forms)} | {sum(hits.values())} |")
    p("\ndropped, the 着/只 spelling is the commoner jieba word:\n")
    p("| jieba word | count | variant | variant count | corpus hits |")
    p("|---|---|---|---|---|")
    for word, count, tag, forms, hits, variant, vcount in ev["variant"]:
        p(f"| {word} | {count} | {variant} | {vcount} | {sum(hits.values())} |")
    p("\ndropped by hand:\n")
    p("| jieba word | count | corpus hits | reason |")
    p("|---|---|---|---|")
    for word, count, tag, forms, hits, variant, vcount, why in ev["denied"]:
        p(f"| {word} | {count} | {sum(hits.values())} | {why} |")
    rare = ev["rare"]
    p(f"\ndropped as rare (count < {MIN_JIEBA_COUNT}, not in the corpus): {len(rare)} words: "
      + " ".join(f"{r[0]}({r[1]})" for r in rare))

    p("\n## Context phrases\n")
    p("(a) jieba 着 word (count, score, corpus hits); (b) corpus left context (count in zh-hant "
      "unique lines, zh-hans evidence); (c) by hand.\n")
    p("| source | word | count | evidence | hits | added as |")
    p("|---|---|---|---|---|---|")
    for row in ev["context"]:
        keys = [k for k, (v, note) in phrase_patch.items() if note == row[-1]]
        p("| " + " | ".join(map(str, row[:-1])) + f" | {row[-1]} |")
    p("\nrejected:\n")
    p("| source | word | count | evidence | hits | why not |")
    p("|---|---|---|---|---|---|")
    for row in ev["context_rejected"]:
        p("| " + " | ".join(map(str, row)) + " |")

    p("\n## Context phrases followed by the rest of a kept word in zh-hant (read by hand)\n")
    kept_keys = [k for k, (v, _) in phrase_patch.items() if "著" in v]
    conts = sorted({k[1:] for k in kept_keys if k.startswith("著") and len(k) > 1}, key=len, reverse=True)
    for key, (value, note) in sorted(phrase_patch.items()):
        if not note.startswith("("):
            continue
        for m in re.finditer(re.escape(key), src.corpus):
            rest = src.corpus[m.end():m.end() + 4]
            hit = next((c for c in conts if rest.startswith(c)), None)
            if hit:
                p(f"- {key}+{hit}: {src.corpus[max(0, m.start() - 6):m.end() + 6]}".replace("\n", "⏎"))

    p("\n## Corpus lines behind the manual lists\n")
    for key in list(CONTEXT_EXCEPTIONS) + [k for k, _, _ in PHRASE_FIXES] + ["著有", "雜著", "新著", "合著", "著錄", "著佐權"]:
        ms = [m.start() for m in re.finditer(key, src.corpus)]
        ctx = collections.Counter(src.corpus[max(0, i - 6):i + len(key) + 6].replace("\n", "⏎") for i in ms)
        p(f"- {key} ({len(ms)}): " + "; ".join(f"{c} ×{n}" if n > 1 else c for c, n in ctx.most_common(12)))


# ----------------------------------------------------------------------------- verify

def verify(src, char_patch, phrase_patch, seed, samples):
    p = print
    full = pathlib.Path(src.args.corpus_full).read_text(encoding="utf-8")
    normalize, base = build_converters(src)
    _, patched = build_converters(src, char_patch, phrase_patch)
    # 1. the emulator is OpenCC's t2s
    lines = src.corpus.split("\n")
    # a line without any patch key converts the same with and without the patches
    keys = re.compile("|".join(map(re.escape, sorted(set(char_patch) | set(phrase_patch), key=len, reverse=True))))
    touched = [l for l in lines if keys.search(normalize.convert(l))]
    t2s = src.cc["t2s"]
    mismatches = [l for l in lines if base.convert(normalize.convert(l)) != t2s.convert(l)]
    p(f"emulator vs PyPI opencc 1.4.2 t2s on {len(lines)} unique lines: {len(mismatches)} lines differ")
    for l in mismatches[:5]:
        p("   ", l)
    # 2. 著 outcomes on the full benchmark file
    text, outs = zhe_outcomes(normalize, patched, full)
    c = collections.Counter(o[1] for o in outs)
    p(f"zh-hant.txt: {len(outs)} 著: → 着 {c['着']}, stay 著 {c['著']}, other {len(outs) - c['着'] - c['著']}")
    for char, default, _ in CHAR_RULES[1:]:
        _, o2 = zhe_outcomes(normalize, patched, full, char)
        c2 = collections.Counter(x[1] for x in o2)
        p(f"zh-hant.txt: {len(o2)} {char}: " + ", ".join(f"→ {k} {v}" for k, v in c2.most_common()))
    # 3. what changed besides the rule characters
    rule_chars = {r[0] for r in CHAR_RULES}
    other = collections.Counter()
    for l in touched:
        a = base.convert(normalize.convert(l))
        b = patched.convert(normalize.convert(l))
        if a != b and len(a) == len(b):
            n = normalize.convert(l)
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y and (len(n) != len(a) or n[i] not in rule_chars):
                    other[(n[i] if len(n) == len(a) else "?") + "→" + y + " in " + n[max(0, i - 2):i + 3]] += 1
        elif a != b:
            other["length change: " + l[:30]] += 1
    p(f"changes at other characters (unique lines): {sum(other.values())}")
    for k, v in other.most_common(40):
        p(f"    {v:3d}  {k}")
    # 4. tw2s, which already turns 著 into 着 in its Taiwan step: what the patches change there
    base_tw, patched_tw = regional_converter(src, "tw2s"), regional_converter(src, "tw2s", char_patch, phrase_patch)
    tw2s = src.cc["tw2s"]
    mismatches = [l for l in lines if base_tw(l) != tw2s.convert(l)]
    p(f"tw2s emulator vs PyPI opencc 1.4.2 tw2s: {len(mismatches)} lines differ")
    diff = collections.Counter()
    for l in touched:
        a, b = base_tw(l), patched_tw(l)
        if a == b:
            continue
        n = normalize.convert(l)
        if len(a) == len(b) == len(n):
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    diff[f"{n[i]}: {x}→{y} in {n[max(0, i - 3):i + 3]}"] += 1
        else:
            diff["length change: " + l[:30]] += 1
    p(f"tw2s, patched vs OpenCC, unique lines: {sum(diff.values())} characters differ")
    by_char = collections.Counter(k.split(":")[0] for k in diff.elements())
    p("    by source character: " + ", ".join(f"{c} {n}" for c, n in by_char.most_common()))
    for k, v in sorted(diff.items()):
        if k[0] in "著祇" or k.startswith("length"):
            p(f"    {v:3d}  {k}")
    # 5. gold: manpages-zh zh_TW pages are OpenCC output of the zh_CN pages, line by line
    parts = pathlib.Path(src.args.parts)
    tw = (parts / "hant-manpages-opencc.txt").read_text(encoding="utf-8").split("\n")
    cn = (parts / "hans-manpages.txt").read_text(encoding="utf-8").split("\n")
    conf = collections.Counter()
    for t, s in zip(tw, cn):
        if "著" not in t or len(t) != len(s):
            continue
        nt = normalize.convert(t)
        if len(nt) != len(t):
            continue
        a = base.convert(nt)
        b = patched.convert(nt)
        if len(a) != len(t) or len(b) != len(t):
            continue
        for i, ch in enumerate(t):
            if ch == "著" and s[i] in "着著":
                conf[(s[i], a[i], b[i])] += 1
    p("manpages-zh gold (zh_CN original, zh_TW = its OpenCC conversion; equal-length lines):")
    for (gold, a, b), n in sorted(conf.items()):
        p(f"    zh_CN {gold}: OpenCC t2s {a}, patched {b}: {n}")
    # 6. the accuracy regressions
    check_rows(src, char_patch, phrase_patch)
    # 7. random changed contexts, human-written lines
    manpages = set(tw)
    human = [l for l in lines if l not in manpages and "著" in l]
    changed = []
    for l in human:
        n = normalize.convert(l)
        _, outs = zhe_outcomes(normalize, patched, n)
        for off, got, piece in outs:
            changed.append((l, off, got))
    rng = random.Random(seed)
    to_zhe = [x for x in changed if x[2] == "着"]
    kept = [x for x in changed if x[2] == "著"]
    p(f"human-written unique lines: {len(changed)} 著, → 着 {len(to_zhe)}, stay 著 {len(kept)}")
    p(f"{samples} random 著 → 着 (seed {seed}):")
    for l, off, got in rng.sample(to_zhe, min(samples, len(to_zhe))):
        p(f"    {l[max(0, off - 12):off]}[著→着]{l[off + 1:off + 10]}")
    p(f"all {len(kept)} kept 著 in human-written unique lines:")
    for l, off, got in kept:
        p(f"    {l[max(0, off - 10):off]}[著]{l[off + 1:off + 8]}")


def check_rows(src, char_patch, phrase_patch):
    """The t2s / tw2s / tw2sp / hk2s rows of Tests/…/accuracy-regressions.jsonl (not the
    mixed-script ones, which the engine's identity phrases handle) through the greedy
    emulation with the patches, then also with the suggested TWVariantsRevPhrases lines."""
    p = print
    normalize, patched = build_converters(src, char_patch, phrase_patch)
    rows_path = ROOT / "Tests/HanFixTests/Fixtures/accuracy-regressions.jsonl"
    if rows_path.exists():
        import json
        suggested = suggested_tw_phrases(src, phrase_patch)
        p(f"suggested TWVariantsRevPhrases lines (kept words OpenCC's tw2s does not protect): {len(suggested)}: "
          + " ".join(suggested))
        rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines()]
        rows = [r for r in rows if r["config"] in ("t2s", *REGIONAL_STEPS) and r["kind"] != "mixed-script"]
        variants = [("these patches", None), ("these patches + the suggested TWVariantsRevPhrases lines", suggested)]
        tw_patch = PATCH_DIR / "TWVariantsRevPhrases.txt"
        if tw_patch.exists():
            committed = {k: v[0] for k, v in load_opencc(tw_patch).items()}
            missing = [k for k in suggested if k not in committed]
            p(f"{tw_patch.relative_to(ROOT)}: {len(committed)} lines; suggested lines missing there: "
              + (" ".join(missing) or "none"))
            variants.append((f"these patches + {tw_patch.name} as it is", committed))
        for label, extra in variants:
            convs = {"t2s": lambda t: patched.convert(normalize.convert(t))}
            for config in REGIONAL_STEPS:
                convs[config] = regional_converter(src, config, char_patch, phrase_patch, extra)
            failed = [(r["config"], r["input"], r["expected"], convs[r["config"]](r["input"])) for r in rows]
            failed = [f for f in failed if f[2] != f[3]]
            p(f"accuracy-regressions.jsonl, {len(rows)} t2s/tw2s/tw2sp/hk2s segmentation+context rows, "
              f"greedy emulation with {label}: {len(rows) - len(failed)} pass, {len(failed)} fail")
            for f in failed:
                p("    FAIL %s %s → expected %s, got %s" % f)


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--opencc-dir", default=str(ROOT / "Data/tables/opencc"))
    ap.add_argument("--jieba", default="/tmp/jieba/jieba-0.42.1/jieba/dict.txt")
    ap.add_argument("--corpus", default="/tmp/bench/corpus/zh-hant.unique.txt")
    ap.add_argument("--corpus-full", default="/tmp/bench/corpus/zh-hant.txt")
    ap.add_argument("--hans", default="/tmp/bench/corpus/zh-hans.unique.txt")
    ap.add_argument("--parts", default="/tmp/bench/parts")
    ap.add_argument("--out-dir", default=str(PATCH_DIR))
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    ap.add_argument("--report", action="store_true", help="print the evidence tables")
    ap.add_argument("--verify", action="store_true", help="emulate the patched t2s on the corpus (minutes)")
    ap.add_argument("--rows", action="store_true", help="only the accuracy-regressions rows (seconds)")
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--samples", type=int, default=30)
    args = ap.parse_args()
    src = Sources(args)
    char_patch, phrase_patch, ev = derive(src)
    outputs = {"TSCharacters": render("TSCharacters", char_patch, src),
               "TSPhrases": render("TSPhrases", phrase_patch, src)}
    if args.report:
        report(src, char_patch, phrase_patch, ev)
    if args.verify:
        verify(src, char_patch, phrase_patch, args.seed, args.samples)
    elif args.rows:
        check_rows(src, char_patch, phrase_patch)
    if args.report or args.verify or args.rows:
        return 0
    out = pathlib.Path(args.out_dir)
    stale = []
    for name, text in outputs.items():
        path = out / f"{name}.txt"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({len(text.splitlines())} lines)", file=sys.stderr)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
