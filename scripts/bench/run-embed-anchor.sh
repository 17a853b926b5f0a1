#!/usr/bin/env bash
# Runs the embedding anchor (sentence-transformers on CPU) in a virtualenv made on first use
# (.venv-embed: torch from PyPI, several GB, a few minutes the first time).
# Usage: scripts/bench/run-embed-anchor.sh MODEL_DIR TEXTS.json
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/../../.venv-embed"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import sentence_transformers" 2>/dev/null; then
  echo "bench: creating $venv with sentence-transformers and torch (PyPI; several GB)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q sentence-transformers >&2
fi
exec "$venv/bin/python" "$here/embed_anchor.py" "$@"
