"""The Revue hebdomadaire page through AppTest, on the sample history the store is seeded with
(six weekly situations, 16/10 to 20/11/2026), each test with its own database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

import tracking.planning
import ui.domain
from i18n import translate
from store import DB_ENV
from views.format import format_value

APP = Path(__file__).resolve().parents[2] / "app.py"
WEEKS = [
    dt.date(2026, 10, 16),
    dt.date(2026, 10, 23),
    dt.date(2026, 10, 30),
    dt.date(2026, 11, 6),
    dt.date(2026, 11, 13),
    dt.date(2026, 11, 20),
]
NEWEST_FIRST = list(reversed(WEEKS))


def plain(text: str) -> str:
    """Babel's narrow and plain no-break spaces as ordinary spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def assert_ran_cleanly(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    page_errors = {translate("app.page_error", lang) for lang in ("fr", "en")}
    assert not page_errors & {e.value for e in at.error}


@pytest.fixture
def review(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv(DB_ENV, str(tmp_path / "history.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/review.py").run()
    assert_ran_cleanly(at)
    return at


def pick(at: AppTest, before: dt.date, after: dt.date) -> AppTest:
    at.selectbox(key="review.before").select_index(NEWEST_FIRST.index(before)).run()
    at.selectbox(key="review.after").select_index(NEWEST_FIRST.index(after)).run()
    assert_ran_cleanly(at)
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (plain(m.value), plain(m.proto.delta)) for m in at.metric}


#: a column that only each table of changes has (st.dataframe does not expose its key)
TABLE_MARKERS = {"tasks": "shift_days", "ledger": "newly_paid", "contracts": "is_amendment"}


def table(at: AppTest, name: str):
    return next(frame for frame in at.dataframe if TABLE_MARKERS[name] in frame.value.columns)


def headers(frame) -> list[str]:
    """The column headers the reader sees (the grid's configured labels)."""
    config = json.loads(frame.proto.columns)
    return [config[column]["label"] for column in frame.value.columns]


def trend_traces(at: AppTest) -> list[dict]:
    chart = next(c for c in at.get("plotly_chart") if "review.trend" in c.proto.id)
    return json.loads(chart.proto.spec)["data"]


def test_the_default_pair_is_the_latest_week_and_the_one_seven_days_before(review):
    assert review.title[0].value == "Revue hebdomadaire"
    assert review.selectbox(key="review.after").value == dt.date(2026, 11, 20)
    assert review.selectbox(key="review.before").value == dt.date(2026, 11, 13)
    assert review.selectbox(key="review.after").options == [
        d.strftime("%d/%m/%Y") for d in NEWEST_FIRST
    ]


def test_headline_changes_with_their_sign(review):
    shown = metrics(review)
    assert shown["Fin prévisionnelle"] == ("18/01/2027", "±0 j")
    assert shown["Retard sur la fin contractuelle"] == ("+33 j", "±0 j")
    assert shown["Avancement réel"] == ("87,2 %", "+2,3 pts")
    assert shown["Avancement prévu"] == ("96,1 %", "+1,9 pts")
    assert shown["Payé (brut)"] == ("8,37 MDH", "+1 563 667 MAD")
    assert shown["Engagé"] == ("14,29 MDH", "±0 MAD")
    # the rate says what it divides by
    assert shown["Avancement financier (émis / engagé)"] == ("82,5 %", "±0 pts")
    verdict = review.info[0].value
    assert "Du 13/11/2026 au 20/11/2026" in verdict
    assert "fin prévisionnelle inchangée, au 18/01/2027" in verdict
    # plural forms chosen by count, never "(s)"
    assert "10 tâches modifiées" in verdict
    assert "11 décomptes nouveaux ou modifiés dont 11 nouvellement payés" in verdict
    assert "aucun nouveau marché ni avenant" in verdict
    assert "(s)" not in verdict and "(x)" not in verdict


def test_a_later_forecast_finish_is_an_upward_change_shown_as_bad(review):
    pick(review, dt.date(2026, 10, 30), dt.date(2026, 11, 6))
    finish = next(m for m in review.metric if m.label == "Fin prévisionnelle")
    assert (finish.value, finish.proto.delta) == ("18/01/2027", "+11 j")
    # delta_color="inverse": up is bad (red)
    assert finish.proto.color == Metric.MetricColor.RED
    assert "repoussée de 11 jours" in review.warning[0].value


def test_tasks_whose_finish_moved_are_listed_largest_slip_first(review):
    pick(review, dt.date(2026, 10, 30), dt.date(2026, 11, 6))
    tasks = table(review, "tasks").value
    first = tasks.iloc[0]
    assert (first["task_id"], first["shift_days"]) in {("T68", 11), ("T69", 11)}
    reception = tasks[tasks["task_id"] == "T69"].iloc[0]
    assert reception["shift_days"] == 11
    assert reception["finish_before"] == dt.datetime(2027, 1, 7)
    assert reception["finish_after"] == dt.datetime(2027, 1, 18)
    assert list(tasks["shift_days"].iloc[:3]) == [11, 11, 10]
    assert headers(table(review, "tasks"))[:4] == ["N°", "Tâche", "Changement", "Glissement (j)"]
    assert "repoussée de 11 jours" in review.warning[0].value


def test_changed_tasks_and_newly_paid_decomptes_of_the_last_week(review):
    tasks = table(review, "tasks").value
    assert len(tasks) == 10
    t29 = tasks[tasks["task_id"] == "T29"].iloc[0]
    assert (t29["percent_before"], t29["percent_after"]) == (0.0, 1.0)
    ledger = table(review, "ledger").value
    assert len(ledger) == 11 and ledger["newly_paid"].all()
    assert set(ledger["reference"]) == {"DP7", "Note d'honoraires n°9"}
    assert "Aucun nouveau marché ni avenant." in [i.value for i in review.info]
    labels = {b.key: b.label for b in review.get("download_button")}
    assert labels["review.xlsx"] == "Télécharger les changements (Excel)"
    assert {"review.tasks.csv", "review.ledger.csv"} <= set(labels)


def test_the_milestone_trend_has_a_line_per_milestone_over_every_week(review):
    traces = trend_traces(review)
    milestones = [t for t in traces if t.get("meta") == "milestone"]
    # milestones already reached before the first week are left out by default
    assert [t["name"] for t in milestones] == [
        "T29 Bâtiment hors d'air",
        "T62 Fin des essais",
        "T69 Réception provisoire",
    ]
    assert all(len(t["x"]) == 6 and len(t["y"]) == 6 for t in milestones)
    reception = milestones[-1]
    assert reception["y"][0].startswith("2027-01-07") and reception["y"][-1].startswith(
        "2027-01-18"
    )
    baselines = [t for t in traces if t.get("meta") == "baseline"]
    assert len(baselines) == 3 and all(t["line"]["dash"] == "dot" for t in baselines)
    assert {t["y"][0][:10] for t in baselines} == {"2026-10-26", "2026-11-25", "2026-12-16"}
    (finish,) = [t for t in traces if t.get("meta") == "project_finish"]
    assert len(finish["x"]) == 6 and finish["y"][-1].startswith("2027-01-18")

    review.toggle(key="review.all_milestones").set_value(True).run()
    assert_ran_cleanly(review)
    milestones = [t for t in trend_traces(review) if t.get("meta") == "milestone"]
    assert len(milestones) == 6
    assert all(len(t["x"]) == 6 for t in milestones)


def test_the_trend_stops_at_the_reviewed_week(review):
    pick(review, dt.date(2026, 10, 23), dt.date(2026, 10, 30))
    milestones = [t for t in trend_traces(review) if t.get("meta") == "milestone"]
    assert all(len(t["x"]) == 3 for t in milestones)


def test_situations_are_computed_once_not_on_every_rerun(tmp_path, monkeypatch):
    calls = []
    real = tracking.planning.planning_overview

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.domain, "planning_overview", counting)
    st.cache_data.clear()  # the overviews are cached on the tables' contents, process-wide
    monkeypatch.setenv(DB_ENV, str(tmp_path / "history.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("pages/review.py").run()
    assert_ran_cleanly(at)
    assert sorted(calls) == WEEKS  # each week once (the trend needs them all)
    at.run()
    at.toggle(key="review.all_milestones").set_value(True).run()
    pick(at, dt.date(2026, 10, 30), dt.date(2026, 11, 6))
    assert sorted(calls) == WEEKS


def test_the_page_speaks_english(review):
    review.radio(key="app.lang").set_value("en").run()
    assert_ran_cleanly(review)
    assert review.title[0].value == "Weekly review"
    shown = metrics(review)
    assert shown["Forecast finish"] == ("18/01/2027", "±0 days")
    assert shown["Delay on the contractual end"] == ("+33 days", "±0 days")
    assert shown["Financial progress (issued / committed)"] == ("82.5 %", "±0 pts")
    paid = plain(format_value(8_369_960.77, "millions", "en"))  # the one short form
    assert shown["Paid (gross)"] == (paid, "+1,563,667 MAD")
    verdict = review.info[0].value
    assert "10 tasks changed, 11 payment certificates new or changed" in verdict
    toggle = review.toggle(key="review.all_milestones")
    assert toggle.label == "Also show the 3 milestones already reached before 16/10/2026"
    assert headers(table(review, "tasks"))[3] == "Slip (days)"
    # no French left in the English page
    texts = [m.label for m in review.metric] + [verdict, toggle.label]
    texts += [h for frame in review.dataframe for h in headers(frame)]
    assert not [t for t in texts if any(w in t for w in ("échantillon", " j)", "(s)", "TTC"))]
