#!/usr/bin/env bash
# Feed-reader conformance (npm run test:readers): the checkers' own tests, then
# every feed of the seeds and of a generated hostile corpus, served by
# `wrangler dev` on 127.0.0.1:8730-8733, checked by feedparser, xmllint,
# newsboat, three npm feed parsers, a JSON Feed schema and the specs' rules.
# Records each part's real counts; fails when any check fails.
set -uo pipefail
out="${results:-test-output/ci}/readers"
mkdir -p "$out"
status=0

step "reader checkers against hand-broken feeds (vitest.readers.config.ts)"
npx vitest run -c vitest.readers.config.ts --reporter=default --reporter=json \
  --outputFile="$out/checkers.json" || status=1
if [ -f "$out/checkers.json" ]; then
  read -r passed failed < <(node -e 'const r=require(require("node:path").resolve(process.argv[1]));console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0))' "$out/checkers.json")
  record readers-checkers "$passed" "$failed"
else
  record readers-checkers 0 1
fi

for corpus in seeds hostile; do
  step "reader conformance over the $corpus corpus"
  rm -f "test-output/readers/$corpus.json"
  npx tsx test/readers/run-readers.ts --corpus "$corpus" || status=1
  passed='' failed=''
  if [ -f "test-output/readers/$corpus.json" ]; then
    read -r passed failed < <(node -e 'const r=require(require("node:path").resolve(process.argv[1]));console.log(r.passed, r.failed)' "test-output/readers/$corpus.json")
  fi
  if [ -n "$passed" ] && [ -n "$failed" ]; then
    record "readers-$corpus" "$passed" "$failed"
  else
    record "readers-$corpus" 0 1
    status=1
  fi
done
exit "$status"
