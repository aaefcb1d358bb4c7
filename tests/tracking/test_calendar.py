"""Working-day calendar. January 2026, Saturday/Sunday off, Wednesday 14/01 a holiday
(Nouvel an amazigh):

    Mon 05  Tue 06  Wed 07  Thu 08  Fri 09  | Sat 10  Sun 11
    Mon 12  Tue 13  Wed 14* Thu 15  Fri 16  | Sat 17  Sun 18
    Mon 19  Tue 20  Wed 21  Thu 22  Fri 23  | Sat 24  Sun 25
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest

from tracking.calendar import WorkCalendar


def jan(day: int) -> dt.date:
    return dt.date(2026, 1, day)


def ts(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 1, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6), holidays=[jan(14)])


@pytest.mark.parametrize(
    ("day", "expected"),
    [(5, True), (9, True), (10, False), (11, False), (14, False), (15, True)],
)
def test_is_working_day(calendar, day, expected):
    assert calendar.is_working_day(jan(day)) is expected


@pytest.mark.parametrize(
    "value",
    [jan(12), ts(12), dt.datetime(2026, 1, 12, 17, 30), np.datetime64("2026-01-12"), "2026-01-12"],
)
def test_every_kind_of_date_is_accepted(calendar, value):
    assert calendar.add_working_days(value, 1) == ts(13)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (9, 1, 12),  # Fri + 1 -> Mon, over the weekend
        (13, 1, 15),  # Tue + 1 -> Thu, over the holiday
        (5, 8, 16),  # 06 07 08 09 12 13 15 16
        (12, 0, 12),
        (10, 0, 12),  # Saturday rolls forward to Monday
        (14, 0, 15),  # the holiday rolls forward to Thursday
        (12, -1, 9),
        (15, -1, 13),
        (10, -1, 9),  # Saturday is read as Monday, one working day before is Friday
        (16, -5, 8),  # Fri 16 -> Thu 15, Tue 13, Mon 12, Fri 09, Thu 08
    ],
)
def test_add_working_days(calendar, day, n, expected):
    assert calendar.add_working_days(jan(day), n) == ts(expected)


def test_add_working_days_returns_a_timestamp(calendar):
    assert isinstance(calendar.add_working_days(jan(5), 1), pd.Timestamp)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (5, 12, 5),  # [Mon 05, Mon 12): the five days of the first week
        (12, 16, 3),  # Mon, Tue, Thu (Wed 14 is a holiday)
        (16, 12, -3),  # reversed: minus the count of [12, 16)
        (12, 12, 0),
        (10, 12, 0),  # the weekend holds no working day
    ],
)
def test_working_days_between(calendar, a, b, expected):
    assert calendar.working_days_between(jan(a), jan(b)) == expected


@pytest.mark.parametrize(
    ("start", "finish", "expected"),
    [
        (12, 16, 4),  # 12 13 15 16, both ends included
        (12, 12, 1),
        (5, 23, 14),  # three weeks minus the holiday
        (10, 11, 0),  # a weekend only
        (14, 14, 0),  # the holiday only
    ],
)
def test_duration_counts_both_ends(calendar, start, finish, expected):
    assert calendar.duration(jan(start), jan(finish)) == expected


def test_duration_refuses_a_finish_before_the_start(calendar):
    with pytest.raises(ValueError, match="before start"):
        calendar.duration(jan(16), jan(12))


def test_missing_date_is_refused(calendar):
    with pytest.raises(ValueError, match="missing"):
        calendar.add_working_days(pd.NaT, 1)


def test_next_and_previous_working_day(calendar):
    assert calendar.next_working_day(jan(13)) == ts(15)  # strictly after, over the holiday
    assert calendar.next_working_day(jan(9)) == ts(12)
    assert calendar.next_working_day(jan(10)) == ts(12)
    assert calendar.previous_working_day(jan(15)) == ts(13)
    assert calendar.previous_working_day(jan(12)) == ts(9)
    assert calendar.roll_forward(jan(12)) == ts(12)
    assert calendar.roll_forward(jan(11)) == ts(12)
    assert calendar.roll_backward(jan(11)) == ts(9)


def test_day_index_reads_a_weekend_as_next_start_or_previous_finish(calendar):
    dates = pd.Series(pd.to_datetime(["2026-01-09", "2026-01-10", "2026-01-12", "2026-01-15"]))
    start = calendar.day_index(dates)
    finish = calendar.day_index(dates, side="finish")
    assert (start[1], start[2]) == (start[0] + 1, start[0] + 1)  # Sat 10 -> Mon 12
    assert (finish[1], finish[2]) == (finish[0], finish[0] + 1)  # Sat 10 -> Fri 09
    assert start[3] - start[2] == 2  # Mon 12 -> Thu 15 is two working days (holiday)
    back = calendar.date_at_index(start)
    assert list(back) == list(
        np.array(["2026-01-09", "2026-01-12", "2026-01-12", "2026-01-15"], dtype="datetime64[D]")
    )


def test_day_index_refuses_nat(calendar):
    with pytest.raises(ValueError, match="NaT"):
        calendar.day_index(pd.Series([pd.Timestamp("2026-01-05"), pd.NaT]))


def test_vectorised_variants(calendar):
    starts = pd.Series(pd.to_datetime(["2026-01-12", "2026-01-05", None, "2026-01-16"]))
    finishes = pd.Series(pd.to_datetime(["2026-01-16", "2026-01-23", "2026-01-20", "2026-01-12"]))
    durations = calendar.durations(starts, finishes)
    assert durations[:2].tolist() == [4.0, 14.0]
    assert np.isnan(durations[2]) and np.isnan(durations[3])  # missing date, reversed dates
    moved = calendar.add_working_days_array(starts, [1, 8, 1, -1])
    assert moved[0] == np.datetime64("2026-01-13")
    assert moved[1] == np.datetime64("2026-01-16")  # 06 07 08 09 12 13 15 16
    assert np.isnat(moved[2])
    assert moved[3] == np.datetime64("2026-01-15")
    assert calendar.is_working_day_array(starts).tolist() == [True, True, False, True]


def test_calendar_is_immutable_hashable_and_picklable(calendar):
    with pytest.raises(dataclasses.FrozenInstanceError):
        calendar.holidays = ()  # type: ignore[misc]
    same = WorkCalendar([6, 5, 5], [jan(14), jan(14)])
    assert same == calendar and hash(same) == hash(calendar)
    assert same.weekend_days == (5, 6) and same.holidays == (jan(14),)
    copy = pickle.loads(pickle.dumps(calendar))  # e.g. st.cache_data, worker processes
    assert copy == calendar and copy.add_working_days(jan(13), 1) == ts(15)


@pytest.mark.parametrize("weekend", [range(7), [7]])
def test_impossible_weekends_are_refused(weekend):
    with pytest.raises(ValueError):
        WorkCalendar(weekend)
