#!/usr/bin/env bash
# Mail tests against real SMTP servers on loopback: aiosmtpd (PyPI, in a virtualenv under .build/)
# run by scripts/mail/smtp_server.py, which stores what it receives; scripts/mail/check_mail.py
# parses and checks it.
#  1. plain SMTP, end to end: subscribe through the box of a live `paperboy serve`, confirm by the
#     mailed link, `digest run`, check the digest (headers, both parts), unsubscribe with the
#     List-Unsubscribe one-click POST, and the scheduler inside `serve` mailing a new subscriber;
#  2. STARTTLS with a certificate made now, and AUTH, and TLS from the first byte (smtps): mail
#     goes through; a wrong password or an untrusted certificate fails with a clear error;
#  3. CR/LF in a subject, an address or the sender is refused and nothing is sent;
#  4. faults: 1,000 subscribers, the sender killed with SIGKILL mid-batch and restarted: exactly one
#     digest per subscriber;
#  5. a screenshot of a received digest in headless Chromium (test-artifacts/mail/digest.png).
# Usage: scripts/mail-test.sh PATH-TO-PAPERBOY
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: mail-test.sh PATH-TO-PAPERBOY}
venv=.build/venv-mail
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  echo "installing aiosmtpd into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.*"
fi
python="$venv/bin/python"

work=$(mktemp -d)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
fail() {
  echo "mail-test: FAIL: $*" >&2
  for log in "$work"/*.log; do [ -f "$log" ] && tail -15 "$log" | sed "s|^|  $(basename "$log"): |" >&2; done
  exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
check() { "$python" scripts/mail/check_mail.py "$@"; }
count() { find "$1" -name '*.eml' 2>/dev/null | wc -l; }

# start_smtp NAME [ARGS…]: an aiosmtpd on a free port storing into $work/NAME; sets $smtp_port.
start_smtp() {
  local name=$1
  shift
  smtp_port=$(free_port)
  "$python" scripts/mail/smtp_server.py --port "$smtp_port" --dir "$work/$name" "$@" >"$work/smtp-$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q ready "$work/smtp-$name.log" 2>/dev/null && return; sleep 0.1; done
  fail "the SMTP server $name did not start"
}

# wait_for DIR N: until DIR holds N messages (30 s at most).
wait_for() {
  for _ in $(seq 1 300); do [ "$(count "$1")" -ge "$2" ] && return; sleep 0.1; done
  fail "expected $2 messages in $1, found $(count "$1")"
}

# --- 1. Plain SMTP, end to end -------------------------------------------------------------------
start_smtp plain
plain_port=$smtp_port
port=$(free_port)
base="http://127.0.0.1:$port"
export PAPERBOY_SMTP_URL="smtp://localhost:$plain_port" PAPERBOY_BASE_URL="$base"
db="$work/site.sqlite"
"$binary" serve --database "$db" --port "$port" --no-fetch --no-digests >"$work/serve.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 1 150); do
  curl -fsS "$base/health" 2>/dev/null | grep -q '"index":"ready"' && break
  kill -0 "$server" 2>/dev/null || fail "paperboy serve exited"
  sleep 0.2
done
jar="$work/cookies"
page=$(curl -fsS -c "$jar" "$base/")
grep -q "Get trending papers in your email inbox!" <<<"$page" || fail "no subscribe box on /"
csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
[ -n "$csrf" ] || fail "no CSRF token in the subscribe box"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data-urlencode "email=ada@example.org" "$base/subscribe")
[ "$code" = 403 ] || fail "a subscription without its CSRF token answered $code, not 403"
answer=$(curl -fsS -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "email=ada@example.org" \
  --data-urlencode "frequency=daily" "$base/subscribe")
grep -q "Check your inbox" <<<"$answer" || fail "the subscribe box did not answer 'Check your inbox'"
wait_for "$work/plain" 1
confirm=$(check link "$work/plain" --to ada@example.org --path /subscribe/confirm)
[[ "$confirm" == "$base/subscribe/confirm?token="* ]] || fail "the confirmation link $confirm is not under $base"
# The link asks first (mail programs' link checkers follow links); the page's button confirms.
asking=$(curl -fsS -b "$jar" -c "$jar" "$confirm")
grep -q "Yes, send me digests" <<<"$asking" || fail "the confirmation link does not ask before confirming"
"$binary" digest status --database "$db" | grep -q "1 pending" || fail "following the link alone confirmed"
button_csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$asking" | tail -1 | sed 's/.*value="//; s/"$//')
token=${confirm#*token=}
curl -fsS -b "$jar" --data-urlencode "csrf=$button_csrf" --data-urlencode "token=$token" "$base/subscribe/confirm" \
  | grep -q "You are subscribed" || fail "the confirmation button did not confirm"
"$binary" digest run --database "$db" >"$work/run.out" 2>"$work/run.log" || fail "digest run failed: $(cat "$work/run.out")"
grep -q "queued 1," "$work/run.out" || fail "digest run did not queue one digest: $(cat "$work/run.out")"
wait_for "$work/plain" 2
unsubscribe=$(check digest "$work/plain" --to ada@example.org --base "$base") || fail "the digest is malformed"
"$binary" digest run --database "$db" >"$work/run2.out" 2>>"$work/run.log"
grep -q "queued 0, already queued 1" "$work/run2.out" || fail "a second run queued again: $(cat "$work/run2.out")"
[ "$(count "$work/plain")" = 2 ] || fail "a second run sent mail"
# The mail program's one-click unsubscribe (RFC 8058): a POST to the header's URL, no cookies.
code=$(curl -s -o /dev/null -w '%{http_code}' -d "List-Unsubscribe=One-Click" "$unsubscribe")
[ "$code" = 200 ] || fail "the one-click unsubscribe answered $code"
"$binary" digest status --database "$db" | grep -q "1 unsubscribed" || fail "the subscription did not end"
echo "mail-test: plain SMTP OK: subscribe box, confirmation mail and link, digest, one-click unsubscribe"

# The scheduler inside serve: a new subscriber gets the day's digest without a command.
"$binary" digest subscribe --database "$db" --confirmed bob@example.org >/dev/null
kill "$server"
wait "$server" 2>/dev/null || true
"$binary" serve --database "$db" --port "$port" --no-fetch --digest-time 00:00 --digest-time-zone Europe/Berlin \
  >"$work/serve-scheduler.log" 2>&1 &
pids+=($!)
wait_for "$work/plain" 3
check link "$work/plain" --to bob@example.org --path /papers/ >/dev/null || fail "the scheduler's digest to bob"
sleep 1
[ "$(count "$work/plain")" = 3 ] || fail "the scheduler sent more than one digest"
echo "mail-test: the scheduler inside serve mailed the new subscriber once"

# --- 2. STARTTLS and AUTH ------------------------------------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
start_smtp tls --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --auth "paperboy:s3cret pass"
tls="smtp://paperboy:s3cret%20pass@localhost:$smtp_port?starttls=true&ca=$work/cert.pem"
"$binary" digest test --database "$db" --smtp-url "$tls" --to carol@example.org >/dev/null \
  || fail "a test mail over STARTTLS with AUTH failed"
wait_for "$work/tls" 1
if "$binary" digest test --database "$db" --smtp-url "smtp://paperboy:wrong@localhost:$smtp_port?starttls=true&ca=$work/cert.pem" \
  --to carol@example.org >/dev/null 2>"$work/wrong.err"; then fail "a wrong password was accepted"; fi
grep -q "535" "$work/wrong.err" || fail "a wrong password's error lacks the server's reply: $(cat "$work/wrong.err")"
if "$binary" digest test --database "$db" --smtp-url "smtp://paperboy:x@localhost:$smtp_port?starttls=true" \
  --to carol@example.org >/dev/null 2>"$work/untrusted.err"; then fail "an untrusted certificate was accepted"; fi
grep -qi "tls\|certificate" "$work/untrusted.err" || fail "an untrusted certificate's error: $(cat "$work/untrusted.err")"
tls_db="$work/tls.sqlite"
"$binary" ingest --database "$tls_db" Sources/PaperboyServices/Resources/demo/listing-*.txt >/dev/null
"$binary" digest subscribe --database "$tls_db" --confirmed dan@example.org erin@example.org >/dev/null
"$binary" digest run --database "$tls_db" --smtp-url "$tls" >"$work/tls-run.out" 2>"$work/tls-run.log" \
  || fail "digest run over STARTTLS failed: $(cat "$work/tls-run.out")"
wait_for "$work/tls" 3
check digest "$work/tls" --to dan@example.org --base "$base" >/dev/null || fail "the digest over STARTTLS is malformed"
[ "$(count "$work/tls")" = 3 ] || fail "expected 3 messages over STARTTLS, found $(count "$work/tls")"
start_smtp smtps --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --implicit-tls
"$binary" digest test --database "$db" --smtp-url "smtps://localhost:$smtp_port?ca=$work/cert.pem" \
  --to grace@example.org >/dev/null || fail "a test mail over implicit TLS (smtps) failed"
wait_for "$work/smtps" 1
echo "mail-test: STARTTLS + AUTH and smtps OK; a wrong password and an untrusted certificate fail with clear errors"

# --- 3. CR or LF in a header is refused; nothing is sent -----------------------------------------
before=$(count "$work/plain")
if "$binary" digest test --database "$db" --to carol@example.org --subject $'Hello\r\nBcc: eve@example.org' \
  >/dev/null 2>"$work/crlf.err"; then fail "a subject with CRLF was sent"; fi
grep -q "subject contains a line break" "$work/crlf.err" || fail "the CRLF subject's error: $(cat "$work/crlf.err")"
if "$binary" digest test --database "$db" --to $'carol@example.org\r\nRCPT TO:<eve@example.org>' \
  >/dev/null 2>"$work/crlf2.err"; then fail "an address with CRLF was sent"; fi
grep -q "line break" "$work/crlf2.err" || fail "the CRLF address's error: $(cat "$work/crlf2.err")"
if "$binary" digest test --database "$db" --to carol@example.org --mail-from $'Eve\r\nBcc: x@example.org <eve@example.org>' \
  >/dev/null 2>"$work/crlf3.err"; then fail "a sender with CRLF was sent"; fi
if "$binary" digest subscribe --database "$db" $'frank@example.org\r\nBcc: eve@example.org' >/dev/null 2>"$work/crlf4.err"; then
  grep -q "is not an e-mail address" "$work/crlf4.err" || fail "a subscriber address with CRLF was taken"
fi
sleep 0.5
[ "$(count "$work/plain")" = "$before" ] || fail "something was sent despite a CR/LF"
echo "mail-test: CR/LF in a subject, an address or the sender is refused; nothing sent"

# --- 4. Killed mid-batch: exactly one digest per subscriber --------------------------------------
start_smtp fault
fault_url="smtp://localhost:$smtp_port"
fault_db="$work/fault.sqlite"
"$binary" ingest --database "$fault_db" Sources/PaperboyServices/Resources/demo/listing-*.txt >/dev/null
for i in $(seq 1 1000); do echo "reader$i@lab$((i % 20)).example.org"; done >"$work/subscribers.txt"
"$binary" digest subscribe --database "$fault_db" --confirmed --file "$work/subscribers.txt" | head -1
"$binary" digest run --database "$fault_db" --smtp-url "$fault_url" >"$work/fault-run.out" 2>"$work/fault-run.log" &
sender=$!
kill_at=$(( 200 + RANDOM % 400 ))
for _ in $(seq 1 600); do [ "$(count "$work/fault")" -ge "$kill_at" ] && break; sleep 0.05; done
kill -KILL "$sender"
wait "$sender" 2>/dev/null || true
at_kill=$(count "$work/fault")
[ "$at_kill" -lt 1000 ] || fail "the sender finished before it could be killed"
echo "mail-test: killed the sender with SIGKILL after $at_kill of 1000 digests"
"$binary" digest run --database "$fault_db" --smtp-url "$fault_url" >"$work/fault-rerun.out" 2>>"$work/fault-run.log" \
  || fail "the restarted run failed: $(cat "$work/fault-rerun.out")"
# Digests the killed sender had leased come free when their leases expire.
for _ in $(seq 1 30); do
  "$binary" digest status --database "$fault_db" | grep -q "^outbox: 0 queued" && break
  sleep 2
  "$binary" digest send --database "$fault_db" --smtp-url "$fault_url" >/dev/null 2>>"$work/fault-run.log" || true
done
"$binary" digest status --database "$fault_db" | grep -q "^outbox: 0 queued, 1000 sent" \
  || fail "the outbox is not all sent: $("$binary" digest status --database "$fault_db")"
sleep 0.5
check count "$work/fault" --each 1 --total 1000 || fail "not exactly one digest per subscriber"
echo "mail-test: fault OK: after SIGKILL and restart, exactly one digest to each of 1000 subscribers"

# --- 5. A screenshot of a received digest --------------------------------------------------------
mkdir -p test-artifacts/mail
check html "$work/plain" --to ada@example.org --out test-artifacts/mail/digest.html
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,1400 \
  --screenshot="$PWD/test-artifacts/mail/digest.png" "file://$PWD/test-artifacts/mail/digest.html" >/dev/null 2>&1 \
  || fail "chromium could not render the digest"
[ -s test-artifacts/mail/digest.png ] || fail "no screenshot"
echo "mail-test: screenshot of a received digest in test-artifacts/mail/digest.png"
echo "mail-test: OK"
