#!/usr/bin/env bash
# HanFix benchmark runner: hanfix against its peers on the corpus made by make-corpus.sh.
#
#   bash Benchmarks/run.sh [STEP...]     default: setup build time summary
#
# Steps (run in the order given):
#   setup       apt-get install opencc icu-devtools time (if missing); a venv with the pinned
#               PyPI peers (opencc, zhconv-rs, opencc-pyo3) in $VENV
#   build       swift build -c release --static-swift-stdlib --product hanfix / hanfix-bench
#   time        check + throughput + startup + inproc (below)
#     check       hanfix's output on the 1 MiB slices must be byte-identical to PyPI opencc's
#     throughput  whole process on the large file, all tools of a config interleaved
#     startup     whole process on a one-line input (s2t tools)
#     inproc      conversion only, inside the process: hanfix-bench and peers.py --inproc
#   summary     Markdown tables: $RESULTS_DIR/summary.md and stdout
#   corpus      runs make-corpus.sh (not part of the default; needed once)
#   commands    prints the command lines that would be timed, and exits
#
# Environment:
#   RUNS          counted runs per timing (default 5); one warm-up round first (WARMUP=1)
#   STARTUP_RUNS  counted runs of the one-line startup timing (default max(10, 2*RUNS))
#   BENCH_DIR     work area (default /tmp/hanfix-bench)
#   CORPUS_DIR    corpus (default $BENCH_DIR/corpus)
#   RESULTS_DIR   figures (default $BENCH_DIR/results); converted text goes to $BENCH_DIR/out
#   HANFIX        the hanfix binary (default .build/release/hanfix of this repository)
#   HANFIX_BENCH  the hanfix-bench binary (default: next to $HANFIX)
#   VENV          venv of the Python peers (default $BENCH_DIR/venv)
#   CONFIGS       configs to time (default "s2t t2s s2twp tw2sp"; others get the OpenCC peers)
#   PEERS         tools to time besides hanfix (default
#                 "py-opencc zhconv-rs opencc-pyo3 opencc-cli uconv"; a config skips the
#                 tools that have no counterpart for it)
#   HANFIX_VARIANTS  extra hanfix rows (default "hanfix-opencc hanfix-no-repair hanfix-j1 hanfix-j1-no-repair":
#                 OpenCC's exact engine,
#                 without annotation repair, on one thread, both); empty for none
#   SIZE          large (default: zh-hans.txt / zh-hant.txt) or 1m (the slices; quick runs)
#   CHECK_LARGE   1: the check step also compares the large files
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

B=$(abspath "${BENCH_DIR:-/tmp/hanfix-bench}")
C=$(abspath "${CORPUS_DIR:-$B/corpus}")
R=$(abspath "${RESULTS_DIR:-$B/results}")
O=$B/out
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
STARTUP_RUNS=${STARTUP_RUNS:-$((2 * RUNS > 10 ? 2 * RUNS : 10))}
HANFIX=$(abspath "${HANFIX:-$ROOT/.build/release/hanfix}")
HANFIX_BENCH=$(abspath "${HANFIX_BENCH:-$(dirname "$HANFIX")/hanfix-bench}")
VENV=$(abspath "${VENV:-$B/venv}")
PY=$VENV/bin/python
CONFIGS=${CONFIGS:-s2t t2s s2twp tw2sp}
PEERS=${PEERS:-py-opencc zhconv-rs opencc-pyo3 opencc-cli uconv}
HANFIX_VARIANTS=${HANFIX_VARIANTS-hanfix-opencc hanfix-no-repair hanfix-j1 hanfix-j1-no-repair}
SIZE=${SIZE:-large}
CHECK_LARGE=${CHECK_LARGE:-0}
SYSPY=${PYTHON:-python3}          # runs timeit.py / summary.py (stdlib only)

# Pinned peers (PyPI). opencc 1.4.2 is the reference HanFix must match.
PYPI_PEERS=(opencc==1.4.2 zhconv-rs==0.4.2 opencc-pyo3==0.12.0)

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }
q() { printf '%q' "$1"; }

# ---------------------------------------------------------------- tools and commands

variant() { case $1 in s2*) echo hans ;; *) echo hant ;; esac; }   # input script of a config

input_file() { # config kind(large|1m|1line)
  local v; v=$(variant "$1")
  case $2 in large) echo "$C/zh-$v.txt" ;; 1m) echo "$C/zh-$v-1m.txt" ;; 1line) echo "$C/zh-$v-1line.txt" ;; esac
}

tools_for() { # config -> lines "tool<TAB>its own name for the conversion"; hanfix first
  local cfg=$1 p
  printf 'hanfix\t%s\n' "$cfg"
  # The same binary without annotation repair, and on one thread.
  for p in $HANFIX_VARIANTS; do printf '%s\t%s\n' "$p" "$cfg"; done
  for p in $PEERS; do
    case $p:$cfg in
      py-opencc:* | opencc-pyo3:*) printf '%s\t%s\n' "$p" "$cfg" ;;
      zhconv-rs:s2t) printf '%s\tzh-hant\n' "$p" ;;
      zhconv-rs:t2s) printf '%s\tzh-hans\n' "$p" ;;
      zhconv-rs:s2twp) printf '%s\tzh-tw\n' "$p" ;;
      zhconv-rs:tw2sp) printf '%s\tzh-cn\n' "$p" ;;
      zhconv-rs:s2hk) printf '%s\tzh-hk\n' "$p" ;;
      opencc-cli:s2t | opencc-cli:t2s) printf '%s\t%s\n' "$p" "$cfg" ;;
      uconv:s2t) printf '%s\tHans-Hant\n' "$p" ;;
      uconv:t2s) printf '%s\tHant-Hans\n' "$p" ;;
      *:*) ;;   # no counterpart (or too slow to be worth it: opencc-cli beyond s2t/t2s)
    esac
  done
}

tool_cmd() { # tool conversion in out -> a /bin/sh command line (exec: the tool is the process)
  local tool=$1 conv=$2 in=$3 out=$4
  case $tool in
    hanfix) echo "exec $(q "$HANFIX") -c $conv <$(q "$in") >$(q "$out")" ;;
    hanfix-no-repair) echo "exec $(q "$HANFIX") -c $conv --no-repair <$(q "$in") >$(q "$out")" ;;
    hanfix-j1) echo "exec $(q "$HANFIX") -c $conv -j 1 <$(q "$in") >$(q "$out")" ;;
    hanfix-j1-no-repair) echo "exec $(q "$HANFIX") -c $conv -j 1 --no-repair <$(q "$in") >$(q "$out")" ;;
    hanfix-opencc) echo "exec $(q "$HANFIX") -c $conv --engine opencc <$(q "$in") >$(q "$out")" ;;
    py-opencc) echo "exec $(q "$PY") $(q "$HERE/peers.py") opencc $conv <$(q "$in") >$(q "$out")" ;;
    zhconv-rs | opencc-pyo3) echo "exec $(q "$PY") $(q "$HERE/peers.py") $tool $conv <$(q "$in") >$(q "$out")" ;;
    # -i/-o is the opencc CLI's faster mode (stdin/stdout is 1.1-1.3x slower)
    opencc-cli) echo "exec opencc -c $conv -i $(q "$in") -o $(q "$out")" ;;
    uconv) echo "exec uconv -f utf-8 -t utf-8 -x $conv <$(q "$in") >$(q "$out")" ;;
    *) die "unknown tool $tool" ;;
  esac
}

python_lib() { case $1 in py-opencc) echo opencc ;; zhconv-rs | opencc-pyo3) echo "$1" ;; *) return 1 ;; esac; }

need_binaries() {
  [ -x "$HANFIX" ] || die "no hanfix binary at $HANFIX (run the build step, or set HANFIX)"
  [ -f "$C/zh-hans.txt" ] && [ -f "$C/zh-hant-1m.txt" ] ||
    die "no corpus in $C (run: bash Benchmarks/make-corpus.sh, or set CORPUS_DIR)"
  local p
  for p in $PEERS; do
    case $p in
      py-opencc | zhconv-rs | opencc-pyo3) [ -x "$PY" ] || die "no venv at $VENV (run the setup step, or set VENV)" ;;
      opencc-cli) command -v opencc >/dev/null || die "opencc CLI missing (run the setup step)" ;;
      uconv) command -v uconv >/dev/null || die "uconv missing (run the setup step)" ;;
    esac
  done
}

# ---------------------------------------------------------------- steps

step_setup() {
  local missing=()
  command -v opencc >/dev/null || missing+=(opencc)
  command -v uconv >/dev/null || missing+=(icu-devtools)
  [ -x /usr/bin/time ] || missing+=(time)
  "$SYSPY" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  if ((${#missing[@]})); then
    local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    log "installing ${missing[*]}"
    $sudo apt-get install -y -q "${missing[@]}" || { $sudo apt-get update -q && $sudo apt-get install -y -q "${missing[@]}"; }
  fi
  if [ ! -x "$PY" ]; then
    log "creating venv $VENV"
    "$SYSPY" -m venv "$VENV"
  fi
  # pip does not go to the network when the pinned versions are already installed
  "$PY" -m pip install -q --disable-pip-version-check "${PYPI_PEERS[@]}"
  "$PY" "$HERE/peers.py" --versions
}

step_build() {
  cd "$ROOT"
  swift build -c release --static-swift-stdlib --product hanfix
  swift build -c release --static-swift-stdlib --product hanfix-bench
  ls -l .build/release/hanfix .build/release/hanfix-bench
}

step_corpus() { bash "$HERE/make-corpus.sh"; }

step_commands() {
  local cfg tool conv in
  for cfg in $CONFIGS; do
    in=$(input_file "$cfg" "$SIZE")
    tools_for "$cfg" | while IFS=$'\t' read -r tool conv; do
      printf '%s\t%s\t%s\n' "$cfg" "$tool" "$(tool_cmd "$tool" "$conv" "$in" "$O/$cfg-$SIZE-$tool.txt")"
    done
  done
}

ENV_WRITTEN=0
write_env() { # what was measured, with what, where (once per invocation)
  [ "$ENV_WRITTEN" = 1 ] && return 0
  ENV_WRITTEN=1
  mkdir -p "$R"
  local rev dirty
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo " (uncommitted changes)" || true)
  {
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'machine\t%s, %s logical CPUs, %s, %s\n' "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)" \
      "$(nproc)" "$(uname -sr)" "$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
    printf 'load at start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
    printf 'runs\t%s counted after %s warm-up round(s); startup %s runs\n' "$RUNS" "$WARMUP" "$STARTUP_RUNS"
    printf 'hanfix\t%s (sha256 %s), repository HEAD %s%s\n' "$HANFIX" "$(sha256sum "$HANFIX" | cut -c1-12)" "$rev" "$dirty"
    [ -x "$HANFIX_BENCH" ] && printf 'hanfix-bench\t%s\n' "$HANFIX_BENCH"
    printf 'corpus\t%s (zh-hans.txt sha256 %s)\n' "$C" "$(sha256sum "$C/zh-hans.txt" | cut -c1-12)"
    command -v opencc >/dev/null && printf 'opencc-cli\tDebian opencc %s\n' "$(dpkg-query -W -f '${Version}' opencc 2>/dev/null || echo '?')"
    command -v uconv >/dev/null && printf 'uconv\t%s\n' "$(uconv --version 2>&1 | head -1)"
    [ -x "$PY" ] && "$PY" "$HERE/peers.py" --versions | sed 's/^opencc\t/py-opencc\t/'
  } >"$R/env.tsv"
}

step_check() {
  need_binaries
  write_env
  [ -x "$PY" ] || die "the check needs PyPI opencc: run the setup step (or set VENV)"
  mkdir -p "$O" "$R"
  local cfg kind in a b result st kinds=1m
  [ "$CHECK_LARGE" = 1 ] && kinds="1m large"
  printf 'config\tinput\tbytes\tresult\n' >"$R/check.tsv"
  for cfg in $CONFIGS; do
    for kind in $kinds; do
      in=$(input_file "$cfg" "$kind")
      a=$O/check-$cfg-$kind-hanfix.txt b=$O/check-$cfg-$kind-py-opencc.txt
      # OpenCC's exact output is the opencc engine's promise; the default engine differs on
      # purpose (docs/ACCURACY.md).
      st=0; "$HANFIX" -c "$cfg" --engine opencc <"$in" >"$a" || st=$?
      if [ $st != 0 ]; then
        result="FAILED: hanfix exited with status $st"
      else
        "$PY" "$HERE/peers.py" opencc "$cfg" <"$in" >"$b" || st=$?
        if [ $st != 0 ]; then
          result="FAILED: PyPI opencc exited with status $st"
        elif cmp -s "$a" "$b"; then
          result="identical ($(stat -c %s "$a") bytes out)"
        else
          st=1
          result="DIFFERENT: $( (cmp "$a" "$b" 2>&1 || true) | head -1 | sed "s|$O/||g")"
        fi
      fi
      [ $st = 0 ] || CHECK_FAILED=1
      printf '%s\t%s\t%s\t%s\n' "$cfg" "$(basename "$in")" "$(stat -c %s "$in")" "$result" >>"$R/check.tsv"
      log "check $cfg $(basename "$in"): hanfix vs PyPI opencc: $result"
    done
  done
}

timeit() { # json-name input-file runs -- name cmd [name cmd ...]
  local json=$1 in=$2 n=$3; shift 4
  local args=()
  while (($#)); do args+=(--cmd "$1" "$2"); shift 2; done
  if ! "$SYSPY" "$HERE/timeit.py" -n "$n" -w "$WARMUP" --input "$in" --baseline hanfix \
    --json "$R/$json.json" --label "$json" "${args[@]}" | tee "$R/$json.txt"; then
    log "warning: a command in $json failed (see $R/$json.txt); going on"
    TIME_FAILED=1
  fi
}

step_throughput() {
  need_binaries
  write_env
  mkdir -p "$O" "$R"
  rm -f "$R"/throughput-*.json "$R"/throughput-*.txt
  local cfg tool conv in cmds
  for cfg in $CONFIGS; do
    in=$(input_file "$cfg" "$SIZE")
    cmds=()
    while IFS=$'\t' read -r tool conv; do
      cmds+=("$tool" "$(tool_cmd "$tool" "$conv" "$in" "$O/$cfg-$SIZE-$tool.txt")")
    done < <(tools_for "$cfg")
    log "throughput $cfg on $(basename "$in"): $((${#cmds[@]} / 2)) tools, $RUNS runs after $WARMUP warm-up, interleaved"
    timeit "throughput-$cfg" "$in" "$RUNS" -- "${cmds[@]}"
  done
}

step_startup() {
  need_binaries
  write_env
  mkdir -p "$O" "$R"
  rm -f "$R"/startup-*.json "$R"/startup-*.txt
  local cfg=s2t tool conv in cmds=()
  in=$(input_file "$cfg" 1line)
  while IFS=$'\t' read -r tool conv; do
    cmds+=("$tool" "$(tool_cmd "$tool" "$conv" "$in" "$O/$cfg-1line-$tool.txt")")
  done < <(tools_for "$cfg")
  # The timer's own cost (Python's spawn, GNU time, sh, exec): a process that does nothing.
  cmds+=(timer-baseline "exec /bin/true <$(q "$in") >$(q "$O/$cfg-1line-timer-baseline.txt")")
  log "startup $cfg on $(basename "$in") ($(stat -c %s "$in") bytes): $STARTUP_RUNS runs"
  timeit "startup-$cfg" "$in" "$STARTUP_RUNS" -- "${cmds[@]}"
}

step_inproc() {
  need_binaries
  write_env
  mkdir -p "$R"
  rm -f "$R/inproc-hanfix.tsv" "$R/inproc-peers.jsonl"
  local v cfgs cfg tool conv lib in
  if [ -x "$HANFIX_BENCH" ]; then
    printf 'file\tconfig\tinput_MB\tmedian_s\tmin_s\tmedian_MB_per_s\tmax_MB_per_s\tstream_equal\tengine\n' >"$R/inproc-hanfix.tsv"
    for v in hans hant; do
      cfgs=()
      for cfg in $CONFIGS; do [ "$(variant "$cfg")" = $v ] && cfgs+=("$cfg"); done
      ((${#cfgs[@]})) || continue
      in=$(input_file "${cfgs[0]}" "$SIZE")
      log "inproc hanfix-bench $(basename "$in") ${cfgs[*]}"
      # Both engines in one process, their runs alternating.
      "$HANFIX_BENCH" "$in" "${cfgs[@]}" --runs "$RUNS" --engine hanfix,opencc | tail -n +2 \
        | sed "s|^|$(basename "$in")\t|" | tee -a "$R/inproc-hanfix.tsv"
    done
  else
    log "no hanfix-bench at $HANFIX_BENCH: in-process figures for hanfix skipped"
  fi
  [ -x "$PY" ] || return 0
  for cfg in $CONFIGS; do
    in=$(input_file "$cfg" "$SIZE")
    while IFS=$'\t' read -r tool conv; do
      lib=$(python_lib "$tool") || continue
      log "inproc $tool $conv $(basename "$in")"
      "$PY" "$HERE/peers.py" --inproc "$lib" "$conv" "$in" --runs "$RUNS" |
        sed "s|^{|{\"tool\": \"$tool\", \"bench_config\": \"$cfg\", |" | tee -a "$R/inproc-peers.jsonl"
    done < <(tools_for "$cfg")
  done
}

step_time() {
  step_check
  step_throughput
  step_startup
  step_inproc
  printf 'load at end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >>"$R/env.tsv"
}

step_summary() {
  mkdir -p "$R"
  "$SYSPY" "$HERE/summary.py" --results "$R" --corpus "$C" | tee "$R/summary.md"
  log "written: $R/summary.md"
}

# ---------------------------------------------------------------- main

CHECK_FAILED=0 TIME_FAILED=0
steps=("$@")
((${#steps[@]})) || steps=(setup build time summary)
for s in "${steps[@]}"; do
  declare -F "step_$s" >/dev/null || die "unknown step '$s' (setup build corpus time check throughput startup inproc summary commands)"
done
for s in "${steps[@]}"; do "step_$s"; done
if [ "$CHECK_FAILED" = 1 ]; then
  log "run.sh: hanfix's output differs from PyPI opencc's (see $R/check.tsv)"
  exit 1
fi
[ "$TIME_FAILED" = 0 ] || { log "run.sh: some timed commands failed"; exit 1; }
