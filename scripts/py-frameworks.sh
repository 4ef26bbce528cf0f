#!/usr/bin/env bash
# The Python environment of the framework test layer (test/frameworks): a venv in
# .vscode-test/pyenv (gitignored) with the pinned packages of test/frameworks/requirements.txt
# (Django, Flask >= 3.1.1 / itsdangerous, pyca cryptography, PyJWT, python-dotenv).
# Idempotent: returns at once when the venv already matches the requirements file.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[py-frameworks] %s\n' "$*"; }
VENV=.vscode-test/pyenv
REQ=test/frameworks/requirements.txt
STAMP="$VENV/.requirements.txt"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP"; then
  log "venv up to date ($VENV)"
  exit 0
fi
PY=${KEYSMITH_PYTHON3:-python3}
if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "$PY cannot create a venv: install Debian's python3-venv (scripts/ci-install.sh does)"
  exit 1
fi
rm -rf "$VENV"
mkdir -p .vscode-test
log "creating $VENV with $("$PY" --version 2>&1)"
"$PY" -m venv "$VENV"
log "pip install -r $REQ"
if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --quiet --retries "${KEYSMITH_PIP_RETRIES:-2}" -r "$REQ" >"$VENV/install.log" 2>&1; then
  cat "$VENV/install.log" >&2
  log "pip install failed"
  exit 1
fi
cp "$REQ" "$STAMP"
log "done"
