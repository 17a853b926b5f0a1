#!/usr/bin/env bash
# Browser tests: a live `paperboy serve` on an empty database (demo papers), a stand-in for the
# arXiv API on loopback for submissions, and headless Chromium driven by Selenium (PyPI, in a
# virtualenv under .build/) through sign-up, upvote, submit, comment, collection, search and the
# subscribe box.
# Screenshots go to test-artifacts/browser/.
# Usage: scripts/browser-test.sh PATH-TO-PAPERBOY
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: browser-test.sh PATH-TO-PAPERBOY}
venv=.build/venv-browser
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  echo "installing selenium into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "selenium==4.*"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
fail() { echo "browser: FAIL: $*" >&2; [ -f "$work/serve.log" ] && tail -20 "$work/serve.log" | sed 's/^/  serve: /' >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

arxiv_port=$(free_port)
python3 scripts/browser/arxiv_stub.py "$arxiv_port" &
pids+=($!)
port=$(free_port)
"$binary" serve --database "$work/paperboy.sqlite" --port "$port" \
  --arxiv-api-endpoint "http://127.0.0.1:$arxiv_port/api/query" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"index":"ready"' && break
  sleep 0.2
done
rm -rf test-artifacts/browser
"$venv/bin/python" scripts/browser/site_walk.py "http://127.0.0.1:$port" test-artifacts/browser "$work/serve.log" \
  || fail "the walk failed"
