#!/usr/bin/env bash
# Kills an index writer with SIGKILL in the middle of its commits, several times, and checks that
# each reopened index holds exactly its last commit (replayed from scratch) and takes new commits.
# Usage: scripts/crash-test.sh PATH-TO-PAPERBOY [ROUNDS]
set -euo pipefail
binary=${1:?usage: crash-test.sh PATH-TO-PAPERBOY [ROUNDS]}
rounds=${2:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for round in $(seq 1 "$rounds"); do
  folder="$work/index-$round"
  "$binary" index torture --directory "$folder" --commits 100000 >"$work/out-$round" 2>&1 &
  writer=$!
  # Let it run a while (more each round), then kill it wherever it is.
  sleep "$(python3 -c "import random; random.seed($round); print(round(0.3 + random.random() * 0.2 * $round, 2))")"
  kill -KILL "$writer"
  wait "$writer" 2>/dev/null || true
  reported=$(grep -c '^committed' "$work/out-$round" || true)
  if [ "$reported" -lt 1 ]; then
    echo "crash: FAIL: round $round: the writer committed nothing before it was killed" >&2
    cat "$work/out-$round" >&2
    exit 1
  fi
  "$binary" index torture-check --directory "$folder" --reported "$reported" | sed "s/^/crash: round $round: /"
done
echo "crash: OK: $rounds writers killed mid-commit, each index reopened at its last commit exactly"
