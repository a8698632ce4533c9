#!/usr/bin/env python3
"""One driver for the Python peers of the HanFix benchmark.

  peers.py LIB CONFIG                      convert stdin to stdout (UTF-8)
  peers.py --inproc LIB CONFIG FILE [--runs N]
                                           time the conversion inside the process: prints
                                           one JSON line (see below)
  peers.py --versions                      installed versions of the peers, TSV

LIB and CONFIG:
  opencc       PyPI `opencc` 1.4.2, the official C++ OpenCC with its Python binding:
               opencc.OpenCC(CONFIG).convert(s); CONFIG is an OpenCC config name
               (s2t, t2s, s2tw, tw2s, s2twp, tw2sp, s2hk, hk2s, t2tw, ...). The reference
               HanFix must match byte for byte.
  opencc-pyo3  PyPI `opencc-pyo3` (OpenCC tables, Rust engine via PyO3):
               opencc_pyo3.OpenCC(CONFIG).convert(s, False) (False: no punctuation
               conversion, as OpenCC); CONFIG as for opencc.
  zhconv-rs    PyPI `zhconv-rs` (Aho-Corasick over MediaWiki + OpenCC-derived tables):
               zhconv_rs.zhconv(s, CONFIG, False); CONFIG is a target variant: zh-hant,
               zh-hans, zh-tw, zh-cn, zh-hk, ... (False: no MediaWiki -{ }- markup).

--inproc excludes interpreter start, imports and setup (timed apart as setup_s: import,
constructor, a first tiny conversion that triggers lazy loading), and reading the file.
One uncounted conversion of the whole text comes first (as hanfix-bench does), then N
timed ones (perf_counter around the convert call only; default 5). JSON fields: lib,
config, file, bytes, setup_s, runs, median_s, min_s, max_s, median_MBps, max_MBps,
out_bytes (of the last conversion), samples_s.
"""
import json
import statistics
import sys
import time

LIBS = {"opencc": "opencc", "opencc-pyo3": "opencc-pyo3", "zhconv-rs": "zhconv-rs"}


def converter(lib, config):
    """A function str -> str for LIB with CONFIG."""
    if lib == "opencc":
        import opencc
        conv = opencc.OpenCC(config)
        return conv.convert
    if lib == "opencc-pyo3":
        from opencc_pyo3 import OpenCC
        conv = OpenCC(config)
        if hasattr(conv, "get_last_error") and conv.get_last_error():
            raise SystemExit(f"opencc-pyo3: {conv.get_last_error()}")
        return lambda s: conv.convert(s, False)
    if lib == "zhconv-rs":
        from zhconv_rs import zhconv
        target = config.lower()
        return lambda s: zhconv(s, target, False)
    raise SystemExit(f"peers.py: unknown LIB {lib!r} (one of: {', '.join(LIBS)})")


def versions():
    from importlib import metadata
    for lib, dist in LIBS.items():
        try:
            v = metadata.version(dist)
        except metadata.PackageNotFoundError:
            v = "not installed"
        print(f"{lib}\t{v}")
    print(f"python\t{sys.version.split()[0]}")


def inproc(lib, config, path, runs):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    nbytes = len(text.encode("utf-8"))
    t0 = time.perf_counter()
    conv = converter(lib, config)
    conv("汉字轉換")
    setup = time.perf_counter() - t0
    out = conv(text)                               # uncounted warm-up conversion
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        out = conv(text)
        samples.append(time.perf_counter() - t)
    med = statistics.median(samples)
    print(json.dumps({
        "lib": lib, "config": config, "file": path, "bytes": nbytes,
        "setup_s": round(setup, 4), "runs": runs,
        "median_s": round(med, 4), "min_s": round(min(samples), 4), "max_s": round(max(samples), 4),
        "median_MBps": round(nbytes / 1e6 / med, 2), "max_MBps": round(nbytes / 1e6 / min(samples), 2),
        "out_bytes": len(out.encode("utf-8")), "samples_s": [round(x, 5) for x in samples],
    }))


def main(argv):
    if argv[:1] == ["--versions"]:
        versions()
        return
    if argv[:1] == ["--inproc"]:
        rest = argv[1:]
        runs = 5
        if "--runs" in rest:
            i = rest.index("--runs")
            runs = int(rest[i + 1])
            del rest[i:i + 2]
        if len(rest) != 3:
            raise SystemExit(__doc__)
        inproc(rest[0], rest[1], rest[2], runs)
        return
    if len(argv) != 2 or argv[0].startswith("-"):
        raise SystemExit(__doc__)
    conv = converter(argv[0], argv[1])
    data = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(conv(data).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1:])
