"""Start the dashboard: ``python serve.py [streamlit options…]`` (what ./scripts/run_app.sh runs).

Streamlit takes a ``pages/`` folder beside the main script for an old-style multipage app
until the first session runs ``st.navigation``; a first visitor opening ``/depenses`` then
sees "Page not found" before app.py's navigation takes over. Starting the server from this
launcher tells Streamlit up front that app.py's ``st.navigation`` is in charge. ``streamlit
run app.py`` works too: each page then corrects the mode on its first run
(``ui.shared.require_app_navigation``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli


def main(argv: list[str]) -> int:
    PagesManager.uses_pages_directory = False
    app = Path(__file__).resolve().parent / "app.py"
    sys.argv = ["streamlit", "run", str(app), *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
