#!/usr/bin/env bash
# Browser suite: `npm run test:e2e` drives Debian's headless Chromium (through
# playwright-core) against the real worker under `wrangler dev`, imports the
# OPML into newsboat and validates the sitemap with xmllint. Screenshots go to
# test-output/e2e/. About two minutes on two cores.
set -uo pipefail
report="$results/e2e.json"
npm run test:e2e -- --reporter=default --reporter=json --outputFile="$report"
status=$?
if [ -f "$report" ]; then
  read -r passed failed < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0))' "$report")
  record 30-browser "$passed" "$failed"
  if [ "$failed" -gt 0 ]; then status=1; fi
else
  record 30-browser 0 1
  status=1
fi
exit "$status"
