#!/usr/bin/env bash
# Attacks a live `paperboy serve` from outside (scripts/hardening/attack.py): several hundred
# malformed requests that must each get a 4xx and never a 5xx or a hang, the query that once
# crashed the server, slow and idle clients against short timeouts, one connection past the
# per-client cap; then checks that the server is still up and logged no crash.
# Usage: scripts/hardening-test.sh PATH-TO-PAPERBOY
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: hardening-test.sh PATH-TO-PAPERBOY}
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "hardening: FAIL: $*" >&2; tail -30 "$work/serve.log" | sed 's/^/  serve: /' >&2; exit 1; }

header=2 body=2 idle=3 send=3 cap=8
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --database "$work/paperboy.sqlite" --port "$port" --no-fetch --posts-per-minute 0 \
  --header-timeout "$header" --body-timeout "$body" --idle-timeout "$idle" --send-timeout "$send" \
  --max-connections-per-client "$cap" --trusted-proxy 192.0.2.1/32 \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"index":"ready"' && break
  kill -0 "$server" 2>/dev/null || fail "paperboy serve exited"
  sleep 0.2
done
# Loopback is not a trusted proxy here, so this machine is a client like any other (the cap for
# one client, not a proxy's).
python3 scripts/hardening/attack.py "$port" "$header" "$body" "$idle" "$send" "$cap" "$work/serve.log" \
  || fail "the server gave way (above)"
kill -0 "$server" 2>/dev/null || fail "paperboy serve died during the attack"
if grep -aE "Fatal error|SIGSEGV|Crash|crashed" "$work/serve.log"; then fail "the log shows a crash"; fi
echo "hardening: the server held"
