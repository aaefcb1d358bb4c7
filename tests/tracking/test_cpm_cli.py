"""``python -m tracking critical-path``: run as a real subprocess on a CSV schedule built in
``tmp_path``, February 2026 (Saturday and Sunday off; the settings' holidays are not in February):

    A "=SUM(1)" Mon 02 – Fri 06 · B FS A, 3 days: Mon 09 – Wed 11 · C SS A, 2 days, no successor:
    Mon 02 – Tue 03, free to finish by Wed 11, 6 days of float.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "tracking", "critical-path", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


@pytest.fixture
def schedule_csv(tmp_path: Path) -> Path:
    path = tmp_path / "planning.csv"
    path.write_text(
        "N°;Tâche;Lot;Début;Fin;Avancement;Prédécesseurs\n"
        "A;=SUM(1);Lot 1;02/02/2026;06/02/2026;0;\n"
        "B;Gros œuvre;Lot 1;09/02/2026;11/02/2026;0;A\n"
        "C;Études;Lot 1;02/02/2026;03/02/2026;0;ASS\n",
        encoding="utf-8",
    )
    return path


def test_the_table_in_csv_with_a_formula_neutralised(schedule_csv, tmp_path):
    out = tmp_path / "cpm.csv"
    done = run(schedule_csv, "--status-date", "02/02/2026", "--csv", out, "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "3 tasks, project finish 11/02/2026, status date 02/02/2026" in done.stdout
    assert "critical path: A, B" in done.stdout
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    by_id = {row["Id"]: row for row in rows}
    assert by_id["A"]["Name"] == "'=SUM(1)"  # Excel shows it as text, never runs it
    assert by_id["B"]["Early start"] == "09/02/2026" and by_id["B"]["Late finish"] == "11/02/2026"
    assert by_id["C"]["Total float (d)"] == "6" and by_id["C"]["Critical"] == "no"
    assert by_id["A"]["Critical"] == "yes"


def test_the_table_on_the_terminal_in_french(schedule_csv):
    done = run(schedule_csv, "--status-date", "2026-02-02")
    assert done.returncode == 0, done.stderr
    assert "Marge totale (j)" in done.stdout and "09/02/2026" in done.stdout


def test_bad_input_is_a_message_and_an_exit_code_never_a_traceback(schedule_csv, tmp_path):
    bad_date = run(schedule_csv, "--status-date", "31/02/2026", "--lang", "en")
    assert bad_date.returncode == 2 and "Unreadable status date" in bad_date.stderr
    missing = run(tmp_path / "nope.xer", "--lang", "en")
    assert missing.returncode == 1 and "File not found" in missing.stderr
    unwritable = run(schedule_csv, "--csv", tmp_path / "no" / "such" / "dir.csv", "--lang", "en")
    assert unwritable.returncode == 1 and "Cannot write" in unwritable.stderr
    for done in (bad_date, missing, unwritable):
        assert "Traceback" not in done.stderr
    usage = run()
    assert usage.returncode == 2
