"""``python -m exports workbook`` for a scheduled task: from the store, seeded when empty."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "exports", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_workbook_from_an_empty_store_is_written_from_the_seeded_sample(tmp_path):
    out = tmp_path / "synthese.xlsx"
    result = run("workbook", "--out", str(out), db=tmp_path / "store.sqlite")
    assert result.returncode == 0, result.stderr
    assert "Classeur écrit" in result.stdout
    summary = openpyxl.load_workbook(out)["Synthèse"]
    values = {
        summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, summary.max_row + 1)
    }
    assert values["Délais"] == "Rouge"
    assert values["Fin prévisionnelle"] == dt.datetime(2027, 1, 18)
    sources = openpyxl.load_workbook(out)["Sources"]
    names = [sources.cell(r, 2).value for r in range(1, sources.max_row + 1)]
    assert "planning_travaux.xlsx" in names


def test_english_and_usage_error(tmp_path):
    out = tmp_path / "summary.xlsx"
    assert (
        run("workbook", "--out", str(out), "--lang", "en", db=tmp_path / "s.sqlite").returncode == 0
    )
    assert openpyxl.load_workbook(out).sheetnames[0] == "Summary"
    assert run("workbook", db=tmp_path / "s.sqlite").returncode == 2
