"""The one mechanism that keeps app.py's ``st.navigation`` in charge with the brief's
``pages/`` folder (``ui.navigation``): pinned here so that a Streamlit upgrade or a renamed
page fails a test instead of showing "Page not found" to a first visitor."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager

from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_still_has_the_switch_between_its_two_multipage_modes():
    assert hasattr(PagesManager, "uses_pages_directory")


def test_every_page_url_is_its_script_stem():
    """In the old mode Streamlit finds ``pages/<stem>.py`` by its stem: the URL must match."""
    for spec in PAGES:
        assert spec.url_path == Path(spec.script).stem, spec


def test_pages_folder_holds_only_the_menu_pages_and_each_calls_the_switch_first():
    scripts = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    assert scripts == sorted(Path(spec.script).name for spec in PAGES)
    for name in scripts:
        tree = ast.parse((ROOT / "pages" / name).read_text(encoding="utf-8"))
        calls = [
            node.value.func.id
            for node in tree.body
            if isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
        ]
        assert calls and calls[0] == "require_app_navigation", name
