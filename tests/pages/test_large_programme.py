"""A programme eight times the sample (2 000 tasks, 50 000 décomptes, 1 000 contracts,
imported through the store as a user's files, ``scripts/bench_data.py``) on the pages: what
cannot be drawn whole is drawn in part and says so — the Gantt a bar per lot until lots are
chosen or a task searched, a long table its first rows with every row in its CSV, a long list
of alerts its first ten — and nothing is lost on the way."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from scripts import bench_data
from store import DB_ENV, check_bytes, store_checked
from store.snapshots import open_store_at
from ui.render import ITEMS_SHOWN, SCREEN_ROWS
from views.planning import GANTT_MAX_ROWS

APP = Path(__file__).resolve().parents[2] / "app.py"
STATUS = dt.date(2026, 11, 20)
SCALE = 8


@pytest.fixture(scope="module")
def programme() -> bench_data.Programme:
    return bench_data.programme_at(STATUS, SCALE)


@pytest.fixture(scope="module")
def large_store(tmp_path_factory, programme) -> Path:
    path = tmp_path_factory.mktemp("large") / "history.sqlite"
    store = open_store_at(path)
    for kind, name, data in (
        ("schedule", "planning_travaux.xlsx", bench_data.schedule_file(programme, STATUS)),
        ("finance", "suivi_financier.xlsx", bench_data.finance_file(programme, STATUS)),
        ("floor-areas", "programme_surfaces.xlsx", bench_data.floor_file(programme, STATUS)),
    ):
        checked = check_bytes(kind, name, data, "fr")
        assert checked.accepted, checked.problems[:3]
        assert store_checked(store, checked, "test").stored
    return path


@pytest.fixture
def app(large_store, monkeypatch) -> AppTest:
    monkeypatch.setenv(DB_ENV, str(large_store))
    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(str(APP), default_timeout=300).run()


def gantt(at: AppTest) -> dict:
    chart = next(c for c in at.get("plotly_chart") if "planning.gantt" in c.proto.id)
    return json.loads(chart.proto.spec)


def bar_labels(figure: dict) -> list[str]:
    return [label for trace in figure["data"] for label in (trace.get("y") or [])]


def test_the_gantt_of_2000_tasks_is_a_bar_per_lot_until_a_lot_is_chosen(app, programme):
    at = app.switch_page("pages/planning.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tasks = len(programme.schedule)
    assert tasks == 2000
    lots = programme.schedule["lot"].nunique()
    caption = next(c.value for c in at.caption if "une barre par lot" in c.value)
    assert caption.startswith("2\u202f000 tâches")
    labels = set(bar_labels(gantt(at)))
    gros_oeuvre = (programme.schedule["lot"] == "Gros œuvre").sum()
    assert any(f"Gros œuvre ({gros_oeuvre} tâches)" in label for label in labels)
    assert len({label for label in labels if "tâche" in label}) == lots

    at.multiselect(key="planning.lot_filter").set_value(["Gros œuvre"]).run()
    shown = bar_labels(gantt(at))
    if gros_oeuvre > GANTT_MAX_ROWS:  # still too many: the first rows, and the page says so
        assert any("le diagramme montre les 250 premières" in c.value for c in at.caption)
    ids = {label.split(" · ")[0] for label in shown if " · " in label}
    lot_ids = set(programme.schedule.loc[programme.schedule["lot"] == "Gros œuvre", "task_id"])
    assert "B00-T04" in ids
    assert ids <= lot_ids  # the lot's tasks, none other
    assert len(ids) == min(gros_oeuvre, GANTT_MAX_ROWS)


def test_a_task_is_found_by_its_number_or_a_word_of_its_name(app):
    at = app.switch_page("pages/planning.py").run()
    at.text_input(key="planning.task_search").input("b03-t05").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [label for label in bar_labels(gantt(at)) if "·" in label]
    assert labels and all(label.startswith("B03-T05") for label in labels)
    assert not any("une barre par lot" in c.value for c in at.caption)
    at.text_input(key="planning.task_search").input("Terrassements").run()
    named = {label for label in bar_labels(gantt(at)) if "·" in label}
    assert len(named) == 29  # one per building copy: B00 to B28
    assert all("Terrassements" in label for label in named)


def test_a_ledger_of_50_000_decomptes_shows_its_first_rows_and_says_so(app, programme):
    at = app.switch_page("pages/spending.py").run()
    assert not at.exception, [e.value for e in at.exception]
    longest = max(len(frame.value) for frame in at.dataframe)
    assert longest == SCREEN_ROWS
    said = [c.value for c in at.caption if "premières lignes sur" in c.value]
    assert said, "a cut table says it is cut"
    assert any("sur 50\u202f000 sont affichées" in text for text in said)
    # the alerts: the first ten, and a toggle that shows them all
    toggle = at.toggle(key="spending.alerts_all")
    boxes = len(at.error) + len(at.warning)
    assert toggle.label.startswith("Afficher les ")
    count = int(
        re.match(r"Afficher les ([\d\u202f]+) alertes", toggle.label)[1].replace("\u202f", "")
    )
    assert count > ITEMS_SHOWN
    toggle.set_value(True).run()
    assert len(at.error) + len(at.warning) == boxes - ITEMS_SHOWN + count


PAGES = ("briefing", "planning", "spending", "surfaces", "review", "registers", "data")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_of_the_large_programme_is_drawn_whole(app, page):
    """No part of any page fails at this size (a part that fails shows a warning in its
    place and the rest of the page goes on: a test must look for it)."""
    from i18n import translate

    at = app if page == "briefing" else app.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    failed = {translate(k, "fr") for k in ("app.page_error", "app.part_error")}
    shown = {element.value for element in [*at.error, *at.warning]}
    assert not failed & shown
    assert at.markdown, "the page is drawn"
