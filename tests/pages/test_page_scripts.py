"""Page scripts stay thin (widgets, layout, calls into ``views``): under 150 lines each, and no
function reads a module variable assigned further down the script (it would work only as
long as nobody calls it earlier)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "pages").glob("*.py"))
MAX_LINES = 150


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_page_script_is_short(script):
    lines = len(script.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{script.name}: {lines} lines"


def _assigned_at(tree: ast.Module) -> dict[str, int]:
    """Module-level names and the line of their first assignment (imports and defs count)."""
    first: dict[str, int] = {}
    for node in tree.body:
        targets: list[str] = []
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            nodes = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in nodes:
                targets += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            targets.append(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            targets += [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, ast.For | ast.With):
            holders = (
                [node.target]
                if isinstance(node, ast.For)
                else [item.optional_vars for item in node.items if item.optional_vars is not None]
            )
            for holder in holders:
                targets += [n.id for n in ast.walk(holder) if isinstance(n, ast.Name)]
        for name in targets:
            first.setdefault(name, node.lineno)
    return first


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_function_reads_a_later_global(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    assigned = _assigned_at(tree)
    late = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        local = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
        local |= {
            n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        for name in ast.walk(node):
            if (
                isinstance(name, ast.Name)
                and isinstance(name.ctx, ast.Load)
                and name.id not in local
                and assigned.get(name.id, 0) > node.lineno
            ):
                late.append(f"{node.name} reads {name.id} (line {assigned[name.id]})")
    assert late == []
