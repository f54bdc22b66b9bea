#!/usr/bin/env bash
# Reliability and security beyond `npm test` (which already runs the catalogue
# of bad articles and the 21,000-request HTTP fuzzer):
#   - the soak test in its short version: the built worker in workerd, 64
#     connections for 10 s over feeds, pages, 304s and 404s; 0 errors and
#     bounded memory required;
#   - the worker bundle CI built in dist/, and the static assets beside it,
#     carry no path of this machine;
#   - `npm audit --omit=dev` finds no high or critical vulnerability in what
#     ships. When the registry's audit endpoint cannot be reached, that is said
#     and the check is skipped, not passed.
set -uo pipefail
log="$results/soak"
mkdir -p "$log"
passed=0
failed=0

step "soak: npm run soak -- --duration 10"
npm run soak -- --duration 10 --out "$log/soak.json" >"$log/soak.log" 2>&1
tail -n 12 "$log/soak.log"
line=$(grep -E '^\[soak\] checks: [0-9]+ passed, [0-9]+ failed' "$log/soak.log" | tail -n 1)
if [ -z "$line" ]; then
  echo "soak: no check count: the soak broke before reporting"
  failed=$((failed + 1))
else
  read -r p f < <(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/' <<<"$line")
  passed=$((passed + p))
  failed=$((failed + f))
fi
record soak "$passed" "$failed"
soak_failed=$failed

passed=0
failed=0
step "what ships (worker bundle and static assets) holds no path of the build machine"
[ -d dist ] || npx wrangler deploy --dry-run --outdir dist >/dev/null
shipped=(dist generated/assets)
if grep -rlF -e "$PWD" -e "$HOME/" "${shipped[@]}" >"$log/paths.txt" 2>/dev/null; then
  echo "machine paths found in:"
  cat "$log/paths.txt"
  failed=$((failed + 1))
else
  echo "none found in $(find "${shipped[@]}" -type f 2>/dev/null | wc -l) files"
  passed=$((passed + 1))
fi

step "npm audit --omit=dev (high and critical)"
npm audit --omit=dev --json >"$log/audit.json" 2>"$log/audit.err"
verdict=$(node -e '
  const report = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8") || "{}")
  const counts = report.metadata && report.metadata.vulnerabilities
  if (!counts) {
    console.log(`unreachable ${report.statusCode ?? ""} ${report.message ?? "no report"}`)
  } else {
    console.log(`found ${(counts.high ?? 0) + (counts.critical ?? 0)} ${JSON.stringify(counts)}`)
  }
' "$log/audit.json" 2>&1)
case "$verdict" in
  "found 0 "*) echo "no high or critical vulnerability: ${verdict#found 0 }"; passed=$((passed + 1)) ;;
  found*) echo "high or critical vulnerabilities: ${verdict#found }"; npm audit --omit=dev || true; failed=$((failed + 1)) ;;
  *) echo "skipped: the registry's audit endpoint cannot be reached from here (${verdict#unreachable })" ;;
esac
record security "$passed" "$failed"

[ "$((soak_failed + failed))" -eq 0 ]
