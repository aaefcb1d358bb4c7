"""Every page renders at every stage of the works: the launch (0 %, no décompte, only the
studies contracts), mid-course (the current sample) and completion (100 %, réception
provisoire, retention to release), in French and in English. No exception, no error message
in place of a part, and no ``nan``, ``None`` or ``inf`` anywhere a reader looks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from i18n import translate
from store import DB_ENV
from ui.markdown_text import visible

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
STAGES = {
    "launch": ROOT / "data" / "stages" / "launch" / "project.toml",
    "mid-course": ROOT / "data" / "project.toml",
    "completion": ROOT / "data" / "stages" / "completion" / "project.toml",
}
PAGES = [
    "pages/briefing.py",
    "pages/planning.py",
    "pages/spending.py",
    "pages/surfaces.py",
    "pages/review.py",
    "pages/registers.py",
    "pages/data.py",
]
#: a figure that could not be computed, printed as if it were one
UNTRUE = re.compile(r"(?<!\w)(nan|NaN|None|inf|NaT|<NA>)(?!\w)")


def texts_of(at: AppTest) -> list[str]:
    """Every string a reader sees: titles, Markdown, captions, alerts, metrics, expander
    labels, table cells, and the titles and notes of the charts."""
    found: list[str] = []
    for group in (at.title, at.subheader, at.markdown, at.caption, at.info, at.warning):
        found += [visible(element.value) for element in group]
    found += [visible(element.value) for element in (*at.error, *at.success)]
    for metric in at.metric:
        found += [metric.label, metric.value, metric.proto.delta or ""]
    found += [expander.label for expander in at.expander]
    for table in (*at.dataframe, *at.table):
        frame = table.value
        found += [str(c) for c in frame.columns]
        found += [str(v) for v in frame.astype(object).to_numpy().ravel() if isinstance(v, str)]
    for chart in at.get("plotly_chart"):
        figure = json.loads(chart.proto.spec)
        layout = figure.get("layout", {})
        found += [str(a.get("text", "")) for a in layout.get("annotations", [])]
        title = layout.get("title", {})
        found.append(str(title.get("text", "")) if isinstance(title, dict) else str(title))
        found += [str(trace.get("name", "")) for trace in figure.get("data", [])]
    return found


@pytest.fixture
def stage_env(tmp_path, monkeypatch):
    def use(stage: str) -> None:
        monkeypatch.setenv("TRACKER_PROJECT", str(STAGES[stage]))
        monkeypatch.setenv(DB_ENV, str(tmp_path / f"{stage}.sqlite"))
        st.cache_data.clear()
        st.cache_resource.clear()

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


def run_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    if page != "pages/briefing.py":
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_every_page_renders_at_every_stage(stage_env, stage, lang):
    stage_env(stage)
    for page in PAGES:
        at = run_page(page, lang)
        assert not at.exception, (page, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert translate("app.page_error", lang) not in errors, page
        shown = texts_of(at)
        assert translate("app.part_error", lang) not in shown, page
        untrue = [t for t in shown if UNTRUE.search(t)]
        assert untrue == [], (page, untrue)
        # the sidebar offers the workbook, written when asked (never on a page view)
        labels = [b.proto.label for b in at.button]
        assert translate("export.prepare", lang) in labels, page


def _metric(at: AppTest, label_key: str, lang: str = "fr") -> str:
    label = translate(label_key, lang)
    return next(m.value for m in at.metric if m.label == label)


def test_the_launch_briefing_says_where_the_works_stand(stage_env):
    stage_env("launch")
    at = run_page("pages/briefing.py", "fr")
    assert not at.exception
    shown = " ".join(texts_of(at))
    assert "20/02/2026" in shown
    assert _metric(at, "briefing.figure.physical") == "0,0\u00a0%"


def test_the_completion_briefing_shows_the_works_done(stage_env):
    stage_env("completion")
    at = run_page("pages/briefing.py", "fr")
    assert not at.exception
    assert _metric(at, "briefing.figure.physical") == "100,0\u00a0%"


def test_the_launch_spending_page_says_why_there_is_no_index_yet(stage_env):
    """At the OS de commencement only the studies are signed and nothing is issued: the
    indexes are not zero or blank, they say what they wait for."""
    stage_env("launch")
    at = run_page("pages/spending.py", "fr")
    assert not at.exception
    assert _metric(at, "spending.metric.issued") == "0,00 MDH"
    cpi = next(m for m in at.metric if m.label == "CPI")
    assert (cpi.value, cpi.proto.help) == ("—", translate("stages.reason.no_works_decompte", "fr"))
    shown = texts_of(at)
    assert (
        "- **Coût** — le CPI n'est pas encore calculable : disponible après le premier "
        "décompte de travaux." in shown
    )


def test_the_launch_planning_page_waits_for_the_first_progress_report(stage_env):
    stage_env("launch")
    at = run_page("pages/planning.py", "en")
    assert not at.exception
    assert "No forecast finish yet: available after the first progress report." in [
        i.value for i in at.info
    ]
    assert _metric(at, "planning.metric_delay", "en") == "—"


def test_the_completion_planning_page_gives_the_reception(stage_env):
    stage_env("completion")
    at = run_page("pages/planning.py", "fr")
    assert not at.exception
    reception = _metric(at, "planning.metric_reception")
    assert any(
        w.value.startswith(f"Travaux achevés : réception provisoire le {reception}")
        for w in (*at.warning, *at.success)
    )
