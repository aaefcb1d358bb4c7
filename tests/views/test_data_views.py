"""The Données page's views without Streamlit: what an import changes (rows per table and the
key figures, computed through the same situation as every page), the rows of a file in use
and the history of imports, as the reader reads them (no None, no nan, no French in English)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from i18n import translate
from loaders import load_project
from store import DB_ENV, SQLiteSnapshotStore, check_bytes, store_checked
from store.current import current_tables, frames_of_file, open_seeded_store
from store.seed import SAMPLE_IMPORTER
from tests.pages.test_data_page import schedule_week_48
from tracking.planning import planning_overview
from views.data import (
    changes_table,
    history_table,
    importer_text,
    preview_figures,
    preview_import,
    rows_table,
    table_changes,
    upload_messages,
)
from views.format import format_value
from views.key_figures import change_text
from views.situation import situation_of

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SETTINGS = load_project(DATA / "project.toml")
NOV_13, NOV_20 = dt.date(2026, 11, 13), dt.date(2026, 11, 20)


def situate(frames, status_date):
    return situation_of(SETTINGS, status_date, frames)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> SQLiteSnapshotStore:
    """The sample history (six weekly situations), as the app seeds it on first use."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(DB_ENV, raising=False)
        return open_seeded_store(SETTINGS, tmp_path_factory.mktemp("seeded") / "h.sqlite")


def test_the_preview_counts_rows_and_totals_before_and_after(seeded):
    checked = check_bytes("schedule", "planning_S48.xlsx", schedule_week_48())
    assert checked.accepted and checked.status_date == dt.date(2026, 11, 27)
    current = current_tables(seeded)
    frames = {t: r.frame for t, r in checked.results.items()}
    preview = preview_import(current, "schedule", frames, checked.status_date, situate)
    (change,) = preview.changes
    assert (change.rows_before, change.rows_after) == (69, 70)
    assert change.added == ("T70",)
    assert set(change.changed) == {"T52", "T69"}
    assert change.removed == ()
    assert preview.becomes_current
    assert preview.before.tasks == 69 and preview.after.tasks == 70
    # the weighted actual progress is the Planning page's
    overview = planning_overview(
        current.frames["schedule"],
        SETTINGS,
        NOV_20,
        budget_lines=current.frames["budget"],
        contracts=current.frames["contracts"],
    )
    assert preview.before.actual_progress == pytest.approx(overview.actual_percent / 100)
    assert preview.after.actual_progress > preview.before.actual_progress
    assert preview.after.engaged == preview.before.engaged
    # the same figures, the same words as the weekly review's
    figures = {f.key: f for f in preview_figures(preview, "fr")}
    assert list(figures) == [
        "tasks", "actual_progress", "forecast_finish", "engaged", "issued", "paid", "area_m2"
    ]  # fmt: skip
    assert figures["tasks"].label == "Tâches et jalons" and figures["tasks"].delta == 1
    assert figures["engaged"].label == translate("review.metric.engaged", "fr")
    assert change_text(figures["engaged"].delta, "money", "fr") == "±0\u00a0MAD"


def test_an_older_file_is_previewed_as_history_not_as_the_data_in_use(seeded, tmp_path):
    store = SQLiteSnapshotStore(tmp_path / "t.sqlite")
    for path in (DATA / "planning_travaux.xlsx", DATA / "suivi_financier.xlsx"):
        kind = "schedule" if "planning" in path.name else "finance"
        store_checked(store, check_bytes(kind, path.name, path.read_bytes()), "test")
    older = (DATA / "history" / "2026-11-13" / "suivi_financier.xlsx").read_bytes()
    checked = check_bytes("finance", "suivi_S46.xlsx", older)
    frames = {t: r.frame for t, r in checked.results.items()}
    preview = preview_import(current_tables(store), "finance", frames, checked.status_date, situate)
    assert preview.status_date == NOV_13 and preview.current_status_date == NOV_20
    assert not preview.becomes_current
    by_table = {c.table: c for c in preview.changes}
    assert len(by_table["spending"].changed) == 11  # the DP7 lines, not paid yet on 13/11
    assert by_table["budget"].unchanged and by_table["contracts"].unchanged
    assert preview.after.paid == pytest.approx(6_806_293.34)
    # stored, it joins the history without replacing the data in use
    store_checked(store, checked, "test")
    assert current_tables(store).snapshots["finance"].name == "suivi_financier.xlsx"
    assert current_tables(store, at=NOV_13).snapshots["finance"].name == "suivi_S46.xlsx"


# --- table_changes on small hand-made tables ------------------------------------------------


def budget(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "line_id": pd.array([r[0] for r in rows], dtype="str"),
            "name": pd.array([r[1] for r in rows], dtype="str"),
            "amount": [r[2] for r in rows],
            "source_row": list(range(6, 6 + len(rows))),
        }
    )


def test_budget_lines_are_compared_by_code_and_a_moved_row_is_not_a_change():
    before = budget([("ET-01", "Études", 100.0), ("TR-01", "Gros œuvre", 500.0), ("X", "Old", 1)])
    after = budget([("TR-01", "Gros œuvre", 550.0), ("ET-01", "Études", 100.0), ("EQ", "New", 9)])
    change = table_changes("budget", before, after)
    assert (change.added, change.changed, change.removed) == (("EQ",), ("TR-01",), ("X",))
    assert (change.rows_before, change.rows_after) == (3, 3)


def test_contract_rows_are_keyed_by_contract_and_budget_line():
    def contracts(amounts: dict[tuple[str, str], float]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "contract_id": pd.array([k[0] for k in amounts], dtype="str"),
                "budget_line": pd.array([k[1] for k in amounts], dtype="str"),
                "amount": list(amounts.values()),
            }
        )

    before = contracts({("07/2026", "TR-01"): 10.0, ("07/2026", "TR-02"): 20.0})
    after = contracts({("07/2026", "TR-01"): 10.0, ("07/2026", "TR-02"): 25.0, ("AV1", "TR-01"): 5})
    change = table_changes("contracts", before, after)
    assert change.added == ("AV1 | TR-01",) and change.changed == ("07/2026 | TR-02",)
    assert change.removed == ()


def test_blank_values_on_both_sides_are_not_a_change_and_no_data_means_all_added():
    before = pd.DataFrame(
        {"space_id": pd.array(["R1", "R2"], dtype="str"), "area_m2": [15.0, float("nan")]}
    )
    after = before.copy()
    assert table_changes("floor-areas", before, after).unchanged
    first = table_changes("floor-areas", None, after)
    assert first.added == ("R1", "R2") and first.rows_before == 0


# --- what the reader sees -----------------------------------------------------------------------


def shown_cells(table, lang: str) -> list[str]:
    frame = table.data()
    return [
        format_value(frame.at[i, c.id], c.kind, lang, yes_no=table.yes_no)
        for i in frame.index
        for c in table.columns
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_history_shows_no_none_no_nan_and_names_the_sample_in_the_readers_language(
    seeded, lang
):
    infos = seeded.list()
    table = history_table(infos, {infos[0].id}, lang)
    cells = shown_cells(table, lang)
    assert not {"None", "nan", "NaT"} & set(cells)
    by = table.frame["imported_by"].tolist()
    assert set(by) == {translate("data_page.origin.sample", lang)}
    if lang == "en":
        assert not any("échantillon" in cell for cell in cells)
        assert importer_text(SAMPLE_IMPORTER, "en") == "sample"
    assert table.frame["id"].tolist() == [i.id for i in infos]  # numbers, not text
    assert table.frame["status_date"].iloc[0] == pd.Timestamp(infos[0].status_date)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_rows_of_a_file_are_typed_and_blank_cells_are_dashes(seeded, lang):
    tables = current_tables(seeded)
    for table, frame in tables.frames.items():
        spec = rows_table(table, frame, lang, lambda name: name)
        cells = shown_cells(spec, lang)
        assert not {"None", "nan", "NaT", "<NA>"} & set(cells), table
    schedule = rows_table("schedule", tables.frames["schedule"], "fr", lambda n: n)
    kinds = {c.id: c.kind for c in schedule.columns}
    assert kinds["start"] == "date" and kinds["percent_complete"] == "percent"
    assert kinds["source_row"] == "int"
    assert (
        format_value(schedule.frame["percent_complete"].iloc[0], "percent", "fr") == "100,0\u00a0%"
    )


def test_the_changes_table_counts_rows_as_numbers(seeded):
    checked = check_bytes("schedule", "planning_S48.xlsx", schedule_week_48())
    frames = {t: r.frame for t, r in checked.results.items()}
    preview = preview_import(
        current_tables(seeded), "schedule", frames, checked.status_date, situate
    )
    table = changes_table(preview, "en")
    assert table.labels == [
        "Table",
        "Rows in use",
        "Rows in the file",
        "Added",
        "Changed",
        "Removed",
    ]
    assert table.data().iloc[0].tolist() == ["Schedule", 69, 70, 1, 2, 0]


def test_what_the_page_says_of_an_uploaded_file():
    bad = b"N\xc2\xb0;D\xc3\xa9signation;D\xc3\xa9but pr\xc3\xa9vu;Fin pr\xc3\xa9vue\r\nT1;A;32/13/2026;01/01/2026\r\n"
    refused = check_bytes("schedule", "planning.csv", bad)
    (error, kept) = upload_messages(refused, "fr")
    assert (error.level, error.key, kept.key) == (
        "error",
        "data_page.rejected",
        "data_page.previous_kept",
    )
    assert translate(error.key, "fr", **error.params).startswith(
        "« planning.csv » refusé : 1 erreur."
    )
    valid = check_bytes("schedule", "planning_S48.xlsx", schedule_week_48())
    (ok,) = upload_messages(valid, "en")
    assert ok.level == "success"
    assert "70 rows read, status date 27/11/2026" in translate(ok.key, "en", **ok.params)
    (cancelled,) = upload_messages(valid, "fr", cancelled=True)
    assert cancelled.key == "data_page.cancelled"
    failed, _ = upload_messages(valid, "fr", failure="Le disque est plein.")
    assert (failed.key, failed.text) == ("", "Le disque est plein.")


def test_the_rows_of_a_spreadsheet_schedule_leave_out_the_columns_only_project_files_fill(seeded):
    """The sample schedule is a spreadsheet: no WBS, constraint or tool float in it, so the
    preview has none of those columns; a WBS code typed in one row brings its column back."""
    frame = current_tables(seeded).frames["schedule"]
    ids = [c.id for c in rows_table("schedule", frame, "fr", lambda n: n).columns]
    assert "start" in ids and "name" in ids
    assert not {"wbs", "constraint_type", "file_total_float", "summary_id"} & set(ids)
    with_wbs = frame.assign(wbs=pd.array(["1.1"] + [None] * (len(frame) - 1), dtype="str"))
    ids = [c.id for c in rows_table("schedule", with_wbs, "fr", lambda n: n).columns]
    assert "wbs" in ids


def test_a_spreadsheet_schedule_after_a_project_file_is_previewed_without_its_calendars(seeded):
    """The data in use came from a planning-software file (its calendars in use); the preview of
    a spreadsheet schedule computes the figures after without them, as the store will."""
    current = current_tables(seeded)
    seven_days = pd.DataFrame(
        {"calendar_id": ["7J"], "name": ["Sept jours"], "work_week": ["1111111"]}
    )
    in_use = dataclasses.replace(current, frames={**current.frames, "calendars": seven_days})
    checked = check_bytes("schedule", "planning_S48.xlsx", schedule_week_48())
    seen = []

    def recording(frames, status_date):
        seen.append(frames)
        return situate({t: f for t, f in frames.items() if t != "calendars"}, status_date)

    preview_import(
        in_use,
        "schedule",
        frames_of_file("schedule", checked.results),
        checked.status_date,
        recording,
    )
    before, after = seen
    assert "calendars" in before and "calendars" not in after
    assert after["schedule"] is checked.results["schedule"].frame
    # a project file's calendars come with its schedule, and replace those in use
    project = dataclasses.replace(checked.results["schedule"], tables={"calendars": seven_days})
    assert frames_of_file("schedule", {"schedule": project})["calendars"] is seven_days
