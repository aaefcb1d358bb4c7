"""Critical path on small schedules worked by hand, and on a random one checked against a plain
re-implementation. Calendar: January 2026, Saturday/Sunday off, Wednesday 14/01 a holiday.

    Fri 02 |
    Mon 05  Tue 06  Wed 07  Thu 08  Fri 09  | Sat 10  Sun 11
    Mon 12  Tue 13  Wed 14* Thu 15  Fri 16  | Sat 17  Sun 18
    Mon 19  Tue 20  Wed 21  Thu 22  Fri 23  | Sat 24  Sun 25
    Mon 26  Tue 27  Wed 28  Thu 29  Fri 30
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, CpmProblem, Link, compute_critical_path, parse_predecessors


def jan(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 1, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6), holidays=[dt.date(2026, 1, 14)])


def task(task_id: str, start: int, finish: int, predecessors: str | None = None, **extra) -> dict:
    """One row; ``start``/``finish`` are January days."""
    return {
        SCHEDULE.task_id: task_id,
        SCHEDULE.start: jan(start),
        SCHEDULE.finish: jan(finish),
        SCHEDULE.predecessors: predecessors,
        **extra,
    }


def frame(*rows: dict) -> pd.DataFrame:
    """A schedule with the canonical columns and types the loaders hand over."""
    schedule = pd.DataFrame(list(rows))
    defaults = {
        SCHEDULE.name: "tâche",
        SCHEDULE.lot: "Lot unique",
        SCHEDULE.percent_complete: 0.0,
        SCHEDULE.milestone: False,
        SCHEDULE.actual_start: pd.NaT,
        SCHEDULE.actual_finish: pd.NaT,
    }
    for column, value in defaults.items():
        if column not in schedule:
            schedule[column] = value
    schedule[SCHEDULE.milestone] = schedule[SCHEDULE.milestone].fillna(False).astype(bool)
    schedule[SCHEDULE.percent_complete] = schedule[SCHEDULE.percent_complete].fillna(0.0)
    for column in (SCHEDULE.start, SCHEDULE.finish, SCHEDULE.actual_start, SCHEDULE.actual_finish):
        schedule[column] = pd.to_datetime(schedule[column]).astype("datetime64[us]")
    schedule[SCHEDULE.predecessors] = schedule[SCHEDULE.predecessors].astype("str")
    return schedule


def row(result, task_id: str) -> pd.Series:
    tasks = result.tasks
    return tasks.loc[tasks[CPM.task_id] == task_id].iloc[0]


def dates(result, task_id: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    found = row(result, task_id)
    return found[CPM.early_start], found[CPM.early_finish]


def codes(result) -> list[str]:
    return [problem.code for problem in result.problems]


# ---------------------------------------------------------------------------------------------
# parse_predecessors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T05", [Link("T05", "FS", 0)]),
        ("T07SS+5", [Link("T07", "SS", 5)]),
        ("12FS+5", [Link("12", "FS", 5)]),
        ("T12FF-3", [Link("T12", "FF", -3)]),
        ("8SF", [Link("8", "SF", 0)]),
        ("T3 FS + 2j", [Link("T3", "FS", 2)]),
        ("T3FS+2jo", [Link("T3", "FS", 2)]),
        ("T3 FS +2 jours", [Link("T3", "FS", 2)]),
        ("t3 ss -1 d", [Link("t3", "SS", -1)]),
        ("5ff", [Link("5", "FF", 0)]),
        # MS Project in French: FD = FS, DD = SS, FF = FF, DF = SF
        ("5FD+1", [Link("5", "FS", 1)]),
        ("5DD+2", [Link("5", "SS", 2)]),
        ("5DF-1", [Link("5", "SF", -1)]),
        ("GO-12", [Link("GO-12", "FS", 0)]),  # a dash inside an id is not a lag
        ("GO-12FS+1", [Link("GO-12", "FS", 1)]),
        ("T05+2", [Link("T05", "FS", 2)]),  # a lag without type is FS
        ("T05-2j", [Link("T05", "FS", -2)]),
        ("1;2,3", [Link("1"), Link("2"), Link("3")]),
        (" 4 ; 5SS ;; ", [Link("4"), Link("5", "SS")]),
        ("", []),
        (None, []),
        (float("nan"), []),
        (12.0, [Link("12")]),  # a lone numeric id read from Excel as a number
    ],
)
def test_parse_predecessors(text, expected):
    parsed = parse_predecessors(text)
    assert parsed.links == expected
    assert parsed.bad_items == []


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("+3", ["+3"]),  # no id ("FS+3" would be an id "FS", then an unknown predecessor)
        ("T3 XX+2", ["T3 XX+2"]),  # not a link type
        ("T3FS+2.5x", ["T3FS+2.5x"]),  # not a lag unit (2.5 d and 50 % are read: loaders.links)
        ("T3FS+2ec", ["T3FS+2ec"]),  # elapsed (calendar) days are not supported
        ("A B", ["A B"]),
        ("T1; ??; T2", ["??"]),
    ],
)
def test_parse_predecessors_returns_unreadable_items(text, bad):
    parsed = parse_predecessors(text)
    assert parsed.bad_items == bad
    assert all(link.pred_id in {"T1", "T2"} for link in parsed.links)


def test_parse_predecessors_prefers_a_known_id_over_a_type_suffix():
    assert parse_predecessors("STAFF").links == [Link("STA", "FF", 0)]
    assert parse_predecessors("STAFF", known_ids={"STAFF"}).links == [Link("STAFF", "FS", 0)]


# ---------------------------------------------------------------------------------------------
# Finish-to-start chain


def test_fs_chain_over_a_weekend_and_a_holiday(calendar):
    # Own dates of B, C, D are wrong on purpose: the logic places them.
    # A  Mon 05 – Wed 07 (3 d)
    # B  FS A -> starts Thu 08; 4 d: Thu 08, Fri 09, (weekend), Mon 12, Tue 13 -> Tue 13
    # C  FS B -> Wed 14 is a holiday, starts Thu 15; 2 d: Thu 15, Fri 16 -> Fri 16
    # D  FS C -> over the weekend, starts Mon 19; 3 d: Mon 19, Tue 20, Wed 21 -> Wed 21
    schedule = frame(
        task("A", 5, 7),
        task("B", 5, 8, "A"),
        task("C", 5, 6, "B"),
        task("D", 5, 7, "C"),
    )
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "A") == (jan(5), jan(7))
    assert dates(result, "B") == (jan(8), jan(13))
    assert dates(result, "C") == (jan(15), jan(16))
    assert dates(result, "D") == (jan(19), jan(21))
    assert result.tasks[CPM.duration].tolist() == [3, 4, 2, 3]
    assert result.project_finish == jan(21)
    assert result.critical_path == ["A", "B", "C", "D"]
    assert result.tasks[CPM.total_float].tolist() == [0, 0, 0, 0]
    assert result.tasks[CPM.is_critical].all()
    # late dates equal early dates on the critical path
    assert (result.tasks[CPM.late_start] == result.tasks[CPM.early_start]).all()
    assert (result.tasks[CPM.late_finish] == result.tasks[CPM.early_finish]).all()
    assert result.has_logic and result.problems == []


# ---------------------------------------------------------------------------------------------
# Link types and lags: P is Mon 12 – Mon 19 (5 d: 12 13 15 16 19), S lasts 3 d.


@pytest.mark.parametrize(
    ("link", "start", "finish"),
    [
        ("P", 20, 22),  # FS: the working day after Mon 19
        ("PFS+2", 22, 26),  # Tue 20 and Wed 21 left free; Thu 22, Fri 23, Mon 26
        ("PFS-1", 19, 21),  # overlaps P's last day
        ("PSS", 12, 15),  # same start; 12 13 15
        ("PSS+2", 15, 19),  # Mon 12 + 2 = Thu 15 (holiday skipped); 15 16 19
        ("PSS-2", 8, 12),  # Mon 12 - 2 = Thu 08; 08 09 12
        ("PFF", 15, 19),  # same finish; 15 16 19
        ("PFF+3", 20, 22),  # Mon 19 + 3 = Thu 22
        ("PFF-3", 9, 13),  # Mon 19 - 3 = Tue 13 (16, 15, 13); 09 12 13
        ("PSF", 7, 9),  # finishes the day before P starts: Fri 09
        ("PSF+2", 9, 13),  # Fri 09 + 2 = Tue 13
        ("PSF-2", 5, 7),  # Fri 09 - 2 = Wed 07
        ("PDD+2", 15, 19),  # French SS
        ("PDF", 7, 9),  # French SF
    ],
)
def test_link_types_and_lags(calendar, link, start, finish):
    schedule = frame(task("P", 12, 19), task("S", 5, 7, link))
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "P") == (jan(12), jan(19))
    assert dates(result, "S") == (jan(start), jan(finish))
    assert result.problems == []


def test_negative_ss_lag_leaves_float_on_the_successor(calendar):
    # S (SS-2) runs Thu 08 – Mon 12; the project ends with P on Mon 19:
    # S can slip 13, 15, 16, 19 = 4 working days.
    schedule = frame(task("P", 12, 19), task("S", 5, 7, "PSS-2"))
    result = compute_critical_path(schedule, calendar)
    assert row(result, "S")[CPM.total_float] == 4
    assert row(result, "S")[CPM.late_finish] == jan(19)
    assert row(result, "P")[CPM.total_float] == 0
    assert result.critical_path == ["P"]


# ---------------------------------------------------------------------------------------------
# Milestones


def test_milestone_after_a_task_and_its_successor(calendar):
    # A Mon 05 – Fri 09; M (FS A) sits at the end of Fri 09; B (FS M) starts Mon 12.
    schedule = frame(
        task("A", 5, 9),
        task("M", 5, 5, "A", milestone=True),
        task("B", 5, 6, "M"),
    )
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "M") == (jan(9), jan(9))
    assert dates(result, "B") == (jan(12), jan(13))
    milestone = row(result, "M")
    assert milestone[CPM.duration] == 0
    assert (milestone[CPM.late_start], milestone[CPM.late_finish]) == (jan(9), jan(9))
    assert milestone[CPM.total_float] == 0 and milestone[CPM.is_critical]
    assert result.critical_path == ["A", "M", "B"]


def test_milestone_without_predecessor_starts_its_successors_the_same_day(calendar):
    # "OS n°1" on Mon 05: site set-up (FS OS) starts Mon 05, as on the planner's chart.
    schedule = frame(task("OS", 5, 5, milestone=True), task("INST", 12, 15, "OS"))  # 3 d
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "OS") == (jan(5), jan(5))
    assert dates(result, "INST") == (jan(5), jan(7))


@pytest.mark.parametrize(
    ("link", "day"),
    [("P", 19), ("PSS", 12), ("PFF", 19), ("PSS+1", 13), ("PFS+1", 20)],
)
def test_milestone_date_from_each_link(calendar, link, day):
    # P Mon 12 – Mon 19. FS+1 from Mon 19: one working day later, Tue 20.
    schedule = frame(task("P", 12, 19), task("M", 5, 5, link, milestone=True))
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "M") == (jan(day), jan(day))


# ---------------------------------------------------------------------------------------------
# Float


def test_parallel_branches_only_the_long_one_is_critical(calendar):
    # A  Mon 05 – Tue 06
    # B  FS A, 5 d: Wed 07 – Tue 13          (long branch)
    # C  FS A, 2 d: Wed 07 – Thu 08          (short branch) then
    # E  FS C, 1 d: Fri 09
    # D  FS B, FS E, 1 d: Thu 15 (Wed 14 is a holiday)
    # Late: D starts Thu 15 -> E must finish Tue 13 -> C must finish Mon 12.
    # C: total float 2 (Fri 09, Mon 12), free float 0 (E follows at once);
    # E: total float 2 (Mon 12, Tue 13), free float 2.
    schedule = frame(
        task("A", 5, 6),
        task("B", 5, 9, "A"),
        task("C", 5, 6, "A"),
        task("E", 5, 5, "C"),
        task("D", 5, 5, "B; E"),
    )
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "B") == (jan(7), jan(13))
    assert dates(result, "C") == (jan(7), jan(8))
    assert dates(result, "E") == (jan(9), jan(9))
    assert dates(result, "D") == (jan(15), jan(15))
    short = row(result, "C")
    assert (short[CPM.late_start], short[CPM.late_finish]) == (jan(9), jan(12))
    assert short[CPM.total_float] == 2 and short[CPM.free_float] == 0
    assert not short[CPM.is_critical]
    assert row(result, "E")[CPM.total_float] == 2
    assert row(result, "E")[CPM.free_float] == 2
    assert result.critical_path == ["A", "B", "D"]
    assert result.tasks[CPM.is_critical].tolist() == [True, True, False, False, True]
    assert result.project_finish == jan(15)


def test_deadline_before_the_finish_gives_negative_float(calendar):
    # A Mon 05 – Fri 09; B FS A, 3 d: Mon 12, Tue 13, Thu 15; C FS A, 1 d: Mon 12.
    # Contractual end Tue 13: B must finish Tue 13 but finishes Thu 15 -> float -1 (the holiday
    # Wed 14 is not a working day); A must finish Thu 08 -> -1; C may finish Tue 13 -> +1.
    schedule = frame(task("A", 5, 9), task("B", 5, 7, "A"), task("C", 5, 5, "A"))
    result = compute_critical_path(schedule, calendar, deadline=dt.date(2026, 1, 13))
    assert result.tasks[CPM.total_float].tolist() == [-1, -1, 1]
    assert row(result, "B")[CPM.late_finish] == jan(13)
    assert row(result, "A")[CPM.late_finish] == jan(8)
    assert result.tasks[CPM.is_critical].tolist() == [True, True, False]
    assert result.critical_path == ["A", "B"]
    assert result.project_finish == jan(15)  # the forecast does not move


def test_deadline_after_the_finish_keeps_the_driving_chain_critical(calendar):
    # Same schedule, deadline Fri 23: B can slip 16 19 20 21 22 23 = 6 days, C 8 days.
    schedule = frame(task("A", 5, 9), task("B", 5, 7, "A"), task("C", 5, 5, "A"))
    result = compute_critical_path(schedule, calendar, deadline=pd.Timestamp(2026, 1, 23))
    assert result.tasks[CPM.total_float].tolist() == [6, 6, 8]
    assert result.tasks[CPM.is_critical].tolist() == [True, True, False]
    assert result.critical_path == ["A", "B"]


# ---------------------------------------------------------------------------------------------
# Problems


def test_loop_of_three_tasks_is_reported_and_the_rest_computed(calendar):
    # T1 -> T2 -> T3 -> T1; the link closing the loop (T3 -> T1) is left out, so the chain
    # T0 Mon 05, T1 Tue 06, T2 Wed 07, T3 Thu 08, T4 Fri 09 remains.
    schedule = frame(
        task("T0", 5, 5),
        task("T1", 5, 5, "T0; T3"),
        task("T2", 5, 5, "T1"),
        task("T3", 5, 5, "T2"),
        task("T4", 5, 5, "T3"),
    )
    result = compute_critical_path(schedule, calendar)
    assert result.problems == [
        CpmProblem("loop", ("T1", "T2", "T3"), "T1 → T2 → T3 → T1"),
        CpmProblem("loop_link_dropped", ("T3", "T1"), "T3 → T1"),
    ]
    assert [dates(result, f"T{i}")[0] for i in range(5)] == [jan(d) for d in (5, 6, 7, 8, 9)]
    assert result.critical_path == ["T0", "T1", "T2", "T3", "T4"]


def test_each_loop_is_reported_and_a_task_cannot_follow_itself(calendar):
    schedule = frame(
        task("X", 5, 5, "Y"),
        task("Y", 5, 5, "X"),
        task("Z", 5, 5, "Z"),
        task("W", 5, 5, "X"),
    )
    result = compute_critical_path(schedule, calendar)
    loops = {p.task_ids: p.detail for p in result.problems if p.code == "loop"}
    assert loops == {("Z",): "Z → Z", ("X", "Y"): "X → Y → X"}
    # the link that closes the two-task loop is named; a task after itself has one link only
    dropped = [p.detail for p in result.problems if p.code == "loop_link_dropped"]
    assert dropped == ["Y → X"]
    assert {problem.code for problem in result.problems} == {"loop", "loop_link_dropped"}
    assert dates(result, "Y") == (jan(6), jan(6))  # X -> Y kept, Y -> X dropped


def test_unknown_predecessor_is_reported_and_ignored(calendar):
    schedule = frame(task("A", 5, 6), task("B", 5, 6, "A; ZZ"))
    result = compute_critical_path(schedule, calendar)
    assert result.problems == [CpmProblem("unknown_predecessor", ("B",), "ZZ")]
    assert dates(result, "B") == (jan(7), jan(8))
    assert result.critical_path == ["A", "B"]


def test_unreadable_link_is_reported_and_ignored(calendar):
    schedule = frame(task("A", 5, 6), task("B", 5, 6, "A; A XX+2; ??"))
    result = compute_critical_path(schedule, calendar)
    assert result.problems == [
        CpmProblem("bad_link", ("B",), "A XX+2"),
        CpmProblem("bad_link", ("B",), "??"),
    ]
    assert dates(result, "B") == (jan(7), jan(8))


def test_the_grammar_is_the_loaders_one():
    """One definition: the schedule loader refuses exactly what the network cannot read."""
    import loaders.links

    assert parse_predecessors is loaders.links.parse_predecessors
    assert Link is loaders.links.Link


def test_a_lag_beyond_the_bound_is_reported_and_left_out(calendar):
    """``T04FS+99999999`` once crashed the calendar; the link is dropped, B keeps its dates."""
    schedule = frame(task("T04", 5, 6), task("B", 7, 8, "T04FS+99999999"), task("C", 9, 9, "B"))
    result = compute_critical_path(schedule, calendar)
    assert result.problems == [CpmProblem("lag_too_large", ("B",), "T04FS+99999999")]
    assert dates(result, "B") == (jan(7), jan(8))
    assert result.project_finish == jan(9)


def test_the_lag_bound_is_a_parameter_and_holds_either_way(calendar):
    schedule = frame(task("A", 5, 6), task("B", 7, 8, "AFS+20"), task("C", 7, 7, "ASS-20j"))
    result = compute_critical_path(schedule, calendar, max_lag_days=10)
    assert result.problems == [
        CpmProblem("lag_too_large", ("B",), "AFS+20"),
        CpmProblem("lag_too_large", ("C",), "ASS-20"),
        CpmProblem("no_logic"),
    ]
    # without the bound, FS+20 from A (finish Tue 06): 20 free working days, 07/01 … 04/02 with
    # the 14/01 holiday skipped (17 in January, 3 in February), so B starts Thu 05/02
    assert dates(compute_critical_path(schedule, calendar), "B")[0] == pd.Timestamp(2026, 2, 5)


def test_a_lag_of_a_thousand_digits_is_too_large_not_a_crash(calendar):
    schedule = frame(task("A", 5, 6), task("B", 7, 8, "AFS+" + "9" * 1000))
    result = compute_critical_path(schedule, calendar)
    assert [problem.code for problem in result.problems] == ["lag_too_large", "no_logic"]


def test_lags_that_add_up_beyond_year_9999_are_cut_there_and_reported(calendar):
    """Each lag is within the bound, but 1 000 of them chained go past the last date a
    timestamp can show: dates stop at 30/12/9999 (the last working day before 31/12/9999)
    instead of wrapping round to negative years."""
    rows = [task("T0", 5, 5)] + [task(f"T{i}", 5, 5, f"T{i - 1}FS+3650") for i in range(1, 1000)]
    result = compute_critical_path(frame(*rows), calendar)
    # each link moves the finish 3 651 working days (the lag and the 1-day task); 05/01/2026 to
    # 30/12/9999 is 7 974 years of 260.89 weekdays, 2 080 335 working days = 569.8 links: T569
    # still ends in 9999, T570 is the first beyond (the problem names five)
    assert result.problems == [
        CpmProblem("beyond_horizon", ("T570", "T571", "T572", "T573", "T574"))
    ]
    finishes = result.tasks[CPM.early_finish]
    assert finishes.max() == pd.Timestamp(9999, 12, 30)
    assert finishes.is_monotonic_increasing
    assert result.project_finish == pd.Timestamp(9999, 12, 30)


def test_ids_match_whatever_the_case_and_numeric_ids(calendar):
    schedule = frame(task("T01", 5, 6), task("12", 5, 5, "t01"), task("13", 5, 5, "12FS+1"))
    result = compute_critical_path(schedule, calendar)
    assert dates(result, "12") == (jan(7), jan(7))
    assert dates(result, "13") == (jan(9), jan(9))


def test_no_predecessors_at_all_invents_no_critical_path(calendar):
    schedule = frame(task("A", 5, 9), task("B", 12, 16), task("C", 19, 23))
    result = compute_critical_path(schedule, calendar)
    assert not result.has_logic
    assert codes(result) == ["no_logic"]
    assert result.critical_path == []
    assert not result.tasks[CPM.is_critical].any()
    assert result.tasks[CPM.early_start].tolist() == [jan(5), jan(12), jan(19)]
    assert result.tasks[CPM.late_start].isna().all()
    assert result.tasks[CPM.total_float].isna().all()
    assert result.project_finish == jan(23)


def test_only_broken_links_is_no_logic_either(calendar):
    schedule = frame(task("A", 5, 9), task("B", 12, 16, "ZZ"))
    result = compute_critical_path(schedule, calendar)
    assert not result.has_logic
    assert codes(result) == ["unknown_predecessor", "no_logic"]
    assert not result.tasks[CPM.is_critical].any()


def test_duplicate_ids_and_tasks_without_dates(calendar):
    schedule = frame(task("A", 5, 6), task("A", 7, 8), task("B", 5, 5, "A"), task("C", 5, 5))
    schedule.loc[3, [SCHEDULE.start, SCHEDULE.finish]] = pd.NaT
    result = compute_critical_path(schedule, calendar)
    assert codes(result) == ["duplicate_task_id", "missing_dates"]
    assert dates(result, "B") == (jan(7), jan(7))  # follows the first "A"
    gone = result.tasks.iloc[3]
    assert gone[CPM.progress_state] == "excluded"
    assert pd.isna(gone[CPM.early_start]) and pd.isna(gone[CPM.duration])
    assert not gone[CPM.is_critical]


def test_finish_before_start_is_reported(calendar):
    schedule = frame(task("A", 9, 5), task("B", 5, 5, "A"))
    result = compute_critical_path(schedule, calendar)
    assert codes(result) == ["finish_before_start"]
    assert dates(result, "A") == (jan(9), jan(9))  # read as one day
    assert dates(result, "B") == (jan(12), jan(12))


def test_empty_schedule(calendar):
    result = compute_critical_path(frame(task("A", 5, 5)).iloc[0:0], calendar)
    assert result.tasks.empty and result.project_finish is None and result.critical_path == []


# ---------------------------------------------------------------------------------------------
# Status date


def progress_schedule() -> pd.DataFrame:
    return frame(
        # done: planned Mon 05 – Wed 07, actually Mon 05 – Thu 08
        task("A", 5, 7, actual_start=jan(5), actual_finish=jan(8), percent_complete=100.0),
        # in progress: planned Thu 08 – Thu 22 (10 d), started Fri 09, 10 %:
        # remaining ⌈10 × 0.9⌉ = 9 d from Mon 12: 12 13 15 16 19 20 21 22 23 -> Fri 23
        task("B", 8, 22, "A", actual_start=jan(9), percent_complete=10.0),
        # in progress, 70 %: remaining 3 d (12 13 15) -> Thu 15, but its own finish Thu 22 is later
        task("B2", 8, 22, "A", actual_start=jan(8), percent_complete=70.0),
        # not started, FS A: would follow A on Fri 09, cannot start before the status date
        task("C", 9, 9, "A"),
        # not started, no predecessor, planned before the status date: pushed to Mon 12
        task("D", 5, 6),
        # not started, planned after the status date: unchanged
        task("F", 19, 20),
        # 100 % without actual dates: done at its own dates
        task("G", 5, 6, percent_complete=100.0),
        # after B: Mon 26
        task("H", 8, 8, "B"),
    )


@pytest.mark.parametrize("status_date", [dt.date(2026, 1, 12), pd.Timestamp(2026, 1, 10)])
def test_status_date_progress(calendar, status_date):
    # Status date Mon 12 (Saturday 10 reads the same: the next working day).
    result = compute_critical_path(progress_schedule(), calendar, status_date=status_date)
    assert dates(result, "A") == (jan(5), jan(8))
    assert dates(result, "B") == (jan(9), jan(23))
    assert dates(result, "B2") == (jan(8), jan(22))
    assert dates(result, "C") == (jan(12), jan(12))
    assert dates(result, "D") == (jan(12), jan(13))
    assert dates(result, "F") == (jan(19), jan(20))
    assert dates(result, "G") == (jan(5), jan(6))
    assert dates(result, "H") == (jan(26), jan(26))
    assert result.tasks[CPM.progress_state].tolist() == [
        "done",
        "in_progress",
        "in_progress",
        "not_started",
        "not_started",
        "not_started",
        "done",
        "not_started",
    ]
    done = row(result, "A")
    assert pd.isna(done[CPM.total_float]) and not done[CPM.is_critical]
    assert row(result, "B")[CPM.late_start] == jan(9)  # an actual start does not move
    assert row(result, "B")[CPM.late_finish] == jan(23)
    assert row(result, "B2")[CPM.total_float] == 2  # Fri 23, Mon 26
    assert result.critical_path == ["B", "H"]
    assert result.project_finish == jan(26)


def test_without_status_date_progress_is_ignored(calendar):
    result = compute_critical_path(progress_schedule(), calendar)
    assert dates(result, "A") == (jan(5), jan(7))  # the plan, not the actuals
    assert dates(result, "C") == (jan(8), jan(8))
    assert set(result.tasks[CPM.progress_state]) == {"planned"}


def test_reached_milestone_is_fixed_at_its_date(calendar):
    schedule = frame(
        task("OS", 5, 5, milestone=True, actual_finish=jan(6), percent_complete=100.0),
        task("INST", 5, 7, "OS"),
    )
    result = compute_critical_path(schedule, calendar, status_date=dt.date(2026, 1, 5))
    assert dates(result, "OS") == (jan(6), jan(6))
    assert dates(result, "INST") == (jan(6), jan(8))


# ---------------------------------------------------------------------------------------------
# Frame contract


def test_result_keeps_the_index_and_leaves_the_input_alone(calendar):
    schedule = frame(task("A", 5, 6), task("B", 5, 6, "A")).set_axis([7, 8])  # Excel rows
    before = schedule.copy()
    result = compute_critical_path(schedule, calendar, status_date=dt.date(2026, 1, 5))
    pd.testing.assert_frame_equal(schedule, before)
    assert list(result.tasks.index) == [7, 8]
    assert result.tasks[CPM.early_start].dtype == "datetime64[us]"
    assert result.tasks[CPM.total_float].dtype == "Int64"
    assert result.tasks[CPM.is_critical].dtype == bool
    assert result.tasks[CPM.task_id].dtype == "str"


def test_optional_columns_may_be_absent(calendar):
    schedule = pd.DataFrame(
        {
            SCHEDULE.task_id: ["A", "B"],
            SCHEDULE.start: pd.to_datetime(["2026-01-05", "2026-01-05"]),
            SCHEDULE.finish: pd.to_datetime(["2026-01-06", "2026-01-06"]),
            SCHEDULE.predecessors: [None, "A"],
        }
    )
    result = compute_critical_path(schedule, calendar, status_date=dt.date(2026, 1, 5))
    assert dates(result, "B") == (jan(7), jan(8))


# ---------------------------------------------------------------------------------------------
# Random network against a plain re-implementation on working-day numbers (no milestones):
# FS: ES ≥ EF(p) + 1 + lag · SS: ES ≥ ES(p) + lag · FF: EF ≥ EF(p) + lag · SF: EF ≥ ES(p) − 1 + lag
# and, as P6 and MS Project, never before the project start (the earliest start of the schedule)


def random_schedule(tasks: int, links: int, seed: int) -> tuple[pd.DataFrame, list]:
    rng = np.random.default_rng(seed)
    calendar = WorkCalendar((5, 6), [dt.date(2026, 1, 14)])
    durations = rng.integers(1, 15, tasks)
    starts = calendar.add_working_days_array(
        np.full(tasks, np.datetime64("2026-01-05")), rng.integers(0, 60, tasks)
    )
    finishes = calendar.add_working_days_array(starts, durations - 1)
    succ = rng.integers(1, tasks, links)
    pred = (rng.random(links) * succ).astype(int)
    kinds = rng.choice(["FS", "SS", "FF", "SF"], links)
    lags = rng.integers(-3, 5, links)
    text: list[list[str]] = [[] for _ in range(tasks)]
    for p, s, kind, lag in zip(pred, succ, kinds, lags, strict=True):
        text[s].append(f"T{p}{kind}{lag:+d}")
    schedule = pd.DataFrame(
        {
            SCHEDULE.task_id: [f"T{i}" for i in range(tasks)],
            SCHEDULE.start: starts.astype("datetime64[us]"),
            SCHEDULE.finish: finishes.astype("datetime64[us]"),
            SCHEDULE.predecessors: [";".join(items) or None for items in text],
        }
    )
    edges = list(zip(pred.tolist(), succ.tolist(), kinds.tolist(), lags.tolist(), strict=True))
    return schedule, edges


def reference_cpm(start: list[int], duration: list[int], edges: list) -> tuple[list, list]:
    n = len(start)
    incoming: list[list] = [[] for _ in range(n)]
    outgoing: list[list] = [[] for _ in range(n)]
    for p, s, kind, lag in edges:
        incoming[s].append((p, kind, lag))
        outgoing[p].append((s, kind, lag))
    es, ef = [0] * n, [0] * n
    project_start = min(start)
    for i in range(n):  # links go from lower to higher numbers: row order is topological
        d = duration[i]
        if incoming[i]:
            bounds = [project_start]  # a negative lag never starts a task before the project
            for p, kind, lag in incoming[i]:
                bounds.append(
                    {
                        "FS": ef[p] + 1 + lag,
                        "SS": es[p] + lag,
                        "FF": ef[p] + lag - d + 1,
                        "SF": es[p] - 1 + lag - d + 1,
                    }[kind]
                )
            es[i] = max(bounds)
        else:
            es[i] = start[i]
        ef[i] = es[i] + d - 1
    finish = max(ef)
    lf = [0] * n
    for i in reversed(range(n)):
        d = duration[i]
        bounds = [finish]
        for s, kind, lag in outgoing[i]:
            ls_s = lf[s] - duration[s] + 1
            bounds.append(
                {
                    "FS": ls_s - 1 - lag,
                    "SS": ls_s - lag + d - 1,
                    "FF": lf[s] - lag,
                    "SF": lf[s] + 1 - lag + d - 1,
                }[kind]
            )
        lf[i] = min(bounds)
    return es, [lf[i] - ef[i] for i in range(n)]


@pytest.mark.parametrize(("tasks", "links", "seed"), [(60, 90, 1), (4000, 6000, 2)])
def test_random_network_matches_a_plain_reimplementation(calendar, tasks, links, seed):
    schedule, edges = random_schedule(tasks, links, seed)
    began = time.perf_counter()
    result = compute_critical_path(schedule, calendar)
    elapsed = time.perf_counter() - began
    start = calendar.day_index(schedule[SCHEDULE.start]).tolist()
    duration = (calendar.day_index(schedule[SCHEDULE.finish], side="finish") + 1).tolist()
    duration = [d - s for d, s in zip(duration, start, strict=True)]
    es, total_float = reference_cpm(start, duration, edges)
    assert calendar.day_index(result.tasks[CPM.early_start]).tolist() == es
    assert result.tasks[CPM.total_float].tolist() == total_float
    assert min(total_float) == 0
    assert result.tasks[CPM.is_critical].tolist() == [f <= 0 for f in total_float]
    free = result.tasks[CPM.free_float].tolist()
    assert all(0 <= f <= t for f, t in zip(free, total_float, strict=True))
    assert elapsed < 2.0  # about 0.05 s on a laptop; see scripts/bench_cpm.py
