"""Constraints as MS Project and Primavera P6 apply them, worked by hand on February 2026
(Saturday and Sunday off)::

    Mon 02  Tue 03  Wed 04  Thu 05  Fri 06 | Sat 07  Sun 08
    Mon 09  Tue 10  Wed 11  Thu 12  Fri 13 | Sat 14  Sun 15
    Mon 16  Tue 17  Wed 18  Thu 19  Fri 20

The network: A Mon 02 – Fri 06 (5 days), B 3 days FS A (Mon 09 – Wed 11 by the logic), and the
constraint on B. The project finishes with B unless said otherwise.
"""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmProblem, compute_critical_path


def feb(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 2, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6))


def task(task_id, start, finish, predecessors=None, constraint=None, on=None, **extra):
    return {
        SCHEDULE.task_id: task_id,
        SCHEDULE.start: feb(start),
        SCHEDULE.finish: feb(finish),
        SCHEDULE.predecessors: predecessors,
        "constraint_type": constraint,
        "constraint_date": feb(on) if on else pd.NaT,
        **extra,
    }


def frame(*rows) -> pd.DataFrame:
    schedule = pd.DataFrame(list(rows))
    for column in (SCHEDULE.start, SCHEDULE.finish, "constraint_date"):
        schedule[column] = pd.to_datetime(schedule[column]).astype("datetime64[us]")
    schedule["constraint_type"] = schedule["constraint_type"].astype("str")
    return schedule


def network(constraint, on, *extra):
    return frame(task("A", 2, 6), task("B", 2, 4, "A", constraint, on), *extra)


def row(result, task_id):
    return result.tasks.loc[result.tasks[CPM.task_id] == task_id].iloc[0]


def dates(result, task_id):
    found = row(result, task_id)
    return found[CPM.early_start], found[CPM.early_finish]


@pytest.mark.parametrize(
    ("constraint", "on", "start", "finish"),
    [
        # start no earlier than Wed 11: Wed 11 – Fri 13; the logic alone gave Mon 09
        ("SNET", 11, feb(11), feb(13)),
        # no earlier than Wed 04: soft, the logic wins (Mon 09)
        ("SNET", 4, feb(9), feb(11)),
        # finish no earlier than Fri 13: Wed 11 – Fri 13
        ("FNET", 13, feb(11), feb(13)),
        # P6's Start On / Finish On are no earlier than in the forward pass
        ("SO", 11, feb(11), feb(13)),
        ("FO", 13, feb(11), feb(13)),
        # a constraint date on Saturday 07: the next working day for a start (Mon 09)
        ("SNET", 7, feb(9), feb(11)),
    ],
)
def test_no_earlier_than_constraints(calendar, constraint, on, start, finish):
    result = compute_critical_path(network(constraint, on), calendar)
    assert dates(result, "B") == (start, finish)
    assert row(result, "B")[CPM.total_float] == 0  # B ends the project


@pytest.mark.parametrize("constraint", ["MSO", "MANDSTART"])
def test_must_start_on_is_hard_and_gives_the_predecessor_negative_float(calendar, constraint):
    """B must start on Thu 05 whatever A: Thu 05 – Mon 09. Its late dates are its early ones
    (float 0); A, which must finish by Wed 04 for B to start Thu 05, finishes Fri 06: −2."""
    result = compute_critical_path(network(constraint, 5), calendar)
    assert dates(result, "B") == (feb(5), feb(9))
    assert row(result, "B")[CPM.total_float] == 0
    assert row(result, "A")[CPM.total_float] == -2
    assert row(result, "A")[CPM.late_finish] == feb(4)


@pytest.mark.parametrize("constraint", ["MFO", "MANDFIN"])
def test_must_finish_on_is_hard(calendar, constraint):
    """B must finish on Tue 10: Fri 06 – Tue 10 against the logic; A must finish Thu 05: −1."""
    result = compute_critical_path(network(constraint, 10), calendar)
    assert dates(result, "B") == (feb(6), feb(10))
    assert row(result, "A")[CPM.total_float] == -1


def test_no_later_than_in_p6_lets_the_logic_win_and_shows_negative_float(calendar):
    """P6 (chosen by its own code SO on a third task): B SNLT Thu 05 stays at Mon 09 – Wed 11
    by the logic; its late start is Thu 05, late finish Mon 09: float −2, and A's too. C (SO
    Mon 16, 1 day, no link) only tells the tool."""
    schedule = network("SNLT", 5, task("C", 16, 16, None, "SO", 16))
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "B") == (feb(9), feb(11))
    assert row(result, "B")[CPM.late_start] == feb(5)
    assert row(result, "B")[CPM.total_float] == -2
    assert row(result, "A")[CPM.total_float] == -2


def test_no_later_than_in_ms_project_holds_the_task_at_its_date(calendar):
    """MS Project honours the constraint against the logic: B SNLT Thu 05 starts Thu 05
    (Thu 05 – Mon 09), and A shows the conflict, −2 days."""
    result = compute_critical_path(network("SNLT", 5), calendar, constraint_style="msproject")
    assert dates(result, "B") == (feb(5), feb(9))
    assert row(result, "A")[CPM.total_float] == -2


def project_file_calendars(rules: str) -> pd.DataFrame:
    """The CALENDARS table a project file brings: one Monday–Friday calendar, whose tool's
    rules are ``rules``."""
    return pd.DataFrame(
        {
            "calendar_id": ["1"],
            "calendar_name": ["Standard"],
            "work_week": ["1111100"],
            "hours_per_day": [8.0],
            "is_default": [True],
            "exception_start": pd.Series([pd.NaT], dtype="datetime64[us]"),
            "exception_finish": pd.Series([pd.NaT], dtype="datetime64[us]"),
            "exception_working": pd.array([pd.NA], dtype="boolean"),
            "scheduling_rules": [rules],
        }
    )


@pytest.mark.parametrize(
    ("rules", "start", "late_start"),
    [("primavera", feb(9), feb(5)), ("msproject", feb(5), feb(5))],
)
def test_a_project_files_own_tool_decides_the_rules_without_a_p6_only_code(
    calendar, rules, start, late_start
):
    """The same SNLT Thu 05 with no P6-only code in sight: from a P6 file (its calendars say
    "primavera") the logic wins, B stays Mon 09; from an MS Project file B is held at Thu 05."""
    result = compute_critical_path(
        network("SNLT", 5), calendar, calendars=project_file_calendars(rules)
    )
    assert dates(result, "B")[0] == start
    assert row(result, "B")[CPM.late_start] == late_start
    assert row(result, "A")[CPM.total_float] == -2


@pytest.mark.parametrize(
    ("style", "start"),
    [("primavera", feb(9)), ("msproject", feb(6))],
)
def test_finish_no_later_than_by_tool(calendar, style, start):
    """B FNLT Tue 10: P6 keeps Mon 09 – Wed 11 (float −1), MS Project moves it to Fri 06 –
    Tue 10."""
    result = compute_critical_path(network("FNLT", 10), calendar, constraint_style=style)
    assert dates(result, "B")[0] == start
    assert row(result, "A")[CPM.total_float] == -1


def test_start_on_in_p6_bounds_both_passes(calendar):
    """B SO Wed 11 with a successor D (1 day) that ends the project later, on Fri 20 by its own
    SNET: B is held at Wed 11 – Fri 13 both ways, float 0, although D leaves room."""
    schedule = network("SO", 11, task("D", 20, 20, "B", "SNET", 20))
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "B") == (feb(11), feb(13))
    assert row(result, "B")[CPM.late_start] == feb(11)
    assert row(result, "B")[CPM.total_float] == 0


def alap_network(constraint="ALAP"):
    """A → B (3 days, Mon 09 – Wed 11) → E (1 day) and A → D (2 days) → E: E on Thu 12."""
    return frame(
        task("A", 2, 6),
        task("B", 2, 4, "A"),
        task("D", 2, 3, "A", constraint),
        task("E", 2, 2, "B; D"),
    )


def test_alap_in_p6_uses_the_free_float(calendar):
    """D would run Mon 09 – Tue 10; as late as E allows: Tue 10 – Wed 11, float 0."""
    result = compute_critical_path(alap_network(), calendar, constraint_style="primavera")
    assert dates(result, "D") == (feb(10), feb(11))
    assert row(result, "D")[CPM.total_float] == 0
    assert dates(result, "E") == (feb(12), feb(12))


def test_alap_in_ms_project_keeps_the_early_dates(calendar):
    result = compute_critical_path(alap_network(), calendar, constraint_style="msproject")
    assert dates(result, "D") == (feb(9), feb(10))
    assert row(result, "D")[CPM.total_float] == 1


def test_a_constraint_without_a_date_or_unknown_is_reported_and_ignored(calendar):
    schedule = frame(task("A", 2, 6), task("B", 2, 4, "A", "SNET"), task("C", 2, 2, "A", "XYZ", 20))
    result = compute_critical_path(schedule, calendar)
    assert CpmProblem("constraint_without_date", ("B",), "SNET") in result.problems
    assert CpmProblem("unknown_constraint", ("C",), "XYZ") in result.problems
    assert dates(result, "B") == (feb(9), feb(11))
    assert dates(result, "C") == (feb(9), feb(9))


def test_a_started_task_keeps_its_actual_start_whatever_its_constraint(calendar):
    """B started Tue 03 (out of sequence) with an SNET Wed 11: the constraint places tasks not
    started; B keeps Tue 03. Status date Wed 04."""
    schedule = network("SNET", 11)
    schedule[SCHEDULE.actual_start] = [feb(2), feb(3)]
    schedule[SCHEDULE.actual_finish] = pd.NaT
    schedule[SCHEDULE.percent_complete] = [40.0, 10.0]
    for column in (SCHEDULE.actual_start, SCHEDULE.actual_finish):
        schedule[column] = schedule[column].astype("datetime64[us]")
    result = compute_critical_path(schedule, calendar, status_date=feb(4))
    assert row(result, "B")[CPM.early_start] == feb(3)
    assert row(result, "B")[CPM.progress_state] == "in_progress"
