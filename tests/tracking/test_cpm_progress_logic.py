"""Progress at the data date: retained logic and progress override, remaining durations, the
project start, worked by hand on February 2026 (Saturday and Sunday off)::

    Mon 02  Tue 03  Wed 04  Thu 05  Fri 06 | Sat 07  Sun 08
    Mon 09  Tue 10  Wed 11  Thu 12  Fri 13 | Sat 14  Sun 15
    Mon 16  Tue 17  Wed 18  Thu 19  Fri 20 | Sat 21  Sun 22
    Mon 23  Tue 24  Wed 25  Thu 26  Fri 27

Status (data) date Mon 09.
"""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from loaders.problems import LoadError
from loaders.project import settings_from_dict
from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, compute_critical_path

STATUS = pd.Timestamp(2026, 2, 9)


def feb(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 2, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6))


def task(task_id, start, finish, predecessors=None, *, actual=None, done=None, percent=0.0, **x):
    return {
        SCHEDULE.task_id: task_id,
        SCHEDULE.start: feb(start),
        SCHEDULE.finish: feb(finish),
        SCHEDULE.predecessors: predecessors,
        SCHEDULE.actual_start: feb(actual) if actual else pd.NaT,
        SCHEDULE.actual_finish: feb(done) if done else pd.NaT,
        SCHEDULE.percent_complete: percent,
        **x,
    }


def frame(*rows) -> pd.DataFrame:
    schedule = pd.DataFrame(list(rows))
    for column in (SCHEDULE.start, SCHEDULE.finish, SCHEDULE.actual_start, SCHEDULE.actual_finish):
        schedule[column] = pd.to_datetime(schedule[column]).astype("datetime64[us]")
    return schedule


def found(result, task_id):
    return result.tasks.loc[result.tasks[CPM.task_id] == task_id].iloc[0]


def out_of_sequence():
    """A (10 days, Mon 02 – Fri 13) started Mon 02, 50 %: 5 days left from Mon 09, Fri 13.
    B (10 days) FS A was started anyway on Thu 05 (out of sequence), 50 %: 5 days left.
    C (1 day) FS B."""
    return frame(
        task("A", 2, 13, actual=2, percent=50.0),
        task("B", 5, 18, "A", actual=5, percent=50.0),
        task("C", 19, 19, "B"),
    )


def test_retained_logic_holds_the_remaining_work_back(calendar):
    """P6's default: B's 5 remaining days wait for A (Fri 13): Mon 16 – Fri 20; C Mon 23. B's
    start stays its actual start, Thu 05."""
    result = compute_critical_path(out_of_sequence(), calendar, STATUS)
    b = found(result, "B")
    assert (b[CPM.early_start], b[CPM.remaining_start], b[CPM.early_finish]) == (
        feb(5),
        feb(16),
        feb(20),
    )
    assert found(result, "C")[CPM.early_start] == feb(23)
    assert result.critical_path == ["A", "B", "C"]


def test_progress_override_lets_the_remaining_work_go_on(calendar):
    """Override: B's remaining work resumes at the data date, Mon 09 – Fri 13, but B never
    finishes before its own planned finish (Wed 18) when the file gives no remaining duration;
    C Thu 19. A's link to B no longer counts: A may finish with the project, Thu 19 (Mon 16 …
    Thu 19: 4 days of float)."""
    result = compute_critical_path(out_of_sequence(), calendar, STATUS, progress_logic="override")
    b = found(result, "B")
    assert b[CPM.remaining_start] == feb(9)
    assert b[CPM.early_finish] == feb(18)
    assert found(result, "C")[CPM.early_start] == feb(19)
    assert found(result, "A")[CPM.total_float] == 4


def test_the_remaining_duration_of_the_file_wins_over_the_percentage(calendar):
    """A started Mon 02 at 50 % of 10 days, but the file says 2 days remain: Mon 09 – Tue 10,
    regardless of its planned finish Fri 13 (the tool computed that remaining duration)."""
    schedule = frame(task("A", 2, 13, actual=2, percent=50.0, remaining_duration=2.0))
    result = compute_critical_path(schedule, calendar, STATUS)
    assert found(result, "A")[CPM.early_finish] == feb(10)


def test_a_task_at_100_percent_without_an_actual_finish(calendar):
    """In a spreadsheet (no remaining duration) 100 % is done, as MS Project sets the actual
    finish; in a P6 file (a remaining duration) it is in progress until its actual finish:
    1 day left from Mon 09."""
    spreadsheet = frame(task("A", 2, 6, actual=2, percent=100.0), task("B", 9, 9, "A"))
    result = compute_critical_path(spreadsheet, calendar, STATUS)
    assert found(result, "A")[CPM.progress_state] == "done"
    p6 = frame(
        task("A", 2, 6, actual=2, percent=100.0, remaining_duration=1.0), task("B", 9, 9, "A")
    )
    result = compute_critical_path(p6, calendar, STATUS)
    assert found(result, "A")[CPM.progress_state] == "in_progress"
    assert found(result, "A")[CPM.early_finish] == feb(9)
    assert found(result, "B")[CPM.early_start] == feb(10)


def test_a_link_between_two_tasks_in_progress_is_kept(calendar):
    """A and B both in progress, B FF A: B's 1 remaining day would end Mon 09, but it cannot
    finish before A (Fri 13)."""
    schedule = frame(
        task("A", 2, 13, actual=2, percent=50.0),
        task("B", 2, 9, "A FF", actual=2, percent=90.0),
    )
    for logic in ("retained", "override"):
        result = compute_critical_path(schedule, calendar, STATUS, progress_logic=logic)
        assert found(result, "B")[CPM.early_finish] == feb(13)


def test_a_negative_lag_never_starts_a_task_before_the_project_start(calendar):
    """A Mon 02 – Tue 03 starts the project; B SS−3 from A would start Wed 28/01: Mon 02. With a
    data date (Wed 04), not before the data date."""
    schedule = frame(task("A", 2, 3), task("B", 2, 2, "A SS-3"))
    result = compute_critical_path(schedule, calendar)
    assert found(result, "B")[CPM.early_start] == feb(2)
    result = compute_critical_path(schedule, calendar, feb(4))
    assert found(result, "B")[CPM.early_start] == feb(4)


def _settings(extra: str) -> dict:
    with open("data/project.toml", "rb") as handle:
        data = tomllib.load(handle)
    data["schedule"].pop("progress_logic", None)
    if extra:
        data["schedule"]["progress_logic"] = extra
    return data


def test_the_progress_logic_setting(monkeypatch):
    """``[schedule] progress_logic``: retained by default, override when set, anything else
    refused with the key named."""
    monkeypatch.chdir(__file__.rsplit("/tests/", 1)[0])
    assert settings_from_dict(_settings("")).progress_logic == "retained"
    assert settings_from_dict(_settings("override")).progress_logic == "override"
    with pytest.raises(LoadError) as refused:
        settings_from_dict(_settings("sometimes"), lang="en")
    assert [p.column for p in refused.value.problems] == ["schedule.progress_logic"]
