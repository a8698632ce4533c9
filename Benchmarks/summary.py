#!/usr/bin/env python3
"""Markdown summary of a run.sh run (stdlib only).

  summary.py --results DIR --corpus DIR

Reads env.tsv, check.tsv, throughput-*.json, startup-*.json (timeit.py output),
inproc-hanfix.tsv (hanfix-bench) and inproc-peers.jsonl (peers.py --inproc) from the
results directory, whichever exist, and prints Markdown.
"""
import argparse
import glob
import json
import os
import shlex
import statistics

CONFIG_ORDER = ["s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s", "s2hkp", "hk2sp",
                "t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t"]
TOOL_ORDER = ["hanfix", "hanfix-opencc", "hanfix-no-repair", "hanfix-j1", "hanfix-j1-no-repair",
              "py-opencc", "opencc-pyo3", "zhconv-rs", "opencc-cli", "uconv", "timer-baseline"]


def conv_of(tool, cmd):
    """The tool's own name for the conversion, read back from the command line."""
    t = shlex.split(cmd)
    try:
        if tool.startswith("hanfix") or tool == "opencc-cli":
            return t[t.index("-c") + 1]
        if tool == "uconv":
            return t[t.index("-x") + 1]
        i = next(i for i, x in enumerate(t) if x.endswith("peers.py"))
        return t[i + 2]
    except (ValueError, IndexError, StopIteration):
        return "?"


def describe(tool, conv, versions):
    v = lambda k: f" {versions[k]}" if k in versions else ""
    return {
        "hanfix": f"**hanfix** `-c {conv}` (repair + conversion, 2 threads)",
        "hanfix-opencc": f"hanfix `-c {conv} --engine opencc` (OpenCC's exact output)",
        "hanfix-no-repair": f"hanfix `-c {conv} --no-repair`",
        "hanfix-j1": f"hanfix `-c {conv} -j 1`",
        "hanfix-j1-no-repair": f"hanfix `-c {conv} -j 1 --no-repair`",
        "py-opencc": f"PyPI opencc{v('py-opencc')} `OpenCC('{conv}')`",
        "opencc-pyo3": f"opencc-pyo3{v('opencc-pyo3')} `OpenCC('{conv}')`",
        "zhconv-rs": f"zhconv-rs{v('zhconv-rs')} `zhconv(s, '{conv}')`",
        "opencc-cli": f"opencc CLI{v('opencc-cli-version')} `-c {conv} -i -o`",
        "uconv": f"uconv{v('uconv-version')} `-x {conv}`",
        "timer-baseline": "`/bin/true`: the timer's own cost (Python's spawn, GNU time, sh)",
    }.get(tool, f"{tool} `{conv}`")


def load_env(r):
    env, versions = [], {}
    p = os.path.join(r, "env.tsv")
    if os.path.exists(p):
        for line in open(p, encoding="utf-8"):
            k, _, val = line.rstrip("\n").partition("\t")
            env.append((k, val))
            if k in ("py-opencc", "opencc-pyo3", "zhconv-rs"):
                versions[k] = val
            elif k == "opencc-cli":
                versions["opencc-cli-version"] = val.split()[-1]
            elif k == "uconv":
                if "ICU" in val:
                    versions["uconv-version"] = "(ICU " + val.split("ICU")[-1].strip() + ")"
    return env, versions


def paired_speedup(base, other):
    """Median (min, max) over rounds of other_wall / base_wall: >1 means the base is faster."""
    xs = [o["wall"] / b["wall"] for b, o in zip(base["samples"], other["samples"]) if b["wall"] > 0]
    return (statistics.median(xs), min(xs), max(xs)) if xs else None


def fmt_x(t):
    if t is None:
        return "—"
    return f"{t[0]:.2f}× ({t[1]:.2f}–{t[2]:.2f})"


def rate(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def sort_key_cfg(path, prefix):
    cfg = os.path.basename(path)[len(prefix):-len(".json")]
    return (CONFIG_ORDER.index(cfg) if cfg in CONFIG_ORDER else 99, cfg)


def by_tool(cmds):
    return sorted(cmds, key=lambda c: TOOL_ORDER.index(c["name"]) if c["name"] in TOOL_ORDER else 99)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--corpus", required=True)
    a = ap.parse_args()
    R = a.results
    env, versions = load_env(R)
    out = []
    w = out.append

    w("# HanFix benchmark\n")
    if env:
        w("| | |\n|---|---|")
        for k, v in env:
            w(f"| {k} | {v} |")
        w("")

    p = os.path.join(R, "check.tsv")
    if os.path.exists(p):
        rows = [l.rstrip("\n").split("\t") for l in open(p, encoding="utf-8")][1:]
        w("## Output check: hanfix vs PyPI opencc\n")
        w("Byte-for-byte comparison of the two outputs on the same input.\n")
        w("| config | input | input bytes | result |\n|---|---|---:|---|")
        for cfg, f, n, res in rows:
            w(f"| {cfg} | {f} | {n} | {res if res.startswith('identical') else '**' + res + '**'} |")
        w("")

    files = sorted(glob.glob(os.path.join(R, "throughput-*.json")), key=lambda p: sort_key_cfg(p, "throughput-"))
    if files:
        w("## Whole process: throughput\n")
        w("MB/s = input bytes / 10^6 / median wall time of the whole process (start-up, table "
          "loading, reading and writing included); min–max over the counted runs. The tools of one "
          "config ran interleaved (A B C … A B C …) on the same input. *hanfix/peer* = "
          "speed ratio, taken pair by pair: the tool's wall time / hanfix's wall time in the same "
          "round, median (min–max) over rounds; above 1 means hanfix is faster.\n")
        for path in files:
            res = json.load(open(path))
            cfg = res["label"].split("-", 1)[1]
            cmds = {c["name"]: c for c in res["commands"]}
            inp = shlex.split(cmds["hanfix"]["cmd"])
            src = next((x[1:] for x in inp if x.startswith("<")), None) or next(
                (inp[i + 1] for i, x in enumerate(inp) if x == "<"), "?")
            w(f"### {cfg}: {os.path.basename(src)} ({res['bytes'] / 1e6:.2f} MB), "
              f"{res['runs']} runs after {res['warmup']} warm-up\n")
            w("| tool | MB/s | MB/s min–max | wall s | CPU s | peak RSS MiB | hanfix/peer |")
            w("|---|---:|---:|---:|---:|---:|---:|")
            base = cmds.get("hanfix")
            for c in by_tool(res["commands"]):
                mb = c["MBps"]
                sp = "—" if c["name"] == "hanfix" or not base else fmt_x(paired_speedup(base, c))
                flag = "" if c["rc"] == [0] else f" **exit {c['rc']}**"
                w(f"| {describe(c['name'], conv_of(c['name'], c['cmd']), versions)}{flag} | "
                  f"{rate(res['bytes'] / 1e6 / c['wall']['median'])} | "
                  f"{rate(mb['min'])}–{rate(mb['max'])} | {c['wall']['median']:.3f} | "
                  f"{c['cpu']['median']:.3f} | {c['peak_kb']['median'] / 1024:.1f} | {sp} |")
            w("")

    for path in sorted(glob.glob(os.path.join(R, "startup-*.json"))):
        res = json.load(open(path))
        cmds = {c["name"]: c for c in res["commands"]}
        base = cmds.get("hanfix")
        w(f"## Whole process: start-up (one line of {res['bytes']} bytes, "
          f"{res['runs']} runs after {res['warmup']} warm-up)\n")
        w("Process start, table loading and a one-line conversion: wall milliseconds, median "
          "(min–max). Python peers include the interpreter start and imports. Every figure "
          "includes the timer's own cost, the `/bin/true` row; *net ms* takes it away.\n")
        timer = cmds.get("timer-baseline")
        w("| tool | wall ms | min–max | net ms | CPU ms | peak RSS MiB | hanfix/peer |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for c in by_tool(res["commands"]):
            wl = c["wall"]
            sp = "—" if c["name"] in ("hanfix", "timer-baseline") or not base else fmt_x(paired_speedup(base, c))
            net = "—" if not timer or c is timer else f"{(wl['median'] - timer['wall']['median']) * 1e3:.1f}"
            w(f"| {describe(c['name'], conv_of(c['name'], c['cmd']), versions)} | {wl['median'] * 1e3:.1f} | "
              f"{wl['min'] * 1e3:.1f}–{wl['max'] * 1e3:.1f} | {net} | {c['cpu']['median'] * 1e3:.1f} | "
              f"{c['peak_kb']['median'] / 1024:.1f} | {sp} |")
        w("")

    rows = []
    p = os.path.join(R, "inproc-hanfix.tsv")
    if os.path.exists(p):
        for line in list(open(p, encoding="utf-8"))[1:]:
            f, cfg, mb, med, mn, medr, maxr, eq, *engine = line.rstrip("\n").split("\t")
            engine = engine[0] if engine else "hanfix"
            tool = "hanfix" if engine == "hanfix" else "hanfix-" + engine
            rows.append((cfg, tool, f"**hanfix** (hanfix-bench, engine {engine}, streamed output equal: {eq})", f,
                         float(mb), float(medr), float(maxr), "—"))
    p = os.path.join(R, "inproc-peers.jsonl")
    if os.path.exists(p):
        for line in open(p, encoding="utf-8"):
            j = json.loads(line)
            rows.append((j["bench_config"], j["tool"], describe(j["tool"], j["config"], versions),
                         os.path.basename(j["file"]), j["bytes"] / 1e6, j["median_MBps"], j["max_MBps"],
                         f"{j['setup_s']:.3f}"))
    if rows:
        rows.sort(key=lambda r: (CONFIG_ORDER.index(r[0]) if r[0] in CONFIG_ORDER else 99,
                                 TOOL_ORDER.index(r[1]) if r[1] in TOOL_ORDER else 99))
        w("## In-process conversion speed\n")
        w("Conversion of the whole text held in memory, on a warm converter; process start, "
          "imports, table loading and I/O excluded (setup s = import + construction + first call, "
          "Python peers). MB/s of UTF-8 input: median and best run.\n")
        w("| config | tool | input | MB | MB/s median | MB/s max | setup s |")
        w("|---|---|---|---:|---:|---:|---:|")
        for cfg, _, desc, f, mb, medr, maxr, setup in rows:
            w(f"| {cfg} | {desc} | {f} | {mb:.2f} | {rate(medr)} | {rate(maxr)} | {setup} |")
        w("")

    w("## Reading the figures\n")
    w("- Medians, not means; the min–max spread shows the noise. On a small shared machine "
      "(2 cores here) runs of a few seconds vary by 10–20 %; the paired ratio hanfix/peer, taken "
      "round by round, is the steadier figure.\n"
      "- Peak RSS is the measured process's own maximum resident set (GNU time %M); for Python "
      "peers it includes the interpreter and the whole input and output strings.\n"
      "- The tools do not all produce the same text: only PyPI opencc is the reference (see the "
      "output check); zhconv-rs, opencc-pyo3 and uconv differ from it in places.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
