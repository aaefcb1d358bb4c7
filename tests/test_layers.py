"""The flow runs one way (ARCHITECTURE.md): loaders → store → tracking → views → pages /
exports / charts. Only app.py, pages/ and ui/ import Streamlit; the store knows rows, not
figures; the domain knows nothing of how it is drawn."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: package -> the packages it must not import
FORBIDDEN = {
    "loaders": {"store", "tracking", "views", "charts", "exports", "ui", "pages", "streamlit"},
    "store": {"tracking", "views", "charts", "exports", "ui", "pages", "streamlit"},
    "tracking": {"views", "charts", "exports", "ui", "pages", "streamlit"},
    "views": {"charts", "exports", "ui", "pages", "streamlit", "xlsxwriter", "openpyxl"},
    "charts": {"exports", "ui", "pages", "streamlit"},
    "exports": {"ui", "pages", "streamlit"},
    "i18n": {"loaders", "store", "tracking", "views", "charts", "exports", "ui", "streamlit"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


#: a package's command line (``python -m tracking critical-path``) is an entry point at the end
#: of the flow, like app.py: it may write with exports (a safe CSV), never draw with Streamlit
ENTRY_FORBIDDEN = {"ui", "pages", "streamlit"}


def forbidden_for(package: str, path: Path) -> set[str]:
    return ENTRY_FORBIDDEN if path.name == "__main__.py" else FORBIDDEN[package]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_left_of_it(package):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & forbidden_for(package, path))
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_pages_folder_holds_page_scripts_only():
    assert not (ROOT / "pages" / "__init__.py").exists()
    helpers = {"shared.py", "domain.py", "export_button.py", "markdown_text.py"}
    assert helpers.isdisjoint(p.name for p in (ROOT / "pages").glob("*.py"))
