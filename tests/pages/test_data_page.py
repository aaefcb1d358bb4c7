"""The app shell and the Données page through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from exports.templates import build_template
from i18n import translate
from i18n.format import format_date
from loaders import LOADERS, load_project
from pages.shared import (
    FILE_KINDS,
    IMPORTED_KEY,
    TABLES_OF_FILE,
    DataFile,
    ImportOutcome,
    import_file,
)
from tracking.status import infer_status_date

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
SETTINGS = load_project(ROOT / "data" / "project.toml")
SAMPLE_PATHS = {
    "schedule": SETTINGS.data_files["schedule"],
    "finance": SETTINGS.data_files["spending"],
    "floor-areas": SETTINGS.data_files["floor_areas"],
}
TEMPLATE_TABLES = ("schedule", "budget", "contracts", "spending", "floor-areas")

#: header on row 1; the unreadable start date is on Excel row 4, column "Début prévu"
BAD_SCHEDULE = (
    "N°;Désignation;Début prévu;Fin prévue;% réalisé\r\n"
    "T1;Installation de chantier;16/02/2026;27/02/2026;100\r\n"
    "T2;Terrassements;02/03/2026;10/04/2026;45\r\n"
    "T3;Fondations;32/13/2026;15/05/2026;0\r\n"
).encode()
GOOD_SCHEDULE = (
    "N°;Désignation;Début prévu;Fin prévue;% réalisé;Début réel\r\n"
    "T1;Installation de chantier;16/02/2026;27/02/2026;100;16/02/2026\r\n"
    "T2;Terrassements;02/03/2026;10/04/2026;45;04/03/2026\r\n"
    "T3;Fondations;13/04/2026;15/05/2026;0;\r\n"
).encode()


def finance_workbook_from_templates() -> bytes:
    """One workbook with the budget, contracts and spending templates as its three sheets."""
    combined = openpyxl.Workbook()
    combined.remove(combined.active)
    for table in ("budget", "contracts", "spending"):
        template = openpyxl.load_workbook(io.BytesIO(build_template(table))).worksheets[0]
        sheet = combined.create_sheet(template.title)
        for row in template.iter_rows(values_only=True):
            sheet.append(row)
    buffer = io.BytesIO()
    combined.save(buffer)
    return buffer.getvalue()


def sample_rows(table: str) -> int:
    file_kind = next(kind for kind, tables in TABLES_OF_FILE.items() if table in tables)
    return len(LOADERS[table](SAMPLE_PATHS[file_kind]).frame)


def expected_status_date() -> str:
    """The samples' title rows say "Situation au 20/11/2026"; the status date follows them."""
    schedule = LOADERS["schedule"](SAMPLE_PATHS["schedule"])
    spending = LOADERS["spending"](SAMPLE_PATHS["finance"])
    declared = [schedule.declared_date, spending.declared_date]
    assert declared == [pd.Timestamp("2026-11-20")] * 2
    status = infer_status_date(
        schedule.frame, spending.frame, SETTINGS.status_date, declared=declared
    )
    return format_date(status)


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def card_markdown(at: AppTest) -> str:
    return "\n".join(texts(at.main.markdown))


@pytest.fixture(scope="module", autouse=True)
def samples_present():
    missing = [str(p) for p in SAMPLE_PATHS.values() if not Path(p).is_file()]
    if missing:
        pytest.fail(f"sample workbooks missing: {missing}")


def assert_ran_cleanly(at: AppTest) -> None:
    """No exception, and not the page-level safety net either (it would hide one)."""
    assert not at.exception, [e.value for e in at.exception]
    page_errors = {translate("app.page_error", lang) for lang in ("fr", "en")}
    assert not page_errors & set(texts(at.error))


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page("pages/data.py").run()
    assert_ran_cleanly(at)
    return at


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    mime = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    at.file_uploader(key=f"data.upload.{kind}").set_value((name, data, mime))
    at.run()
    assert_ran_cleanly(at)
    return at


def test_sidebar_shows_project_owner_and_status_date(app):
    sidebar = "\n".join(texts(app.sidebar.markdown) + texts(app.sidebar.caption))
    assert SETTINGS.name in sidebar
    assert SETTINGS.owner in sidebar
    status = next(t for t in texts(app.sidebar.markdown) if t.startswith("Date de situation"))
    assert re.search(r"\d{2}/\d{2}/\d{4}", status)
    assert expected_status_date() in status


def test_data_page_lists_each_sample_with_the_loaders_row_counts(app):
    assert texts(app.title) == ["Données"]
    shown = card_markdown(app)
    for kind in FILE_KINDS:
        assert f"Fichier en place : **{SAMPLE_PATHS[kind].name}**" in shown
    for table in ("schedule", "budget", "contracts", "spending", "floor-areas"):
        assert f"**{sample_rows(table)} lignes**" in shown, table
    assert shown.count("échantillon") == len(FILE_KINDS)


def test_finance_workbook_is_read_by_three_loaders_on_their_own_sheets(app):
    shown = card_markdown(app)
    for table in ("budget", "contracts", "spending"):
        result = LOADERS[table](SAMPLE_PATHS["finance"])
        assert f"feuille « {result.sheet} », en-tête ligne {result.header_row}" in shown


def test_language_switch_turns_the_page_to_english(app):
    app.radio(key="app.lang").set_value("en").run()
    assert_ran_cleanly(app)
    assert texts(app.title) == ["Data"]
    assert "Works schedule" in texts(app.main.subheader)
    status = next(t for t in texts(app.sidebar.markdown) if t.startswith("Status date"))
    assert expected_status_date() in status
    assert f"**{sample_rows('schedule')} rows**" in card_markdown(app)
    labels = [b.label for b in app.get("download_button")]
    assert "Template: Schedule" in labels


def test_a_template_download_button_per_table(app):
    buttons = {b.key: b.label for b in app.get("download_button")}
    assert set(buttons) == {f"data.template.{t}" for t in TEMPLATE_TABLES}
    assert buttons["data.template.spending"] == "Modèle : Décomptes"


def test_uploaders_accept_the_spreadsheet_formats(app):
    for kind in FILE_KINDS:
        uploader = app.file_uploader(key=f"data.upload.{kind}")
        assert set(uploader.allowed_type) >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def test_bad_file_is_refused_with_its_row_and_column_and_the_sample_stays(app):
    upload(app, "schedule", "planning_dates_illisibles.csv", BAD_SCHEDULE)
    errors = texts(app.error)
    assert any("planning_dates_illisibles.csv" in e and "1 erreur" in e for e in errors), errors
    assert "Les données précédentes restent en place." in texts(app.info)
    report = app.table[0].value
    bad = report[(report["Ligne"] == "4") & (report["Colonne"] == "Début prévu")]
    assert bad["Valeur"].tolist() == ["32/13/2026"]
    assert bad["Gravité"].tolist() == ["Erreur"]
    imported = app.session_state.get(IMPORTED_KEY, {})
    assert "schedule" not in imported
    assert f"Fichier en place : **{SAMPLE_PATHS['schedule'].name}**" in card_markdown(app)
    assert f"**{sample_rows('schedule')} lignes**" in card_markdown(app)


def test_good_file_replaces_the_data_and_a_later_bad_one_does_not(app):
    upload(app, "schedule", "planning_semaine_47.csv", GOOD_SCHEDULE)
    assert any("planning_semaine_47.csv" in s and "3 lignes" in s for s in texts(app.success))
    shown = card_markdown(app)
    assert "Fichier en place : **planning_semaine_47.csv**" in shown
    assert "**3 lignes**" in shown
    assert "importé" in shown

    upload(app, "schedule", "planning_dates_illisibles.csv", BAD_SCHEDULE)
    assert "Les données précédentes restent en place." in texts(app.info)
    assert "Fichier en place : **planning_semaine_47.csv**" in card_markdown(app)


def test_a_schedule_file_offered_as_the_finance_workbook_is_refused(app):
    upload(app, "finance", "planning.csv", GOOD_SCHEDULE)
    assert any("planning.csv" in e and "refusé" in e for e in texts(app.error))
    report = app.table[0].value
    # one workbook, three loaders: the report says which table each problem is about
    assert set(report["Tableau"]) == {"Budget", "Marchés", "Décomptes"}
    budget = report[report["Tableau"] == "Budget"]
    assert budget["Colonne"].tolist() == ["Montant TTC"]
    assert budget["Ligne"].tolist() == ["1"]
    contracts = report[report["Tableau"] == "Marchés"]["Message"].iloc[0]
    assert "aucune ligne d'en-tête de marchés et avenants" in contracts
    assert f"Fichier en place : **{SAMPLE_PATHS['finance'].name}**" in card_markdown(app)


def test_a_finance_workbook_is_accepted_when_its_three_tables_load(app):
    workbook = SAMPLE_PATHS["finance"].read_bytes()
    upload(app, "finance", "suivi_financier_S47.xlsx", workbook)
    rows = sum(sample_rows(table) for table in ("budget", "contracts", "spending"))
    assert any(f"{rows} lignes" in s for s in texts(app.success)), texts(app.success)
    shown = card_markdown(app)
    assert "Fichier en place : **suivi_financier_S47.xlsx**" in shown
    assert "Fichier en place : **suivi_financier_S47.xlsx** :green-badge[importé]" in shown


def test_an_unexpected_failure_shows_a_message_not_a_traceback(app, monkeypatch):
    def broken_loader(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(LOADERS, "floor-areas", broken_loader)
    upload(app, "floor-areas", "surfaces.csv", b"Local;Type;Surface\nB1;Bureau;20\n")
    errors = " ".join(texts(app.error))
    assert "surfaces.csv" in errors and "erreur inattendue" in errors
    assert "boom" not in errors
    assert "Les données précédentes restent en place." in texts(app.info)


def test_import_function_returns_the_problems_and_leaves_accepted_data_alone():
    accepted = DataFile("planning_semaine_46.csv", GOOD_SCHEDULE)
    state = {IMPORTED_KEY: {"schedule": accepted}}
    outcome = import_file("schedule", "planning_dates_illisibles.csv", BAD_SCHEDULE, state=state)
    assert isinstance(outcome, ImportOutcome)
    assert not outcome.accepted
    assert [(p.row, p.column, p.value) for p in outcome.errors] == [
        (4, "Début prévu", "32/13/2026")
    ]
    assert outcome.errors[0].file == "planning_dates_illisibles.csv"
    assert state == {IMPORTED_KEY: {"schedule": accepted}}


def test_import_function_accepts_a_good_file_for_its_kind_only():
    state: dict = {}
    outcome = import_file("schedule", "planning_semaine_47.csv", GOOD_SCHEDULE, state=state)
    assert outcome.accepted
    assert outcome.rows == {"schedule": 3}
    assert state[IMPORTED_KEY] == {"schedule": DataFile("planning_semaine_47.csv", GOOD_SCHEDULE)}


def test_status_date_follows_the_imported_data(app):
    upload(app, "schedule", "planning_semaine_47.csv", GOOD_SCHEDULE)
    upload(app, "finance", "suivi_modele.xlsx", finance_workbook_from_templates())
    assert "Fichier en place : **suivi_modele.xlsx**" in card_markdown(app)
    # latest date left: the template's payment of 29/05/2026 (the schedule stops in March)
    status = next(t for t in texts(app.sidebar.markdown) if t.startswith("Date de situation"))
    assert "29/05/2026" in status


def test_status_date_set_in_the_settings_wins(tmp_path, monkeypatch):
    text = (ROOT / "data" / "project.toml").read_text(encoding="utf-8")
    assert "\n[schedule]\n" in text
    text = text.replace("\n[schedule]\n", "\n[schedule]\nstatus_date = 2026-11-20\n", 1)
    for path in SAMPLE_PATHS.values():  # the samples, by absolute path
        text = text.replace(f'"{path.name}"', f'"{path.as_posix()}"')
    (tmp_path / "project.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRACKER_PROJECT", str(tmp_path / "project.toml"))
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.switch_page("pages/data.py").run()
    assert_ran_cleanly(at)
    assert "Date de situation : **20/11/2026**" in texts(at.sidebar.markdown)
    assert f"Fichier en place : **{SAMPLE_PATHS['schedule'].name}**" in card_markdown(at)
