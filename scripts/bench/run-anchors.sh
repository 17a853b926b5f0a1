#!/usr/bin/env bash
# Runs the search anchors (tantivy, SQLite FTS5) in a virtualenv made on first use.
# Usage: scripts/bench/run-anchors.sh DOCS.jsonl LONG.txt SHORT.txt WORKDIR [FTS5-SAMPLE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/../../.venv-bench"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tantivy" 2>/dev/null; then
  echo "bench: creating $venv with tantivy (PyPI)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "tantivy==0.27.0" >&2
fi
exec "$venv/bin/python" "$here/anchors.py" "$@"
