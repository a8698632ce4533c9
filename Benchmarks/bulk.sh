#!/usr/bin/env bash
# Bulk conversion: -j 1 against -j 2 on a tree of 24 files (about 84 MB) cut from the corpus.
#
#   CORPUS_DIR=/tmp/bench/corpus RUNS=5 bash Benchmarks/bulk.sh
#
# Each round runs `hanfix -c s2t --output-dir OUT -j N TREE` for N = 1 then 2 (interleaved),
# into an emptied OUT; prints each wall time, then the medians and their ratio.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS_DIR=${CORPUS_DIR:-/tmp/bench/corpus}
WORK=${WORK:-/tmp/hanfix-bulk}
RUNS=${RUNS:-5}
HANFIX=${HANFIX:-$ROOT/.build/release/hanfix}
mkdir -p "$WORK/tree"
if [ ! -f "$WORK/tree/part-23.txt" ]; then
  # 24 files of 3.5 MB, cut at line ends, from the two corpus files joined.
  cat "$CORPUS_DIR/zh-hans.txt" "$CORPUS_DIR/zh-hant.txt" "$CORPUS_DIR/zh-hans.txt" "$CORPUS_DIR/zh-hant.txt" \
    | split -C 3500000 -d -a 2 --additional-suffix=.txt - "$WORK/tree/part-"
  find "$WORK/tree" -name 'part-*.txt' | sort | tail -n +25 | xargs -r rm
fi
echo "tree: $(ls "$WORK/tree" | wc -l) files, $(du -sb "$WORK/tree" | cut -f1) bytes"
declare -A times
for round in $(seq 1 "$RUNS"); do
  for jobs in 1 2; do
    rm -rf "$WORK/out"
    start=$(date +%s.%N)
    "$HANFIX" -c s2t --quiet --output-dir "$WORK/out" -j "$jobs" "$WORK/tree"
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    times[$jobs]+="$t "
    printf 'round %d  -j %d  %.3f s\n' "$round" "$jobs" "$t"
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(echo "${times[1]}" | median); m2=$(echo "${times[2]}" | median)
printf 'median -j 1: %.3f s   median -j 2: %.3f s   speed-up: %.2fx\n' "$m1" "$m2" "$(echo "$m1 / $m2" | bc -l)"
