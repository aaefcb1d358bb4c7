"""Summary rows (a lot, a phase) in the critical path, worked by hand on February 2026
(Saturday and Sunday off)::

    Mon 02  Tue 03  Wed 04  Thu 05  Fri 06 | Sat 07  Sun 08
    Mon 09  Tue 10  Wed 11  Thu 12  Fri 13 | Sat 14  Sun 15
    Mon 16  Tue 17  Wed 18  Thu 19  Fri 20

LOT1 (summary) holds A (Mon 02 – Tue 03) and the phase PH (summary) with B (Mon 02 – Fri 06).
C follows LOT1 (``C``'s predecessor is the summary): it waits for all of LOT1's tasks, Mon 09.
LOT2 (summary) follows C: its tasks D and E both start after C, Tue 10.
"""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.schema import SCHEDULE
from tracking.calendar import WorkCalendar
from tracking.cpm import CPM, compute_critical_path


def feb(day: int) -> pd.Timestamp:
    return pd.Timestamp(2026, 2, day)


@pytest.fixture
def calendar() -> WorkCalendar:
    return WorkCalendar(weekend_days=(5, 6))


def row(task_id, start, finish, predecessors=None, parent=None, summary=False):
    return {
        SCHEDULE.task_id: task_id,
        SCHEDULE.start: feb(start),
        SCHEDULE.finish: feb(finish),
        SCHEDULE.predecessors: predecessors,
        "summary_id": parent,
        "is_summary": summary,
    }


def schedule() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            # a summary's own dates are a span, never a duration the network counts
            row("LOT1", 2, 20, summary=True),
            row("A", 2, 3, parent="LOT1"),
            row("PH", 2, 6, parent="LOT1", summary=True),
            row("B", 2, 6, parent="PH"),
            row("C", 2, 2, "LOT1"),
            row("LOT2", 2, 13, "C", summary=True),
            row("D", 2, 3, parent="LOT2"),
            row("E", 2, 4, parent="LOT2"),
        ]
    )
    for column in (SCHEDULE.start, SCHEDULE.finish):
        frame[column] = frame[column].astype("datetime64[us]")
    return frame


def found(result, task_id):
    return result.tasks.loc[result.tasks[CPM.task_id] == task_id].iloc[0]


def test_a_link_to_or_from_a_summary_applies_to_its_tasks(calendar):
    result = compute_critical_path(schedule(), calendar)
    c, d, e = (found(result, t) for t in ("C", "D", "E"))
    assert (c[CPM.early_start], c[CPM.early_finish]) == (feb(9), feb(9))
    assert (d[CPM.early_start], d[CPM.early_finish]) == (feb(10), feb(11))
    assert (e[CPM.early_start], e[CPM.early_finish]) == (feb(10), feb(12))
    assert result.project_finish == feb(12)


def test_summaries_are_not_tasks_but_span_their_children(calendar):
    """LOT1 spans A and B: Mon 02 – Fri 06 (not its own Fri 20); LOT2 spans D and E: Tue 10 –
    Thu 12. No duration, no float, never critical, not on the critical path, which is B, C, E
    (A has 3 days of float, D one)."""
    result = compute_critical_path(schedule(), calendar)
    lot1, lot2 = found(result, "LOT1"), found(result, "LOT2")
    assert (lot1[CPM.early_start], lot1[CPM.early_finish]) == (feb(2), feb(6))
    assert (lot2[CPM.early_start], lot2[CPM.early_finish]) == (feb(10), feb(12))
    # late: E (critical) Tue 10 – Thu 12, D Wed 11 – Thu 12
    assert (lot2[CPM.late_start], lot2[CPM.late_finish]) == (feb(10), feb(12))
    for summary in (lot1, lot2, found(result, "PH")):
        assert pd.isna(summary[CPM.total_float]) and pd.isna(summary[CPM.duration])
        assert not summary[CPM.is_critical]
        assert summary[CPM.progress_state] == "summary"
    assert result.critical_path == ["B", "C", "E"]
    assert found(result, "A")[CPM.total_float] == 3
    assert found(result, "D")[CPM.total_float] == 1


def test_a_summary_without_dates_is_not_a_task_without_dates(calendar):
    frame = schedule()
    frame.loc[frame[SCHEDULE.task_id] == "PH", [SCHEDULE.start, SCHEDULE.finish]] = pd.NaT
    result = compute_critical_path(frame, calendar)
    assert [p.code for p in result.problems] == []
    ph = found(result, "PH")
    assert (ph[CPM.early_start], ph[CPM.early_finish]) == (feb(2), feb(6))


def test_a_summary_chain_that_loops_back_does_not_hang(calendar):
    frame = schedule()
    frame.loc[frame[SCHEDULE.task_id] == "LOT1", "summary_id"] = "PH"  # PH ⊂ LOT1 ⊂ PH
    result = compute_critical_path(frame, calendar)
    assert found(result, "C")[CPM.early_start] == feb(9)
