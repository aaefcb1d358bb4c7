#!/usr/bin/env bash
# Sets up the Python environment and starts the dashboard on the bundled sample data (data/).
# Usage: ./scripts/run_app.sh [streamlit options…]   then open http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -r requirements.txt
exec .venv/bin/streamlit run app.py "$@"
