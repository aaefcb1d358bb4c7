"""One failing part of a page shows a short translated message in its place and the rest of
the page still renders: the user never sees Streamlit's exception box or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from i18n import translate
from store import DB_ENV

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGES = [
    "pages/briefing.py",
    "pages/planning.py",
    "pages/spending.py",
    "pages/surfaces.py",
    "pages/review.py",
    "pages/data.py",
]


def part_error(lang: str = "fr") -> str:
    return translate("app.part_error", lang)


def warnings_of(at: AppTest) -> list[str]:
    return [w.value for w in at.main.warning]


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv(DB_ENV, str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def boom(*_args, **_kwargs):
    raise RuntimeError("simulated failure")


@pytest.mark.parametrize("page", PAGES)
def test_a_failing_workbook_button_leaves_every_page_standing(db, monkeypatch, page):
    """The sidebar's workbook is built when asked: when that fails, the button's place says
    so and the page itself is drawn in full (its title, its figures)."""
    import ui.export_button

    monkeypatch.setattr(ui.export_button, "build_workbook", boom)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    if page != "pages/briefing.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert part_error() not in [w.value for w in at.sidebar.warning]  # nothing built yet
    at.button(key="app.export.prepare").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert part_error() in [w.value for w in at.sidebar.warning]
    assert translate("app.page_error", "fr") not in [e.value for e in at.error]
    assert at.main.markdown or at.main.title  # the page drew its content
    labels = [b.proto.label for b in at.get("download_button")]
    assert translate("export.button", "fr") not in labels


def test_a_failing_chart_is_replaced_by_a_message_and_the_rest_of_the_briefing_renders(
    db, monkeypatch
):
    import charts.progress

    monkeypatch.setattr(charts.progress, "progress_figure", boom)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception
    assert warnings_of(at).count(part_error()) == 1
    # the two other charts, the risk map and the headline figures are still there
    assert len(at.get("plotly_chart")) == 3
    labels = {m.label for m in at.metric}
    assert {"Fin prévisionnelle", "Av. physique"} <= labels


def test_a_failing_gantt_leaves_the_rest_of_the_planning_page(db, monkeypatch):
    import charts.gantt

    monkeypatch.setattr(charts.gantt, "gantt_figure", boom)
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/planning.py").run()
    assert not at.exception
    assert part_error() in warnings_of(at)
    # the S-curve and the tables below the Gantt are drawn
    assert len(at.get("plotly_chart")) == 1
    assert len(at.dataframe) >= 2


def test_the_message_is_in_the_users_language(db, monkeypatch):
    import charts.spending

    monkeypatch.setattr(charts.spending, "chain_figure", boom)
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/spending.py").run()
    assert not at.exception
    assert part_error("en") in warnings_of(at)
    assert part_error("fr") not in warnings_of(at)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_a_damaged_history_database_is_said_on_every_page(db, page, lang):
    """A history file that is not a database (a copy gone wrong, a disk error): every page says
    so in the reader's language and what to do, instead of Streamlit's exception box."""
    db.write_bytes(b"not a database at all, " * 200)
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    if page != "pages/briefing.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    expected = {
        "fr": f"Le fichier {db} n'est pas une base de l'historique des imports",
        "en": f"The file {db} is not an import-history database",
    }[lang]
    assert any(e.startswith(expected) and "TRACKER_DB" in e for e in errors), errors
    assert db.read_bytes().startswith(b"not a database")  # left as it was, for a restore
