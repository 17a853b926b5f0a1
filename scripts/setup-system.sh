#!/usr/bin/env bash
# Installs the Debian packages Paperboy builds and tests against, when they are missing: SQLite and
# zlib headers (the SQLite store and gzip reading), libxml2 (XML feeds), OpenBLAS (the embedding
# model's matrix products), python3-venv (schemathesis
# and Selenium run from virtualenvs), Chromium and its driver (the browser tests), wrk (load),
# PostgreSQL (the second backend's tests start a throwaway server) and nginx (the several-node test
# puts it in front of three nodes; the package's own server is not started).
# Safe to run again.
set -euo pipefail

needed=(libsqlite3-dev zlib1g-dev libxml2 libopenblas-dev python3-venv chromium chromium-driver wrk postgresql nginx)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
# Packages must not start their own servers (nginx on port 80, a PostgreSQL cluster): the tests run
# their own on free ports.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ] && [ -w /usr/sbin ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
else
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
fi
