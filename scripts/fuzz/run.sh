#!/usr/bin/env bash
# Fuzzes Paperboy's parsers with libFuzzer (AddressSanitizer on): builds scripts/fuzz (the
# project's own sources, linked) into .build-fuzz, then runs each harness for SECONDS on a corpus
# that starts from Tests/PaperboyFuzzTests/Corpus/<harness> (kept in .build-fuzz/corpus between
# local runs), two at a time, each in libFuzzer's fork mode (a child process per job, so that a
# leak in Foundation's XML error path, about 1 KB per broken document, cannot add up to an
# out-of-memory over a long run). A crash stops with its input in test-artifacts/fuzz/ and exit 1.
# Usage: scripts/fuzz/run.sh SECONDS [HARNESS…]   (all harnesses when none is named)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:?usage: scripts/fuzz/run.sh SECONDS [HARNESS…]}
shift
root=$PWD
(cd scripts/fuzz && swift build --scratch-path "$root/.build-fuzz" -c debug -Xswiftc -sanitize=fuzzer,address 2>&1 \
  | grep -v "Cannot export local symbol" | grep -E "error|warning: unre|Compiling|Build complete" | tail -3)
binary=.build-fuzz/debug/PaperboyFuzz
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  mapfile -t harnesses < <(ls Tests/PaperboyFuzzTests/Corpus)
fi
rm -rf test-artifacts/fuzz
mkdir -p test-artifacts/fuzz
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run_one() {
  local harness=$1 corpus=.build-fuzz/corpus/$1
  mkdir -p "$corpus"
  cp -n Tests/PaperboyFuzzTests/Corpus/"$harness"/* "$corpus"/ 2>/dev/null || true
  PAPERBOY_FUZZ_TARGET=$harness ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" -fork=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="test-artifacts/fuzz/$harness-" >"$logs/$harness.log" 2>&1
}

failed=0
pids=()
names=()
for harness in "${harnesses[@]}"; do
  run_one "$harness" &
  pids+=($!)
  names+=("$harness")
  if [ ${#pids[@]} -ge 2 ]; then
    for index in "${!pids[@]}"; do
      wait "${pids[$index]}" || { failed=1; echo "fuzz: ${names[$index]} CRASHED:"; tail -40 "$logs/${names[$index]}.log"; }
    done
    pids=()
    names=()
  fi
done
for index in "${!pids[@]}"; do
  wait "${pids[$index]}" || { failed=1; echo "fuzz: ${names[$index]} CRASHED:"; tail -40 "$logs/${names[$index]}.log"; }
done
for harness in "${harnesses[@]}"; do
  runs=$(grep -o '^#[0-9]*:' "$logs/$harness.log" | tail -1 | tr -d '#:' || echo "?")
  corpus=$(ls .build-fuzz/corpus/"$harness" | wc -l)
  printf 'fuzz: %-12s %6ss  %9s runs  corpus %5s inputs\n' "$harness" "$seconds" "$runs" "$corpus"
done
found=$(find test-artifacts/fuzz -type f \( -name '*-crash-*' -o -name '*-timeout-*' -o -name '*-oom-*' \))
if [ -n "$found" ]; then
  echo "fuzz: inputs that broke a harness (replay: PAPERBOY_FUZZ_TARGET=NAME $binary FILE):"
  echo "$found"
  failed=1
fi
[ "$failed" = 0 ] && echo "fuzz: 0 crashes"
exit "$failed"
