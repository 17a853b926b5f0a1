#!/usr/bin/env bash
# Runs schemathesis (from PyPI, in a virtualenv under .build/) against /openapi.json of a live
# `paperboy serve`, with an API token made through the site's own forms, so the authenticated
# writes are exercised too. Every check runs except ensure_resource_availability: its stateful
# step adds random (unknown) paper ids to a collection it just made and reads the correct 404
# "no paper with id …" as the collection having vanished; and for the search operation (a run of
# its own) positive_data_acceptance is off too: the query is a language (phrases, fields…), so text
# the schema allows can still be a malformed query, which the API answers 400 with where it is
# wrong ("unclosed quote at column 2"), as the search issue asks. Hypothesis's too_slow health check (data
# generation, not the API) is off: on a busy 2-core machine it fires at random. Fails on any failed
# check. The members' posting limit is off (`--posts-per-minute 0`): schemathesis posts hundreds of
# comments a minute as one member, and its positive-data check would read the 429s as valid data
# refused; APIWriteTests covers the limit.
# Usage: scripts/api-test.sh PATH-TO-PAPERBOY
set -euo pipefail
source "$(dirname "$0")/lib/mailed-link.sh"
cd "$(dirname "$0")/.."

binary=${1:?usage: api-test.sh PATH-TO-PAPERBOY}
venv=.build/venv-schemathesis
if [ ! -x "$venv/bin/st" ]; then
  echo "installing schemathesis into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.*"
fi

work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "api-test: FAIL: $*" >&2; [ -f "$work/serve.log" ] && tail -20 "$work/serve.log" | sed 's/^/  serve: /' >&2; exit 1; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --database "$work/paperboy.sqlite" --port "$port" --no-fetch --posts-per-minute 0 >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 150); do
  curl -fsS "$base/health" 2>/dev/null | grep -q '"index":"ready"' && break
  kill -0 "$server" 2>/dev/null || fail "paperboy serve exited"
  sleep 0.2
done

# A member and an API token, through the site's forms.
jar="$work/cookies"
csrf=$(curl -fsS -c "$jar" "$base/signup" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=Schemathesis" \
  --data-urlencode "email=st@example.org" --data-urlencode "password=a long password" "$base/signup"
# No SMTP server: the sign-up link is in the log.
link=$(mailed_link "$work/serve.log" "/signup/confirm?token=")
[ -n "$link" ] || fail "no sign-up link in the log"
curl -fsS -o /dev/null -b "$jar" -c "$jar" "$link"
token=$(curl -fsS -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "name=schemathesis" "$base/account/tokens" \
  | grep -o '<code class="token">[^<]*' | sed 's/.*>//')
[ -n "$token" ] || fail "no API token from the account page"

schemathesis() {
  "$venv/bin/st" run "$base/openapi.json" --url "$base" \
    --header "Authorization: Bearer $token" \
    --checks all --exclude-checks "$1" \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-60}" --seed "${SCHEMATHESIS_SEED:-1}" --no-color \
    --suppress-health-check too_slow "${@:2}" \
    || fail "schemathesis found failures (above)"
}
schemathesis ensure_resource_availability --exclude-path /api/papers/search
schemathesis ensure_resource_availability,positive_data_acceptance --include-path /api/papers/search
echo "api-test: schemathesis passed against $base/openapi.json"
