"""``python -m store``: exit codes a scheduled task can rely on, reports in French by default."""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import SQLiteSnapshotStore
from store.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
FINANCE = DATA / "suivi_financier.xlsx"


@pytest.fixture(autouse=True)
def _no_db_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.delenv("TRACKER_PROJECT", raising=False)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "history.sqlite"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_stores_then_recognises_the_same_file(capsys, db):
    code, out, _ = run(capsys, "import", str(FINANCE), "--db", str(db), "--by", "Nadia")
    assert code == 0
    assert "Enregistré : « suivi_financier.xlsx » (suivi financier), instantané n° 1" in out
    assert "situation au 20/11/2026" in out
    assert "décomptes / paiements : 78 lignes" in out
    assert "3 avertissement(s)." in out

    code, out, _ = run(capsys, "import", str(FINANCE), "--db", str(db), "--by", "Karim")
    assert code == 3
    assert out.startswith("Identique à l'instantané n° 1 (« suivi_financier.xlsx »")
    assert "par Nadia" in out and "rien n'a été enregistré" in out
    assert [i.imported_by for i in SQLiteSnapshotStore(db).list()] == ["Nadia"]


def test_a_rejected_file_exits_1_with_its_problems_and_stores_nothing(capsys, db, tmp_path):
    bad = tmp_path / "planning.csv"
    bad.write_text(
        "N°;Tâche;Début;Fin;% réalisé\r\nT1;Terrassement;02/03/2026;13/03/2026;140\r\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(bad), "--db", str(db), "--kind", "schedule")
    assert code == 1
    assert "Refusé : « planning.csv », 1 erreur(s). Rien n'a été enregistré." in out
    assert "Erreur" in out and "L2" in out and "140" in out
    assert SQLiteSnapshotStore(db).is_empty()


def test_import_json_report(capsys, db):
    code, out, _ = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--json", "--by", "N")
    report = json.loads(out)
    assert code == 0
    assert report["status"] == "stored" and report["kind"] == "schedule"
    assert report["snapshot_id"] == 1 and report["duplicate_of"] is None
    assert report["status_date"] == "2026-11-20" and report["rows"] == {"schedule": 69}
    code, out, _ = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--json", "--by", "N")
    report = json.loads(out)
    assert code == 3 and report["status"] == "duplicate" and report["duplicate_of"] == 1


def test_the_importer_defaults_to_the_login_name(capsys, db):
    assert run(capsys, "import", str(SCHEDULE), "--db", str(db))[0] == 0
    assert SQLiteSnapshotStore(db).list()[0].imported_by == getpass.getuser()


def test_list_newest_first_as_text_and_json(capsys, db):
    run(capsys, "import", str(SCHEDULE), "--db", str(db), "--by", "Nadia")
    run(capsys, "import", str(FINANCE), "--db", str(db), "--by", "Karim")
    code, out, _ = run(capsys, "list", "--db", str(db))
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].split() == [
        "N°",
        "Type",
        "Situation",
        "Importé",
        "le",
        "Par",
        "Lignes",
        "Fichier",
    ]
    assert lines[1].split()[:4] == ["2", "suivi", "financier", "20/11/2026"]
    assert lines[1].split()[-3:] == ["Karim", "122", "suivi_financier.xlsx"]
    assert lines[2].split()[:2] == ["1", "planning"]

    code, out, _ = run(capsys, "list", "--db", str(db), "--json")
    listed = json.loads(out)
    assert code == 0 and [s["id"] for s in listed] == [2, 1]
    assert listed[0]["tables"] == {"budget": 22, "contracts": 22, "spending": 78}
    assert listed[1]["kind"] == "schedule" and listed[1]["row_count"] == 69
    assert listed[1]["status_date"] == "2026-11-20" and listed[1]["imported_by"] == "Nadia"

    code, out, _ = run(capsys, "list", "--db", str(db), "--json", "--kind", "schedule")
    assert [s["id"] for s in json.loads(out)] == [1]


def test_list_of_an_empty_store_and_in_english(capsys, db):
    assert run(capsys, "list", "--db", str(db)) == (0, "Aucun instantané enregistré.\n", "")
    assert run(capsys, "list", "--db", str(db), "--lang", "en")[1] == "No snapshot stored.\n"
    code, out, _ = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--lang", "en")
    assert code == 0 and out.startswith(
        "Stored: “planning_travaux.xlsx” (schedule), snapshot no. 1"
    )


def test_usage_errors_exit_2(capsys, db, tmp_path):
    assert run(capsys, "import", str(tmp_path / "absent.xlsx"), "--db", str(db))[0] == 2
    assert run(capsys, "import", str(SCHEDULE), "--kind", "spending", "--db", str(db))[0] == 2
    assert run(capsys, "export")[0] == 2
    assert run(capsys)[0] == 2
    assert SQLiteSnapshotStore(db).is_empty()


def test_an_unreadable_file_is_named_in_the_message(capsys, db, tmp_path):
    code, out, err = run(capsys, "import", str(tmp_path / "absent.xlsx"), "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith("Impossible de lire le fichier « ") and "absent.xlsx" in err


def test_a_database_that_cannot_be_used_exits_4(capsys, tmp_path):
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_bytes(b"these are not the droids" * 100)
    code, out, err = run(capsys, "list", "--db", str(not_a_db))
    assert code == 4 and "La base de l'historique" in err and "notes.sqlite" in err


def test_db_option_beats_the_environment(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "env.sqlite"))
    assert run(capsys, "import", str(SCHEDULE), "--by", "N")[0] == 0
    assert (
        run(capsys, "import", str(FINANCE), "--by", "N", "--db", str(tmp_path / "o.sqlite"))[0] == 0
    )
    assert [i.kind for i in SQLiteSnapshotStore(tmp_path / "env.sqlite").list()] == ["schedule"]
    assert [i.kind for i in SQLiteSnapshotStore(tmp_path / "o.sqlite").list()] == ["finance"]


def test_seed_fills_an_empty_store_once(capsys, db):
    code, out, _ = run(capsys, "seed", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0] == (
        "Enregistré : « planning_travaux.xlsx » (planning), instantané n° 1, "
        "situation au 16/10/2026."
    )
    assert out.splitlines()[-1] == (
        "Historique initialisé avec l'échantillon : 13 instantané(s) enregistré(s)."
    )
    code, out, _ = run(capsys, "seed", "--db", str(db))
    assert (
        code == 0 and out == "L'historique contient déjà 13 instantané(s) : rien n'a été ajouté.\n"
    )
    assert len(SQLiteSnapshotStore(db).list()) == 13


def test_the_module_runs_as_a_command_with_real_exit_codes(db):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACKER_DB", None)
    command = [sys.executable, "-m", "store", "import", str(SCHEDULE), "--db", str(db)]
    first = subprocess.run([*command, "--by", "cron"], cwd=ROOT, env=env, capture_output=True)
    again = subprocess.run([*command, "--by", "cron"], cwd=ROOT, env=env, capture_output=True)
    listed = subprocess.run(
        [sys.executable, "-m", "store", "list", "--json", "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert (first.returncode, again.returncode, listed.returncode) == (0, 3, 0)
    assert "instantané n° 1" in first.stdout.decode()
    assert [(s["id"], s["imported_by"]) for s in json.loads(listed.stdout)] == [(1, "cron")]
