#!/usr/bin/env bash
# Load through nginx to three `serve` nodes on one PostgreSQL, beside one node on SQLite, same
# data (the 156k real papers), same endpoints, same wrk settings, one run. Everything shares this
# machine's cores (PostgreSQL, nginx, three nodes and wrk on 2 cores here), so read the figures as
# what this machine does, not what three machines would.
#   usage: scripts/bench/multinode-load.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-20}
connections=${2:-64}
data=../shared/data/arxiv/papers-156k.jsonl.gz
[ -f "$data" ] || { echo "multinode-load: skipped: $data is absent"; exit 0; }
command -v wrk >/dev/null && command -v nginx >/dev/null || scripts/setup-system.sh
swift build -c release --product paperboy
binary="$(swift build -c release --show-bin-path)/paperboy"
work=$(mktemp -d /tmp/paperboy-load.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres/stop.sh "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ready() {
  for _ in $(seq 1 1500); do
    curl -fsS "http://127.0.0.1:$1/health" 2>/dev/null | grep -q '"index":"ready"' && return
    sleep 0.2
  done
  echo "multinode-load: the node on port $1 did not get ready" >&2
  exit 1
}
export PAPERBOY_MODELS="$work/no-models"

db=$(scripts/postgres/start.sh "$work/pg")
echo "== ingest into PostgreSQL"
"$binary" ingest --database "$db" --batch-size 5000 "$data" | tail -3
echo "== ingest into SQLite"
"$binary" ingest --database "$work/load.sqlite" "$data" | tail -3

ports=()
for node in a b c; do
  port=$(free_port)
  ports+=("$port")
  "$binary" serve --database "$db" --index "$work/$node.index" --port "$port" --node "$node" --no-demo --no-fetch \
    --no-model-fetch --no-digests >"$work/node-$node.log" 2>&1 &
  pids+=($!)
done
for port in "${ports[@]}"; do ready "$port"; done
front=$(free_port)
scripts/multinode/nginx-conf.sh "$work/nginx" "$front" "${ports[@]}"
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
sleep 0.5

python3 - "$data" "$work/queries.txt" <<'PY'
import gzip, json, random, sys, urllib.parse
random.seed(7)
words = []
with gzip.open(sys.argv[1], "rt") as lines:
    for number, line in enumerate(lines):
        if number % 31: continue
        words.append([w for w in json.loads(line)["title"].lower().split() if w.isalpha() and len(w) > 3])
with open(sys.argv[2], "w") as out:
    for _ in range(5000):
        title = random.choice([w for w in words if len(w) >= 3])
        out.write(urllib.parse.quote_plus(" ".join(random.sample(title, random.choice([2, 3])))) + "\n")
PY

report() { grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" | tr -s ' ' | tr '\n' ' '; echo; }
load() {
  local base=$1
  for path in "/" "/search?q=diffusion+models"; do
    printf '%-44s ' "$path"
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$base$path" | report
  done
  printf '%-44s ' "/api/papers/search (5,000 rotating queries)"
  QUERIES="$work/queries.txt" wrk -t2 -c"$connections" -d"${duration}s" --latency \
    -s scripts/bench/rotating-queries.lua "$base" | report
}
echo "== three nodes on PostgreSQL through nginx (wrk -t2 -c$connections -d${duration}s)"
load "http://127.0.0.1:$front"
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()

port=$(free_port)
"$binary" serve --database "$work/load.sqlite" --port "$port" --no-demo --no-fetch --no-model-fetch --no-digests \
  >"$work/sqlite.log" 2>&1 &
pids+=($!)
ready "$port"
echo "== one node on SQLite (wrk -t2 -c$connections -d${duration}s)"
load "http://127.0.0.1:$port"
