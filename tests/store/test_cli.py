"""``python -m store``: exit codes a scheduled task can rely on, reports in French by default."""

from __future__ import annotations

import getpass
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from store import SQLiteSnapshotStore, open_store_at
from store.__main__ import main
from tests.store.helpers import raw_execute

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEDULE = DATA / "planning_travaux.xlsx"
FINANCE = DATA / "suivi_financier.xlsx"


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
    assert "3 avertissements." in out

    code, out, _ = run(capsys, "import", str(FINANCE), "--db", str(db), "--by", "Karim")
    assert code == 3
    assert out.startswith("Identique à l'instantané n° 1 (« suivi_financier.xlsx »")
    assert "par Nadia" in out and "rien n'a été enregistré" in out
    assert [i.imported_by for i in open_store_at(db).list()] == ["Nadia"]


def test_a_rejected_file_exits_1_with_its_problems_and_stores_nothing(capsys, db, tmp_path):
    bad = tmp_path / "planning.csv"
    bad.write_text(
        "N°;Tâche;Début;Fin;% réalisé\r\nT1;Terrassement;02/03/2026;13/03/2026;140\r\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", str(bad), "--db", str(db), "--kind", "schedule")
    assert code == 1
    assert "Refusé : « planning.csv », 1 erreur. Rien n'a été enregistré." in out
    assert "Erreur" in out and "L2" in out and "140" in out
    assert open_store_at(db).is_empty()


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
    assert open_store_at(db).list()[0].imported_by == getpass.getuser()


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
    assert open_store_at(db).is_empty()


def test_an_unreadable_file_is_named_in_the_message(capsys, db, tmp_path):
    code, out, err = run(capsys, "import", str(tmp_path / "absent.xlsx"), "--db", str(db))
    assert code == 2 and out == ""
    assert err.startswith("Impossible de lire le fichier « ") and "absent.xlsx" in err


def test_a_database_that_cannot_be_used_exits_1_with_what_to_do(capsys, tmp_path):
    not_a_db = tmp_path / "notes.sqlite"
    not_a_db.write_bytes(b"these are not the droids" * 100)
    code, out, err = run(capsys, "list", "--db", str(not_a_db))
    assert (code, out) == (1, "")
    assert err == (
        f"Le fichier {not_a_db} n'est pas une base de l'historique des imports (ce n'est pas"
        " une base SQLite). Restaurez ce fichier depuis une sauvegarde, ou faites pointer la"
        " variable TRACKER_DB vers une autre base.\n"
    )
    code, _, err = run(capsys, "import", str(SCHEDULE), "--db", str(not_a_db), "--lang", "en")
    assert code == 1 and err.startswith(f"The file {not_a_db} is not an import-history database")
    assert "Traceback" not in err
    assert not_a_db.read_bytes() == b"these are not the droids" * 100
    code, _, err = run(capsys, "list", "--db", str(tmp_path))
    assert code == 1 and err.startswith(f"{tmp_path} est un dossier")


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
        "Historique initialisé avec l'échantillon : 15 instantanés enregistrés."
    )
    code, out, _ = run(capsys, "seed", "--db", str(db))
    assert code == 0 and out == "L'historique contient déjà 15 instantanés : rien n'a été ajouté.\n"
    assert len(open_store_at(db).list()) == 15


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


# --- files that are not files, limits of the settings, unexpected failures ---------------------


def test_a_folder_or_a_device_given_as_the_file_is_refused_without_reading_it(capsys, db, tmp_path):
    code, out, err = run(capsys, "import", str(tmp_path), "--db", str(db))
    assert (code, out) == (2, "")
    assert err == (
        f"Impossible de lire le fichier « {tmp_path} » : ce n'est pas un fichier ordinaire"
        " (un dossier, un tube ou un périphérique)\n"
    )
    endless = tmp_path / "zeros.xlsx"
    endless.symlink_to("/dev/zero")
    code, _, err = run(capsys, "import", str(endless), "--db", str(db), "--lang", "en")
    assert code == 2 and err.endswith("it is not a regular file (a folder, a pipe or a device)\n")
    code, _, err = run(capsys, "import", str(tmp_path / "absent.xlsx"), "--db", str(db))
    assert code == 2 and err.endswith("absent.xlsx » : fichier introuvable\n")
    assert open_store_at(db).is_empty()


def test_a_pipe_given_as_the_file_does_not_hang(db, tmp_path):
    fifo = tmp_path / "planning.xlsx"
    os.mkfifo(fifo)  # no writer: a plain open() would wait for ever
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACKER_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "store", "import", str(fifo), "--db", str(db), "--lang", "en"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def limited_settings(tmp_path: Path, max_upload_mb: str, max_rows: str) -> Path:
    text = (DATA / "project.toml").read_text(encoding="utf-8")
    text = text.replace("max_upload_mb = 20", f"max_upload_mb = {max_upload_mb}")
    text = text.replace("max_rows = 200_000", f"max_rows = {max_rows}")
    path = tmp_path / "project.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_settings_limits_reach_the_loaders(capsys, db, tmp_path, monkeypatch):
    import store.__main__ as cli

    monkeypatch.setenv("TRACKER_PROJECT", str(limited_settings(tmp_path, "5", "7")))
    seen, original = [], cli.import_bytes

    def spy(*args, **kwargs):
        seen.append(kwargs["limits"])
        return original(*args, **kwargs)

    monkeypatch.setattr(cli, "import_bytes", spy)
    run(capsys, "import", str(SCHEDULE), "--db", str(db), "--by", "N")
    assert [(limits.max_rows, limits.max_bytes) for limits in seen] == [(7, 5 * 1024 * 1024)]


def test_a_file_over_the_settings_size_limit_is_rejected_unread(capsys, db, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_PROJECT", str(limited_settings(tmp_path, "0.01", "200_000")))
    code, out, _ = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--json")
    report = json.loads(out)
    assert code == 1 and report["status"] == "rejected" and report["sha256"] is None
    assert [p["code"] for p in report["problems"]] == ["file_too_large"]
    assert open_store_at(db).is_empty()


def test_unreadable_settings_fall_back_to_the_default_limits_and_say_so(
    capsys, db, tmp_path, monkeypatch
):
    broken = tmp_path / "project.toml"
    broken.write_text("[budget]\nenvelope = -3\n", encoding="utf-8")
    monkeypatch.setenv("TRACKER_PROJECT", str(broken))
    code, out, err = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--by", "N")
    assert code == 0 and "instantané n° 1" in out
    assert err == (
        f"Les réglages {broken} ne peuvent pas être lus : les limites par défaut sont appliquées"
        " au fichier.\n"
    )


@pytest.fixture
def restored_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_an_unexpected_failure_is_one_translated_line_and_exit_1(
    capsys, db, monkeypatch, restored_logging
):
    import store.__main__ as cli

    def broken(*args, **kwargs):
        raise RuntimeError("a bug no test foresaw")

    monkeypatch.setattr(cli, "import_bytes", broken)
    code, out, err = run(capsys, "import", str(SCHEDULE), "--db", str(db))
    assert (code, out) == (1, "")
    assert err == (
        "Erreur inattendue (RuntimeError) : rien n'a été enregistré. Relancez la commande avec"
        " --debug pour le détail technique et transmettez-le à l'équipe technique.\n"
    )
    code, _, err = run(capsys, "import", str(SCHEDULE), "--db", str(db), "--debug", "--lang", "en")
    assert code == 1 and "Traceback" in err and "a bug no test foresaw" in err
    assert err.rstrip().endswith("send it to the technical team.")


def test_check_reads_every_snapshot_back_and_names_the_damaged_one(capsys, db):
    run(capsys, "import", str(SCHEDULE), "--db", str(db), "--by", "N")
    run(capsys, "import", str(FINANCE), "--db", str(db), "--by", "N")
    code, out, _ = run(capsys, "check", "--db", str(db))
    assert (code, out) == (0, "Base saine : 2 instantanés relus en entier.\n")
    raw_execute(db, "DELETE FROM snapshot_batches WHERE snapshot_id = 2 AND table_kind = 'budget'")
    code, out, _ = run(capsys, "check", "--db", str(db), "--lang", "en")
    lines = out.splitlines()
    assert code == 1 and lines[0] == "1 unreadable snapshot:"
    assert lines[1].startswith(
        "  Snapshot no. 2 (“suivi_financier.xlsx”, finance workbook) of the database"
    )
    assert "the table “budget lines” holds 0 rows instead of 22" in lines[1]


def test_seed_completes_a_history_whose_first_seed_was_interrupted(capsys, db):
    from store.seed import SEED_KEY

    store = open_store_at(db)
    store.set_meta(SEED_KEY, "started")  # killed before its first file
    code, out, _ = run(capsys, "seed", "--db", str(db))
    assert code == 0 and out.splitlines()[-1] == (
        "Historique initialisé avec l'échantillon : 15 instantanés enregistrés."
    )
    store.set_meta(SEED_KEY, "started")  # killed again, after all its files this time
    code, out, _ = run(capsys, "seed", "--db", str(db), "--lang", "en")
    assert (code, out) == (0, "History completed with the sample: 0 snapshots stored.\n")


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
def test_a_reader_that_stops_reading_gets_no_error_message(db, unbuffered):
    """``python -m store list | head -1``: the pipe closes before the list is written (at
    the first print, or when stdout's buffer is flushed)."""
    open_store_at(db)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": unbuffered}
    env.pop("TRACKER_DB", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "store", "list", "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before the child has even started Python
    err = process.stderr.read()
    assert process.wait(timeout=120) == 1
    assert err == b""
