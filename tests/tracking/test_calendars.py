"""``tracking.calendars``: calendars of a project file on one timeline. February 2026::

Mon 02  Tue 03  Wed 04  Thu 05  Fri 06 | Sat 07  Sun 08
Mon 09  Tue 10  Wed 11  Thu 12  Fri 13 | Sat 14  Sun 15
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from loaders.schema import CALENDARS
from tracking.calendar import WorkCalendar
from tracking.calendars import CalendarSpec, Timeline, day_number, specs_from_frame


def d(day: int, month: int = 2, year: int = 2026) -> int:
    return day_number(dt.date(year, month, day))


def test_a_calendar_frame_with_exceptions_and_a_default():
    frame = pd.DataFrame(
        [
            ("5J", "Chantier", "1111100", 8.0, True, None, None, None),
            (
                "5J",
                "Chantier",
                "1111100",
                8.0,
                True,
                pd.Timestamp(2026, 2, 9),
                pd.Timestamp(2026, 2, 10),
                False,
            ),
            ("5J", "Chantier", "1111100", 8.0, True, pd.Timestamp(2026, 2, 7), None, True),
            ("NUIT", "Nuit", "bad", 0.0, False, None, None, None),
        ],
        columns=list(CALENDARS.names)[:8],  # no tool rules: a spreadsheet calendar
    )
    specs, default = specs_from_frame(frame)
    assert default == "5J"
    site = specs["5J"]
    assert site.holidays == frozenset({d(9), d(10)}) and site.worked == frozenset({d(7)})
    # an unreadable week is Monday to Friday, a zero day is MS Project's 8 hours
    assert specs["NUIT"].week == (True,) * 5 + (False,) * 2
    assert specs["NUIT"].hours_per_day == 8.0
    assert specs_from_frame(None) == ({}, None)


def test_indexes_and_days_on_one_timeline():
    """On 5J+S (Sat 07 worked, Mon 09 and Tue 10 off) the working days from Mon 02 are 02 03 04
    05 06 07 11 12 13: Thu 12 is 7 working days after Mon 02; 7J counts 10."""
    five = CalendarSpec("5J+S", holidays=frozenset({d(9), d(10)}), worked=frozenset({d(7)}))
    seven = CalendarSpec("7J", week=(True,) * 7)
    timeline = Timeline([five, seven], [d(2), d(13)])
    assert timeline.index(0, d(12)) - timeline.index(0, d(2)) == 7
    assert timeline.index(1, d(12)) - timeline.index(1, d(2)) == 10
    assert timeline.day(0, timeline.index(0, d(2)) + 5) == d(7)
    assert timeline.day(0, timeline.index(0, d(8))) == d(11)  # Sun 08 as a start: Wed 11
    assert timeline.working_days(0, d(2), d(13)) == 9
    assert not timeline.is_working(0, d(9)) and timeline.is_working(0, d(7))


def test_the_window_grows_both_ways_and_keeps_its_indexes():
    spec = CalendarSpec.from_work_calendar(WorkCalendar((5, 6)))
    timeline = Timeline([spec], [d(2)])
    before = timeline.index(0, d(2))
    far = d(1, 1, 2040)
    assert timeline.day(0, timeline.index(0, far)) == far + 1  # 01/01/2040 is a Sunday
    assert timeline.index(0, d(2)) == before
    old = d(5, 1, 1990)  # a Friday
    assert timeline.day(0, timeline.index(0, old)) == old
    assert timeline.index(0, d(2)) == before
    many = timeline.index_array(0, np.array([d(2), d(7), d(9)]))
    assert (many - before).tolist() == [0, 5, 5]
