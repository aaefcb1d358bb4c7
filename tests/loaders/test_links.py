"""The predecessors grammar of ``loaders.links``: MS Project's French and English exports, the
project-file form, lag units and their conversion into days (``lag_in_days``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import LoadError, load_schedule
from loaders.links import LagDays, Link, lag_in_days, parse_predecessors
from tests.loaders.builders import xlsx_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French MS Project: FD = fin-début (FS), DD = début-début (SS), DF = début-fin (SF)
        ("7FD+35 jours", [Link("7", "FS", 35, "d")]),
        ("3DD+2 j", [Link("3", "SS", 2, "d")]),
        ("4FF-1 sem", [Link("4", "FF", -1, "w")]),
        ("5FS+50%", [Link("5", "FS", 50, "%")]),
        ("6DF", [Link("6", "SF", 0, "d")]),
        ("7FD+2 jé", [Link("7", "FS", 2, "ed")]),  # jours écoulés: calendar days
        ("7FD+2 semé", [Link("7", "FS", 2, "ew")]),
        ("7FD+1 mois", [Link("7", "FS", 20, "d")]),  # MS Project: a month is 20 working days
        ("7FD+20,5 jours", [Link("7", "FS", 20.5, "d")]),  # a decimal comma
        ("7FD+2 j?", [Link("7", "FS", 2, "d")]),  # MS Project's estimated duration mark
        ("3FD+2,5 j;4", [Link("3", "FS", 2.5, "d"), Link("4")]),
        ("7FD+35 jours;8DD", [Link("7", "FS", 35, "d"), Link("8", "SS", 0)]),
        # English MS Project
        ("4FS+1 wk", [Link("4", "FS", 1, "w")]),
        ("3SS+2 days", [Link("3", "SS", 2, "d")]),
        ("8FS-1.5d", [Link("8", "FS", -1.5, "d")]),
        ("8FS+4 hrs", [Link("8", "FS", 4, "h")]),
        ("8FS+30 min", [Link("8", "FS", 0.5, "h")]),
        ("8FS+3 ed", [Link("8", "FS", 3, "ed")]),
        ("8FS+1 ew", [Link("8", "FS", 1, "ew")]),
        ("4FS+1 wk,3SS+2 days", [Link("4", "FS", 1, "w"), Link("3", "SS", 2, "d")]),
        # the project-file form (loaders.project_files writes it)
        ("A1010 FS+16h", [Link("A1010", "FS", 16, "h")]),
        ("12 SS+2d", [Link("12", "SS", 2, "d")]),
        ("7 FS-1.5d", [Link("7", "FS", -1.5, "d")]),
        (
            "A1010 FS+16h; 12 SS+2d; 7",
            [Link("A1010", "FS", 16, "h"), Link("12", "SS", 2), Link("7")],
        ),
        # the hand-made forms keep their meaning
        ("1,2,3", [Link("1"), Link("2"), Link("3")]),
        ("T1FS+2,3", [Link("T1", "FS", 2), Link("3")]),  # no unit after the comma: a list
        ("GO-12", [Link("GO-12")]),
        ("T05-2j", [Link("T05", "FS", -2)]),
    ],
)
def test_planning_tool_predecessors(text, expected):
    parsed = parse_predecessors(text)
    assert parsed.bad_items == []
    assert parsed.links == expected


def test_old_callers_build_links_as_before():
    """``Link(pred_id)`` and ``Link(pred_id, type, lag)`` are FS+0 and a lag in working days."""
    assert Link("T05") == Link("T05", "FS", 0, "d")
    assert Link("T07", "SS", 5) == Link("T07", "SS", 5.0, "d")
    assert Link("T07", "SS", 5).unit == "d"


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        # hand-derived: 16 h at 8 h a day = 2 days; 1 week = 5 working days
        (Link("A", "FS", 16, "h"), LagDays(2.0)),
        (Link("A", "FS", -1, "w"), LagDays(-5.0)),
        (Link("A", "FS", 3, "d"), LagDays(3.0)),
        (Link("A", "FS", 2, "ed"), LagDays(2.0, True)),
        (Link("A", "FS", 2, "ew"), LagDays(14.0, True)),
    ],
)
def test_lag_in_days_with_ms_project_defaults(link, expected):
    assert lag_in_days(link) == expected


def test_lag_in_days_follows_the_calendar():
    """A 10-hour, 6-day calendar: 20 h is 2 days, 1 week is 6 days; 50 % of a 10-day
    predecessor is 5 working days."""
    assert lag_in_days(Link("A", "FS", 20, "h"), hours_per_day=10) == LagDays(2.0)
    assert lag_in_days(Link("A", "FS", 1, "w"), days_per_week=6) == LagDays(6.0)
    assert lag_in_days(Link("A", "FS", 50, "%"), pred_duration=10) == LagDays(5.0)


@given(
    st.sampled_from(["FS", "SS", "FF", "SF"]),
    st.decimals(min_value=-9999, max_value=9999, places=2, allow_nan=False),
    st.sampled_from(["d", "w", "h", "ed", "ew", "%"]),
)
def test_the_project_file_form_reads_back(kind, lag, unit):
    """What ``Link.text`` writes (the project-file form) reads back as the same link."""
    link = Link("A1010", kind, float(lag), unit)
    assert parse_predecessors(link.text).links == [link]


@given(st.text(max_size=40))
def test_any_text_is_links_or_bad_items(text):
    """Never raises: each item is a link or is returned as written."""
    parsed = parse_predecessors(text)
    assert len(parsed.links) + len(parsed.bad_items) <= max(
        1, text.count(";") + text.count(",") + text.count("\n") + 1
    )


def _schedule(predecessors: str) -> bytes:
    return xlsx_bytes(
        [
            ["N°", "Tâche", "Début", "Fin", "Prédécesseurs"],
            ["T1", "A", "16/02/2026", "20/02/2026", ""],
            ["T2", "B", "23/02/2026", "27/02/2026", predecessors],
        ]
    )


@pytest.mark.parametrize(
    ("predecessors", "code"),
    [
        ("T1FD+731 sem", "lag_too_large"),  # 731 weeks = 3 655 working days > 3 650
        ("T1FD+29300 h", "lag_too_large"),  # 29 300 h / 8 = 3 662.5 days
        ("T1FD+1001%", "percent_lag_too_large"),
    ],
)
def test_the_loader_bounds_lags_in_every_unit(predecessors, code):
    with pytest.raises(LoadError) as raised:
        load_schedule(_schedule(predecessors), lang="fr")
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert (problem.code, problem.row, problem.value) == (code, 3, predecessors)


def test_the_loader_accepts_lags_within_the_bound():
    """730 weeks = 3 650 working days, the bound itself; 1 000 % of the predecessor."""
    frame = load_schedule(_schedule("T1FD+730 sem; T1DD+1000%"), lang="fr").frame
    assert frame.at[1, "predecessors"] == "T1FD+730 sem; T1DD+1000%"
