"""``python -m exports workbook`` for a scheduled task: from the store, seeded when empty; the
store ``--db`` names, exactly; a missing or damaged store, or an output that cannot be written,
is a message and exit 1, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from loaders import load_project
from store.current import current_tables, open_seeded_store

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


def sources_text(path: Path) -> str:
    sheet = openpyxl.load_workbook(path)["Sources"]
    return " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)


def test_db_option_is_the_store_used_whatever_tracker_db_says(tmp_path):
    """X holds the sample with the 20/11 finance workbook withdrawn: the workbook is built
    from X (the 13/11 workbook in use), and the store TRACKER_DB names is not even created."""
    settings = load_project(ROOT / "data" / "project.toml")
    chosen = tmp_path / "chosen.sqlite"
    store = open_seeded_store(settings, chosen)
    finance = sorted(info.id for info in store.list("finance"))
    withdrawn = store.withdraw(finance[-1], "Karim", "version non validée")
    in_use = current_tables(store).snapshots["finance"]
    assert (withdrawn.kind, in_use.id) == ("finance", finance[-2])
    out = tmp_path / "synthese.xlsx"
    elsewhere = tmp_path / "elsewhere.sqlite"
    result = run("workbook", "--out", str(out), "--db", str(chosen), db=elsewhere)
    assert result.returncode == 0, result.stderr
    text = sources_text(out)
    assert in_use.sha256[:12] in text and withdrawn.sha256[:12] not in text
    assert not elsewhere.exists()


def test_a_missing_db_is_a_message_not_a_fresh_sample(tmp_path):
    out, absent = tmp_path / "synthese.xlsx", tmp_path / "typo.sqlite"
    result = run("workbook", "--out", str(out), "--db", str(absent), db=tmp_path / "env.sqlite")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Aucune base de l'historique à {absent} : vérifiez le chemin donné à --db.\n"
    )
    assert not absent.exists() and not out.exists()


def test_a_corrupt_db_is_a_message_in_the_readers_language(tmp_path):
    damaged = tmp_path / "history.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 30)  # a header cut short
    out = tmp_path / "summary.xlsx"
    result = run("workbook", "--out", str(out), "--db", str(damaged), "--lang", "en", db=damaged)
    assert result.returncode == 1 and not out.exists()
    assert result.stderr.startswith(f"The file {damaged} is not an import-history database")
    assert "Traceback" not in result.stderr
    french = run("workbook", "--out", str(out), db=damaged)
    assert french.returncode == 1
    assert "Restaurez ce fichier depuis une sauvegarde" in french.stderr


def test_an_output_that_cannot_be_written_is_a_message(tmp_path):
    blocker = tmp_path / "rapport"
    blocker.write_text("a file where the folder should be")
    out = blocker / "synthese.xlsx"
    result = run("workbook", "--out", str(out), db=tmp_path / "store.sqlite")
    assert result.returncode == 1
    assert result.stderr == (
        f"Impossible d'écrire le fichier {out} : vérifiez que son dossier existe et qu'il est"
        " accessible en écriture.\n"
    )
    assert blocker.read_text() == "a file where the folder should be"
