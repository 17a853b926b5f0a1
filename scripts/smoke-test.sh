#!/usr/bin/env bash
# End-to-end check of the built binary over real sockets: `paperboy serve` on an empty database
# loads the demo papers and answers the daily page, search, the API and health; `paperboy ingest`
# reports bad lines as file:line: reason and lands the rest.
# Usage: scripts/smoke-test.sh PATH-TO-PAPERBOY
set -euo pipefail
source "$(dirname "$0")/lib/mailed-link.sh"

binary=${1:?usage: smoke-test.sh PATH-TO-PAPERBOY}
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "smoke: FAIL: $*" >&2; [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2; exit 1; }
expect() { grep -q -- "$2" <<<"$1" || fail "$3 (expected to find: $2)"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --database "$work/paperboy.sqlite" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"index":"ready"' && break
  kill -0 "$server" 2>/dev/null || fail "paperboy serve exited"
  sleep 0.2
done

health=$(curl -fsS "http://127.0.0.1:$port/health") || fail "/health did not answer"
expect "$health" '"status":"ok"' "/health"
expect "$health" '"backend":"sqlite"' "/health names the backend"
expect "$health" '"index_lag":0' "/health: the ready index has no changes left to apply"
metrics=$(curl -fsS "http://127.0.0.1:$port/metrics") || fail "/metrics did not answer on loopback"
expect "$metrics" 'paperboy_http_requests_total{route="/health",method="GET",status="200"}' "/metrics counts requests by route"
expect "$metrics" 'paperboy_index_lag_changes 0' "/metrics reports the index lag"
expect "$metrics" 'paperboy_papers 311' "/metrics reports the papers"
expect "$health" "\"node\":\"$(hostname)\"" "/health names the node (the host by default)"
home=$(curl -fsS "http://127.0.0.1:$port/") || fail "/ did not answer"
expect "$home" 'Daily Papers' "/ shows the daily list"
expect "$home" '<article class="paper">' "/ lists papers"
expect "$home" 'rel="prev"' "/ links to the previous day"
search=$(curl -fsS "http://127.0.0.1:$port/search?q=diffusion") || fail "/search did not answer"
expect "$search" '<mark>' "/search marks matches"
expect "$search" 'papers for “diffusion”' "/search counts results"
api=$(curl -fsS "http://127.0.0.1:$port/api/papers/search?q=diffusion&limit=5") || fail "/api/papers/search did not answer"
python3 - "$api" <<'PY' || fail "/api/papers/search returns papers about diffusion"
import json, sys
items = json.loads(sys.argv[1])
assert 1 <= len(items) <= 5, len(items)
assert all("diffus" in (i["paper"]["title"] + i["paper"]["summary"]).lower() for i in items)
assert all(i["paper"]["publishedAt"].endswith(".000Z") for i in items)
PY
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/papers/2101.99999")
[ "$status" = 404 ] || fail "unknown id gives $status, not 404"
# Accounts over real sockets: the form's CSRF cookie and token, sign-up, the session cookie.
jar="$work/cookies"
signup=$(curl -fsS -c "$jar" "http://127.0.0.1:$port/signup") || fail "/signup did not answer"
csrf=$(grep -o 'name="csrf" value="[^"]*"' <<<"$signup" | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || fail "/signup has no CSRF token"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" \
  --data-urlencode "name=Smoke Test" --data-urlencode "email=smoke@example.org" \
  --data-urlencode "password=a long password" "http://127.0.0.1:$port/signup")
[ "$status" = 200 ] || fail "sign-up gives $status, not 200"
grep -q "pb_session" "$jar" && fail "sign-up signed in before the address was proven"
# No SMTP server: the link goes to the log, as the README says.
link=$(mailed_link "$work/serve.log" "/signup/confirm?token=")
[ -n "$link" ] || fail "no sign-up link in the log"
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" "$link")
[ "$status" = 302 ] || fail "following the sign-up link gives $status, not 302"
grep -q "pb_session" "$jar" || fail "the sign-up link sets no session cookie"
account=$(curl -fsS -b "$jar" "http://127.0.0.1:$port/account") || fail "/account did not answer"
expect "$account" "smoke@example.org" "/account shows the member"
[ -f "$work/paperboy.sqlite.secret" ] || fail "serve made no signing key beside the database"
for file in paperboy.sqlite paperboy.sqlite-wal paperboy.sqlite-shm paperboy.sqlite.secret; do
  mode=$(stat -c %a "$work/$file")
  [ "$mode" = 600 ] || fail "$file has mode $mode, not 600"
done
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" --data "email=x@example.org&password=0123456789" \
  "http://127.0.0.1:$port/signin")
[ "$status" = 403 ] || fail "a sign-in without its CSRF token gives $status, not 403"
echo "smoke: serve OK on port $port ($(grep -o '"papers":[0-9]*' <<<"$health"))"

# Search by meaning: with the model in the models folder (scripts/test fetches it), serve embeds
# the demo papers in the background; then hybrid search, the mode switch and similar papers.
models=${PAPERBOY_MODELS:-$HOME/.cache/paperboy/models}
if [ -f "$models/all-MiniLM-L6-v2/model.safetensors" ]; then
  for _ in $(seq 1 600); do
    # Modes go live with the first vectors published; "live" comes once every paper has one.
    curl -fsS "http://127.0.0.1:$port/health" | grep -q 'semantic and hybrid search live' && break
    sleep 0.5
  done
  health=$(curl -fsS "http://127.0.0.1:$port/health")
  expect "$health" '"search_modes":\["keyword","semantic","hybrid"\]' "/health lists the three modes"
  expect "$health" '"vectors":311' "/health counts a vector per demo paper"
  expect "$health" 'semantic and hybrid search live' "/health says hybrid is live"
  expect "$(cat "$work/serve.log")" "search modes: semantic and hybrid search live" "the log says hybrid is live"
  hybrid=$(curl -fsS "http://127.0.0.1:$port/search?q=making+pictures+from+noise") || fail "/search (hybrid) did not answer"
  expect "$hybrid" '<span class="mode current" aria-current="true">Hybrid</span>' "/search defaults to hybrid, shown in the switch"
  expect "$hybrid" '<article class="paper">' "/search (hybrid) lists papers"
  semantic=$(curl -fsS "http://127.0.0.1:$port/api/papers/search?q=making+pictures+from+noise&mode=semantic&limit=3")
  python3 - "$semantic" <<'PY' || fail "/api/papers/search?mode=semantic returns three papers"
import json, sys
assert len(json.loads(sys.argv[1])) == 3
PY
  first=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[0]["paper"]["id"])' "$semantic")
  similar=$(curl -fsS "http://127.0.0.1:$port/api/papers/$first/similar?limit=5") || fail "/similar did not answer"
  python3 - "$similar" "$first" <<'PY' || fail "/api/papers/{id}/similar gives 5 papers by vectors, itself left out"
import json, sys
items = json.loads(sys.argv[1])
assert len(items) == 5 and all(i["by"] == "vectors" for i in items), items
assert all(i["paper"]["id"] != sys.argv[2] for i in items)
assert all(0 < i["similarity"] <= 1 for i in items)
PY
  page=$(curl -fsS "http://127.0.0.1:$port/papers/$first") || fail "the paper page did not answer"
  expect "$page" '<h2 id="similar-heading">Similar papers</h2>' "the paper page shows similar papers"
  echo "smoke: semantic OK (hybrid default, similar papers)"
else
  echo "smoke: note: no embedding model in $models (paperboy model fetch); semantic checks skipped"
fi

# With no model and fetching off, serve says it is keyword-only, and hybrid asked falls back.
port2=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Also a named node logging JSON lines.
"$binary" serve --database "$work/keyword.sqlite" --port "$port2" --no-model-fetch --model "$work/no-model" \
  --node smoke-b --log-format json >"$work/serve2.log" 2>&1 &
server2=$!
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$port2/health" 2>/dev/null | grep -q '"index":"ready"' && break
  sleep 0.2
done
health2=$(curl -fsS "http://127.0.0.1:$port2/health") || { kill "$server2"; fail "keyword-only serve did not answer"; }
fallback=$(curl -fsS "http://127.0.0.1:$port2/search?q=diffusion&mode=hybrid")
kill "$server2"; wait "$server2" 2>/dev/null || true
expect "$health2" '"search_modes":\["keyword"\]' "/health without a model lists keyword only"
expect "$health2" 'keyword only: no embedding model' "/health says why it is keyword only"
expect "$(cat "$work/serve2.log")" "search modes: keyword only: no embedding model" "the log says keyword only"
expect "$health2" '"node":"smoke-b"' "/health names the node given by --node"
python3 - "$work/serve2.log" <<'PY' || fail "--log-format json writes one JSON object per line, each naming the node"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
assert len(lines) >= 3, lines
assert all(l["node"] == "smoke-b" and l["level"] and l["message"] and l["time"].endswith("Z") for l in lines), lines
PY
expect "$fallback" 'hybrid search is not available' "/search?mode=hybrid without vectors says so"
expect "$fallback" '<mark>' "and shows keyword results"
echo "smoke: keyword-only serve OK"

# An online backup while serve runs: a whole copy with every paper and the member, owner-only.
"$binary" backup --database "$work/paperboy.sqlite" --to "$work/backup.sqlite" >"$work/backup.out" \
  || fail "backup while serve runs: $(cat "$work/backup.out")"
expect "$(cat "$work/backup.out")" "311 paper" "backup reports the papers it copied"
[ "$(stat -c %a "$work/backup.sqlite")" = 600 ] || fail "the backup is not mode 600"
python3 - "$work/backup.sqlite" <<'PY' || fail "the backup does not open with every row"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
assert db.execute("SELECT count(*) FROM paper").fetchone()[0] == 311
assert db.execute("SELECT count(*) FROM member WHERE email = 'smoke@example.org'").fetchone()[0] == 1
PY
echo "smoke: backup OK"

# migrate: the backup is up to date; three processes migrating one new file at once all succeed.
"$binary" migrate --database "$work/backup.sqlite" >"$work/migrate.out" || fail "migrate: $(cat "$work/migrate.out")"
expect "$(cat "$work/migrate.out")" "up to date at 0011-" "migrate on a current database changes nothing"
"$binary" migrate --database "$work/new.sqlite" --dry-run >"$work/migrate.out"
expect "$(cat "$work/migrate.out")" "pending: 0001-paper," "migrate --dry-run lists what is pending"
[ ! -e "$work/new.sqlite" ] || fail "migrate --dry-run created the database"
pids=()
for n in 1 2 3; do "$binary" migrate --database "$work/new.sqlite" >"$work/migrate$n.out" 2>&1 & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid" || fail "concurrent migrate failed: $(cat "$work"/migrate?.out)"; done
"$binary" migrate --database "$work/new.sqlite" >"$work/migrate.out"
expect "$(cat "$work/migrate.out")" "up to date at 0011-" "after three concurrent migrations the schema is whole"
echo "smoke: migrate OK"

cat >"$work/broken.jsonl" <<'JSONL'
{"id": "2101.00001", "title": "Good", "abstract": "Fine.", "authors": ["A"], "categories": ["cs.LG"], "date": "2021-01-04"}
{"id": "2101.00002", "title": "Broken"
{"id": "2101.00003", "title": "Also good", "abstract": "Fine.", "authors": ["B"], "categories": ["cs.CL"], "date": "2021-01-04"}
JSONL
set +e
"$binary" ingest --database "$work/ingest.sqlite" "$work/broken.jsonl" >"$work/ingest.out" 2>"$work/ingest.err"
code=$?
set -e
[ "$code" = 1 ] || fail "ingest with a bad line exits $code, not 1"
expect "$(cat "$work/ingest.err")" "$work/broken.jsonl:2: " "ingest names file:line of the bad line"
expect "$(cat "$work/ingest.out")" "added 2, updated 0, unchanged 0, bad 1" "ingest lands the good lines"
"$binary" ingest --database "$work/ingest.sqlite" "$work/broken.jsonl" >"$work/ingest2.out" 2>/dev/null || true
expect "$(cat "$work/ingest2.out")" "added 0, updated 0, unchanged 2, bad 1" "a second ingest adds nothing"
echo "smoke: ingest OK"

# The search command: ranked papers, and a malformed query located with a caret, not usage text.
expect "$("$binary" search --database "$work/ingest.sqlite" "also good")" "2101.00003" "search finds the paper"
set +e
"$binary" search --database "$work/ingest.sqlite" 'good "unclosed' >/dev/null 2>"$work/search.err"
code=$?
set -e
[ "$code" != 0 ] || fail "a malformed query exits 0"
expect "$(cat "$work/search.err")" "unclosed quote at column 6" "search says where the query is wrong"
expect "$(tail -1 "$work/search.err")" "       ^" "search points at the column"
if grep -q "Usage:" "$work/search.err"; then fail "a malformed query prints usage text"; fi
echo "smoke: search OK"
