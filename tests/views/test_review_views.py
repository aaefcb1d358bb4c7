"""The weekly review's views: one spec per table of changes, the same values on screen (what the
page hands to ``st.dataframe``) and in the review workbook (read back by its Excel name); the
key figures of a situation, their changes and the verdict's plural forms, in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from exports.review_workbook import review_workbook
from i18n import translate
from loaders import load_project
from store import DB_ENV
from tests.views.readback import sample_weeks, sheet_values, table_values, workbook_table
from views.format import format_value
from views.key_figures import KeyFigures, change_text, compared_figures, key_figures
from views.review import CHANGE_TABLES, change_tables, default_pair, review_verdict

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = load_project(ROOT / "data" / "project.toml")
NOV_13, NOV_20 = dt.date(2026, 11, 13), dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The sample history's situations (six weeks), computed as the page computes them."""
    path = tmp_path_factory.mktemp("review") / "history.sqlite"
    return path, sample_weeks(path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_table_of_changes_holds_the_same_values_on_screen_and_in_the_workbook(
    history, monkeypatch, lang
):
    path, situations = history
    monkeypatch.setenv(DB_ENV, str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if lang == "en":
        at.radio(key="app.lang").set_value("en").run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    before, after = situations[NOV_13], situations[NOV_20]
    specs = change_tables(before, after, lang)
    book = review_workbook(before, after, lang)
    shown = {tuple(frame.value.columns): frame.value for frame in at.dataframe}
    compared = 0
    for name in CHANGE_TABLES:
        spec = specs[name]
        if len(spec) == 0:  # the page says so instead of drawing an empty grid
            assert tuple(spec.ids) not in shown
            continue
        screen = shown[tuple(spec.ids)]
        assert_frame_equal(screen.reset_index(drop=True), spec.data(), check_dtype=False)
        sheet = workbook_table(book, spec.key)
        assert list(sheet.columns) == spec.labels
        assert sheet_values(sheet) == table_values(spec), name
        compared += 1
    assert compared == 2  # tasks and décomptes changed that week; no new contract


def test_the_default_reference_is_a_week_before_the_latest():
    weeks = [dt.date(2026, 10, 16) + dt.timedelta(days=7 * i) for i in range(6)]
    assert default_pair(weeks) == (NOV_13, NOV_20)
    assert default_pair([NOV_13, dt.date(2026, 11, 17)]) == (NOV_13, dt.date(2026, 11, 17))


@pytest.mark.parametrize(
    ("delta", "kind", "lang", "text"),
    [
        (0.0227, "percent", "fr", "+2,3 pts"),
        (-0.0227, "percent", "en", "-2.3 pts"),
        (0.0, "percent", "fr", "±0 pts"),
        (11, "days", "fr", "+11 j"),
        (1, "days", "en", "+1 day"),
        (0, "days", "en", "±0 days"),
        (1_563_667.43, "money", "fr", "+1\u202f563\u202f667\u00a0MAD"),
        (None, "money", "fr", ""),
    ],
)
def test_a_change_reads_with_its_sign_and_unit(delta, kind, lang, text):
    assert change_text(delta, kind, lang) == text


def test_the_verdict_chooses_its_plural_forms_by_count(history):
    _, situations = history
    before, after = situations[NOV_13], situations[NOV_20]
    old, new = key_figures(before), key_figures(after)
    tables = change_tables(before, after, "fr")
    text = review_verdict(old, new, tables, "fr").text
    assert (
        "10 tâches modifiées, 11 décomptes nouveaux ou modifiés dont 11 nouvellement payés" in text
    )
    one_task = {**tables, "tasks": tables["tasks"].__class__(
        "review.tasks", "", tables["tasks"].frame.iloc[:1], tables["tasks"].columns
    )}  # fmt: skip
    assert "1 tâche modifiée," in review_verdict(old, new, one_task, "fr").text
    english = review_verdict(old, new, change_tables(before, after, "en"), "en").text
    assert "10 tasks changed" in english and "(s)" not in english
    later = KeyFigures(NOV_20, forecast_finish=pd.Timestamp("2027-01-19"))
    earlier = KeyFigures(NOV_13, forecast_finish=pd.Timestamp("2027-01-18"))
    verdict = review_verdict(earlier, later, {}, "fr")
    assert verdict.level == "warning" and "repoussée de 1 jour**" in verdict.text
    assert "Aucune tâche modifiée" in verdict.text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_figure_and_cell_reads_without_none_or_nan(history, lang):
    _, situations = history
    first = situations[min(situations)]
    figures = compared_figures(None, key_figures(first), lang)
    assert [f.shown for f in figures if f.shown in ("None", "nan", "")] == []
    for spec in change_tables(None, first, lang).values():
        frame = spec.data()
        cells = {
            format_value(frame.at[i, c.id], c.kind, lang, yes_no=spec.yes_no)
            for i in frame.index
            for c in spec.columns
        }
        assert not {"None", "nan", "NaT", "<NA>"} & cells, spec.key


def test_the_key_figures_say_why_one_is_missing():
    from tests.tracking.stage_data import stage_situation

    launch = key_figures(stage_situation("launch"))
    assert launch.forecast_finish is None and launch.reasons["forecast_finish"] == "no_progress"
    (finish,) = compared_figures(None, launch, "fr", ["forecast_finish"])
    assert finish.shown == "—" and finish.detail == translate("stages.reason.no_progress", "fr")
