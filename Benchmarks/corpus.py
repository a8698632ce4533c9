#!/usr/bin/env python3
"""Text extraction and corpus assembly for the HanFix benchmark (stdlib only).

Called by make-corpus.sh; usable on its own:

  corpus.py build --src DIR --parts DIR --out DIR [--target BYTES] [--slice BYTES] PKG...
      Extract running text from the unpacked Debian packages DIR/PKG (dpkg -x trees),
      one part file per source under --parts, then write to --out:
        zh-hans.unique.txt, zh-hant.unique.txt  every distinct text line, in part order
        zh-hans.txt, zh-hant.txt                the unique text repeated whole up to
                                                --target bytes (cut at a line end)
        zh-hans-1m.txt, zh-hant-1m.txt          --slice bytes made of runs of lines taken
                                                at evenly spaced points of the unique text
        zh-hans-1line.txt, zh-hant-1line.txt    one short line (startup latency)
        corpus-stats.txt                        sizes, Han share, part list
  corpus.py extract KIND FILE...                text of FILEs to stdout (KIND: html, xml,
                                                roff, fortune, mo, plain)
  corpus.py stats FILE...                       one TSV row per file

Only lines with at least one Han character are kept, white space inside a line is
collapsed, and a line that already occurred (in the same script variant) is dropped, so
"unique" really means unique. Files are read in sorted path order: the corpus is a pure
function of the package versions (recorded in PROVENANCE.txt by make-corpus.sh).
"""
import argparse
import bisect
import gzip
import html
import html.parser
import os
import re
import struct
import sys

HAN_RANGES = (r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
              r"\U00020000-\U0002ffff\U00030000-\U0003134f")
HAN = re.compile(f"[{HAN_RANGES}]")
SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")

# --------------------------------------------------------------------------- extraction

# Elements whose start or end breaks a line (HTML, DocBook, Mallard).
BREAKS = frozenset("""
    address article aside blockquote body br caption dd div dl dt figcaption figure footer
    h1 h2 h3 h4 h5 h6 header hr li nav ol p pre section table td th title tr ul
    para simpara formalpara listitem varlistentry term entry row note tip warning caution
    important screen programlisting literallayout synopsis cmdsynopsis example info desc
    item list terms tree links comment code subtitle refpurpose refname glossterm
    glossdef question answer abstract legalnotice
""".split())
HIDDEN = frozenset("script style head noscript template svg math".split())


class _MarkupText(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.hidden = 0

    @staticmethod
    def _local(tag):
        return tag.rsplit(":", 1)[-1].lower()

    def handle_starttag(self, tag, attrs):
        name = self._local(tag)
        if name in HIDDEN:
            self.hidden += 1
        elif name in BREAKS:
            self.chunks.append("\n")

    def handle_startendtag(self, tag, attrs):
        if self._local(tag) in BREAKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        name = self._local(tag)
        if name in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif name in BREAKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.chunks.append(data)


def markup_text(text):
    p = _MarkupText()
    p.feed(text)
    p.close()
    return "".join(p.chunks)


# roff: request lines whose arguments are text (headings, font macros, tagged paragraphs)
ROFF_TEXT_REQUESTS = frozenset("SH SS B I BI BR IB IR RB RI SB SM TP IP TQ UR MT Nm Nd".split())
ROFF_REQUEST = re.compile(r"^[.'][ \t]*([A-Za-z][A-Za-z0-9]*)(.*)$")
ROFF_ESCAPES = (
    (re.compile(r'\\".*$'), ""),                      # comment to end of line
    (re.compile(r"\\f(?:\[[^\]]*\]|\(..|.)"), ""),     # font change
    (re.compile(r"\\s(?:[+-]?\d+|\[[^\]]*\])"), ""),   # size change
    (re.compile(r"\\\*(?:\[[^\]]*\]|\(..|.)"), ""),    # string interpolation
    (re.compile(r"\\\((?:em|en|hy|mi)"), "-"),
    (re.compile(r"\\\((?:lq|rq|dq)"), '"'),
    (re.compile(r"\\\((?:oq|cq)"), "'"),
    (re.compile(r"\\\(bu"), "\u2022"),
    (re.compile(r"\\\(.."), ""),
    (re.compile(r"\\\[[^\]]*\]"), ""),
    (re.compile(r"\\[-]"), "-"),
    (re.compile(r"\\[eE]"), "\\\\"),
    (re.compile(r"\\[ ~0]"), " "),
    (re.compile(r"\\[&|^%c:!{})/,]"), ""),
)


def roff_text(text):
    out = []
    for line in text.split("\n"):
        m = ROFF_REQUEST.match(line)
        if m:
            if m.group(1) not in ROFF_TEXT_REQUESTS:
                continue
            line = m.group(2).replace('"', " ")
        elif line.startswith(("'", ".")):
            continue                                   # '\" comments, bare dots
        for rx, rep in ROFF_ESCAPES:
            line = rx.sub(rep, line)
        out.append(line)
    return html.unescape("\n".join(out))


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def fortune_text(text):
    return "\n".join(l for l in ANSI.sub("", text).split("\n") if l.strip() != "%")


def mo_text(data):
    """msgstr values of a GNU gettext .mo catalogue (plural forms on separate lines)."""
    if len(data) < 28:
        return ""
    magic = data[:4]
    if magic == b"\xde\x12\x04\x95":
        order = "<"
    elif magic == b"\x95\x04\x12\xde":
        order = ">"
    else:
        return ""
    count, orig_table, trans_table = struct.unpack(order + "III", data[8:20])
    out = []
    for i in range(count):
        olen, _ = struct.unpack_from(order + "II", data, orig_table + 8 * i)
        tlen, toff = struct.unpack_from(order + "II", data, trans_table + 8 * i)
        if olen == 0:                                   # the catalogue header
            continue
        out.extend(data[toff:toff + tlen].decode("utf-8", "replace").split("\x00"))
    return "\n".join(out)


def decode(raw, variant):
    fallbacks = ("gb18030", "big5") if variant != "hant" else ("big5", "gb18030")
    for enc in ("utf-8",) + fallbacks:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def file_text(path, kind, variant="hans"):
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".gz"):
        raw = gzip.decompress(raw)
    if kind == "mo":
        return mo_text(raw)
    text = decode(raw, variant)
    if kind in ("html", "xml"):
        return markup_text(text)
    if kind == "roff":
        return roff_text(text)
    if kind == "fortune":
        return fortune_text(text)
    return text


def han_lines(text):
    for line in text.split("\n"):
        line = SPACES.sub(" ", line).strip()
        if line and HAN.search(line):
            yield line


# --------------------------------------------------------------------------- sources

# Packages with their own rule: (part, variant, human-written?, package, path regex, kind).
# manpages-zh's zh_TW pages are generated upstream from the zh_CN ones with OpenCC; they are
# part of the large Traditional file but not of the 1 MiB Traditional slice, so that the
# accuracy slice is human text only.
DOC_RULES = [
    ("hans-manpages", "hans", True, "manpages-zh", r"/usr/share/man/zh_CN/.*\.gz$", "roff"),
    ("hant-manpages", "hant", False, "manpages-zh", r"/usr/share/man/zh_TW/.*\.gz$", "roff"),
    ("hans-lohelp", "hans", True, "libreoffice-help-zh-cn", r"\.html$", "html"),
    ("hant-lohelp", "hant", True, "libreoffice-help-zh-tw", r"\.html$", "html"),
    ("hans-debref", "hans", True, "debian-reference-zh-cn", r"\.html$", "html"),
    ("hant-debref", "hant", True, "debian-reference-zh-tw", r"\.html$", "html"),
    ("hans-maintguide", "hans", True, "maint-guide-zh-cn", r"\.html$", "html"),
    ("hant-maintguide", "hant", True, "maint-guide-zh-tw", r"\.html$", "html"),
    ("hans-faq", "hans", True, "debian-faq-zh-cn", r"\.html$", "html"),
    ("hans-fortunes", "hans", True, "fortunes-zh", r"/games/fortunes/[a-z0-9]+$", "fortune"),
]
# Any other package: its zh_CN / zh_TW message catalogues, Mallard/DocBook help, man pages.
LOCALE_DIR = {
    "hans": re.compile(r"(^|[/._-])zh[_-](cn|hans|sg)([/._@-]|$)", re.I),
    "hant": re.compile(r"(^|[/._-])zh[_-](tw|hant)([/._@-]|$)", re.I),
}


def generic_kind(path):
    if path.endswith(".mo"):
        return "mo"
    if path.endswith((".page", ".xml", ".docbook")):
        return "xml"
    if "/man/" in path and path.endswith(".gz"):
        return "roff"
    return None


def walk(root):
    """Regular files under root (symlinks skipped), as (relative path, path), sorted."""
    found = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            p = os.path.join(d, name)
            if not os.path.islink(p) and os.path.isfile(p):
                found.append(("/" + os.path.relpath(p, root), p))
    found.sort()
    return found


def sources(src, packages):
    """(part, variant, human, [(path, kind)]) in a fixed order."""
    ruled = {r[3] for r in DOC_RULES}
    out = []
    for part, variant, human, pkg, rx, kind in DOC_RULES:
        if pkg in packages and os.path.isdir(os.path.join(src, pkg)):
            pat = re.compile(rx)
            files = [(p, kind) for rel, p in walk(os.path.join(src, pkg)) if pat.search(rel)]
            out.append((part, variant, human, files))
    for pkg in sorted(set(packages) - ruled):
        root = os.path.join(src, pkg)
        if not os.path.isdir(root):
            continue
        entries = walk(root)
        for variant in ("hans", "hant"):
            files = []
            for rel, p in entries:
                kind = generic_kind(rel)
                if kind and LOCALE_DIR[variant].search(os.path.dirname(rel) + "/" + os.path.basename(rel)):
                    files.append((p, kind))
            if files:
                out.append((f"{variant}-{pkg}", variant, True, files))
    return out


# --------------------------------------------------------------------------- assembly

def grow(unique, target):
    """The unique text repeated whole until it reaches target bytes, cut at a line end."""
    if not unique:
        raise SystemExit("corpus.py: no text")
    reps = -(-target // len(unique))
    data = unique * reps
    if len(data) > target:
        cut = data.rfind(b"\n", 0, target)
        data = data[:cut + 1] if cut >= 0 else data[:target]
    return data


def spread_slice(lines, size, pieces=128):
    """About `size` bytes (never more) of whole lines: `pieces` runs of consecutive lines
    starting at evenly spaced byte offsets of the text, kept in text order."""
    lens = [len(l) for l in lines]
    total = sum(lens)
    if total <= size:
        return b"".join(lines)
    starts, acc = [], 0
    for n in lens:
        starts.append(acc)
        acc += n
    picked, used, last = [], 0, -1
    for k in range(pieces):
        # the line holding offset total*k/pieces, or the first line not yet taken
        i = max(bisect.bisect_right(starts, total * k // pieces) - 1, last + 1)
        goal = size * (k + 1) // pieces       # cumulative: a short run is made up later
        while i < len(lines) and used < goal and used + lens[i] <= size:
            picked.append(lines[i])
            used += lens[i]
            last = i
            i += 1
    return b"".join(picked)


def one_line(data, min_han=20, max_bytes=240):
    for line in data.decode("utf-8").split("\n"):
        if len(HAN.findall(line)) >= min_han and len(line.encode()) <= max_bytes:
            return (line + "\n").encode()
    raise SystemExit("corpus.py: no line suitable for the one-line input")


def stats_row(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    han = len(HAN.findall(text))
    return f"{path}\t{len(raw)}\t{len(text)}\t{text.count(chr(10))}\t{han}\t{han / max(1, len(text)):.3f}"


STATS_HEADER = "file\tbytes\tchars\tlines\than_chars\than_share"


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def build(a):
    os.makedirs(a.parts, exist_ok=True)
    os.makedirs(a.out, exist_ok=True)
    seen = {"hans": set(), "hant": set()}
    unique = {"hans": [], "hant": []}           # (line bytes, human?)
    report = []
    for part, variant, human, files in sources(a.src, a.packages):
        kept = []
        for path, kind in files:
            try:
                text = file_text(path, kind, variant)
            except (OSError, EOFError, ValueError, struct.error, AssertionError) as e:
                print(f"corpus.py: skipped {path}: {e}", file=sys.stderr)
                continue
            for line in han_lines(text):
                if line not in seen[variant]:
                    seen[variant].add(line)
                    kept.append((line + "\n").encode())
        write(os.path.join(a.parts, part + ".txt"), b"".join(kept))
        unique[variant].extend((l, human) for l in kept)
        report.append((part, variant, human, len(files), len(kept), sum(map(len, kept))))
        print(f"  {part}: {len(files)} files, {len(kept)} lines, {sum(map(len, kept))} bytes",
              file=sys.stderr)
    for variant in ("hans", "hant"):
        lines = [l for l, _ in unique[variant]]
        human = [l for l, h in unique[variant] if h]
        text = b"".join(lines)
        if len(text) < 2 * a.slice or sum(map(len, human)) < a.slice:
            raise SystemExit(f"corpus.py: only {len(text)} bytes of {variant} text "
                             f"({sum(map(len, human))} human-written); need at least "
                             f"{2 * a.slice} — are packages missing?")
        out = lambda name: os.path.join(a.out, name.replace("V", variant))
        write(out("zh-V.unique.txt"), text)
        write(out("zh-V.txt"), grow(text, a.target))
        sl = spread_slice(human, a.slice)
        write(out("zh-V-1m.txt"), sl)
        write(out("zh-V-1line.txt"), one_line(sl))
    names = [f"zh-{v}{s}" for s in (".txt", ".unique.txt", "-1m.txt", "-1line.txt") for v in ("hans", "hant")]
    with open(os.path.join(a.out, "corpus-stats.txt"), "w", encoding="utf-8") as f:
        f.write(STATS_HEADER + "\n")
        for n in names:
            f.write(stats_row(os.path.join(a.out, n)).replace(a.out + "/", "") + "\n")
        uniq = {v: sum(len(l) for l, _ in unique[v]) for v in unique}
        f.write("\n# repetition in the large files: "
                + ", ".join(f"{v} {os.path.getsize(os.path.join(a.out, f'zh-{v}.txt')) / uniq[v]:.2f}x"
                            for v in ("hans", "hant")) + "\n")
        f.write("\npart\tvariant\tin_1m_slice\tfiles\tlines\tbytes\n")
        for part, variant, human, nfiles, nlines, nbytes in report:
            f.write(f"{part}\t{variant}\t{'yes' if human else 'no'}\t{nfiles}\t{nlines}\t{nbytes}\n")
    print(open(os.path.join(a.out, "corpus-stats.txt"), encoding="utf-8").read(), end="", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--src", required=True)
    b.add_argument("--parts", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--target", type=int, default=24 * 1024 * 1024)
    b.add_argument("--slice", type=int, default=1024 * 1024)
    b.add_argument("packages", nargs="+")
    e = sub.add_parser("extract")
    e.add_argument("kind", choices=["html", "xml", "roff", "fortune", "mo", "plain"])
    e.add_argument("files", nargs="+")
    s = sub.add_parser("stats")
    s.add_argument("files", nargs="+")
    a = ap.parse_args()
    if a.cmd == "build":
        a.src, a.parts, a.out = (os.path.abspath(x) for x in (a.src, a.parts, a.out))
        build(a)
    elif a.cmd == "extract":
        sys.stdout.reconfigure(encoding="utf-8", newline="\n")
        for path in a.files:
            for line in han_lines(file_text(path, a.kind)):
                sys.stdout.write(line + "\n")
    else:
        print(STATS_HEADER)
        for path in a.files:
            print(stats_row(path))


if __name__ == "__main__":
    main()
