"""How app.py's ``st.navigation`` stays in charge although the brief names the page folder
``pages/`` (which Streamlit takes for an old-style multipage app until a run calls
``st.navigation``).

The one mechanism: every page's URL is its script's stem (``/spending`` is
``pages/spending.py``; a test pins it), so in the old mode Streamlit still finds the script a
first visitor asks for, and that script's first call, ``require_app_navigation``, switches
the session to ``st.navigation`` mode and reruns it through app.py, sidebar included. No
launcher and no "Page not found" for a first visitor; AppTest (which resets the mode before
every run) goes the same way.
"""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st


class PageSpec(NamedTuple):
    script: str
    title_key: str
    icon: str
    url_path: str
    default: bool = False
    #: shown (and run) only for a reader who may administer (``ui.access.Access.can_admin``)
    admin_only: bool = False


#: the views, in menu order: add a line here and a script in pages/; a page's URL is its
#: script's stem (a test pins it)
PAGES = [
    PageSpec(
        "pages/briefing.py", "app.nav.briefing", ":material/summarize:", "briefing", default=True
    ),
    PageSpec("pages/planning.py", "app.nav.planning", ":material/view_timeline:", "planning"),
    PageSpec("pages/spending.py", "app.nav.spending", ":material/payments:", "spending"),
    PageSpec("pages/surfaces.py", "app.nav.surfaces", ":material/floor:", "surfaces"),
    PageSpec("pages/review.py", "app.nav.review", ":material/compare_arrows:", "review"),
    PageSpec("pages/registers.py", "app.nav.registers", ":material/gavel:", "registers"),
    PageSpec("pages/data.py", "app.nav.data", ":material/table_view:", "data"),
    PageSpec(
        "pages/admin.py",
        "app.nav.admin",
        ":material/admin_panel_settings:",
        "admin",
        admin_only=True,
    ),
]


def require_app_navigation() -> None:
    """In the old multipage mode, switch to ``st.navigation`` mode and rerun through app.py;
    otherwise do nothing. Relies on ``PagesManager.uses_pages_directory`` (Streamlit's own
    switch between the two modes; ``tests/pages/test_page_urls.py`` fails if it goes)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
