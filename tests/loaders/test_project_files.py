"""Planning-software files read through MPXJ (``loaders.project_files``), checked against the
files themselves read here without MPXJ.

The real files (``../shared/realworld``, see its SOURCES.md) are parsed independently: the MS
Project XML (MSPDI) with ``xml.etree.ElementTree``, the Primavera XER with the ``csv`` module on
its tab-separated ``%T``/``%F``/``%R`` lines, the MPX with ``csv`` on its ``;`` records, the
GanttProject file with ElementTree. What ``load_schedule`` returns is compared with that reading:
task counts, ids, names, outline, summary and milestone flags, % complete, baselines, links with
their type and lag, calendars, warnings. Where a tool writes a time of day, the day follows the
rule of the loader's module docstring, derived here with numpy's business days: a start at or
after the end of the working day (17:00) is the next working day, a finish at or before its
beginning (08:00, or midnight) ends the previous one, never before the start; a milestone is on
the day of its date.

Refusals are built in code from the small MSPDI and XER (a DOCTYPE, cut bytes, a dangling link,
a loop, a task without dates), each checked for its code, the task it names and its message in
French (the default) and English. A hypothesis property damages those two files at random: they
load or are refused with problems, never another exception.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import LoadError, load_schedule
from loaders.limits import ReadLimits
from loaders.problems import LoadResult, Problem
from loaders.schema import CALENDARS, SCHEDULE
from tests.conftest import realworld_path
from tests.loaders.test_cli import run_check

pytestmark = pytest.mark.realworld

NS = {"p": "http://schemas.microsoft.com/project"}
#: MSPDI ``PredecessorLink/Type``: 0 FF, 1 FS, 2 SF, 3 SS (the MSPDI schema)
MSPDI_LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
#: GanttProject ``depend/@type``: 1 SS, 2 FS, 3 FF, 4 SF
GAN_LINK_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}
#: MPX predecessors in German: Ende-Anfang, Anfang-Anfang, Ende-Ende, Anfang-Ende; ``t`` = Tage
MPX_LINK_TYPES = {"EA": "FS", "AA": "SS", "EE": "FF", "AE": "SF"}
#: MS Project's default working day, 08:00-17:00 (the Standard calendar of these files)
DAY_BEGINS, DAY_ENDS = dt.time(8, 0), dt.time(17, 0)
#: a predecessor item as the loader writes it: ``"12"``, ``"10 FS+8h"``, ``"A1000 SS-1.5d"``
LINK_ITEM = re.compile(
    r"^(?P<pred>\S+)(?: (?P<kind>FS|SS|FF|SF)(?P<lag>[+-][\d.]+)(?P<unit>h|d|w))?$"
)


# --- independent readings of the files ------------------------------------------------------


def read_bytes(name: str) -> bytes:
    data = realworld_path(name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def load_bytes(data: bytes, name: str, lang: str = "fr") -> LoadResult:
    stream = io.BytesIO(data)
    stream.name = name
    return load_schedule(stream, lang=lang)


def refusal(data: bytes, name: str, lang: str = "fr") -> LoadError:
    with pytest.raises(LoadError) as caught:
        load_bytes(data, name, lang)
    return caught.value


def stamp(text: str | None) -> dt.datetime | None:
    return None if not text else dt.datetime.fromisoformat(text.replace(" ", "T"))


def start_day(value: dt.datetime, weekmask: str = "1111100") -> pd.Timestamp:
    """MS Project / P6: a start at or after the end of the working day is the next working day."""
    day = np.datetime64(value.date(), "D")
    if value.time() >= DAY_ENDS:
        day = np.busday_offset(day, 1, roll="forward", weekmask=weekmask)
    return pd.Timestamp(day)


def finish_day(value: dt.datetime, weekmask: str = "1111100") -> pd.Timestamp:
    """A finish at or before the beginning of the working day ends the previous working day."""
    day = np.datetime64(value.date(), "D")
    if value.time() <= DAY_BEGINS:
        day = np.busday_offset(day, -1, roll="backward", weekmask=weekmask)
    return pd.Timestamp(day)


def days_of(start: str | None, finish: str | None, milestone: bool) -> tuple:
    first, last = stamp(start), stamp(finish)
    if first is None or last is None:
        return (pd.NaT, pd.NaT)
    if milestone:
        return (pd.Timestamp(first.date()), pd.Timestamp(last.date()))
    begin, end = start_day(first), finish_day(last)
    return (begin, max(begin, end))


def mspdi_tasks(data: bytes) -> tuple[ET.Element, list[dict]]:
    """The tasks of an MSPDI file (the project's own summary, outline level 0, left out), with
    the parent found from the outline levels in document order."""
    root = ET.fromstring(data)
    tasks: list[dict] = []
    by_uid: dict[str, str] = {}
    stack: list[str] = []
    for element in root.findall("p:Tasks/p:Task", NS):

        def text(tag: str, element: ET.Element = element) -> str | None:
            return element.findtext(f"p:{tag}", namespaces=NS)

        level = int(text("OutlineLevel") or 0)
        by_uid[text("UID")] = text("ID")
        if level == 0:
            continue
        del stack[level - 1 :]
        baseline0 = [
            b
            for b in element.findall("p:Baseline", NS)
            if b.findtext("p:Number", namespaces=NS) == "0"
        ]
        base = baseline0[0] if baseline0 else None
        tasks.append(
            {
                "uid": text("UID"),
                "id": text("ID"),
                "name": text("Name"),
                "level": level,
                "parent": stack[-1] if stack else None,
                "summary": text("Summary") == "1",
                "milestone": text("Milestone") == "1",
                "start": text("Start"),
                "finish": text("Finish"),
                "percent": float(text("PercentComplete") or 0),
                "baseline_start": None if base is None else base.findtext("p:Start", namespaces=NS),
                "baseline_finish": None
                if base is None
                else base.findtext("p:Finish", namespaces=NS),
                "links": [
                    (
                        link.findtext("p:PredecessorUID", namespaces=NS),
                        MSPDI_LINK_TYPES[link.findtext("p:Type", namespaces=NS)],
                        # LinkLag is in tenths of a minute
                        int(link.findtext("p:LinkLag", namespaces=NS) or 0) / 600,
                    )
                    for link in element.findall("p:PredecessorLink", NS)
                ],
            }
        )
        stack.append(text("ID"))
    for task in tasks:  # predecessor UIDs -> the IDs the schedule shows
        task["links"] = sorted((by_uid[uid], kind, hours) for uid, kind, hours in task["links"])
    return root, tasks


def xer_tables(data: bytes) -> dict[str, list[dict[str, str]]]:
    """Every table of an XER: ``%T`` names it, ``%F`` its fields, each ``%R`` a record."""
    tables: dict[str, list[dict[str, str]]] = {}
    fields: list[str] = []
    rows = csv.reader(io.StringIO(data.decode("cp1252")), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in rows:
        if not row:
            continue
        if row[0] == "%T":
            current = tables.setdefault(row[1], [])
        elif row[0] == "%F":
            fields = row[1:]
        elif row[0] == "%R":
            # P6 doubles a quote inside a text (SP10: ``Thames Water 12"" crossing``, 12 inches)
            values = [value.replace('""', '"') for value in row[1:]]
            current.append(dict(zip(fields, values, strict=False)))
    return tables


def link_hours(text: object, hours_per_day: float) -> list[tuple[str, str, float]]:
    """The loader's predecessor text as (predecessor id, type, lag in hours)."""
    if not isinstance(text, str):
        return []
    links = []
    for item in text.split("; "):
        match = LINK_ITEM.match(item)
        assert match, item
        lag = float(match["lag"] or 0)
        per_unit = {"h": 1, "d": hours_per_day, "w": 5 * hours_per_day, None: 0}[match["unit"]]
        links.append((match["pred"], match["kind"] or "FS", lag * per_unit))
    return sorted(links)


def en_message(problem: Problem) -> str:
    return problem.render("en").message


# --- MS Project XML (MSPDI) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["mpxj_sample1.xml", "task-baselines-project2016-mspdi.xml", "mspditimephased.xml"]
)
def test_mspdi_tasks_outline_and_percent_are_those_of_the_xml(name):
    _, tasks = mspdi_tasks(read_bytes(name))
    frame = load_schedule(realworld_path(name), lang="en").frame

    assert len(frame) == len(tasks)
    assert (~frame[SCHEDULE.is_summary]).sum() == sum(not t["summary"] for t in tasks)
    assert frame[SCHEDULE.task_id].tolist() == [t["id"] for t in tasks]
    assert frame[SCHEDULE.unique_id].tolist() == [t["uid"] for t in tasks]
    assert frame[SCHEDULE.name].tolist() == [t["name"] for t in tasks]
    assert frame[SCHEDULE.is_summary].tolist() == [t["summary"] for t in tasks]
    assert frame[SCHEDULE.milestone].tolist() == [t["milestone"] for t in tasks]
    assert frame[SCHEDULE.outline_level].tolist() == [float(t["level"]) for t in tasks]
    parents = (
        frame[SCHEDULE.summary_id].astype(object).where(frame[SCHEDULE.summary_id].notna(), None)
    )
    assert parents.tolist() == [t["parent"] for t in tasks]
    assert frame[SCHEDULE.percent_complete].tolist() == [t["percent"] for t in tasks]


def test_mspdi_sample_counts_as_sources_md_describes_it():
    """SOURCES.md: 23 tasks at outline levels 0-3, 5 summaries, 1 milestone; the project's own
    task (level 0, itself a summary) is no row: 22 rows, 4 of them summaries."""
    frame = load_schedule(realworld_path("mpxj_sample1.xml")).frame
    assert len(frame) == 22
    assert int(frame[SCHEDULE.is_summary].sum()) == 4
    assert frame.loc[frame[SCHEDULE.milestone], SCHEDULE.name].tolist() == ["Third task"]
    assert sorted(frame[SCHEDULE.outline_level].unique()) == [1.0, 2.0, 3.0]


def test_mspdi_timephased_percentages_are_partial_where_the_xml_says():
    """SOURCES.md: 0 % on 20 tasks, 100 % on 10 and 33/50/60 % on 11, counting the project's
    own task (33 %), which is no row."""
    frame = load_schedule(realworld_path("mspditimephased.xml")).frame
    counts = Counter(frame[SCHEDULE.percent_complete])
    assert counts[0.0] == 20 and counts[100.0] == 10
    assert sum(n for p, n in counts.items() if 0 < p < 100) == 10
    assert len(frame) == 40


@pytest.mark.parametrize("name", ["mpxj_sample1.xml", "task-baselines-project2016-mspdi.xml"])
def test_mspdi_dates_are_the_days_of_the_xml_stamps(name):
    _, tasks = mspdi_tasks(read_bytes(name))
    frame = load_schedule(realworld_path(name), lang="en").frame
    expected = [days_of(t["start"], t["finish"], t["milestone"]) for t in tasks]
    assert frame[SCHEDULE.start].tolist() == [s for s, _ in expected]
    assert frame[SCHEDULE.finish].tolist() == [f for _, f in expected]


def test_mspdi_sample_dates_written_at_the_edges_of_the_day():
    """``Second Task`` finishes at 18/03/2003 08:00, no work that day: 17/03; ``Assigned Task 2``
    starts 07/01/2003 23:00, after the day's work: 08/01; ``Third task`` is a milestone on 07/01."""
    frame = load_schedule(realworld_path("mpxj_sample1.xml")).frame.set_index(SCHEDULE.name)
    assert frame.loc["Second Task", SCHEDULE.finish] == pd.Timestamp(2003, 3, 17)
    assert frame.loc["Assigned Task 2", SCHEDULE.start] == pd.Timestamp(2003, 1, 8)
    assert (
        frame.loc["Third task", [SCHEDULE.start, SCHEDULE.finish]].tolist()
        == [pd.Timestamp(2003, 1, 7)] * 2
    )


def test_mspdi_baseline_is_baseline_0_not_the_first_baseline_saved():
    """task-baselines: Baselines 0 to 10 are saved on 22 tasks; only Baseline 0 is the
    baseline. Its dates (09:00, inside the working day) are on their own day, even the Saturday
    01/03/2014."""
    _, tasks = mspdi_tasks(read_bytes("task-baselines-project2016-mspdi.xml"))
    frame = load_schedule(realworld_path("task-baselines-project2016-mspdi.xml")).frame

    def day(text: str | None):
        return pd.NaT if text is None else pd.Timestamp(stamp(text).date())

    assert frame[SCHEDULE.baseline_start].tolist() == [day(t["baseline_start"]) for t in tasks]
    assert frame[SCHEDULE.baseline_finish].tolist() == [day(t["baseline_finish"]) for t in tasks]
    dated = frame[frame[SCHEDULE.baseline_start].notna() | frame[SCHEDULE.baseline_finish].notna()]
    assert dated[SCHEDULE.name].tolist() == [
        "Baseline Finish - Task",
        "Baseline Start - Task",
        "Baseline Estimated Finish - Task",
        "Baseline Estimated Start - Task",
    ]
    by_name = frame.set_index(SCHEDULE.name)
    assert by_name.loc["Baseline Finish - Task", SCHEDULE.baseline_finish] == pd.Timestamp(
        2014, 3, 1
    )
    assert by_name.loc["Baseline Start - Task", SCHEDULE.baseline_start] == pd.Timestamp(2014, 4, 1)
    # Baseline1's finish (02/03/2014) is another snapshot: no row carries it
    assert pd.Timestamp(2014, 3, 2) not in set(frame[SCHEDULE.baseline_finish].dropna())


def test_mspdi_links_have_the_type_and_lag_of_the_xml():
    """mpxj_sample1: 6 links, one of each type, lags 0 and ±4800 tenths of a minute (±8 hours)."""
    root, tasks = mspdi_tasks(read_bytes("mpxj_sample1.xml"))
    hours_per_day = int(root.findtext("p:MinutesPerDay", namespaces=NS)) / 60
    frame = load_schedule(realworld_path("mpxj_sample1.xml")).frame

    got = [link_hours(text, hours_per_day) for text in frame[SCHEDULE.predecessors]]
    assert got == [t["links"] for t in tasks]
    links = [link for t in tasks for link in t["links"]]
    assert len(links) == 6
    assert {kind for _, kind, _ in links} == {"FS", "SS", "FF", "SF"}
    assert sorted(hours for _, _, hours in links) == [-8, 0, 0, 0, 0, 8]
    by_name = frame.set_index(SCHEDULE.name)[SCHEDULE.predecessors]
    assert by_name["Related Task 2b"] == "10 FS+8h"  # the file's unit: LagFormat 5, hours
    assert by_name["Related Task 6b"] == "18 SF+0d"


def test_mspdi_calendar_work_week_is_the_xml_week_days():
    """The Standard calendar's WeekDays (DayType 1 = Sunday … 7 = Saturday) as the CALENDARS
    table's work week, Monday first."""
    for name in ("mpxj_sample1.xml", "mspditimephased.xml"):
        root = ET.fromstring(read_bytes(name))
        default_uid = root.findtext("p:CalendarUID", namespaces=NS)
        calendar = next(
            c
            for c in root.findall("p:Calendars/p:Calendar", NS)
            if c.findtext("p:UID", namespaces=NS) == default_uid
        )
        working = {
            int(d.findtext("p:DayType", namespaces=NS)): d.findtext("p:DayWorking", namespaces=NS)
            for d in calendar.findall("p:WeekDays/p:WeekDay", NS)
        }
        week = "".join(working[day] for day in (2, 3, 4, 5, 6, 7, 1))
        calendars = load_schedule(realworld_path(name)).tables["calendars"]
        default = calendars[calendars[CALENDARS.is_default]].iloc[0]
        assert (default[CALENDARS.calendar_id], default[CALENDARS.calendar_name]) == (
            default_uid,
            calendar.findtext("p:Name", namespaces=NS),
        )
        assert default[CALENDARS.work_week] == week == "1111100"
        minutes = int(root.findtext("p:MinutesPerDay", namespaces=NS))
        assert default[CALENDARS.hours_per_day] == minutes / 60
        assert set(calendars[CALENDARS.scheduling_rules]) == {"msproject"}


# --- MS Project binary (.mpp) ----------------------------------------------------------------


def test_mpp_is_the_same_project_as_its_mspdi_twin():
    """mpxj_sample.mpp and mpxj_sample1.xml are the same "MPXJ Sample" plan (SOURCES.md): the
    same tasks, outline, days and links (lags compared in hours: the .mpp writes ``+1d``, the
    XML ``+8h``, at 8 hours a day)."""
    root, tasks = mspdi_tasks(read_bytes("mpxj_sample1.xml"))
    hours_per_day = int(root.findtext("p:MinutesPerDay", namespaces=NS)) / 60
    mpp = load_schedule(realworld_path("mpxj_sample.mpp"), lang="en")
    frame = mpp.frame

    assert mpp.kind == "schedule" and not mpp.warnings
    assert frame[SCHEDULE.task_id].tolist() == [t["id"] for t in tasks]
    assert frame[SCHEDULE.name].tolist() == [t["name"] for t in tasks]
    assert frame[SCHEDULE.is_summary].tolist() == [t["summary"] for t in tasks]
    assert frame[SCHEDULE.milestone].tolist() == [t["milestone"] for t in tasks]
    assert frame[SCHEDULE.outline_level].tolist() == [float(t["level"]) for t in tasks]
    expected = [days_of(t["start"], t["finish"], t["milestone"]) for t in tasks]
    assert frame[SCHEDULE.start].tolist() == [s for s, _ in expected]
    assert frame[SCHEDULE.finish].tolist() == [f for _, f in expected]
    assert [link_hours(p, hours_per_day) for p in frame[SCHEDULE.predecessors]] == [
        t["links"] for t in tasks
    ]


def _working_index(day: pd.Timestamp, weekmask: str) -> int:
    return int(
        np.busday_count(np.datetime64("2000-01-03"), np.datetime64(day.date()), weekmask=weekmask)
    )


@pytest.mark.parametrize("name", ["task-links-project2016-mpp14.mpp", "mpxj_sample.mpp"])
def test_mpp_linked_tasks_sit_where_their_link_puts_them(name):
    """Each task with one link and nothing else driving it is placed by that link. On a line
    of working days where day ``n`` runs from ``n`` to ``n + 1``, a task's start is its first
    day and its end its last day + 1: FS puts the start at the predecessor's end + lag, SS at
    its start + lag, FF the end at its end + lag, SF the end at its start + lag (MS Project's
    definitions). A type or lag read wrongly moves the task."""
    loaded = load_schedule(realworld_path(name))
    frame = loaded.frame.set_index(SCHEDULE.task_id)
    calendars = loaded.tables["calendars"]
    default = calendars[calendars[CALENDARS.is_default]].iloc[0]
    week, hours_per_day = default[CALENDARS.work_week], default[CALENDARS.hours_per_day]
    assert week == "1111100"
    checked = Counter()
    for task_id, row in frame.iterrows():
        links = link_hours(row[SCHEDULE.predecessors], hours_per_day)
        if len(links) != 1 or row[SCHEDULE.is_summary]:
            continue
        pred_id, kind, lag_hours = links[0]
        pred = frame.loc[pred_id]
        lag = lag_hours / hours_per_day
        pred_start = _working_index(pred[SCHEDULE.start], week)
        pred_end = _working_index(pred[SCHEDULE.finish], week) + 1
        start = _working_index(row[SCHEDULE.start], week)
        end = _working_index(row[SCHEDULE.finish], week) + 1
        placed = {
            "FS": start == pred_end + lag,
            "SS": start == pred_start + lag,
            "FF": end == pred_end + lag,
            "SF": end == pred_start + lag,
        }[kind]
        assert placed, (task_id, row[SCHEDULE.predecessors])
        checked[kind] += 1
    assert set(checked) == {"FS", "SS", "FF", "SF"}


def test_mpp14_task_links_are_the_pairs_sources_md_describes():
    """SOURCES.md: 17 tasks, one of them a summary (the project's own task, no row), in pairs
    "Task 1"/"Task 2" joined by 8 links FS, SS, FF and SF with lags of 0, 1 and 2 days and 1
    and 2 weeks."""
    frame = load_schedule(realworld_path("task-links-project2016-mpp14.mpp")).frame
    assert len(frame) == 16 and not frame[SCHEDULE.is_summary].any()
    assert frame[SCHEDULE.name].tolist() == ["Task 1", "Task 2"] * 8
    links = [link_hours(text, 8.0) for text in frame[SCHEDULE.predecessors]]
    # every "Task 2" has one predecessor: the "Task 1" just above it
    assert [len(items) for items in links] == [0, 1] * 8
    pairs = [
        (items[0][0], frame[SCHEDULE.task_id].iloc[i - 1]) for i, items in enumerate(links) if items
    ]
    assert all(pred == above for pred, above in pairs)
    kinds = Counter(items[0][1] for items in links if items)
    assert set(kinds) == {"FS", "SS", "FF", "SF"} and sum(kinds.values()) == 8
    lags = {items[0][2] for items in links if items}
    assert lags == {0.0, 8.0, 16.0, 40.0, 80.0}  # 0, 1 d, 2 d, 1 w, 2 w in hours
    assert frame[SCHEDULE.start].notna().all() and frame[SCHEDULE.finish].notna().all()


# --- Primavera P6: XER and its PMXML twin ----------------------------------------------------


def test_xer_and_pmxml_of_the_same_project_give_the_same_schedule():
    """percent-complete-8.4.xer and .pmxml are the same 12 activities (SOURCES.md)."""
    xer = load_schedule(realworld_path("percent-complete-8.4.xer"), lang="en")
    pmxml = load_schedule(realworld_path("percent-complete-8.4.pmxml"), lang="en")
    columns = [
        SCHEDULE.task_id,
        SCHEDULE.unique_id,
        SCHEDULE.name,
        SCHEDULE.is_summary,
        SCHEDULE.milestone,
        SCHEDULE.start,
        SCHEDULE.finish,
        SCHEDULE.baseline_start,
        SCHEDULE.baseline_finish,
        SCHEDULE.actual_start,
        SCHEDULE.actual_finish,
        SCHEDULE.percent_complete,
        SCHEDULE.predecessors,
        SCHEDULE.calendar,
        SCHEDULE.duration,
        SCHEDULE.remaining_duration,
    ]
    assert len(xer.frame) == 12
    pd.testing.assert_frame_equal(xer.frame[columns], pmxml.frame[columns])
    assert xer.declared_date == pmxml.declared_date == pd.Timestamp(2015, 2, 24)
    pd.testing.assert_frame_equal(xer.tables["calendars"], pmxml.tables["calendars"])
    assert not xer.warnings and not pmxml.warnings


def _p6_percent(task: dict[str, str]) -> float:
    """P6's % complete by ``complete_pct_type``: physical as typed; duration = (original −
    remaining) / original; units = actual / (actual + remaining) units."""
    kind = task["complete_pct_type"]
    if kind == "CP_Phys":
        return float(task["phys_complete_pct"])
    if kind == "CP_Drtn":
        if task["status_code"] == "TK_Complete":
            return 100.0
        original, remaining = float(task["target_drtn_hr_cnt"]), float(task["remain_drtn_hr_cnt"])
        # P6 shows 0 % when the remaining duration exceeds the original one
        return 0.0 if original == 0 else max(0.0, (original - remaining) / original * 100)
    actual, remaining = float(task["act_work_qty"] or 0), float(task["remain_work_qty"] or 0)
    return 0.0 if actual + remaining == 0 else actual / (actual + remaining) * 100


def test_xer_values_are_those_of_its_task_table():
    """Each activity from the TASK table: ``task_code`` as the id, ``task_id`` as the unique id,
    the % complete of its ``complete_pct_type`` (``phys_complete_pct`` stays 0 on the duration
    and units activities: "Units 25%" has 25 of 100 units done), the remaining dates as the
    dates, the target dates as the baseline (no project baseline in the file), the data date
    from PROJECT ``last_recalc_date``."""
    tables = xer_tables(read_bytes("percent-complete-8.4.xer"))
    tasks = tables["TASK"]
    loaded = load_schedule(realworld_path("percent-complete-8.4.xer"))
    frame = loaded.frame

    assert len(frame) == len(tasks) == 12
    assert not frame[SCHEDULE.is_summary].any()  # the only WBS node is the project's own
    assert [w["proj_node_flag"] for w in tables["PROJWBS"]] == ["Y"]
    assert frame[SCHEDULE.task_id].tolist() == [t["task_code"] for t in tasks]
    assert frame[SCHEDULE.unique_id].tolist() == [t["task_id"] for t in tasks]
    assert frame[SCHEDULE.name].tolist() == [t["task_name"] for t in tasks]
    assert frame[SCHEDULE.percent_complete].tolist() == pytest.approx(
        [_p6_percent(t) for t in tasks]
    )
    assert frame[SCHEDULE.percent_complete].tolist() == pytest.approx([0, 25, 75, 100] * 3)
    assert [t["phys_complete_pct"] for t in tasks if t["complete_pct_type"] == "CP_Units"] == [
        "0"
    ] * 4

    starts = [stamp(t["act_start_date"] or t["restart_date"]) for t in tasks]
    assert frame[SCHEDULE.start].tolist() == [start_day(s) for s in starts]
    finishes = [
        max(start_day(s), finish_day(stamp(t["reend_date"])))
        for s, t in zip(starts, tasks, strict=True)
    ]
    assert frame[SCHEDULE.finish].tolist() == finishes
    # "Duration 100%": no hour remains, its remaining finish is its start (24/02/2015 08:00)
    assert (
        frame.loc[3, [SCHEDULE.start, SCHEDULE.finish]].tolist() == [pd.Timestamp(2015, 2, 24)] * 2
    )
    actual = [
        pd.Timestamp(stamp(t["act_start_date"]).date()) if t["act_start_date"] else pd.NaT
        for t in tasks
    ]
    assert frame[SCHEDULE.actual_start].tolist() == actual
    assert frame[SCHEDULE.baseline_start].tolist() == [
        pd.Timestamp(stamp(t["target_start_date"]).date()) for t in tasks
    ]
    assert frame[SCHEDULE.baseline_finish].tolist() == [
        pd.Timestamp(stamp(t["target_end_date"]).date()) for t in tasks
    ]
    data_date = stamp(tables["PROJECT"][0]["last_recalc_date"])
    assert loaded.declared_date == pd.Timestamp(data_date.date())

    calendar = tables["CALENDAR"][0]
    calendars = loaded.tables["calendars"]
    assert calendars[CALENDARS.calendar_id].tolist() == [calendar["clndr_id"]]
    assert calendars[CALENDARS.calendar_name].tolist() == [calendar["clndr_name"]]
    assert calendars[CALENDARS.hours_per_day].tolist() == [float(calendar["day_hr_cnt"])]
    assert calendars[CALENDARS.scheduling_rules].tolist() == ["primavera"]


# --- SP10: a real P6 schedule ----------------------------------------------------------------


@pytest.fixture(scope="module")
def sp10():
    data = read_bytes("SP10 - COST LOADED.xer.gz")
    stream = io.BytesIO(data)
    stream.name = "SP10 - COST LOADED.xer"
    return load_schedule(stream), xer_tables(data)


def _wbs_paths(wbs_rows: list[dict[str, str]]) -> dict[str, str | None]:
    """Each WBS node's code as P6 shows it, the short names from the project node down joined
    by dots (``HS2-LWM-IMP-040-20.HS2-P1-CS-EWC-C-F.1``); None for the project node."""
    by_id = {w["wbs_id"]: w for w in wbs_rows}
    paths: dict[str, str | None] = {}
    for wbs_id, node in by_id.items():
        if node["proj_node_flag"] == "Y":
            paths[wbs_id] = None
            continue
        names = []
        current = node
        while current is not None:
            names.append(current["wbs_short_name"])
            if current["proj_node_flag"] == "Y":
                break
            current = by_id.get(current["parent_wbs_id"])
        paths[wbs_id] = ".".join(reversed(names))
    return paths


def test_sp10_activities_wbs_and_data_date_from_the_xer(sp10):
    loaded, tables = sp10
    frame = loaded.frame
    tasks, wbs = tables["TASK"], tables["PROJWBS"]
    paths = _wbs_paths(wbs)
    activities = frame[~frame[SCHEDULE.is_summary]]
    summaries = frame[frame[SCHEDULE.is_summary]]

    assert len(activities) == len(tasks) == 3994
    # summary rows are the WBS nodes, all but the project's own node
    assert len(summaries) == sum(w["proj_node_flag"] != "Y" for w in wbs) == 2265
    assert sorted(activities[SCHEDULE.task_id]) == sorted(t["task_code"] for t in tasks)
    assert sorted(summaries[SCHEDULE.task_id]) == sorted(p for p in paths.values() if p)
    # each activity under its WBS node, each node under its parent node
    parent_of = dict(zip(frame[SCHEDULE.task_id], frame[SCHEDULE.summary_id], strict=True))
    for task in tasks:
        assert parent_of[task["task_code"]] == paths[task["wbs_id"]], task["task_code"]
    by_id = {w["wbs_id"]: w for w in wbs}
    for node in wbs:
        if node["proj_node_flag"] == "Y":
            continue
        expected = paths.get(node["parent_wbs_id"])
        got = parent_of[paths[node["wbs_id"]]]
        assert (None if pd.isna(got) else got) == expected
        assert (
            by_id[node["wbs_id"]]["wbs_name"]
            == summaries.set_index(SCHEDULE.task_id).at[paths[node["wbs_id"]], SCHEDULE.name]
        )
    names = dict(zip(activities[SCHEDULE.task_id], activities[SCHEDULE.name], strict=True))
    assert all(names[t["task_code"]] == t["task_name"] for t in tasks)
    # SOURCES.md: 1 356 milestones (P6's start and finish milestones)
    milestones = {t["task_code"] for t in tasks if t["task_type"] in ("TT_Mile", "TT_FinMile")}
    assert len(milestones) == 1356
    assert set(activities.loc[activities[SCHEDULE.milestone], SCHEDULE.task_id]) == milestones
    # the data date: PROJECT last_recalc_date 2017-09-16
    assert tables["PROJECT"][0]["last_recalc_date"] == "2017-09-16 00:00"
    assert loaded.declared_date == pd.Timestamp(2017, 9, 16)


def test_sp10_percent_complete_and_links_from_the_xer(sp10):
    """Every activity is of type CP_Drtn: its % is (original − remaining) / original duration.
    Every TASKPRED row (5 966: FS 5 573, SS 266, FF 127) is a link of its successor, with the
    P6 lag in hours (``lag_hr_cnt``)."""
    loaded, tables = sp10
    frame = loaded.frame.set_index(SCHEDULE.task_id)
    tasks = tables["TASK"]
    percent = frame[SCHEDULE.percent_complete]
    assert {t["complete_pct_type"] for t in tasks} == {"CP_Drtn"}
    for task in tasks:
        assert percent[task["task_code"]] == pytest.approx(_p6_percent(task)), task["task_code"]

    code = {t["task_id"]: t["task_code"] for t in tasks}
    expected: dict[str, list] = {}
    for link in tables["TASKPRED"]:
        expected.setdefault(code[link["task_id"]], []).append(
            (code[link["pred_task_id"]], link["pred_type"][3:], float(link["lag_hr_cnt"]))
        )
    assert Counter(k for links in expected.values() for _, k, _ in links) == {
        "FS": 5573,
        "SS": 266,
        "FF": 127,
    }
    got = {
        task_id: link_hours(text, 8.0)
        for task_id, text in frame[SCHEDULE.predecessors].dropna().items()
    }
    assert got == {task_id: sorted(links) for task_id, links in expected.items()}


def test_sp10_target_dates_beyond_the_window_are_warnings_naming_each_task(sp10):
    """P6 wrote target finishes in years 2257 to 4637 on 19 activities (found here by scanning
    every date of the TASK table against ``ReadLimits``' years). Each is left empty with a
    ``project_date_ignored`` warning naming the activity, and so is the baseline finish of the
    WBS nodes above them, which spans their children: 21 warnings, the file still loads. The
    messages are in French (the default), in English when rendered so."""
    loaded, tables = sp10
    limits = ReadLimits()
    date_columns = [f for f in tables["TASK"][0] if f.endswith("_date") or f.endswith("_date2")]
    outside = [
        (task["task_code"], column, stamp(task[column]))
        for task in tables["TASK"]
        for column in date_columns
        if task.get(column) and not limits.min_year <= int(task[column][:4]) <= limits.max_year
    ]
    assert {column for _, column, _ in outside} == {"target_end_date"}
    assert len(outside) == 19
    assert (min(d.year for *_, d in outside), max(d.year for *_, d in outside)) == (2257, 4637)
    paths = _wbs_paths(tables["PROJWBS"])
    by_wbs = {w["wbs_id"]: w for w in tables["PROJWBS"]}
    wbs_of = {t["task_code"]: t["wbs_id"] for t in tables["TASK"]}
    nodes = set()
    for task_code, _, _ in outside:
        node = by_wbs[wbs_of[task_code]]
        while node is not None and node["proj_node_flag"] != "Y":
            nodes.add(paths[node["wbs_id"]])
            node = by_wbs.get(node["parent_wbs_id"])

    warnings = loaded.warnings
    assert {w.code for w in warnings} == {"project_date_ignored"}
    assert all(w.severity == "warning" for w in warnings)
    assert len(warnings) == len(outside) + len(nodes) == 21
    assert sorted(w.task for w in warnings) == sorted([t for t, _, _ in outside] + list(nodes))
    by_task = {w.task: w for w in warnings}
    for task_code, _, date in outside:
        warning = by_task[task_code]
        assert f"Tâche {task_code} " in warning.message
        assert date.strftime("%d/%m/%Y") in warning.message
        assert "Fin de référence" in warning.message and "ignorée" in warning.message
        english = en_message(warning)
        assert english.startswith(f"Task {task_code} ") and "it is ignored" in english
    frame = loaded.frame.set_index(SCHEDULE.task_id)
    activities = [t for t, _, _ in outside]
    assert frame.loc[activities, SCHEDULE.baseline_finish].isna().all()
    assert frame.loc[activities, SCHEDULE.baseline_start].notna().all()
    # a WBS node's baseline spans the dates its children kept: inside the window
    finishes = frame.loc[sorted(nodes), SCHEDULE.baseline_finish]
    assert finishes.notna().all() and (finishes.dt.year <= limits.max_year).all()


# --- MPX and GanttProject --------------------------------------------------------------------


def mpx_tasks(data: bytes) -> list[dict[str, str]]:
    """The task records (70) of an MPX file by the names of its task header record (60); the
    project's own task (outline level 0) left out."""
    rows = [r for r in csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";") if r]
    header = next(r for r in rows if r[0] == "60")[1:]
    tasks = [dict(zip(header, r[1:], strict=False)) for r in rows if r[0] == "70"]
    return [t for t in tasks if t["Gliederungsebene"] != "0"]


def mpx_day(text: str) -> pd.Timestamp:
    """``Di 07.01.03`` -> 07/01/2003."""
    return pd.Timestamp(dt.datetime.strptime(text.split(" ")[1], "%d.%m.%y"))


def test_mpx_german_export_is_read_as_its_records_say():
    """sample.de.mpx: 20 task records, the first the project itself; outline levels
    (Gliederungsebene) make the summaries (a task followed by a deeper one); the predecessors
    are German (``10EA+1t``: Ende-Anfang, one Tag)."""
    records = mpx_tasks(read_bytes("sample.de.mpx"))
    frame = load_schedule(realworld_path("sample.de.mpx"), lang="en").frame

    assert len(records) == 19 and len(frame) == 19
    assert frame[SCHEDULE.task_id].tolist() == [r["Nr."] for r in records]
    assert frame[SCHEDULE.unique_id].tolist() == [r["Einmalige Nr."] for r in records]
    assert frame[SCHEDULE.name].tolist() == [r["Name"] for r in records]
    levels = [int(r["Gliederungsebene"]) for r in records]
    assert frame[SCHEDULE.outline_level].tolist() == [float(level) for level in levels]
    summaries = [i + 1 < len(levels) and levels[i + 1] > level for i, level in enumerate(levels)]
    assert frame[SCHEDULE.is_summary].tolist() == summaries
    assert frame[SCHEDULE.start].tolist() == [mpx_day(r["Anfang"]) for r in records]
    assert frame[SCHEDULE.baseline_start].tolist() == [
        mpx_day(r["Geplanter Anfang"]) for r in records
    ]
    assert frame[SCHEDULE.percent_complete].tolist() == [
        float(r["% Abgeschlossen"].rstrip("%")) for r in records
    ]
    link = re.compile(r"^(\d+)(EA|AA|EE|AE)?([+-]\d+)?t?$")
    expected = []
    for record in records:
        items = []
        for item in filter(None, record["Vorgänger"].split(",")):
            pred, kind, lag = link.match(item).groups()
            items.append((pred, MPX_LINK_TYPES[kind or "EA"], float(lag or 0) * 8))
        expected.append(sorted(items))
    assert [link_hours(p, 8.0) for p in frame[SCHEDULE.predecessors]] == expected
    assert sum(map(len, expected)) == 6


def test_mpx_days_agree_with_the_mspdi_of_the_same_project():
    """sample.de.mpx is the "MPXJ Sample" plan of mpxj_sample1.xml without its last three
    tasks ("Resource Assignments" and its two tasks); the 16 other tasks (not summaries) have
    the same days from both files."""
    mpx = load_schedule(realworld_path("sample.de.mpx")).frame.set_index(SCHEDULE.name)
    _, tasks = mspdi_tasks(read_bytes("mpxj_sample1.xml"))
    shared = [t for t in tasks if t["name"] in mpx.index and not t["summary"]]
    assert len(shared) == 16
    for task in shared:
        expected = days_of(task["start"], task["finish"], task["milestone"])
        got = tuple(mpx.loc[task["name"], [SCHEDULE.start, SCHEDULE.finish]])
        assert got == expected, task["name"]


def gan_tasks(data: bytes) -> tuple[list[dict], str]:
    """The tasks of a GanttProject file in document order (MPXJ's IDs 1, 2, …; unique id =
    GanttProject id + 1), their parent, children, and the links their ``depend`` elements
    declare (``<depend id=X>`` inside task T: T is a predecessor of X); and the work week."""
    root = ET.fromstring(data)
    week = root.find("calendars/day-types/default-week")
    # GanttProject marks a weekend day 1
    weekmask = "".join(
        "0" if week.get(d) == "1" else "1"
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    )
    tasks: list[dict] = []
    number_of: dict[str, str] = {}

    def walk(element: ET.Element, parent: str | None) -> None:
        for child in element.findall("task"):
            number = str(len(tasks) + 1)
            number_of[child.get("id")] = number
            task = {
                "id": number,
                "gan_id": child.get("id"),
                "name": child.get("name").strip(),
                "parent": parent,
                "milestone": child.get("meeting") == "true",
                "start": pd.Timestamp(child.get("start")),
                "duration": int(child.get("duration")),
                "complete": float(child.get("complete")),
                "depends": [
                    (d.get("id"), d.get("type"), int(d.get("difference")))
                    for d in child.findall("depend")
                ],
                "summary": child.find("task") is not None,
            }
            tasks.append(task)
            walk(child, number)

    walk(root.find("tasks"), None)
    for task in tasks:
        task["links"] = []
    by_number = {t["id"]: t for t in tasks}
    for task in tasks:
        for successor, kind, lag in task["depends"]:
            by_number[number_of[successor]]["links"].append(
                (task["id"], GAN_LINK_TYPES[kind], lag * 8.0)
            )
    return tasks, weekmask


def test_ganttproject_tasks_percent_and_days_are_those_of_the_file():
    """HouseBuildingSample.gan: 20 tasks, 4 phases (summaries); each task has a start and a
    duration in working days (no finish): its last day is start + duration − 1 working days, a
    meeting (duration 0) is a milestone on its start; a phase spans its tasks."""
    tasks, weekmask = gan_tasks(read_bytes("HouseBuildingSample.gan"))
    loaded = load_schedule(realworld_path("HouseBuildingSample.gan"))
    frame = loaded.frame

    assert len(frame) == len(tasks) == 20
    assert frame[SCHEDULE.task_id].tolist() == [t["id"] for t in tasks]
    assert frame[SCHEDULE.unique_id].tolist() == [str(int(t["gan_id"]) + 1) for t in tasks]
    assert frame[SCHEDULE.name].tolist() == [t["name"] for t in tasks]
    assert frame[SCHEDULE.is_summary].tolist() == [t["summary"] for t in tasks]
    assert int(frame[SCHEDULE.is_summary].sum()) == 4
    assert frame[SCHEDULE.milestone].tolist() == [t["milestone"] for t in tasks]
    parents = (
        frame[SCHEDULE.summary_id].astype(object).where(frame[SCHEDULE.summary_id].notna(), None)
    )
    assert parents.tolist() == [t["parent"] for t in tasks]
    assert frame[SCHEDULE.percent_complete].tolist() == [t["complete"] for t in tasks]

    days: dict[str, tuple] = {}
    for task in reversed(tasks):  # children before their phase
        if task["summary"]:
            kids = [days[t["id"]] for t in tasks if t["parent"] == task["id"]]
            days[task["id"]] = (min(s for s, _ in kids), max(f for _, f in kids))
        else:
            last = np.busday_offset(
                np.datetime64(task["start"].date()), max(task["duration"] - 1, 0), weekmask=weekmask
            )
            days[task["id"]] = (task["start"], pd.Timestamp(last))
    assert frame[SCHEDULE.start].tolist() == [days[t["id"]][0] for t in tasks]
    assert frame[SCHEDULE.finish].tolist() == [days[t["id"]][1] for t in tasks]
    calendars = loaded.tables["calendars"]
    assert calendars.loc[calendars[CALENDARS.is_default], CALENDARS.work_week].tolist() == [
        weekmask
    ]


def test_ganttproject_links_are_every_depend_of_the_file():
    """HouseBuildingSample.gan declares 17 links, most between tasks inside a phase.

    BUG (loaders/project_files.py, MPXJ 16's GanttProject reader): only the links of top-level
    tasks were read, 3 of 17; the critical path of the house ran on a network without its
    construction sequence."""
    tasks, _ = gan_tasks(read_bytes("HouseBuildingSample.gan"))
    frame = load_schedule(realworld_path("HouseBuildingSample.gan")).frame
    assert sum(len(t["links"]) for t in tasks) == 17
    got = {
        task_id: link_hours(text, 8.0)
        for task_id, text in zip(frame[SCHEDULE.task_id], frame[SCHEDULE.predecessors], strict=True)
    }
    assert got == {t["id"]: sorted(t["links"]) for t in tasks}


def _independent_counts(name: str) -> tuple[int, int]:
    """(tasks, summaries) of a file, from its own text (an .mpp: from its MSPDI twin)."""
    if name == "mpxj_sample.mpp":
        tasks = mspdi_tasks(read_bytes("mpxj_sample1.xml"))[1]
        summaries = sum(t["summary"] for t in tasks)
    elif name.endswith(".mpx"):
        levels = [int(r["Gliederungsebene"]) for r in mpx_tasks(read_bytes(name))]
        tasks = levels
        summaries = sum(i + 1 < len(levels) and levels[i + 1] > lv for i, lv in enumerate(levels))
    elif name.endswith(".gan"):
        tasks = gan_tasks(read_bytes(name))[0]
        summaries = sum(t["summary"] for t in tasks)
    else:
        tables = xer_tables(read_bytes(name))
        tasks = tables["TASK"] + [w for w in tables["PROJWBS"] if w["proj_node_flag"] != "Y"]
        summaries = len(tasks) - len(tables["TASK"])
    return len(tasks) - summaries, summaries


@pytest.mark.parametrize(
    "name",
    ["mpxj_sample.mpp", "sample.de.mpx", "HouseBuildingSample.gan", "percent-complete-8.4.xer"],
)
def test_check_command_counts_the_tasks_of_a_project_file(name):
    rows, summaries = _independent_counts(name)
    done = run_check(realworld_path(name), "--kind", "schedule", "--json", "--lang", "en")
    report = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    assert (report["kind"], report["ok"], report["sheet"]) == ("schedule", True, None)
    assert (report["rows"], report["summary_rows"]) == (rows, summaries)
    assert report["problems"] == []


# --- refusals --------------------------------------------------------------------------------


def sample_xml() -> str:
    return read_bytes("mpxj_sample1.xml").decode("utf-8")


def with_task_edited(text: str, uid: str, edit) -> str:
    """The MSPDI text with ``edit`` applied to the ``<Task>`` whose UID is ``uid``."""
    pattern = re.compile(rf"<Task>\s*<UID>{uid}</UID>.*?</Task>", re.S)
    match = pattern.search(text)
    assert match, uid
    edited = edit(match.group(0))
    assert edited != match.group(0)
    return text[: match.start()] + edited + text[match.end() :]


def without_dates(task_xml: str) -> str:
    return re.sub(r"<(Start|Finish)>[^<]*</\1>", "", task_xml)


@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
    ],
    ids=["external-entity", "entity-expansion"],
)
def test_mspdi_with_a_doctype_is_refused_unread(declaration):
    text = sample_xml().replace("?>", "?>\n" + declaration, 1)
    data = text.replace("<Name>First Task</Name>", "<Name>&secret;&lol2;</Name>").encode()
    error = refusal(data, "planning.xml")
    assert [p.code for p in error.problems] == ["project_xml_entities"]
    problem = error.problems[0]
    assert problem.is_error and problem.file == "planning.xml"
    assert "DOCTYPE" in problem.message and "refusé" in problem.message
    english = refusal(data, "planning.xml", lang="en").problems[0].message
    assert "DOCTYPE" in english and "refused" in english


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.9])
def test_truncated_mpp_is_refused_as_damaged(fraction):
    data = read_bytes("mpxj_sample.mpp")
    cut = data[: int(len(data) * fraction)]
    for lang, words in (
        ("fr", ("fichier MS Project (.mpp)", "endommagé")),
        ("en", ("MS Project (.mpp) file", "damaged")),
    ):
        error = refusal(cut, "planning.mpp", lang)
        assert len(error.errors) == 1, error.problems
        assert error.errors[0].code == "project_file_unreadable"
        message = error.errors[0].message
        # BUG (loaders/reading.py ``_sniff_ole``): a cut .mpp was « Le classeur est illisible »
        assert all(word in message for word in words) and "classeur" not in message, message
    # the same cut bytes named .xls are a damaged workbook
    assert [p.code for p in refusal(cut, "budget.xls").errors] == ["corrupt_file"]


def test_random_bytes_named_mpp_are_refused():
    noise = random.Random(20260101).randbytes(20_000)
    error = refusal(noise, "planning.mpp")
    assert [p.code for p in error.errors] == ["not_a_spreadsheet"]
    # the accepted formats include the planning tools' (not only spreadsheets) for a schedule
    assert "binaire" in error.errors[0].message and "mpp" in error.errors[0].message
    english = refusal(noise, "planning.mpp", "en").errors[0].message
    assert "binary" in english and "xer" in english and "MS Project" in english


def _xer_cut(data: bytes, where: str) -> bytes:
    lines = data.split(b"\n")
    if where == "inside-the-last-row":  # before its code, name and dates
        return data[: data.rindex(b"\tTK_Active\tA1110")]
    if where == "at-the-end-of-a-row":  # the last row and %E gone, 11 of 12 activities left
        return b"\n".join(lines[:-3]) + b"\n"
    return data[: len(data) // 2]  # in the middle of the TASK table's header


@pytest.mark.parametrize("where", ["inside-the-last-row", "at-the-end-of-a-row", "in-half"])
def test_truncated_xer_is_refused(where):
    """An XER ends with ``%E``; a copy cut short (a download or a mail stopped midway) must be
    refused, not read as a smaller schedule.

    BUG (loaders/project_files.py ``read_project`` / ``load_project_schedule``): a cut at the end
    of a line loads 11 of the 12 activities, a cut in the TASK header loads an empty schedule (0
    tasks), both without any problem; the same cut before SP10's TASKPRED table loads its 3 994
    activities with no link at all. Only a cut inside a row is refused (by luck: that row has no
    dates)."""
    data = read_bytes("percent-complete-8.4.xer")
    assert data.rstrip().endswith(b"%E")
    cut = _xer_cut(data, where)
    assert not cut.rstrip().endswith(b"%E")
    stream = io.BytesIO(cut)
    stream.name = "planning.xer"
    try:
        result = load_schedule(stream)
    except LoadError as error:
        assert error.errors
        return
    pytest.fail(
        f"a truncated XER loaded: {len(result.frame)} of 12 activities, {len(result.warnings)} problems"
    )


def _mspdi_link(uid: str) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>1</Type>"
        "<CrossProject>0</CrossProject><LinkLag>0</LinkLag><LagFormat>7</LagFormat>"
        "</PredecessorLink>"
    )


def test_mspdi_link_to_a_task_not_in_the_file_is_reported_by_task():
    """Task ID 9 (UID 10) gets a second predecessor, UID 999, that no task of the file has.
    MPXJ drops such a link without a word; the loader warns, naming the task and the UID, in
    French and English, and keeps the task's real link and every other one.

    BUG (loaders/project_files.py ``_predecessors``): only a link MPXJ kept could be reported,
    so the dangling link vanished and the import had no warning at all."""
    original = load_bytes(sample_xml().encode(), "planning.xml").frame
    text = with_task_edited(
        sample_xml(), "10", lambda t: t.replace("</Task>", _mspdi_link("999") + "</Task>")
    )
    for lang, words in (("fr", ("Tâche 9 « Related Task 1b »", "UID 999")), ("en", ("Task 9",))):
        loaded = load_bytes(text.encode(), "planning.xml", lang)
        missing = [p for p in loaded.warnings if p.code == "project_link_missing_task"]
        assert [(p.task, p.value) for p in missing] == [("9", "UID 999")]
        assert all(word in missing[0].message for word in words), missing[0].message
        assert missing[0].file == "planning.xml" and not missing[0].is_error
    assert loaded.frame[SCHEDULE.predecessors].equals(original[SCHEDULE.predecessors])


def _xer_with_links(data: bytes, links: list[tuple[str, str]]) -> bytes:
    """The XER with a TASKPRED table (successor task_id, predecessor task_id; FS, no lag)
    inserted before its ``%E``."""
    rows = [
        "%T\tTASKPRED",
        "%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt",
    ]
    project = xer_tables(data)["PROJECT"][0]["proj_id"]
    for number, (successor, predecessor) in enumerate(links, 1):
        rows.append(f"%R\t{number}\t{successor}\t{predecessor}\t{project}\t{project}\tPR_FS\t0")
    end = data.rstrip().rindex(b"%E")
    return data[:end] + ("\r\n".join(rows) + "\r\n").encode("cp1252") + data[end:]


def test_xer_link_to_an_activity_not_in_the_file_is_reported_by_activity():
    """Two TASKPRED rows: the XER's first activity before its second (kept), and an activity
    of another project (task_id 999999, not in the TASK table) before its third (reported by
    the third's activity id and name, the link left out)."""
    data = read_bytes("percent-complete-8.4.xer")
    tasks = xer_tables(data)["TASK"]
    first, second, third = tasks[0], tasks[1], tasks[2]
    linked = _xer_with_links(
        data, [(second["task_id"], first["task_id"]), (third["task_id"], "999999")]
    )
    loaded = load_bytes(linked, "planning.xer")
    frame = loaded.frame.set_index(SCHEDULE.task_id)
    assert frame.at[second["task_code"], SCHEDULE.predecessors] == first["task_code"]
    assert pd.isna(frame.at[third["task_code"], SCHEDULE.predecessors])
    missing = [p for p in loaded.warnings if p.code == "project_link_missing_task"]
    assert [(p.task, p.value) for p in missing] == [(third["task_code"], "task_id 999999")]
    assert f"« {third['task_name']} »" in missing[0].message


def test_pmxml_relationship_to_an_activity_not_in_the_file_is_reported():
    """A ``Relationship`` whose predecessor ObjectId is no activity of the PMXML: reported by
    the successor's activity id, like the same link in the XER."""
    text = read_bytes("percent-complete-8.4.pmxml").decode("utf-8")
    activity = re.search(r"<Activity>.*?</Activity>", text, re.S).group(0)
    object_id = re.search(r"<ObjectId>(\d+)</ObjectId>", activity).group(1)
    code = re.search(r"<Id>([^<]+)</Id>", activity).group(1)
    relationship = (
        "<Relationship><Lag>0</Lag><ObjectId>777001</ObjectId>"
        "<PredecessorActivityObjectId>999999</PredecessorActivityObjectId>"
        f"<SuccessorActivityObjectId>{object_id}</SuccessorActivityObjectId>"
        "<Type>Finish to Start</Type></Relationship>"
    )
    at = text.rindex("</Project>")
    loaded = load_bytes((text[:at] + relationship + text[at:]).encode(), "planning.xml")
    missing = [p for p in loaded.warnings if p.code == "project_link_missing_task"]
    assert [(p.task, p.value) for p in missing] == [(code, "ObjectId 999999")]


def test_mspdi_loop_is_kept_for_the_critical_path_to_report():
    """Task 8 → 9 exists; adding 9 → 8 makes a loop. The loader keeps both links as the file has
    them (nothing is lost); the critical path reports the loop with both tasks."""
    from tracking.calendar import WorkCalendar
    from tracking.cpm import compute_critical_path

    link = (
        "<PredecessorLink><PredecessorUID>10</PredecessorUID><Type>1</Type>"
        "<CrossProject>0</CrossProject><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
    )
    text = with_task_edited(sample_xml(), "9", lambda t: t.replace("</Task>", link + "</Task>"))
    loaded = load_bytes(text.encode(), "loop.xml")
    frame = loaded.frame
    links = frame.set_index(SCHEDULE.task_id)[SCHEDULE.predecessors]
    assert (links["8"], links["9"]) == ("9", "8")
    result = compute_critical_path(
        frame, WorkCalendar(), None, calendars=loaded.tables["calendars"]
    )
    loops = [p for p in result.problems if p.code == "loop"]
    assert loops and {"8", "9"} <= set(loops[0].task_ids)


def test_mspdi_task_without_dates_is_refused_naming_it():
    text = with_task_edited(sample_xml(), "10", without_dates)
    error = refusal(text.encode(), "planning.xml")
    assert [(p.code, p.task) for p in error.errors] == [("project_task_without_dates", "9")]
    assert error.errors[0].message.startswith("Tâche 9 « Related Task 1b »")
    english = refusal(text.encode(), "planning.xml", "en").errors[0].message
    assert english.startswith('Task 9 "Related Task 1b": no start or finish')


def test_mspdi_problems_are_all_reported_at_once():
    """Two tasks without dates (IDs 9 and 11) and one starting in 2300 (ID 13, beyond
    ``limits.max_year``): one refusal lists all of them, each naming its task."""
    text = with_task_edited(sample_xml(), "10", without_dates)
    text = with_task_edited(text, "12", without_dates)
    text = with_task_edited(
        text, "14", lambda t: re.sub(r"<Start>2003-", "<Start>2300-", t, count=1)
    )
    error = refusal(text.encode(), "planning.xml", "en")
    found = {(p.code, p.task) for p in error.errors}
    assert {
        ("project_task_without_dates", "9"),
        ("project_task_without_dates", "11"),
        ("project_date_out_of_window", "13"),
    } <= found
    out = next(p for p in error.errors if p.code == "project_date_out_of_window")
    assert "Task 13" in out.message and "2300" in out.message


def test_task_without_name_nor_dates_is_named_as_blank_not_nan():
    """A task with neither a name nor dates: the message names its id and an empty name.

    BUG (loaders/project_files.py ``_check_tasks``): the name column is typed ``str`` before the
    check, so a missing name is NaN, and ``name or ""`` keeps it: the message reads « nan »
    (seen also on a truncated XER: ``Tâche U101720 « nan »``)."""
    text = with_task_edited(
        sample_xml(), "10", lambda t: without_dates(t).replace("<Name>Related Task 1b</Name>", "")
    )
    error = refusal(text.encode(), "planning.xml")
    problem = next(p for p in error.errors if p.code == "project_task_without_dates")
    assert problem.task == "9"
    assert "nan" not in problem.message.lower(), problem.message


# --- damaged files: a refusal with problems, never another exception -------------------------


@pytest.fixture(scope="module")
def small_files() -> dict[str, bytes]:
    return {
        "mpxj_sample1.xml": read_bytes("mpxj_sample1.xml"),
        "percent-complete-8.4.xer": read_bytes("percent-complete-8.4.xer"),
    }


def _damaged(data: bytes, draw) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "delete", "insert"]))
    position = draw(st.integers(0, len(data) - 1))
    if kind == "truncate":
        return data[:position]
    if kind == "flip":
        count = draw(st.integers(1, 8))
        damaged = bytearray(data)
        for offset in range(count):
            damaged[(position + offset * 997) % len(data)] ^= draw(st.integers(1, 255))
        return bytes(damaged)
    if kind == "delete":
        return data[:position] + data[position + draw(st.integers(1, 2000)) :]
    return data[:position] + draw(st.binary(min_size=1, max_size=64)) + data[position:]


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(["mpxj_sample1.xml", "percent-complete-8.4.xer"]), data=st.data())
def test_damaged_project_files_load_or_are_refused_with_problems(small_files, name, data):
    damaged = _damaged(small_files[name], data.draw)
    stream = io.BytesIO(damaged)
    stream.name = name
    try:
        result = load_schedule(stream, lang="en")
    except LoadError as error:
        assert error.errors
        assert all(isinstance(p, Problem) and p.message for p in error.problems)
        return
    assert isinstance(result.frame, pd.DataFrame)
    # a damaged header can make it a text table: the schedule's columns, whichever the reader
    assert {SCHEDULE.task_id, SCHEDULE.name, SCHEDULE.start, SCHEDULE.finish} <= set(
        result.frame.columns
    )
    assert all(isinstance(p, Problem) and not p.is_error for p in result.warnings)
