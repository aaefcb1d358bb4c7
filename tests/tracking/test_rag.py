"""RAG ratings: each colour and its reason, on figures chosen around the thresholds."""

from __future__ import annotations

import pytest

from loaders.project import AlertThresholds
from tracking.rag import cost_rating, overall_rating, scope_rating, time_rating

ALERTS = AlertThresholds(
    delay_days_amber=10,
    delay_days_red=30,
    progress_gap_amber=0.05,
    progress_gap_red=0.10,
    eac_over_envelope_amber=0.0,
    eac_over_envelope_red=0.05,
    engaged_share_amber=0.95,
    engaged_share_red=1.0,
    area_gap_amber=0.02,
    area_gap_red=0.05,
)


@pytest.mark.parametrize(
    ("delay", "planned", "actual", "color", "reason"),
    [
        (0, 50.0, 49.0, "green", "time_on_track"),
        (-5, 50.0, 52.0, "green", "time_on_track"),
        (10, 50.0, 50.0, "green", "time_late"),  # 10 days is the amber threshold, not above it
        (11, 50.0, 50.0, "amber", "time_late"),
        (33, 96.1, 87.2, "red", "time_late"),  # the sample: 33 days late
        (0, 60.0, 54.0, "amber", "time_behind"),  # on time by the logic, 6 points behind
        (0, 60.0, 49.0, "red", "time_behind"),
    ],
)
def test_time(delay, planned, actual, color, reason):
    rating = time_rating(delay, planned, actual, ALERTS)
    assert (rating.color, rating.reason) == (color, reason)


@pytest.mark.parametrize(
    ("eac", "engaged", "color", "reason"),
    [
        (15_000_000, 14_000_000, "green", "cost_within"),
        (15_000_000, 14_500_000, "amber", "cost_engaged_high"),  # 95.4 % engaged
        (15_500_000, 14_000_000, "amber", "cost_overrun"),  # +2.0 %
        (16_000_000, 14_000_000, "red", "cost_overrun"),  # +5.3 %
        (None, 10_000_000, "amber", "cost_no_eac"),
    ],
)
def test_cost(eac, engaged, color, reason):
    rating = cost_rating(eac, 15_200_000, engaged, ALERTS)
    assert (rating.color, rating.reason) == (color, reason)


def test_scope():
    assert scope_rating({"office": 0}, 2027, 2027, ALERTS).color == "green"
    missing = scope_rating({"coworking": 1, "office": 0}, 2027, 2027, ALERTS)
    assert (missing.color, missing.params["missing"]) == ("red", {"coworking": 1})
    assert scope_rating({}, 2027 * 1.03, 2027, ALERTS).color == "amber"
    assert scope_rating({}, 2027 * 0.9, 2027, ALERTS).color == "red"


def test_overall_is_the_worst():
    ratings = [
        time_rating(33, 96.1, 87.2, ALERTS),
        cost_rating(15_000_000, 15_200_000, 14_000_000, ALERTS),
        scope_rating({}, 2027, 2027, ALERTS),
    ]
    overall = overall_rating(ratings)
    assert overall.color == "red" and overall.params["dimensions"] == ["time"]


def test_red_spending_alerts_make_cost_amber_even_within_the_envelope():
    rating = cost_rating(14_769_823.42, 15_200_000, 14_289_823.42, ALERTS, red_alerts=2)
    assert (rating.color, rating.reason) == ("amber", "cost_alerts")
