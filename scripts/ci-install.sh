#!/usr/bin/env bash
# Idempotent setup of a fresh Debian machine for Keysmith's tests (no internet needed beyond
# Debian's mirrors and the npm registry):
#   1. apt: chromium (browser for the workbench) and libkrb5-dev (code-server's native build),
#      plus build tools if missing, and what the read-back test uses (python3-dotenv, dash, and
#      python3-django for Django's own check W009) — only packages that are not installed yet
#   2. npm ci (npm install if there is no lockfile)
#   3. the pre-commit framework (pip, in a venv under .tools/)
#   4. node test/host/provision.mjs under Node 24 (Node 24 with headers + code-server into .vscode-test/)
#   5. scripts/py-frameworks.sh: a Python venv in .vscode-test/pyenv with the pinned Django, Flask,
#      cryptography and PyJWT of the framework test layer (test/frameworks/requirements.txt)
# Usage: scripts/ci-install.sh            (re-running it is fast: everything is skipped when present)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[ci-install] %s\n' "$*"; }

need=()
for pkg in chromium libkrb5-dev make g++ python3 python3-dotenv python3-django dash; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then need+=("$pkg"); fi
done
# The framework layer needs a python3 that can make a venv (Debian splits venv out of python3).
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then need+=(python3-venv); fi
if ((${#need[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else log "need root (or sudo) to install: ${need[*]}"; exit 1; fi
  fi
  log "apt-get install ${need[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
else
  log "apt packages present (chromium, libkrb5-dev, make, g++, python3, python3-dotenv, python3-django, dash)"
fi

# @vscode/test-web (route B of the web tests) depends on @playwright/browser-chromium, whose install
# script would download a Chromium build: the tests use Debian's chromium, and offline it would fail.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f package-lock.json ]; then
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    log "node_modules is up to date with package-lock.json"
  else
    log "npm ci"
    npm ci --no-audit --no-fund
  fi
else
  log "no package-lock.json: npm install"
  npm install --no-audit --no-fund
fi

# The pre-commit framework, for test/unit/precommit.test.ts (a venv under the gitignored .tools/).
PRE_COMMIT=.tools/pre-commit/bin/pre-commit
if [ -x "$PRE_COMMIT" ]; then
  log "pre-commit present ($("$PRE_COMMIT" --version))"
else
  log "pip install pre-commit into .tools/pre-commit"
  rm -rf .tools/pre-commit
  python3 -m venv .tools/pre-commit
  .tools/pre-commit/bin/pip install -q --disable-pip-version-check --retries 0 --timeout 60 'pre-commit==4.6.2'
fi

NODE24=node_modules/node/bin/node
if [ ! -x "$NODE24" ]; then log "$NODE24 missing (devDependency \"node\": \"24.x\")"; exit 1; fi
log "provisioning the VS Code test host with $($NODE24 --version)"
"$NODE24" test/host/provision.mjs >/dev/null
bash scripts/py-frameworks.sh
log "done"
