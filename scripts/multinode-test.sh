#!/usr/bin/env bash
# Several nodes on one PostgreSQL: a throwaway PostgreSQL server, three `paperboy serve` nodes on
# it (each with its own search index, polling only every 30 s, so that what is seen sooner came
# through LISTEN/NOTIFY), Debian's nginx in front of them on loopback, and one aiosmtpd sink.
#  1. A member signs up through nginx (forms, CSRF and the signing key shared by every node), and
#     the session works on every node; an upvote through A shows through B and C within 1 s; a
#     paper ingested by another process is found by search on C within 2 s; a comment posted on B
#     shows on A at once.
#  2. The daily digest run on three processes at once for 1,000 subscribers: exactly 1,000 mails,
#     one each. Again for the next day with one of them killed with SIGKILL mid-send and
#     restarted: still exactly one per subscriber.
#  3. Two writers ingesting concurrently while a node follows the feed: the node's index ends
#     with every paper, none twice. (Their papers are the next day's list of step 2's second run.)
# Usage: scripts/multinode-test.sh PATH-TO-PAPERBOY
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: multinode-test.sh PATH-TO-PAPERBOY}
work=$(mktemp -d /tmp/paperboy-multinode.XXXXXX)
chmod 755 "$work"
pids=()
nginx_pid=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
  wait 2>/dev/null || true
  scripts/postgres/stop.sh "$work/pg"
  if [ -n "${KEEP_WORK:-}" ]; then echo "multinode: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  echo "multinode: FAIL: $*" >&2
  for log in "$work"/node-*.log; do [ -f "$log" ] && tail -15 "$log" | sed "s|^|  $(basename "$log"): |" >&2; done
  exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { date +%s%3N; }

venv=.build/venv-mail
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.*"
fi
python="$venv/bin/python"

db=$(scripts/postgres/start.sh "$work/pg") || fail "PostgreSQL did not start"
echo "multinode: PostgreSQL at $db"
unset PAPERBOY_SECRET PAPERBOY_SMTP_URL PAPERBOY_DATABASE PAPERBOY_INDEX
export PAPERBOY_MODELS="$work/no-models"

# --- the nodes and nginx ------------------------------------------------------------------------
declare -A port
for node in a b c; do
  port[$node]=$(free_port)
  "$binary" serve --database "$db" --index "$work/$node.index" --port "${port[$node]}" --node "$node" \
    --no-fetch --no-model-fetch --no-digests --sync-interval 30 --posts-per-minute 0 \
    >"$work/node-$node.log" 2>&1 &
  pids+=($!)
done
for node in a b c; do
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:${port[$node]}/health" 2>/dev/null | grep -q '"index":"ready"' && break
    sleep 0.2
  done
  health=$(curl -fsS "http://127.0.0.1:${port[$node]}/health") || fail "node $node did not start"
  grep -q '"backend":"postgres"' <<<"$health" || fail "node $node: /health does not say postgres: $health"
  grep -q "\"node\":\"$node\"" <<<"$health" || fail "node $node: /health does not name it: $health"
done
metrics=$(curl -fsS "http://127.0.0.1:${port[a]}/metrics") || fail "/metrics did not answer"
grep -Eq 'paperboy_database_connections\{state="max"\} 10(\.0)?$' <<<"$metrics" \
  || fail "/metrics does not report the pool: $(grep database_connections <<<"$metrics")"
papers=$(curl -fsS "http://127.0.0.1:${port[a]}/health" | grep -o '"papers":[0-9]*')
[ "$papers" = '"papers":311' ] || fail "three nodes starting at once on an empty database: $papers, not 311 demo papers"

front=$(free_port)
scripts/multinode/nginx-conf.sh "$work/nginx" "$front" "${port[a]}" "${port[b]}" "${port[c]}"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
nginx_pid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$front/health" >/dev/null 2>&1 && break; sleep 0.1; done
seen=$(for _ in 1 2 3 4 5 6; do curl -fsS "http://127.0.0.1:$front/health" | grep -o '"node":"[abc]"'; done | sort -u | wc -l)
[ "$seen" = 3 ] || fail "nginx reached $seen of the 3 nodes"
echo "multinode: 3 nodes on one PostgreSQL behind nginx on port $front"
export PAPERBOY_NGINX_PORT=$front
export PAPERBOY_NODE_PORTS="${port[a]},${port[b]},${port[c]}"
export PAPERBOY_DATABASE_URL="$db" PAPERBOY_BINARY="$binary" PAPERBOY_WORK="$work"

# --- 1. one site on three nodes -----------------------------------------------------------------
python3 scripts/multinode/site_checks.py || fail "the site checks across nodes"

# --- 2. digests on three senders at once ---------------------------------------------------------
smtp_port=$(free_port)
"$python" scripts/mail/smtp_server.py --port "$smtp_port" --dir "$work/mail" >"$work/smtp.log" 2>&1 &
smtp_pid=$!
pids+=($smtp_pid)
for _ in $(seq 1 100); do grep -q ready "$work/smtp.log" 2>/dev/null && break; sleep 0.1; done
smtp="smtp://localhost:$smtp_port"
count() { find "$1" -name '*.eml' 2>/dev/null | wc -l; }
for i in $(seq 1 1000); do echo "reader$i@lab$((i % 20)).example.org"; done >"$work/subscribers.txt"
"$binary" digest subscribe --database "$db" --confirmed --file "$work/subscribers.txt" | head -1
day=$(curl -fsS "http://127.0.0.1:${port[a]}/api/daily_papers?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["publishedAt"][:10])')
for node in a b c; do
  "$binary" digest run --database "$db" --index "$work/digest-$node.index" --smtp-url "$smtp" --date "$day" \
    >"$work/digest-$node.out" 2>"$work/digest-$node.log" &
  runs+=($!)
done
for run in "${runs[@]}"; do wait "$run" || fail "a digest run failed: $(cat "$work"/digest-*.log | tail -5)"; done
sleep 0.5
"$python" scripts/mail/check_mail.py count "$work/mail" --each 1 --total 1000 \
  || fail "three concurrent digest runs: not exactly one digest per subscriber"
echo "multinode: 3 digest runs at once for 1000 subscribers: exactly 1000 mails, one each"

# --- 3. two writers while a node follows (their papers are the next day's list) ------------------
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def paper(n):
    return {"id": "2612.%05d" % n, "title": "Concurrent writer paper %d" % n, "abstract": "Written at once.",
            "authors": ["W. Riter"], "categories": ["cs.DC"], "date": "2026-12-02"}
# Two writers, 2,000 papers each, 500 of them in both (the same paper from two sources).
for name, numbers in (("one", range(20000, 22000)), ("two", range(21500, 23500))):
    with open("%s/writer-%s.jsonl" % (work, name), "w") as out:
        for n in numbers:
            out.write(json.dumps(paper(n)) + "\n")
PY
before=$(curl -fsS "http://127.0.0.1:${port[a]}/health" | grep -o '"papers":[0-9]*' | cut -d: -f2)
"$binary" ingest --database "$db" --batch-size 50 "$work/writer-one.jsonl" >"$work/writer-one.out" 2>&1 &
one=$!
"$binary" ingest --database "$db" --batch-size 50 "$work/writer-two.jsonl" >"$work/writer-two.out" 2>&1 &
two=$!
wait "$one" || fail "writer one: $(cat "$work/writer-one.out")"
wait "$two" || fail "writer two: $(cat "$work/writer-two.out")"
expected=$((before + 3500))
for _ in $(seq 1 100); do
  health=$(curl -fsS "http://127.0.0.1:${port[a]}/health")
  grep -q '"index_lag":0' <<<"$health" && grep -q "\"papers\":$expected" <<<"$health" && break
  sleep 0.1
done
grep -q "\"papers\":$expected" <<<"$health" || fail "after two writers: $health, expected $expected papers"
grep -q '"index_lag":0' <<<"$health" || fail "node a's index did not catch up: $health"
documents=$("$binary" index status --database "$db" --index "$work/a.index" | sed -n 's/^documents: \([0-9]*\) .*/\1/p')
[ "$documents" = "$expected" ] || fail "node a's index holds $documents documents for $expected papers"
found=$(curl -fsS "http://127.0.0.1:${port[a]}/api/papers/search?q=concurrent+writer+paper&limit=100" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$found" = 100 ] || fail "search on node a finds $found of the writers' papers"
echo "multinode: two writers at once (3,500 papers, 500 written by both): node a's index holds each once ($documents documents)"

# --- 2b. the next day's digests, one sender killed with SIGKILL mid-send ------------------------
rm -rf "$work/mail2"
kill "$smtp_pid" 2>/dev/null || fail "the SMTP sink died: $(tail -5 "$work/smtp.log")"
wait "$smtp_pid" 2>/dev/null || true
"$python" scripts/mail/smtp_server.py --port "$smtp_port" --dir "$work/mail2" >"$work/smtp2.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q ready "$work/smtp2.log" 2>/dev/null && break; sleep 0.1; done
next=2026-12-02
runs=()
for node in a b c; do
  "$binary" digest run --database "$db" --index "$work/digest-$node.index" --smtp-url "$smtp" --date "$next" \
    >"$work/digest2-$node.out" 2>"$work/digest2-$node.log" &
  runs+=($!)
done
kill_at=$(( 150 + RANDOM % 300 ))
for _ in $(seq 1 600); do [ "$(count "$work/mail2")" -ge "$kill_at" ] && break; sleep 0.05; done
kill -KILL "${runs[0]}"
at_kill=$(count "$work/mail2")
[ "$at_kill" -lt 1000 ] || fail "the senders finished before one could be killed"
echo "multinode: killed sender a with SIGKILL after $at_kill of 1000 digests"
wait "${runs[0]}" 2>/dev/null || true
"$binary" digest run --database "$db" --index "$work/digest-a.index" --smtp-url "$smtp" --date "$next" \
  >"$work/digest2-a2.out" 2>"$work/digest2-a2.log" || fail "the restarted run failed"
for run in "${runs[@]:1}"; do wait "$run" || fail "a digest run failed"; done
# Digests the killed sender had leased come free when their leases expire.
for _ in $(seq 1 30); do
  "$binary" digest status --database "$db" | grep -q "^outbox: 0 queued" && break
  sleep 2
  "$binary" digest send --database "$db" --index "$work/digest-a.index" --smtp-url "$smtp" >/dev/null 2>>"$work/digest2-a2.log" || true
done
"$binary" digest status --database "$db" | grep -q "^outbox: 0 queued, 2000 sent" \
  || fail "the outbox is not all sent: $("$binary" digest status --database "$db")"
sleep 0.5
"$python" scripts/mail/check_mail.py count "$work/mail2" --each 1 --total 1000 \
  || fail "after SIGKILL and restart: not exactly one digest per subscriber"
echo "multinode: digests OK: after SIGKILL of one of three senders and a restart, exactly one to each of 1000"

echo "multinode: all checks passed"
