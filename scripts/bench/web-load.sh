#!/usr/bin/env bash
# Load test of the web site with wrk: ingests ../shared/data/arxiv/papers-156k.jsonl.gz into a
# fresh database, serves it with the release build, and runs wrk (Debian) against the daily page,
# the search page and the search API, printing requests/s, latency percentiles and errors.
# Usage: scripts/bench/web-load.sh [SECONDS] [CONNECTIONS] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${1:-60}
connections=${2:-64}
threads=${3:-2}
data=../shared/data/arxiv/papers-156k.jsonl.gz
[ -f "$data" ] || { echo "web-load: skipped: $data is absent"; exit 0; }
command -v wrk >/dev/null || scripts/setup-system.sh

swift build -c release --product paperboy
binary="$(swift build -c release --show-bin-path)/paperboy"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$binary" ingest --database "$work/load.sqlite" "$data" | tail -2
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Keyword only (an empty models folder, no fetching): embedding 156k papers in the background
# would take the cores the figures are about.
mkdir -p "$work/models"
PAPERBOY_MODELS="$work/models" "$binary" serve --database "$work/load.sqlite" --port "$port" --no-demo --no-fetch \
  --no-model-fetch >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 900); do
  curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"index":"ready"' && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health"; echo

report() { grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx|Socket errors"; }
for path in "/" "/categories/cs.LG" "/search?q=diffusion+models" "/api/papers/search?q=diffusion+models&limit=20"; do
  echo "== wrk -t$threads -c$connections -d${duration}s http://127.0.0.1:$port$path"
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port$path" | report
done
# The daily page rendered for every request: a session cookie (here one that names no session)
# keeps a request out of the anonymous page cache.
echo "== wrk -t$threads -c$connections -d${duration}s http://127.0.0.1:$port/ with a session cookie (uncached)"
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H "Cookie: pb_session=none" "http://127.0.0.1:$port/" | report
# The same search API with 5,000 different 2–3 word queries (words of real titles) in turn: no
# answer comes from the micro-cache.
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
echo "== wrk -t$threads -c$connections -d${duration}s /api/papers/search with 5,000 rotating queries (uncached)"
QUERIES="$work/queries.txt" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency \
  -s scripts/bench/rotating-queries.lua "http://127.0.0.1:$port" | report
