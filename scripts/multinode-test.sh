#!/usr/bin/env bash
# Several nodes on one PostgreSQL: a throwaway PostgreSQL server, three `paperboy serve` nodes on
# it (each with its own search index, polling only every 30 s, so that what is seen sooner came
# through LISTEN/NOTIFY), Debian's nginx in front of them on loopback, and one aiosmtpd sink.
#  1. A member signs up through nginx (forms, CSRF and the signing key shared by every node), and
#     the session works on every node; an upvote through A shows through B and C within 1 s; a
#     paper ingested by another process is found by search on C within 2 s; a comment posted on B
#     shows on A at once; wrong passwords spread over the three nodes meet one shared limit.
#  2. The daily digest run on three processes at once for 1,000 subscribers: exactly 1,000 mails,
#     one each. Again for the next day with one of them killed with SIGKILL mid-send and
#     restarted: still exactly one per subscriber.
#  3. Two writers ingesting concurrently while a node follows the feed: the node's index ends
#     with every paper, none twice. (Their papers are the next day's list of step 2's second run.)
#  4. A node killed with SIGKILL while papers are written, then restarted, catches up from where
#     it stopped (it applies just the changes it missed).
#  5. An ingest killed with SIGKILL mid-write leaves whole batches only; run again, it adds the
#     rest; a node's index ends with every paper once.
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
declare -A port node_pid
# start_node NODE LOG: a serve node on its port and its own index folder.
start_node() {
  "$binary" serve --database "$db" --index "$work/$1.index" --port "${port[$1]}" --node "$1" \
    --no-fetch --no-model-fetch --no-digests --sync-interval 30 --posts-per-minute 0 >"$2" 2>&1 &
  node_pid[$1]=$!
  pids+=($!)
}
# wait_ready NODE: until the node's index is ready (60 s at most).
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:${port[$1]}/health" 2>/dev/null | grep -q '"index":"ready"' && return 0
    sleep 0.2
  done
  return 1
}
# caught_up NODE PAPERS: until the node's /health says PAPERS papers and no index lag (20 s at most).
caught_up() {
  for _ in $(seq 1 200); do
    health=$(curl -fsS "http://127.0.0.1:${port[$1]}/health" 2>/dev/null || true)
    grep -q '"index_lag":0' <<<"$health" && grep -q "\"papers\":$2[,}]" <<<"$health" && return 0
    sleep 0.1
  done
  return 1
}
# documents NODE: the documents in the node's index.
documents() {
  "$binary" index status --database "$db" --index "$work/$1.index" | sed -n 's/^documents: \([0-9]*\) .*/\1/p'
}
stored_papers() { psql "$db" -Atc "SELECT count(*) FROM paper"; }
for node in a b c; do
  port[$node]=$(free_port)
  start_node "$node" "$work/node-$node.log"
done
for node in a b c; do
  wait_ready "$node" || fail "node $node did not start"
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
caught_up a "$expected" || fail "after two writers: node a says $health, expected $expected papers and no lag"
documents=$(documents a)
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

# --- 4. a node that was down catches up from where it stopped -----------------------------------
papers_now=$(stored_papers)
caught_up c "$papers_now" || fail "node c did not follow the writers: $health"
sleep 1  # its last catch-up committed
kill -KILL "${node_pid[c]}"
wait "${node_pid[c]}" 2>/dev/null || true
python3 - "$work" <<'PY'
import json, sys
with open("%s/while-down.jsonl" % sys.argv[1], "w") as out:
    for n in range(30000, 30700):
        out.write(json.dumps({"id": "2612.%05d" % n, "title": "Written while node c was down %d" % n,
                              "abstract": "Caught up later.", "authors": ["D. Own"], "categories": ["cs.OS"],
                              "date": "2026-12-03"}) + "\n")
PY
"$binary" ingest --database "$db" --batch-size 100 "$work/while-down.jsonl" >"$work/while-down.out" 2>&1 \
  || fail "the ingest while node c was down: $(cat "$work/while-down.out")"
expected=$((papers_now + 700))
start_node c "$work/node-c-restarted.log"
wait_ready c || fail "node c did not start again: $(tail -5 "$work/node-c-restarted.log")"
caught_up c "$expected" || fail "node c did not catch up after its restart: $health"
# From where it stopped: its index applied the 700 new changes, not the whole feed again.
applied=$(grep -o 'search index applied [0-9]* changes' "$work/node-c-restarted.log" | awk '{s += $4} END {print s + 0}')
[ "$applied" = 700 ] || fail "node c applied $applied changes after its restart, not the 700 it missed"
[ "$(documents c)" = "$expected" ] || fail "node c's index holds $(documents c) documents for $expected papers"
echo "multinode: node c killed with SIGKILL, 700 papers written meanwhile; restarted, it applied those 700 and no more"

# --- 5. an ingest killed with SIGKILL mid-write: whole batches or nothing ------------------------
python3 - "$work" <<'PY'
import json, sys
with open("%s/killed.jsonl" % sys.argv[1], "w") as out:
    for n in range(40000, 46000):
        out.write(json.dumps({"id": "2612.%05d" % n, "title": "Ingest killed midway %d" % n,
                              "abstract": "Whole batches only.", "authors": ["K. Ill"], "categories": ["cs.DB"],
                              "date": "2026-12-04"}) + "\n")
PY
before=$(stored_papers)
"$binary" ingest --database "$db" --batch-size 500 "$work/killed.jsonl" >"$work/killed.out" 2>&1 &
ingest=$!
for _ in $(seq 1 400); do [ "$(stored_papers)" -gt "$before" ] && break; sleep 0.025; done
kill -KILL "$ingest" 2>/dev/null || true
wait "$ingest" 2>/dev/null || true
landed=$(( $(stored_papers) - before ))
[ "$landed" -gt 0 ] && [ "$landed" -lt 6000 ] || fail "the ingest was not killed midway: $landed of 6000 papers stored"
[ $((landed % 500)) = 0 ] || fail "after SIGKILL, $landed papers stored: not whole batches of 500"
orphans=$(psql "$db" -Atc "SELECT count(*) FROM paper p WHERE p.categories <> '[]' AND NOT EXISTS (SELECT 1 FROM paper_category c WHERE c.position = p.position)")
[ "$orphans" = 0 ] || fail "after SIGKILL, $orphans papers have no category rows"
"$binary" ingest --database "$db" --batch-size 500 "$work/killed.jsonl" >"$work/killed-again.out" 2>&1 \
  || fail "the ingest after SIGKILL: $(cat "$work/killed-again.out")"
grep -q "^added $((6000 - landed)), updated 0, unchanged $landed, bad 0" "$work/killed-again.out" \
  || fail "the ingest after SIGKILL did not add just the rest: $(tail -2 "$work/killed-again.out")"
expected=$((before + 6000))
caught_up a "$expected" || fail "node a did not follow the ingest after SIGKILL: $health"
[ "$(documents a)" = "$expected" ] || fail "node a's index holds $(documents a) documents for $expected papers"
echo "multinode: an ingest killed with SIGKILL after $landed of 6000 papers left whole batches; run again, it added the other $((6000 - landed))"

echo "multinode: all checks passed"
