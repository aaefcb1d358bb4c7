"""``python -m exports briefing`` for a scheduled task: the note (PDF) from the store, the
same store resolution, messages and exit codes as ``python -m exports workbook``; written
whole or not at all."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from loaders import load_project
from store.current import open_seeded_store, weekly_situations

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "exports", "briefing", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_the_note_from_an_empty_store_is_the_seeded_sample(tmp_path):
    out = tmp_path / "note.pdf"
    result = run("--format", "pdf", "--out", str(out), db=tmp_path / "store.sqlite")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(rf"Note écrite : {re.escape(str(out))} \(\d+ Ko\)\.\n", result.stdout)
    assert pages(out) == 3  # the briefing, then the sample's COPIL registers
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True)
    assert "18/01/2027" in text.stdout and "planning_travaux.xlsx (935594fe)" in text.stdout


def test_the_arabic_note_and_its_message(tmp_path):
    out = tmp_path / "note-ar.pdf"
    result = run("--format", "pdf", "--lang", "ar", "--out", str(out), db=tmp_path / "s.sqlite")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"كُتبت المذكرة: {out} (")
    assert pages(out) == 3


def test_the_deck_draws_the_milestone_trend_over_every_week_of_the_store(tmp_path):
    """The same deck as the app's: seven slides, and the schedule's trend has one point per
    weekly situation of the store (the earlier ones are handed to the deck as its history)."""
    db = tmp_path / "store.sqlite"
    weeks = weekly_situations(open_seeded_store(load_project(ROOT / "data" / "project.toml"), db))
    out = tmp_path / "deck.pptx"
    result = run("--format", "pptx", "--out", str(out), "--db", str(db), db=tmp_path / "e.db")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Présentation écrite : {out} (")
    deck = Presentation(str(out))
    assert len(deck.slides) == 7
    lines = [
        shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart and shape.chart.chart_type == XL_CHART_TYPE.LINE
    ]
    assert len(lines) == 1 and len(weeks) > 1
    assert len(lines[0].plots[0].categories) == len(weeks)


def test_usage_errors_exit_2(tmp_path):
    db = tmp_path / "s.sqlite"
    assert run("--out", str(tmp_path / "n.pdf"), db=db).returncode == 2  # no --format
    assert run("--format", "docx", "--out", str(tmp_path / "n.docx"), db=db).returncode == 2
    assert (
        run("--format", "pdf", "--lang", "de", "--out", str(tmp_path / "n.pdf"), db=db).returncode
        == 2
    )
    assert not db.exists()


def test_a_missing_db_is_a_message_not_a_fresh_sample(tmp_path):
    out, absent = tmp_path / "note.pdf", tmp_path / "typo.sqlite"
    result = run("--format", "pdf", "--out", str(out), "--db", str(absent), db=tmp_path / "e.db")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Aucune base de l'historique à {absent} : vérifiez le chemin donné à --db.\n"
    )
    assert not absent.exists() and not out.exists()


def test_a_corrupt_db_is_a_message_and_the_old_note_stays(tmp_path):
    damaged = tmp_path / "history.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 30)  # a header cut short
    out = tmp_path / "note.pdf"
    out.write_bytes(b"last week's note")
    result = run(
        "--format", "pdf", "--out", str(out), "--db", str(damaged), "--lang", "en", db=damaged
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"The file {damaged} is not an import-history database")
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"last week's note"
    assert {p.name for p in tmp_path.iterdir()} == {"history.sqlite", "note.pdf"}


def test_an_output_that_cannot_be_written_is_a_message(tmp_path):
    blocker = tmp_path / "rapport"
    blocker.write_text("a file where the folder should be")
    out = blocker / "note.pdf"
    result = run("--format", "pdf", "--out", str(out), db=tmp_path / "store.sqlite")
    assert result.returncode == 1
    assert result.stderr == (
        f"Impossible d'écrire le fichier {out} : vérifiez que son dossier existe et qu'il est"
        " accessible en écriture.\n"
    )
