#!/usr/bin/env bash
# `paperboy bench digest` against a real SMTP server on loopback: aiosmtpd (from PyPI, in
# .build/venv-mail) storing every message, and Python's smtplib over the same server as the
# anchor. Usage: scripts/bench/digest.sh [COUNT] (default 10000; builds the release binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-10000}
venv=.build/venv-mail
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.*"
fi
swift build -c release --product paperboy >/dev/null
binary="$(swift build -c release --show-bin-path)/paperboy"
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$venv/bin/python" scripts/mail/smtp_server.py --port "$port" --dir "$work/mail" >"$work/smtp.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q ready "$work/smtp.log" && break; sleep 0.1; done
"$binary" bench digest --count "$count" --smtp-url "smtp://localhost:$port" --anchor-python "$venv/bin/python"
echo "messages the server stored: $(find "$work/mail" -name '*.eml' | wc -l) (Paperboy's and the anchor's)"
