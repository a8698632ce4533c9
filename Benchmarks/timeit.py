#!/usr/bin/env python3
"""Whole-process timer for shell commands (stdlib only).

  timeit.py [-n RUNS] [-w WARMUP] [--bytes N | --input FILE] [--baseline NAME]
            [--json OUT] (--cmd NAME 'CMD')... ['CMD'...]

Every command is run as `/bin/sh -c CMD`; write `exec prog ARGS <in >out` so that the
measured process is the program itself and not a shell around it. The commands are run
interleaved, one round at a time: WARMUP uncounted rounds, then RUNS counted rounds of
A B C A B C ..., so that slow drifts of a shared machine (other jobs, thermal or frequency
changes) hit every command alike.

Per run:
  wall     seconds on the monotonic clock, from before fork to after reaping
  user/sys CPU seconds of the reaped process tree (wait4's rusage)
  peak     peak resident set in KiB, from GNU time's %M (the program's own ru_maxrss).
           A child forked from Python inherits Python's resident size in ru_maxrss, so
           without /usr/bin/time (GNU) the figure is only an upper bound; the JSON says
           which ("peak_source").
Reported per command: min / median / max. Against the baseline (default: the first
command) the ratio command/baseline is taken run by run within a round (pairs run back to
back) and its min / median / max reported: that "paired ratio" is steadier than the
ratio of two medians on a noisy machine. With --bytes or --input, MB/s = bytes / 1e6 /
wall. A command that exits non-zero is reported and makes timeit.py exit with status 1.
Positional commands are named cmd1, cmd2, ... in the order given (after the --cmd ones).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

GNU_TIME = "/usr/bin/time"


def gnu_time_available():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        r = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True, timeout=10)
        return "GNU" in (r.stdout + r.stderr)
    except (OSError, subprocess.SubprocessError):
        return False


class Runner:
    def __init__(self, use_gnu_time):
        self.use_gnu_time = use_gnu_time
        fd, self.peak_file = tempfile.mkstemp(prefix="hanfix-timeit.", suffix=".peak")
        os.close(fd)

    def close(self):
        try:
            os.unlink(self.peak_file)
        except OSError:
            pass

    def run(self, cmd):
        argv = ["/bin/sh", "-c", cmd]
        if self.use_gnu_time:
            argv = [GNU_TIME, "-q", "-f", "%M", "-o", self.peak_file] + argv
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = rc = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss                     # KiB on Linux; an upper bound (see above)
        if self.use_gnu_time:
            try:
                with open(self.peak_file) as f:
                    # on failure GNU time writes "Command exited with non-zero status N" first
                    peak = int(f.read().split()[-1])
            except (OSError, ValueError, IndexError):
                pass
        return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
                "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": peak, "rc": rc}


def spread(xs):
    xs = [x for x in xs if x == x]                 # drop NaN
    if not xs:
        return None
    return {"min": min(xs), "median": statistics.median(xs), "max": max(xs)}


METRICS = ("wall", "user", "sys", "cpu", "peak_kb")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=5, help="counted rounds (default 5)")
    ap.add_argument("-w", "--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    ap.add_argument("--cmd", nargs=2, action="append", default=[], metavar=("NAME", "CMD"))
    ap.add_argument("--baseline", help="name of the command ratios are taken against (default: first)")
    ap.add_argument("--bytes", type=int, help="input size in bytes, for MB/s")
    ap.add_argument("--input", help="input file; its size gives --bytes")
    ap.add_argument("--json", help="write the results (with every sample) here")
    ap.add_argument("--label", default="", help="free text stored in the JSON")
    ap.add_argument("--no-gnu-time", action="store_true", help="do not use /usr/bin/time for peak RSS")
    ap.add_argument("--quiet", action="store_true", help="no per-run progress on stderr")
    ap.add_argument("commands", nargs="*", help="more commands, named cmd1, cmd2, ...")
    a = ap.parse_args()

    cmds = [(name, cmd) for name, cmd in a.cmd]
    cmds += [(f"cmd{i + 1}", c) for i, c in enumerate(a.commands)]
    if not cmds:
        ap.error("no command given")
    names = [n for n, _ in cmds]
    if len(set(names)) != len(names):
        ap.error("command names must be distinct")
    baseline = a.baseline or names[0]
    if baseline not in names:
        ap.error(f"--baseline {baseline}: no such command")
    nbytes = a.bytes if a.bytes is not None else (os.path.getsize(a.input) if a.input else None)

    runner = Runner(use_gnu_time=not a.no_gnu_time and gnu_time_available())
    samples = {n: [] for n in names}
    try:
        for rnd in range(a.warmup + a.runs):
            counted = rnd >= a.warmup
            for name, cmd in cmds:
                r = runner.run(cmd)
                if not a.quiet:
                    tag = f"run {rnd - a.warmup + 1}/{a.runs}" if counted else "warm-up"
                    print(f"  {tag:>10} {name:<14} {r['wall']:8.3f} s  {r['peak_kb'] / 1024:7.1f} MiB"
                          + ("" if r["rc"] == 0 else f"  EXIT {r['rc']}"), file=sys.stderr)
                if counted:
                    samples[name].append(r)
                elif r["rc"] != 0:
                    print(f"timeit.py: {name} exited with status {r['rc']} in warm-up: {cmd}", file=sys.stderr)
    finally:
        runner.close()

    result = {
        "label": a.label, "runs": a.runs, "warmup": a.warmup, "baseline": baseline,
        "bytes": nbytes, "order": "interleaved", "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": platform.node(), "cpus": os.cpu_count(),
        "peak_source": "gnu-time" if runner.use_gnu_time else "wait4-upper-bound",
        "commands": [],
    }
    base = samples[baseline]
    for name, cmd in cmds:
        s = samples[name]
        entry = {"name": name, "cmd": cmd, "rc": sorted({r["rc"] for r in s})}
        for m in METRICS:
            entry[m] = spread([r[m] for r in s])
        if nbytes is not None:
            entry["MBps"] = spread([nbytes / 1e6 / r["wall"] for r in s if r["wall"] > 0])
        if name != baseline:
            entry["ratio_to_baseline"] = {
                m: spread([x[m] / y[m] if y[m] else float("nan") for x, y in zip(s, base)])
                for m in ("wall", "cpu", "peak_kb")}
        entry["samples"] = s
        result["commands"].append(entry)

    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")

    # human-readable table on stdout
    print(f"{a.runs} runs after {a.warmup} warm-up round(s), interleaved"
          + (f"; input {nbytes} bytes" if nbytes is not None else "")
          + f"; ratio = command / {baseline}, run by run")
    cols = ["command", "wall min", "wall med", "wall max", "user med", "sys med", "peak MiB"]
    if nbytes is not None:
        cols.append("MB/s med")
    cols += ["ratio min", "ratio med", "ratio max"]
    width = max(14, max(len(n) for n in names) + 1)
    print(f"{cols[0]:<{width}}" + "".join(f"{c:>10}" for c in cols[1:]))
    failed = False
    for e in result["commands"]:
        vals = [e["wall"]["min"], e["wall"]["median"], e["wall"]["max"],
                e["user"]["median"], e["sys"]["median"], e["peak_kb"]["median"] / 1024]
        if nbytes is not None:
            vals.append(e["MBps"]["median"])
        line = f"{e['name']:<{width}}" + "".join(f"{v:>10.3f}" for v in vals)
        rr = e.get("ratio_to_baseline", {}).get("wall")
        line += "".join(f"{rr[k]:>10.3f}" for k in ("min", "median", "max")) if rr else f"{'baseline':>10}"
        if e["rc"] != [0]:
            line += f"  EXIT {e['rc']}"
            failed = True
        print(line)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
