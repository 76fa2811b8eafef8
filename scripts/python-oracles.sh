#!/usr/bin/env bash
# The Python programs the tests ask for a second opinion, in a venv of the project's own:
# sentry-relay (Sentry's own event normalizer, Rust compiled for Python). Idempotent: a venv
# that already has it is left alone. Usage: scripts/python-oracles.sh [VENV_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.build/python-oracles}"
if "$venv/bin/python" -c "import sentry_relay" >/dev/null 2>&1; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "sentry-relay==0.10.1"
"$venv/bin/python" -c "import sentry_relay"
