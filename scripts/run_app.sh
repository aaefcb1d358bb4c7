#!/usr/bin/env bash
# Sets up the Python environment and starts the dashboard on the bundled sample data (data/).
# Usage: ./scripts/run_app.sh [streamlit options…]   then open http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."

# The briefing note (PDF) is printed by Debian's Chromium, with Noto's Arabic glyphs: installed
# when run as root; otherwise the app runs and says how to install them when a note is asked for.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic" || missing+=(fonts-noto-core)
# MPXJ reads planning-software files (.mpp, .xer…) on a Java runtime
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
# exact versions (requirements.lock, made by ./scripts/lock.sh from the ranges of requirements*.txt)
.venv/bin/python -m pip install -q -r requirements.lock
exec .venv/bin/streamlit run app.py "$@"
