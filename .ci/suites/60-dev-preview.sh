#!/usr/bin/env bash
# The authoring preview end to end: `npm run dev` (the real `wrangler dev`) in
# a scratch copy of the project, an article broken and then fixed while it
# runs. While the article is broken, every page a browser asks for lists the
# problem and the feeds keep the last good content; once it is fixed, the
# site is back. About a minute on two cores. Ports: DEV_PREVIEW_PORT (default
# 8783) and the next one for the inspector, on 127.0.0.1 only.
set -uo pipefail
root=$PWD
port=${DEV_PREVIEW_PORT:-8783}
base="http://127.0.0.1:$port"
log="$results/dev-preview.log"
scratch=$(mktemp -d)
passed=0
failed=0

# The project without its dependencies (linked) and generated files (the dev build makes them).
tar --exclude=./node_modules --exclude=./.git --exclude=./generated --exclude=./.tools \
  --exclude=./test-output --exclude=./dist -cf - . | tar -xf - -C "$scratch"
ln -s "$root/node_modules" "$scratch/node_modules"
# Served articles: the test site (a copy of the shipped seed), never the user's seeds/.
rm -rf "$scratch/seeds"
cp -r test/fixtures/site "$scratch/seeds"
article="$scratch/seeds/000_3aae873de51ebb2d.txt"
page="/articles/south-korea-may-send-military-personnel-to-ukraine-amid-suspected-north-korean-deployments/"

(cd "$scratch" && WRANGLER_SEND_METRICS=false CI=1 exec setsid npm run dev -- --ip 127.0.0.1 --port "$port" \
  --inspector-port "$((port + 1))" --show-interactive-dev-session=false >"$log" 2>&1) &
server=$!
stop() {
  # setsid made the server its own process group: this stops wrangler and workerd, nothing else.
  kill -- -"$server" 2>/dev/null
  sleep 1
  kill -9 -- -"$server" 2>/dev/null
  rm -rf "$scratch"
}
trap stop EXIT

check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

# Status of a page as a browser asks for it, its <h1>s kept in $body.
browse() { curl -s -o "$scratch/body" -w '%{http_code}' -H 'Accept: text/html' "$base$1"; }
heading() { grep -o '<h1>[^<]*</h1>' "$scratch/body" | head -n 1; }

# Waits until a path answers a browser with the status, for at most $2 seconds.
wait_for() {
  local status=$1 seconds=$2 path=${3:-/}
  for _ in $(seq "$seconds"); do
    [ "$(browse "$path")" = "$status" ] && return 0
    sleep 1
  done
  return 1
}

step "npm run dev on $base"
check "the site comes up" wait_for 200 120
check "the article page is served" test "$(browse "$page")" = 200

step "break the article's date"
sed -i 's/^October 22, 2024$/October 32, 2024/' "$article"
check "pages show the problem once the preview rebuilds" wait_for 500 60
check "the home page lists the error" \
  test "$(browse /; heading)" = '500<h1>The articles have 1 error</h1>'
check "the error names the file, line, field and fix" grep -q \
  '000_3aae873de51ebb2d.txt:10: date: &quot;October 32, 2024&quot; is not a day of the calendar. Use ISO 8601' \
  "$scratch/body"
check "the article page shows the problem too" \
  test "$(browse "$page"; heading)" = '500<h1>The articles have 1 error</h1>'
check "the feeds keep the last good content" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/rss+xml' "$base/rss.xml")" = 200
check "the terminal names the problem" grep -q 'is not a day of the calendar' "$log"

step "fix it"
sed -i 's/^October 32, 2024$/October 22, 2024/' "$article"
check "the site is back once the preview rebuilds" wait_for 200 60
check "the article page is back" test "$(browse "$page")" = 200

step "edit the article's text"
sed -i 's/Authorities in Seoul are also considering/Edited in the preview: authorities in Seoul are also considering/' "$article"
shows_edit() {
  for _ in $(seq 60); do
    browse "$page" >/dev/null
    grep -q 'Edited in the preview' "$scratch/body" && return 0
    sleep 1
  done
  return 1
}
check "the article page shows the edit" shows_edit
check "the page was made before the build (the terminal says so)" \
  grep -q '000_3aae873de51ebb2d.txt: its page shows the edit' "$log"

echo "dev preview: $passed passed, $failed failed (wrangler output: $log)"
record 60-dev-preview "$passed" "$failed"
[ "$failed" -eq 0 ]
