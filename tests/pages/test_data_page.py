"""The app shell and the Données page through Streamlit's AppTest (no browser): the files in
use, the import workflow (validation report, preview of the change, confirm or cancel) and
the history of imports. Every test has its own snapshot store (``TRACKER_DB`` in tmp_path),
seeded with the sample history on first use."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from i18n import translate
from loaders import LOADERS, load_project
from store import DB_ENV, SQLiteSnapshotStore
from ui.markdown_text import visible
from ui.shared import FILE_KINDS, TABLES_OF_FILE

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
SETTINGS = load_project(ROOT / "data" / "project.toml")
SAMPLE_PATHS = {
    "schedule": SETTINGS.data_files["schedule"],
    "finance": SETTINGS.data_files["spending"],
    "floor-areas": SETTINGS.data_files["floor_areas"],
    "registers": SETTINGS.data_files["registers"],
}
HISTORY = ROOT / "data" / "history"
TEMPLATE_TABLES = ("schedule", "budget", "contracts", "spending", "floor-areas")
#: the registers' three tables (one template for the three: their workbook)
REGISTER_TABLES = ("decisions", "actions", "risks")
#: the seeded history: two files a week for six weeks, the room schedule, and the registers
#: as at 06/11 and 20/11
SEEDED = 15

#: header on row 1; the unreadable start date is on Excel row 4, column "Début prévu"
BAD_SCHEDULE = (
    "N°;Désignation;Début prévu;Fin prévue;% réalisé\r\n"
    "T1;Installation de chantier;16/02/2026;27/02/2026;100\r\n"
    "T2;Terrassements;02/03/2026;10/04/2026;45\r\n"
    "T3;Fondations;32/13/2026;15/05/2026;0\r\n"
).encode()


def schedule_week_48() -> bytes:
    """This week's schedule, as the site would send it: the sample with "Situation au
    27/11/2026", T52 at 90 %, the reception a week later and one new task (T70)."""
    book = openpyxl.load_workbook(SAMPLE_PATHS["schedule"])
    sheet = book["Planning"]
    sheet["A3"] = "Situation au 27/11/2026"
    for row in sheet.iter_rows(min_row=6):
        if row[0].value == "T52":
            row[9].value = 0.9
        if row[0].value == "T69":
            row[5].value = row[6].value = dt.datetime(2027, 1, 25)
    sheet.append(
        ["T70", "Réception", "Nettoyage de fin de chantier", dt.datetime(2026, 12, 10),
         dt.datetime(2026, 12, 14), dt.datetime(2027, 1, 11), dt.datetime(2027, 1, 15),
         None, None, 0, "T68", "Non", None, None]
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def finance_week_46_corrected() -> bytes:
    """The finance workbook of 13/11 with one amount corrected: a late correction of a past
    week, not a duplicate of anything stored."""
    book = openpyxl.load_workbook(HISTORY / "2026-11-13" / "suivi_financier.xlsx")
    sheet = book["Décomptes"]
    amount_column = next(c.column for c in sheet[5] if c.value and "Montant" in str(c.value))
    sheet.cell(row=6, column=amount_column).value = 123_456.78
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sample_rows(table: str) -> int:
    file_kind = next(kind for kind, tables in TABLES_OF_FILE.items() if table in tables)
    return len(LOADERS[table](SAMPLE_PATHS[file_kind]).frame)


def texts(elements) -> list[str]:
    """What the reader sees of each element (file names are escaped in the Markdown)."""
    return [visible(element.value) for element in elements]


def card_markdown(at: AppTest) -> str:
    return "\n".join(texts(at.main.markdown))


def status_line(at: AppTest) -> str:
    return next(
        t for t in texts(at.sidebar.markdown) if t.startswith(("Date de situation", "Status"))
    )


def assert_ran_cleanly(at: AppTest) -> None:
    """No exception, and not the page-level safety net either (it would hide one)."""
    assert not at.exception, [e.value for e in at.exception]
    page_errors = {translate("app.page_error", lang) for lang in ("fr", "en")}
    assert not page_errors & set(texts(at.error))


@pytest.fixture(scope="module", autouse=True)
def samples_present():
    missing = [str(p) for p in SAMPLE_PATHS.values() if not Path(p).is_file()]
    if missing:
        pytest.fail(f"sample workbooks missing: {missing}")


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    return path


@pytest.fixture
def app(db) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/data.py").run()
    assert_ran_cleanly(at)
    return at


def stored(db: Path) -> list:
    return SQLiteSnapshotStore(db).list()


def upload(at: AppTest, kind: str, name: str, data: bytes) -> AppTest:
    mime = "text/csv" if name.endswith(".csv") else "application/octet-stream"
    at.file_uploader(key=f"data.upload.{kind}").set_value((name, data, mime))
    at.run()
    assert_ran_cleanly(at)
    return at


def confirm(at: AppTest, kind: str) -> AppTest:
    at.button(key=f"data.confirm.{kind}").click().run()
    assert_ran_cleanly(at)
    return at


def buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """Label -> (value, change) of each figure, no-break spaces as spaces."""

    def plain(text: str) -> str:
        return text.replace("\u202f", " ").replace("\u00a0", " ")

    return {m.label: (plain(m.value), plain(m.proto.delta)) for m in at.metric}


def column_labels(frame) -> dict[str, dict]:
    """A dataframe element's column id -> its configuration (the header the reader sees)."""
    import json

    return json.loads(frame.proto.columns)


# --- the data in use ---------------------------------------------------------------------------


def test_sidebar_shows_project_owner_and_the_latest_status_date(app):
    sidebar = "\n".join(texts(app.sidebar.markdown) + texts(app.sidebar.caption))
    assert SETTINGS.name in sidebar and SETTINGS.owner in sidebar
    assert re.search(r"\d{2}/\d{2}/\d{4}", status_line(app))
    assert "20/11/2026" in status_line(app)  # "Situation au 20/11/2026" in the samples


def test_data_page_lists_each_file_in_use_with_its_snapshot(app):
    assert texts(app.title) == ["Données"]
    shown = card_markdown(app)
    for kind in FILE_KINDS:
        assert f"Fichier en place : **{SAMPLE_PATHS[kind].name}**" in shown
    for table in TEMPLATE_TABLES + REGISTER_TABLES:
        assert f"**{sample_rows(table)} lignes**" in shown, table
    assert shown.count("échantillon") == len(FILE_KINDS)
    # plural forms by count: "1 avertissement", never "1 avertissement(s)"
    assert "**71 lignes**, 1 avertissement" in shown and "(s)" not in shown
    captions = texts(app.main.caption)
    assert (
        "Instantané n° 12 · situation au 20/11/2026 · importé le 20/11/2026 17:00 par échantillon"
        in captions
    )


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
    assert "20/11/2026" in status_line(app)
    assert f"**{sample_rows('schedule')} rows**" in card_markdown(app)
    labels = [b.label for b in app.get("download_button")]
    assert "Template: Schedule" in labels
    assert "Import history" in texts(app.main.subheader)
    # the bundled sample's importer in English too, not "by échantillon"
    captions = " ".join(texts(app.main.caption))
    assert "by sample" in captions and "échantillon" not in captions
    assert set(app.dataframe[-1].value["imported_by"]) == {"sample"}


def test_a_template_download_button_per_table(app):
    buttons_ = {b.key: b.label for b in app.get("download_button")}
    templates = {key for key in buttons_ if key.startswith("data.template.")}
    assert templates == {f"data.template.{t}" for t in (*TEMPLATE_TABLES, "registers")}
    assert buttons_["data.template.spending"] == "Modèle : Décomptes"


def test_uploaders_accept_the_spreadsheet_formats(app):
    for kind in FILE_KINDS:
        uploader = app.file_uploader(key=f"data.upload.{kind}")
        assert set(uploader.allowed_type) >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def test_who_imports_is_asked_never_the_servers_login(app, db):
    """Nothing is pre-filled (never the OS account the server runs under): the confirmation
    waits for a typed name, the snapshot records that name, and the name is remembered for
    the session when the reader leaves the page and comes back."""
    login = getpass.getuser()
    assert app.text_input(key="data.importer").value == ""
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    assert app.button(key="data.confirm.schedule").disabled
    assert len(stored(db)) == SEEDED
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    assert not app.button(key="data.confirm.schedule").disabled
    confirm(app, "schedule")
    newest = stored(db)[0]
    assert (newest.id, newest.imported_by) == (SEEDED + 1, "Nadia Benali")
    assert login not in {info.imported_by for info in stored(db)} - {"Nadia Benali"} or (
        login == "Nadia Benali"
    )
    app.switch_page("pages/review.py").run()
    app.switch_page("pages/data.py").run()
    assert_ran_cleanly(app)
    assert app.text_input(key="data.importer").value == "Nadia Benali"


def test_the_confirm_callback_refuses_an_empty_name(app, db):
    """Even if the button were clicked without a name (an old tab), nothing is stored."""
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    app.session_state["data.importer"] = "   "  # emptied after the button was drawn
    app.button(key="data.confirm.schedule").click().run()
    assert_ran_cleanly(app)
    assert len(stored(db)) == SEEDED


# --- the import workflow -----------------------------------------------------------------------


def test_a_good_file_is_previewed_then_stored_on_confirmation(app, db):
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    # valid, previewed, not stored yet
    assert any("planning_S48.xlsx" in s and "est valide" in s for s in texts(app.success))
    assert len(stored(db)) == SEEDED
    assert "20/11/2026" in status_line(app)
    changes = app.dataframe[0].value.set_index("table")
    assert changes.loc["Planning"].to_dict() == {
        "rows_before": 69,
        "rows_after": 70,
        "added": 1,
        "changed": 2,
        "removed": 0,
    }
    shown = metrics(app)
    assert shown["Tâches et jalons"] == ("70", "+1")
    assert shown["Engagé"] == ("14,29 MDH", "±0 MAD")
    assert shown["Avancement réel"][1].startswith("+")
    # the critical path on the new progress: the reception moves from 18/01 to 22/01/2027
    assert shown["Fin prévisionnelle"] == ("22/01/2027", "+4 j")
    assert (
        "Situation déclarée par le fichier : **27/11/2026** — données en place : situation au "
        "**20/11/2026**."
    ) in card_markdown(app)
    assert "- **Planning** — 1 ligne ajoutée : T70" in card_markdown(app)
    assert "- **Planning** — 2 lignes modifiées : T69, T52" in card_markdown(app)
    assert {"data.confirm.schedule", "data.cancel.schedule"} <= buttons(app)

    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    confirm(app, "schedule")
    assert (
        f"« planning_S48.xlsx » enregistré : instantané n° {SEEDED + 1}, 70 lignes,"
        " situation au 27/11/2026." in texts(app.success)
    )
    history = stored(db)
    assert len(history) == SEEDED + 1
    newest = history[0]
    assert (newest.id, newest.kind, newest.name) == (SEEDED + 1, "schedule", "planning_S48.xlsx")
    assert newest.imported_by == "Nadia Benali"
    assert newest.status_date == dt.date(2026, 11, 27)
    # the whole app follows at once: the sidebar, the card, the history
    assert "27/11/2026" in status_line(app)
    assert "Fichier en place : **planning_S48.xlsx** :green-badge[importé]" in card_markdown(app)
    assert "**70 lignes**" in card_markdown(app)
    past = app.dataframe[-1].value
    first = past.iloc[0]
    assert (first["id"], first["in_use"], first["imported_by"], first["status_date"]) == (
        SEEDED + 1,
        "en place",
        "Nadia Benali",
        pd.Timestamp("2026-11-27"),
    )
    assert first["sha256"] == newest.sha256[:12]
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", first["imported_at"])
    assert not {"data.confirm.schedule", "data.cancel.schedule"} & buttons(app)


def test_a_refused_file_shows_its_problems_and_stores_nothing(app, db):
    upload(app, "schedule", "planning_dates_illisibles.csv", BAD_SCHEDULE)
    errors = texts(app.error)
    assert any("planning_dates_illisibles.csv" in e and "1 erreur" in e for e in errors), errors
    assert "Rien n'a été enregistré : les données précédentes restent en place." in texts(app.info)
    report = app.table[0].value
    bad = report[(report["Ligne"] == "4") & (report["Colonne"] == "Début prévu")]
    assert bad["Valeur"].tolist() == ["32/13/2026"]
    assert bad["Gravité"].tolist() == ["Erreur"]
    assert "data.confirm.schedule" not in buttons(app)
    assert len(stored(db)) == SEEDED
    assert f"Fichier en place : **{SAMPLE_PATHS['schedule'].name}**" in card_markdown(app)
    assert f"**{sample_rows('schedule')} lignes**" in card_markdown(app)


def test_a_bad_file_after_a_good_one_leaves_the_good_one_in_place(app, db):
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    confirm(app, "schedule")
    upload(app, "schedule", "planning_dates_illisibles.csv", BAD_SCHEDULE)
    assert "Rien n'a été enregistré : les données précédentes restent en place." in texts(app.info)
    assert "Fichier en place : **planning_S48.xlsx**" in card_markdown(app)
    assert len(stored(db)) == SEEDED + 1


def test_a_file_already_stored_is_recognised_and_names_the_snapshot(app, db):
    upload(
        app,
        "schedule",
        "planning_S46.xlsx",
        (HISTORY / "2026-11-13" / "planning_travaux.xlsx").read_bytes(),
    )
    (message,) = [i for i in texts(app.info) if "identique" in i]
    assert message == (
        "« planning_S46.xlsx » est identique à l'instantané n° 10 déjà enregistré "
        "(« planning_travaux.xlsx », importé le 13/11/2026 17:00 par échantillon) : "
        "rien n'a été ajouté."
    )
    assert "data.confirm.schedule" not in buttons(app)
    assert len(stored(db)) == SEEDED  # fmt: skip


def test_cancel_stores_nothing(app, db):
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    app.button(key="data.cancel.schedule").click().run()
    assert_ran_cleanly(app)
    assert any("annulé : rien n'a été enregistré" in i for i in texts(app.info))
    assert len(stored(db)) == SEEDED
    assert "20/11/2026" in status_line(app)
    assert "data.confirm.schedule" not in buttons(app)


def test_no_confirmation_without_a_name(app, db):
    app.text_input(key="data.importer").set_value("  ").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    assert app.button(key="data.confirm.schedule").disabled
    assert any("Importé par" in c for c in texts(app.main.caption))
    assert len(stored(db)) == SEEDED


def test_a_late_correction_of_a_past_week_joins_the_history_without_replacing_the_data(app, db):
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "finance", "suivi_S46_corrige.xlsx", finance_week_46_corrected())
    assert any("avant les données en place (20/11/2026)" in w for w in texts(app.warning))
    confirm(app, "finance")
    assert any(
        f"instantané n° {SEEDED + 1}" in s and "ne changent pas" in s for s in texts(app.success)
    ), texts(app.success)
    assert len(stored(db)) == SEEDED + 1
    assert "20/11/2026" in status_line(app)
    assert f"Fichier en place : **{SAMPLE_PATHS['finance'].name}**" in card_markdown(app)


def test_a_schedule_file_offered_as_the_finance_workbook_is_refused(app, db):
    schedule_csv = BAD_SCHEDULE.replace(b"32/13/2026", b"13/04/2026")
    upload(app, "finance", "planning.csv", schedule_csv)
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
    assert len(stored(db)) == SEEDED


def test_an_unexpected_failure_shows_a_message_not_a_traceback(app, db, monkeypatch):
    def broken_loader(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setitem(LOADERS, "floor-areas", broken_loader)
    upload(app, "floor-areas", "surfaces.csv", b"Local;Type;Surface\nB1;Bureau;20\n")
    errors = " ".join(texts(app.error))
    assert "surfaces.csv" in errors and "erreur inattendue" in errors
    assert "boom" not in errors
    assert "Rien n'a été enregistré : les données précédentes restent en place." in texts(app.info)
    assert len(stored(db)) == SEEDED


# --- the history -------------------------------------------------------------------------------


def test_the_history_lists_every_import_with_its_provenance(app, db):
    assert "Historique des imports" in texts(app.main.subheader)
    history = app.dataframe[-1]
    past = history.value
    headers = [column_labels(history)[c]["label"] for c in past.columns]
    assert headers == [
        "N°",
        "En place",
        "Fichier de",
        "Nom du fichier",
        "Situation",
        "Importé le",
        "Par",
        "Lignes",
        "SHA-256",
        "Retrait",
    ]
    assert past["id"].tolist() == list(range(SEEDED, 0, -1))
    assert past.loc[past["in_use"] == "en place", "id"].tolist() == [15, 14, 13, 12]
    week = past[past["id"] == 10].iloc[0]
    assert (week["kind"], week["status_date"], week["imported_at"], week["rows"]) == (
        "planning",
        pd.Timestamp("2026-11-13"),
        "13/11/2026 17:00",
        69,
    )
    assert week["imported_by"] == "échantillon"
    assert len(week["sha256"]) == 12
    # the original bytes of a chosen snapshot can be downloaded
    app.selectbox(key="data.history.pick").set_value(10).run()
    assert_ran_cleanly(app)
    download = next(b for b in app.get("download_button") if b.key == "data.history.download")
    assert download.proto.label == "Télécharger le fichier d'origine"
    assert (
        SQLiteSnapshotStore(db).file_bytes(10)
        == (HISTORY / "2026-11-13" / "planning_travaux.xlsx").read_bytes()
    )


# --- settings --------------------------------------------------------------------------------


def test_a_status_date_set_in_the_settings_picks_that_week(tmp_path, monkeypatch):
    text = (ROOT / "data" / "project.toml").read_text(encoding="utf-8")
    assert "\n[schedule]\n" in text
    text = text.replace("\n[schedule]\n", "\n[schedule]\nstatus_date = 2026-11-13\n", 1)
    for path in SAMPLE_PATHS.values():  # the samples, by absolute path
        text = text.replace(f'"{path.name}"', f'"{path.as_posix()}"')
    (tmp_path / "project.toml").write_text(text, encoding="utf-8")
    shutil.copytree(HISTORY, tmp_path / "history")  # the weekly files, beside the settings
    monkeypatch.setenv("TRACKER_PROJECT", str(tmp_path / "project.toml"))
    monkeypatch.setenv(DB_ENV, str(tmp_path / "history.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("pages/data.py").run()
    assert_ran_cleanly(at)
    assert "Date de situation : **13/11/2026**" in texts(at.sidebar.markdown)
    assert any(
        c.startswith("Instantané n° 10 · situation au 13/11/2026") for c in texts(at.caption)
    )
    assert pd.Timestamp("2026-11-13").strftime("%d/%m/%Y") in status_line(at)


# --- withdrawing an import ---------------------------------------------------------------------


def test_an_import_made_by_mistake_is_withdrawn_and_the_previous_file_comes_back(app, db):
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    confirm(app, "schedule")
    assert "27/11/2026" in status_line(app)

    app.selectbox(key="data.history.pick").set_value(SEEDED + 1).run()
    assert_ran_cleanly(app)
    button = app.button(key="data.withdraw.button")
    assert button.disabled  # no reason typed yet
    app.text_input(key="data.withdraw.why").set_value("mauvaise semaine envoyée").run()
    app.button(key="data.withdraw.button").click().run()
    assert_ran_cleanly(app)

    assert any(
        s.startswith(f"Import n° {SEEDED + 1} (« planning_S48.xlsx ») retiré")
        for s in texts(app.success)
    )
    # the data in use is the sample schedule again, everywhere
    assert "20/11/2026" in status_line(app)
    assert "Fichier en place : **planning_travaux.xlsx**" in card_markdown(app)
    withdrawn = next(info for info in stored(db) if info.id == SEEDED + 1)
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_why) == (
        "Nadia Benali",
        "mauvaise semaine envoyée",
    )
    # it stays in the history, marked with who and why
    history = app.dataframe[-1].value.set_index("id")
    assert history.loc[SEEDED + 1, "withdrawn"].endswith(
        "par Nadia Benali : mauvaise semaine envoyée"
    )
    assert history.loc[SEEDED + 1, "in_use"] == ""
    # and cannot be withdrawn twice
    assert "data.withdraw.button" not in buttons(app)


def test_a_full_disk_at_confirmation_says_so_and_stores_nothing(app, db, monkeypatch):
    """The disk fills up between the check and the confirmation: the page gives the store's
    own reason (a full disk, what to do), not a generic failure, and the data stays as it was."""
    from store.snapshots import SQLiteSnapshotStore

    configure = SQLiteSnapshotStore._configure

    def full_disk(self, con):  # no page can be added to the file any more
        configure(self, con)
        pages = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {pages}")

    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    before = len(stored(db))
    monkeypatch.setattr(SQLiteSnapshotStore, "_configure", full_disk)
    confirm(app, "schedule")
    monkeypatch.setattr(SQLiteSnapshotStore, "_configure", configure)
    errors = texts(app.error)
    assert any(e.startswith("Le disque de la base de l'historique") for e in errors), errors
    assert "Rien n'a été enregistré : les données précédentes restent en place." in texts(app.info)
    assert len(stored(db)) == before
    assert "20/11/2026" in status_line(app)


def test_a_signed_in_user_is_the_importer_without_typing(db, monkeypatch):
    """Once the app has a login (``st.user``), the account's name is recorded: no field to
    fill, and still never the server's OS account."""
    import ui.data_import

    monkeypatch.setattr(ui.data_import, "user_name", lambda: "Salma Idrissi")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page("pages/data.py").run()
    assert_ran_cleanly(at)
    assert not [t for t in at.text_input if t.key == "data.importer"]
    assert "Importé par : **Salma Idrissi** (compte connecté)." in texts(at.main.markdown)
    upload(at, "schedule", "planning_S48.xlsx", schedule_week_48())
    confirm(at, "schedule")
    assert stored(db)[0].imported_by == "Salma Idrissi"


@pytest.mark.realworld
def test_a_planning_software_file_is_imported_and_shown_by_tasks_not_by_sheet(app, db, realworld):
    """The contractor's .mpp dropped on the page: checked, confirmed, and the card says what
    it holds (rows and summary tasks), not a sheet and a header row it does not have."""
    data = realworld("task-links-project2016-mpp14.mpp").read_bytes()
    upload(app, "schedule", "planning_entreprise.mpp", data)
    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    confirm(app, "schedule")
    newest = stored(db)[0]
    assert (newest.name, newest.kind, newest.imported_by) == (
        "planning_entreprise.mpp",
        "schedule",
        "Nadia Benali",
    )
    card = card_markdown(app)
    assert (
        "Planning — fichier de planification : **16 lignes**, dont 0 tâche récapitulative" in card
    )
    assert "feuille « — »" not in card


# --- the same page on a PostgreSQL database ----------------------------------------------------


@pytest.mark.postgres
def test_the_page_works_the_same_on_a_postgresql_database(postgres_server, monkeypatch):
    """``TRACKER_DB=postgresql://…``: the app seeds the empty database with the sample history,
    shows the data in use, and an import confirmed on the page is a row of the server's own
    ``snapshots`` table, with the importer typed."""
    url = postgres_server.new_database()
    try:
        monkeypatch.setenv(DB_ENV, url)
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        at.switch_page("pages/data.py").run()
        assert_ran_cleanly(at)
        assert "20/11/2026" in status_line(at)
        upload(at, "schedule", "planning_S48.xlsx", schedule_week_48())
        at.text_input(key="data.importer").set_value("Nadia Benali").run()
        confirm(at, "schedule")
        assert (
            f"« planning_S48.xlsx » enregistré : instantané n° {SEEDED + 1}, 70 lignes, situation au "
            "27/11/2026." in texts(at.success)
        )
        assert "27/11/2026" in status_line(at)
        with psycopg.connect(url) as con:
            rows = con.execute(
                "SELECT id, file_name, imported_by, row_count FROM snapshots ORDER BY id DESC"
            ).fetchall()
        assert len(rows) == SEEDED + 1
        assert rows[0] == (SEEDED + 1, "planning_S48.xlsx", "Nadia Benali", 70)
    finally:
        postgres_server.drop_database(url)


def test_an_import_keeps_the_new_weeks_digest_for_the_review(app, db):
    """Confirming this week's schedule keeps its week's digest (key figures and milestone
    forecasts) in the history: the review then reads it, as it reads every earlier week's.
    The week's file holds a new last task (T70, after T68) and T52 behind: the project's
    forecast finish is later than the 18/01/2027 of the week before, and no earlier than the
    réception's."""
    from store.current import weekly_situations
    from views.week_digest import digest_from_text, digest_key

    app.text_input(key="data.importer").set_value("Nadia Benali").run()
    upload(app, "schedule", "planning_S48.xlsx", schedule_week_48())
    confirm(app, "schedule")
    history = SQLiteSnapshotStore(db)
    latest = weekly_situations(history)[-1]
    assert latest.status_date == dt.date(2026, 11, 27)
    ids = [(kind, i) for kind, i in latest.snapshots.items() if kind != "registers"]
    settings_file = Path(APP).parent / "data" / "project.toml"
    kept = history.meta(digest_key(latest.status_date, ids, settings_file.read_bytes()))
    assert kept, "the digest is kept at the import"
    digest = digest_from_text(kept)
    assert digest.figures.status_date == dt.date(2026, 11, 27)
    reception = digest.milestones[digest.milestones["task_id"] == "T69"].iloc[0]
    assert digest.figures.forecast_finish > pd.Timestamp(2027, 1, 18)
    assert digest.figures.forecast_finish >= reception["forecast_finish"]
    assert digest.figures.tasks == 70
