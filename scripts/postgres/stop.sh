#!/usr/bin/env bash
# Stops the server scripts/postgres/start.sh started in DIR and removes DIR.
#   usage: scripts/postgres/stop.sh DIR
set -uo pipefail
dir="${1:?usage: stop.sh DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  else
    "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  fi
fi
rm -rf "$dir"
