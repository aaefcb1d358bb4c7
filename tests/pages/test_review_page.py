"""The Revue hebdomadaire page through AppTest, on the sample history the store is seeded with
(six weekly situations, 16/10 to 20/11/2026), each test with its own database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

import tracking.planning
from i18n import translate
from store import DB_ENV

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
TABLE_MARKERS = {"tasks": "Glissement (j)", "ledger": "Nouvellement payé", "contracts": "Avenant"}


def table(at: AppTest, name: str):
    return next(frame for frame in at.dataframe if TABLE_MARKERS[name] in frame.value.columns)


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
    assert shown["Retard sur le délai"] == ("+33 j", "±0 j")
    assert shown["Avancement réel"] == ("87,2 %", "+2,3 pts")
    assert shown["Avancement prévu"] == ("96,1 %", "+1,9 pts")
    assert shown["Payé"] == ("8,37 MDH", "+1 563 667 MAD")
    assert shown["Engagé"] == ("14,29 MDH", "±0 MAD")
    verdict = review.info[0].value
    assert "Du 13/11/2026 au 20/11/2026" in verdict
    assert "fin prévisionnelle inchangée, au 18/01/2027" in verdict
    assert "11 décompte(s) nouveau(x) ou modifié(s) dont 11 nouvellement payé(s)" in verdict


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
    assert (first["N°"], first["Glissement (j)"]) in {("T68", 11), ("T69", 11)}
    reception = tasks[tasks["N°"] == "T69"].iloc[0]
    assert reception["Glissement (j)"] == 11
    assert reception["Fin prévue avant"] == dt.datetime(2027, 1, 7)
    assert reception["Fin prévue après"] == dt.datetime(2027, 1, 18)
    assert list(tasks["Glissement (j)"].iloc[:3]) == [11, 11, 10]


def test_changed_tasks_and_newly_paid_decomptes_of_the_last_week(review):
    tasks = table(review, "tasks").value
    assert len(tasks) == 10
    t29 = tasks[tasks["N°"] == "T29"].iloc[0]
    assert (t29["% avant"], t29["% après"]) == (0.0, 100.0)
    ledger = table(review, "ledger").value
    assert len(ledger) == 11 and ledger["Nouvellement payé"].all()
    assert set(ledger["Référence"]) == {"DP7", "Note d'honoraires n°9"}
    assert "Aucun nouveau marché ni avenant." in [i.value for i in review.info]
    labels = {b.key: b.label for b in review.get("download_button")}
    assert labels["review.xlsx"] == "Télécharger les changements (Excel)"
    assert {"review.csv.tasks", "review.csv.ledger"} <= set(labels)


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

    monkeypatch.setattr(tracking.planning, "planning_overview", counting)
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
    assert metrics(review)["Forecast finish"] == ("18/01/2027", "±0 d")
