"""``python -m loaders check``, run as a real subprocess on files built in ``tmp_path``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from i18n import translate

REPO = Path(__file__).resolve().parents[2]


def run_check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "loaders", "check", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def schedule_xlsx(tmp_path: Path, name: str, bad_start: str | None = None) -> Path:
    """Sheet "Planning": a title in row 1, a blank row 2, the header in row 3, 4 tasks in rows
    4-7. ``bad_start`` replaces the start date of the task in row 6 (third task)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Planning"
    sheet.append(["Planning des travaux - Technopark"])
    sheet.append([])
    sheet.append(["N°", "Lot", "Tâche", "Date de début", "Fin prévue", "% réalisé"])
    tasks = [
        ("T1", "Gros œuvre", "Terrassements", dt.datetime(2026, 1, 5), dt.datetime(2026, 2, 27), 1),
        ("T2", "Gros œuvre", "Fondations", dt.datetime(2026, 3, 2), dt.datetime(2026, 4, 30), 0.5),
        ("T3", "Gros œuvre", "Élévation", dt.datetime(2026, 5, 4), dt.datetime(2026, 9, 30), 0),
        ("T4", "CVC", "Ventilation", dt.datetime(2026, 10, 1), dt.datetime(2026, 12, 18), 0),
    ]
    for row in tasks:
        sheet.append(list(row))
    if bad_start is not None:
        sheet["D6"] = bad_start
    for row in sheet.iter_rows(min_row=4, min_col=4, max_col=5):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy"
    for row in sheet.iter_rows(min_row=4, min_col=6, max_col=6):
        row[0].number_format = "0%"
    path = tmp_path / name
    workbook.save(path)
    return path


def spending_csv(tmp_path: Path) -> Path:
    """A French semicolon CSV ledger (3 payments), as French Excel saves it."""
    path = tmp_path / "decomptes.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["N° décompte", "Titulaire", "Date d'émission", "Montant TTC (DH)"])
        writer.writerow(["D1", "Sotrac SARL", "15/01/2026", "1 250 000,00"])
        writer.writerow(["D2", "Sotrac SARL", "16/02/2026", "980 500,50"])
        writer.writerow(["D3", "Atlas Élec", "17/03/2026", "312 000,00"])
    return path


def test_good_schedule_exits_0_and_names_the_sheet_and_the_row_count(tmp_path):
    path = schedule_xlsx(tmp_path, "planning.xlsx")
    result = run_check(path, "--kind", "schedule")
    assert result.returncode == 0, result.stdout + result.stderr
    first_line = result.stdout.splitlines()[0]
    expected = translate(
        "cli.loaded",
        "fr",
        file="planning.xlsx",
        kind=translate("kind.schedule", "fr"),
        sheet="Planning",
        header_row=3,
        rows=4,
    )
    assert first_line == expected
    assert "Planning" in first_line and "4 lignes" in first_line
    assert translate("severity.error", "fr") not in result.stdout


def test_bad_date_exits_1_with_its_row_and_the_files_own_header(tmp_path):
    path = schedule_xlsx(tmp_path, "planning.xlsx", bad_start="31/02/2026")
    result = run_check(path, "--kind", "planning")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "31/02/2026" in line]
    assert len(lines) == 1, result.stdout
    assert "L6" in lines[0]
    assert "Ligne 6" in lines[0]
    assert "« Date de début »" in lines[0]  # the header as written in the file
    assert lines[0].lstrip().startswith(translate("severity.error", "fr"))
    assert result.stdout.splitlines()[0] == translate(
        "cli.rejected", "fr", file=str(path), errors=1
    )


def test_json_report_lists_problems_with_row_and_column(tmp_path):
    path = schedule_xlsx(tmp_path, "planning.xlsx", bad_start="31/02/2026")
    result = run_check(path, "--kind", "schedule", "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["kind"] == "schedule"
    assert report["rows"] == 0
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert len(errors) == 1
    (error,) = errors
    assert error["code"] == "bad_date"
    assert error["row"] == 6
    assert error["column"] == "Date de début"
    assert error["value"] == "31/02/2026"
    assert error["sheet"] == "Planning"
    assert error["file"] == "planning.xlsx"


def test_json_report_of_a_good_file(tmp_path):
    path = schedule_xlsx(tmp_path, "planning.xlsx")
    result = run_check(path, "--kind", "schedule", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert (report["rows"], report["sheet"], report["header_row"]) == (4, "Planning", 3)
    assert all(p["severity"] == "warning" for p in report["problems"])


def test_lang_en_prints_english_messages(tmp_path):
    path = schedule_xlsx(tmp_path, "planning.xlsx", bad_start="31/02/2026")
    result = run_check(path, "--kind", "schedule", "--lang", "en")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == f"{path}: rejected, 1 error."
    assert (
        'Row 6, column "Date de début": unreadable date "31/02/2026" '
        "(expected dd/mm/yyyy or an Excel date)." in result.stdout
    )
    assert "Error" in result.stdout
    assert "illisible" not in result.stdout and "Erreur" not in result.stdout


def test_kind_is_detected_without_kind_on_a_spending_file(tmp_path):
    path = spending_csv(tmp_path)
    report = json.loads(run_check(path, "--json").stdout)
    assert report["kind"] == "spending"
    assert report["ok"] is True
    assert report["rows"] == 3
    assert report["header_row"] == 1

    result = run_check(path, "--lang", "en")
    assert result.returncode == 0, result.stdout + result.stderr
    first_line = result.stdout.splitlines()[0]
    assert first_line == (
        'decomptes.csv: payments ledger loaded, sheet "decomptes", header on row 1, 3 rows.'
    )


def test_unknown_kind_exits_1(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Couleur;Poids\nrouge;3\nbleu;4\n", encoding="utf-8")
    result = run_check(path, "--json", "--lang", "en")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [p["code"] for p in report["problems"]] == ["unknown_kind"]


@pytest.mark.parametrize(
    "args",
    [[], ["planning.xlsx", "--kind", "nope"], ["planning.xlsx", "--lang", "de"]],
    ids=["no-file", "unknown-kind", "unknown-lang"],
)
def test_usage_error_exits_2(tmp_path, args):
    args = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in args]
    result = run_check(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "usage:" in result.stderr
    assert result.stdout == ""


# --- paths that are not files, the settings' limits, unexpected failures ---------------------


@pytest.mark.parametrize("made", ["folder", "fifo", "dev-zero"])
def test_a_folder_a_pipe_or_a_device_is_reported_without_being_read(tmp_path, made):
    path = tmp_path / "planning.xlsx"
    if made == "folder":
        path.mkdir()
    elif made == "fifo":
        os.mkfifo(path)  # no writer: reading it would wait for ever
    else:
        path.symlink_to("/dev/zero")  # reading it would never end
    result = run_check(path, "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert [p["code"] for p in report["problems"]] == ["not_a_file"]
    assert report["problems"][0]["message"] == (
        "Impossible de lire le fichier « planning.xlsx » : ce n'est pas un fichier ordinaire"
        " (un dossier, un tube ou un périphérique)"
    )
    english = run_check(path, "--lang", "en")
    assert english.returncode == 1
    assert "it is not a regular file (a folder, a pipe or a device)" in english.stdout


def settings_with(tmp_path: Path, **limits: str) -> Path:
    text = (REPO / "data" / "project.toml").read_text(encoding="utf-8")
    for key, value in limits.items():
        text = "\n".join(
            f"{key} = {value}" if line.startswith(f"{key} = ") else line
            for line in text.splitlines()
        )
    path = tmp_path / "settings" / "project.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_the_size_limit_of_the_settings_applies(tmp_path, monkeypatch):
    path = schedule_xlsx(tmp_path, "planning.xlsx")
    monkeypatch.setenv("TRACKER_PROJECT", str(settings_with(tmp_path, max_upload_mb="0.001")))
    result = run_check(path, "--json")
    assert result.returncode == 1
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["file_too_large"]
    assert run_check(path, "--max-mb", "1").returncode == 0  # --max-mb overrides the size


def test_every_limit_of_the_settings_reaches_the_loader(tmp_path, monkeypatch, capsys):
    import loaders.__main__ as cli

    monkeypatch.setenv("TRACKER_PROJECT", str(settings_with(tmp_path, max_rows="7")))
    seen = []
    original = cli.LOADERS["schedule"]

    def spy(source, sheet=None, **kwargs):
        seen.append(kwargs["limits"])
        return original(source, sheet, **kwargs)

    monkeypatch.setitem(cli.LOADERS, "schedule", spy)
    assert cli.main(["check", str(schedule_xlsx(tmp_path, "p.xlsx")), "--kind", "schedule"]) == 0
    assert [(limits.max_rows, limits.max_bytes) for limits in seen] == [(7, 20 * 1024 * 1024)]


def test_unreadable_settings_fall_back_to_the_default_limits_and_say_so(tmp_path, monkeypatch):
    broken = tmp_path / "project.toml"
    broken.write_text("[budget]\nenvelope = -3\n", encoding="utf-8")
    monkeypatch.setenv("TRACKER_PROJECT", str(broken))
    result = run_check(schedule_xlsx(tmp_path, "planning.xlsx"), "--lang", "en")
    assert result.returncode == 0
    assert result.stderr == (
        f"The settings {broken} cannot be read: the default limits are applied to the file.\n"
    )


def test_an_unexpected_failure_is_one_translated_line_and_exit_1(tmp_path, monkeypatch, capsys):
    import loaders.__main__ as cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug no test foresaw")

    monkeypatch.setitem(cli.LOADERS, "schedule", broken)
    path = schedule_xlsx(tmp_path, "planning.xlsx")
    assert cli.main(["check", str(path), "--kind", "schedule"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "Erreur inattendue (ZeroDivisionError) : rien n'a été enregistré. Relancez la commande"
        " avec --debug pour le détail technique et transmettez-le à l'équipe technique.\n"
    )
