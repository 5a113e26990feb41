#!/usr/bin/env bash
# Install everything coursegen needs on a fresh Debian machine: the Python environment (.venv) and,
# for "test", the Debian tools the test suite drives for real (Chromium, poppler, zbar, PostgreSQL).
# Usage: scripts/setup.sh run   |   scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "$mode" = test ]; then
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdffonts >/dev/null || need+=(poppler-utils)
  command -v zbarimg >/dev/null || need+=(zbar-tools)
  command -v gs >/dev/null || need+=(ghostscript)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  fc-list 2>/dev/null | grep -qi "DejaVu" || need+=(fonts-dejavu-core)
  command -v npm >/dev/null || need+=(npm)
  if [ "${#need[@]}" -gt 0 ]; then
    echo "Cài gói Debian: ${need[*]}" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # PostgreSQL refuses to run as root: the coverage tests start their throw-away server as this user.
  if [ "$(id -u)" = 0 ] && ! id coursegen-pg >/dev/null 2>&1; then
    useradd -r -M -s /usr/sbin/nologin coursegen-pg
  fi
fi

# axe-core for the accessibility tests (run in the real Chromium), into a project folder, not globally.
if [ "$mode" = test ] && [ ! -f .tools/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --prefix .tools axe-core@4 >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>/dev/null || true
if [ "$mode" = test ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,postgres]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
