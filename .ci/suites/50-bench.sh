#!/usr/bin/env bash
# The benchmark harness in its short mode: a small corpus, a second or so per
# route. It proves that `npm run bench` and `npm run bench:build` still work
# end to end (cold/warm/edited builds, deploy dry-runs, workerd, baselines,
# first requests per route kind, wrk, Hugo, one edit in `npm run dev`,
# reports); it never fails on a number, only when a harness check fails or the
# harness itself breaks. About a minute and a half.
set -uo pipefail
log="$results/bench"
mkdir -p "$log"
passed=0
failed=0

run_harness() {
  local name=$1
  shift
  step "$name $*"
  if "$@" >"$log/$name.log" 2>&1; then :; else echo "$name exited with $?"; fi
  tail -n 40 "$log/$name.log"
  local line
  line=$(grep -E '^\[[a-z:]+\] harness checks: [0-9]+ passed, [0-9]+ failed' "$log/$name.log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$name: no harness check count: the harness broke before reporting"
    failed=$((failed + 1))
    return
  fi
  read -r p f < <(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1 \2/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
}

run_harness bench npm run bench -- --short --articles 60 --topics 6 --out "$log"
run_harness bench-build npm run bench:build -- --short --articles seeds,60 --topics 6 --samples 1 --out "$log"

record bench "$passed" "$failed"
[ "$failed" -eq 0 ]
