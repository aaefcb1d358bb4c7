#!/usr/bin/env bash
# Sets up everything the test suite needs on a fresh Debian machine, then runs lint and tests.
# Usage: ./scripts/run_tests.sh [pytest args…]
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: Debian's Chromium for the browser tests and the PDF note (Playwright drives
# it, no download), LibreOffice to prove the exported workbooks and decks open without repair.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
# LibreOffice opens a .pptx only with Impress (the deck's conversion test)
dpkg -s libreoffice-impress-nogui >/dev/null 2>&1 || missing+=(libreoffice-impress-nogui)
fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
# pdftotext / pdftoppm read the briefing note back; Noto has the Arabic glyphs of the ar documents
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic" || missing+=(fonts-noto-core)
# MPXJ reads planning-software files (.mpp, .xer…) on a Java runtime
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# the store's tests run on SQLite and on a throw-away PostgreSQL server they start themselves
# (tests/postgres.py: initdb + pg_ctl in a temporary folder, a Unix socket only, stopped at the end)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null 2>&1 \
  || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
# exact versions (requirements.lock, made by ./scripts/lock.sh from the ranges of requirements*.txt)
.venv/bin/python -m pip install -q -r requirements.lock

.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
