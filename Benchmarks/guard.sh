#!/usr/bin/env bash
# Instruction-count regression guard, cheap enough for CI: converts a fixed input made from
# the repository's own text (the regression corpus's 274 inputs, 40 times: 330 KB of both
# scripts) under valgrind's cachegrind, one thread, and fails when a config takes more
# instructions than Benchmarks/instruction-budget.tsv allows. Counts are stable to a few
# parts in a thousand on one machine, unlike timings; the budgets leave 15 % for another
# CPU's library variants (memchr, memcpy).
#
#   bash Benchmarks/guard.sh            # check (needs valgrind and binutils' strip)
#   bash Benchmarks/guard.sh --measure  # print the counts, to set new budgets
set -euo pipefail
cd "$(dirname "$0")/.."
measure=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

swift build -c release --product hanfix >&2
# valgrind 3.19 cannot read the DWARF 5 that Swift 6 writes.
strip --strip-debug -o "$work/hanfix" "$(swift build -c release --show-bin-path)/hanfix"
sed -n 's/.*"input": "\([^"]*\)", "expected".*/\1/p' Tests/HanFixTests/Fixtures/accuracy-regressions.jsonl > "$work/lines.txt"
for _ in $(seq 40); do cat "$work/lines.txt"; done > "$work/input.txt"

instructions() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$work/hanfix" -j 1 -c "$1" --engine "$2" "$work/input.txt" -o /dev/null 2>&1 |
        awk '/I[ ]+refs:/ { gsub(",", "", $4); print $4 }'
}

failed=0
while IFS=$'\t' read -r config engine budget; do
    [[ -z "$config" || "$config" == \#* ]] && continue
    count=$(instructions "$config" "$engine")
    if [[ "$measure" == --measure ]]; then
        printf '%s\t%s\t%s\n' "$config" "$engine" "$count"
    elif (( count > budget )); then
        printf 'over budget: %s --engine %s: %s instructions, budget %s\n' "$config" "$engine" "$count" "$budget" >&2
        failed=1
    else
        printf 'ok: %s --engine %s: %s instructions (budget %s)\n' "$config" "$engine" "$count" "$budget"
    fi
done < Benchmarks/instruction-budget.tsv
exit $failed
