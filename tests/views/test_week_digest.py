"""A week's digest (its key figures and milestone forecasts) is what the weekly review reads of
every week but the two compared: kept in the history as text, it must read back as the very
figures the week's whole situation gives, and be found again only under the same snapshots,
settings and definitions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from loaders import load_project
from store import DB_ENV
from store.current import weekly_situations
from store.snapshots import open_store_at
from tests.views.readback import sample_weeks
from views.key_figures import key_figures
from views.review import milestones_of
from views.week_digest import (
    DIGEST_VERSION,
    digest_from_text,
    digest_key,
    digest_text,
    week_digest,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "data" / "project.toml"
SETTINGS = load_project(SETTINGS_FILE)
OCT_30, NOV_20 = dt.date(2026, 10, 30), dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    path = tmp_path_factory.mktemp("digest") / "history.sqlite"
    return path, sample_weeks(path)


def test_a_digest_read_back_from_its_text_is_the_weeks_figures_and_milestones(weeks):
    _, situations = weeks
    for day, situation in situations.items():
        kept = digest_from_text(digest_text(week_digest(situation)))
        assert kept.figures == key_figures(situation), day
        assert_frame_equal(kept.milestones, milestones_of(situation), check_dtype=True)
    latest = digest_from_text(digest_text(week_digest(situations[NOV_20])))
    assert latest.figures.forecast_finish == pd.Timestamp(2027, 1, 18)
    assert latest.figures.delay_days == 33
    assert round(latest.figures.actual_progress, 3) == 0.872
    reception = latest.milestones[latest.milestones["task_id"] == "T69"].iloc[0]
    assert reception["forecast_finish"] == pd.Timestamp(2027, 1, 18)


def test_a_digest_is_kept_under_its_snapshots_its_settings_and_its_version():
    ids = [("schedule", 12), ("finance", 13), ("floor-areas", 14)]
    key = digest_key(NOV_20, ids, b"settings")
    assert key == digest_key(NOV_20, list(reversed(ids)), b"settings")
    assert f"/v{DIGEST_VERSION}/2026-11-20/" in key
    assert key != digest_key(NOV_20, [("schedule", 16), *ids[1:]], b"settings")  # a correction
    assert key != digest_key(NOV_20, ids, b"settings, edited")
    assert key != digest_key(OCT_30, ids, b"settings")


@pytest.mark.parametrize("text", ["", "{}", "[1]", '{"figures": {}, "milestones": {}}', "null"])
def test_a_text_that_is_no_digest_is_refused_not_misread(text):
    with pytest.raises(ValueError):
        digest_from_text(text)


def test_the_review_keeps_each_weeks_digest_and_a_spoilt_one_is_computed_again(
    weeks, monkeypatch, tmp_path
):
    """The first view of the review keeps one digest per week in the history; a digest spoilt
    in the database (another version wrote it, a bad edit) is not shown: the week's figures
    are computed again and the same sparkline values appear."""
    import shutil

    import streamlit as st

    source, _ = weeks
    path = tmp_path / "history.sqlite"
    shutil.copy(source, path)
    monkeypatch.setenv(DB_ENV, str(path))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    first = [(m.label, m.value, list(m.proto.chart_data)) for m in at.metric]

    store = open_store_at(path)
    settings_bytes = SETTINGS_FILE.read_bytes()
    kept = {}
    for week in weekly_situations(store):
        ids = [(k, i) for k, i in week.snapshots.items() if k != "registers"]
        kept[week.status_date] = store.meta(digest_key(week.status_date, ids, settings_bytes))
    assert all(kept.values()), [day for day, text in kept.items() if not text]
    assert len(kept) == 6

    october = next(w for w in weekly_situations(store) if w.status_date == OCT_30)
    ids = [(k, i) for k, i in october.snapshots.items() if k != "registers"]
    store.set_meta(digest_key(OCT_30, ids, settings_bytes), '{"figures": "spoilt"}')
    st.cache_resource.clear()
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    again.switch_page("pages/review.py").run()
    assert not again.exception, [e.value for e in again.exception]
    assert [(m.label, m.value, list(m.proto.chart_data)) for m in again.metric] == first
    assert digest_from_text(store.meta(digest_key(OCT_30, ids, settings_bytes)))


def test_beyond_twenty_milestones_the_trend_keeps_those_that_moved_most():
    """30 milestones over two weeks, milestone n slipping n days: the chart keeps the 20 that
    moved most (M10 to M29), each with both its points."""
    from tracking.compare import COMPARED
    from views.review import TREND_MILESTONES, most_moved

    weeks = [pd.Timestamp(2026, 11, 13), pd.Timestamp(2026, 11, 20)]
    rows = [
        {
            COMPARED.status_date: week,
            "task_id": f"M{n:02d}",
            "name": f"Jalon {n}",
            "baseline_finish": pd.Timestamp(2027, 1, 1),
            COMPARED.forecast_finish: pd.Timestamp(2027, 1, 1) + pd.Timedelta(days=n * step),
        }
        for n in range(30)
        for step, week in enumerate(weeks)
    ]
    trend = pd.DataFrame(rows)
    kept = most_moved(trend)
    assert TREND_MILESTONES == 20
    assert sorted(set(kept["task_id"])) == [f"M{n:02d}" for n in range(10, 30)]
    assert len(kept) == 40
    assert most_moved(trend[trend["task_id"] < "M05"]).equals(trend[trend["task_id"] < "M05"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_decks_milestone_trend_from_kept_digests_is_the_one_from_whole_situations(weeks, lang):
    """The deck draws its trend from the earlier weeks' digests read back from their text
    (as the Synthèse page passes them) and the situation in use: the same lines, point for
    point, as from every week's whole situation (the command line's way)."""
    from views.trend import milestone_trend_lines

    _, situations = weeks
    ordered = [situations[day] for day in sorted(situations)]
    kept = [digest_from_text(digest_text(week_digest(s))) for s in ordered[:-1]]
    from_digests = milestone_trend_lines([*kept, ordered[-1]], lang)
    assert from_digests == milestone_trend_lines(ordered, lang)
    assert len(from_digests.status_dates) == 6 and len(from_digests.lines) > 1
