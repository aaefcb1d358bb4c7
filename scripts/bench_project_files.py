"""Time planning-software files end to end in one process: the JVM start, the bare MPXJ read,
``load_schedule`` cold and warm, the critical path and the planning overview the pages show
(``tracking.planning.planning_overview``, what ``ui.domain.planning_of`` caches), with the peak
memory of the process, on the real SP10 P6 schedule and on a synthetic 4 000-activity MSPDI file.

PYTHONPATH=. .venv/bin/python scripts/bench_project_files.py [--runs 3] [--tasks 4000] [--no-sp10]

Targets (issue 13): SP10 read + critical path under 3 s warm; the critical path under 0.5 s for
4 000 activities. Printed, never asserted: timings depend on the machine and on its load (the
load average is printed with them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders import load_project, load_schedule  # noqa: E402
from loaders.project_files import start_jvm  # noqa: E402
from loaders.schema import SCHEDULE  # noqa: E402
from tracking.cpm import compute_critical_path  # noqa: E402
from tracking.planning import planning_overview, project_calendar  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SP10 = ROOT.parent / "shared" / "realworld" / "SP10 - COST LOADED.xer.gz"
SETTINGS = ROOT / "data" / "project.toml"


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (JVM heap included: it lives in-process)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed(function):
    began = time.perf_counter()
    value = function()
    return time.perf_counter() - began, value


def median_of(function, runs: int):
    timings, value = [], None
    for _ in range(runs):
        seconds, value = timed(function)
        timings.append(seconds)
    return statistics.median(timings), value


@dataclass
class Report:
    """One file's measures, in seconds; ``rss`` the peak RSS (MB) after each stage."""

    name: str
    rows: int = 0
    activities: int = 0
    links: int = 0
    bare_first: float = 0.0
    bare: float = 0.0
    load_cold: float = 0.0
    load_warm: float = 0.0
    cpm: float = 0.0
    overview: float = 0.0
    critical: int = 0
    rss: dict[str, float] = field(default_factory=dict)


# --- a synthetic MSPDI file ----------------------------------------------------------------


HOLIDAYS = [dt.date(2026, 5, 1), dt.date(2026, 7, 30), dt.date(2026, 8, 14), dt.date(2026, 11, 18)]
PROJECT_START = np.datetime64("2026-03-02")


def _week_xml() -> str:
    """Monday to Friday 08:00-12:00 and 13:00-17:00 (MSPDI day types: 1 Sunday … 7 Saturday)."""
    hours = (
        "<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime>"
        "</WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime>"
        "</WorkingTime></WorkingTimes>"
    )
    return "".join(
        f"<WeekDay><DayType>{day}</DayType><DayWorking>{int(2 <= day <= 6)}</DayWorking>"
        + (hours if 2 <= day <= 6 else "")
        + "</WeekDay>"
        for day in range(1, 8)
    )


def _holiday_xml(day: dt.date) -> str:
    return (
        "<Exception><EnteredByOccurrences>0</EnteredByOccurrences><TimePeriod>"
        f"<FromDate>{day}T00:00:00</FromDate><ToDate>{day}T23:59:00</ToDate></TimePeriod>"
        "<Occurrences>1</Occurrences><Name>Férié</Name><Type>1</Type><DayWorking>0</DayWorking>"
        "</Exception>"
    )


def _task_xml(
    uid: int, name: str, start, finish, days: int, level: int, summary: bool, links: str = ""
) -> str:
    milestone = int(days == 0 and not summary)
    start_time = "08:00:00"
    finish_time = "08:00:00" if milestone else "17:00:00"
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{escape(name)}</Name><Type>0</Type>"
        f"<OutlineLevel>{level}</OutlineLevel><Start>{start}T{start_time}</Start>"
        f"<Finish>{finish}T{finish_time}</Finish><Duration>PT{days * 8}H0M0S</Duration>"
        f"<DurationFormat>7</DurationFormat><Milestone>{milestone}</Milestone>"
        f"<Summary>{int(summary)}</Summary><PercentComplete>0</PercentComplete>"
        f"<ConstraintType>0</ConstraintType><CalendarUID>-1</CalendarUID>{links}</Task>"
    )


def synthetic_mspdi(activities: int, per_summary: int = 100, seed: int = 13) -> tuple[bytes, int]:
    """An MS Project XML file: ``activities`` tasks under summaries of ``per_summary``, each
    after one or two earlier tasks (FS 80 %, SS 20 %, lags -2…+5 working days), on a 5-day
    calendar with four holidays; dates from a forward pass, so the file is consistent as a
    tool would save it. Returns the bytes and the number of links."""
    rng = np.random.default_rng(seed)
    holidays = np.array(HOLIDAYS, dtype="datetime64[D]")
    calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    durations = rng.integers(1, 21, activities)
    durations[rng.random(activities) < 0.05] = 0  # milestones
    starts = np.empty(activities, dtype="datetime64[D]")
    finishes = np.empty(activities, dtype="datetime64[D]")
    predecessors: list[list[tuple[int, int, int]]] = [[] for _ in range(activities)]
    for task in range(activities):
        earliest = np.busday_offset(PROJECT_START, 0, roll="forward", busdaycal=calendar)
        if task:
            for _ in range(1 + int(rng.random() < 0.5)):
                before = int(rng.integers(max(0, task - 60), task))
                kind = 1 if rng.random() < 0.8 else 3  # MSPDI link types: 1 FS, 3 SS
                lag = int(rng.integers(-2, 6))
                if any(p == before for p, _, _ in predecessors[task]):
                    continue
                predecessors[task].append((before, kind, lag))
                if kind == 1:  # the next working day after the finish (a milestone: the day)
                    after = 0 if durations[before] == 0 or durations[task] == 0 else 1
                    base = np.busday_offset(finishes[before], after + lag, busdaycal=calendar)
                else:
                    base = np.busday_offset(starts[before], lag, busdaycal=calendar)
                earliest = max(earliest, base)
        starts[task] = earliest
        finishes[task] = np.busday_offset(
            earliest, max(int(durations[task]) - 1, 0), busdaycal=calendar
        )
    links = sum(len(items) for items in predecessors)

    # UIDs: 0 the project, then each summary followed by its tasks
    parts, uid_of = [], {}
    uid = 1
    for first in range(0, activities, per_summary):
        uid += 1  # the summary's
        for task in range(first, min(first + per_summary, activities)):
            uid_of[task] = uid
            uid += 1
    uid = 1
    for number, first in enumerate(range(0, activities, per_summary), start=1):
        last = min(first + per_summary, activities)
        group = slice(first, last)
        parts.append(
            _task_xml(
                uid,
                f"Lot {number:02d}",
                starts[group].min(),
                finishes[group].max(),
                int(np.busday_count(starts[group].min(), finishes[group].max(), busdaycal=calendar))
                + 1,
                1,
                True,
            )
        )
        uid += 1
        for task in range(first, last):
            links_xml = "".join(
                f"<PredecessorLink><PredecessorUID>{uid_of[before]}</PredecessorUID>"
                f"<Type>{kind}</Type><LinkLag>{lag * 4800}</LinkLag><LagFormat>7</LagFormat>"
                "</PredecessorLink>"
                for before, kind, lag in predecessors[task]
            )
            parts.append(
                _task_xml(
                    uid,
                    f"Tâche {task + 1}",
                    starts[task],
                    finishes[task],
                    int(durations[task]),
                    2,
                    False,
                    links_xml,
                )
            )
            uid += 1
    project = _task_xml(0, "Projet", starts.min(), finishes.max(), 1, 0, True)
    status = np.busday_offset(PROJECT_START, 20, busdaycal=calendar)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Project xmlns="http://schemas.microsoft.com/project"><SaveVersion>14</SaveVersion>'
        "<Name>synthetic</Name><ScheduleFromStart>1</ScheduleFromStart>"
        f"<StartDate>{PROJECT_START}T08:00:00</StartDate><StatusDate>{status}T17:00:00"
        "</StatusDate><CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay>"
        "<MinutesPerWeek>2400</MinutesPerWeek><DaysPerMonth>20</DaysPerMonth><Calendars>"
        "<Calendar><UID>1</UID><Name>Chantier 5 jours</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>{_week_xml()}</WeekDays><Exceptions>"
        + "".join(_holiday_xml(day) for day in HOLIDAYS)
        + f"</Exceptions></Calendar></Calendars><Tasks>{project}{''.join(parts)}</Tasks>"
        "</Project>"
    )
    return document.encode("utf-8"), links


# --- the measures ----------------------------------------------------------------------------


def bare_read(path: Path, runs: int) -> tuple[float, float]:
    """MPXJ's ``UniversalProjectReader`` on the file itself: the first read, then the median of
    ``runs`` more."""
    import jpype

    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
    first, _ = timed(lambda: reader().read(str(path)))
    warm, _ = median_of(lambda: reader().read(str(path)), runs)
    return first, warm


def measure(name: str, path: Path, settings, runs: int) -> Report:
    report = Report(name)
    data = path.read_bytes()
    report.bare_first, report.bare = bare_read(path, runs)
    report.rss["bare read"] = peak_rss_mb()

    def load():
        stream = io.BytesIO(data)
        stream.name = path.name
        return load_schedule(stream, limits=settings.read_limits)

    report.load_cold, result = timed(load)
    report.load_warm, result = median_of(load, runs)
    report.rss["load_schedule"] = peak_rss_mb()
    frame, calendars = result.frame, result.tables.get("calendars")
    status = result.declared_date or frame[SCHEDULE.start].min()
    report.rows = len(frame)
    report.activities = int((~frame[SCHEDULE.is_summary]).sum())
    report.links = int(
        frame[SCHEDULE.predecessors].dropna().str.count(";").sum()
        + frame[SCHEDULE.predecessors].notna().sum()
    )

    calendar = project_calendar(settings)
    report.cpm, cpm = median_of(
        lambda: compute_critical_path(
            frame,
            calendar,
            status,
            max_lag_days=settings.read_limits.max_lag_days,
            calendars=calendars,
            progress_logic=settings.progress_logic,
        ),
        runs,
    )
    report.critical = len(cpm.critical_path)
    report.rss["critical path"] = peak_rss_mb()
    report.overview, _ = median_of(
        lambda: planning_overview(frame, settings, status, calendars=calendars), runs
    )
    report.rss["planning overview"] = peak_rss_mb()
    return report


def print_table(jvm: float, reports: list[Report], runs: int) -> None:
    width, label_width = 26, 42
    names = [r.name for r in reports]
    print()
    print(f"JVM start (start_jvm, once per process): {jvm:.2f} s")
    print(
        f"warm = median of {runs}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print()
    print(f"{'':<{label_width}}" + "".join(f"{n:>{width}}" for n in names))

    def row(label: str, values: list[str]) -> None:
        print(f"{label:<{label_width}}" + "".join(f"{v:>{width}}" for v in values))

    row("rows (activities + summaries)", [f"{r.rows} ({r.activities})" for r in reports])
    row("links", [str(r.links) for r in reports])
    row("bare MPXJ read, first", [f"{r.bare_first:.2f} s" for r in reports])
    row("bare MPXJ read, warm", [f"{r.bare:.2f} s" for r in reports])
    row("load_schedule, cold (first)", [f"{r.load_cold:.2f} s" for r in reports])
    row("load_schedule, warm", [f"{r.load_warm:.2f} s" for r in reports])
    row("compute_critical_path, warm", [f"{r.cpm * 1000:.0f} ms" for r in reports])
    row("planning_overview, warm", [f"{r.overview:.2f} s" for r in reports])
    row("load + CPM, warm", [f"{r.load_warm + r.cpm:.2f} s" for r in reports])
    row("ratio load / bare read", [f"{r.load_warm / r.bare:.1f}x" for r in reports])
    row(
        "ratio (load + CPM) / bare read",
        [f"{(r.load_warm + r.cpm) / r.bare:.1f}x" for r in reports],
    )
    row("critical-path activities", [str(r.critical) for r in reports])
    # ru_maxrss only grows: the second file's figures include the first file's peak
    for stage in reports[0].rss:
        row(f"peak RSS so far, after {stage}", [f"{r.rss[stage]:.0f} MB" for r in reports])
    print()
    for r in reports:
        if r.name.startswith("SP10"):
            total = r.load_warm + r.cpm
            verdict = "met" if total < 3 else "not met"
            print(f"target SP10 read + CPM < 3 s warm: {total:.2f} s, {verdict}")
        else:
            verdict = "met" if r.cpm < 0.5 else "not met"
            print(
                f"target CPM < 0.5 s for {r.activities} activities: {r.cpm * 1000:.0f} ms, {verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per warm median")
    parser.add_argument("--tasks", type=int, default=4000, help="activities of the MSPDI file")
    parser.add_argument("--no-sp10", action="store_true", help="only the synthetic file")
    args = parser.parse_args()
    settings = load_project(SETTINGS)
    print(f"peak RSS before the JVM: {peak_rss_mb():.0f} MB")
    jvm, _ = timed(start_jvm)
    print(f"peak RSS after the JVM start: {peak_rss_mb():.0f} MB")

    reports = []
    with tempfile.TemporaryDirectory(prefix="bench-project-") as folder:
        if args.no_sp10 or not SP10.exists():
            print("SP10 skipped" + ("" if args.no_sp10 else f": not found at {SP10}"))
        else:
            path = Path(folder) / "SP10 - COST LOADED.xer"
            path.write_bytes(gzip.decompress(SP10.read_bytes()))
            reports.append(measure("SP10 (XER)", path, settings, args.runs))
        built, links = timed(lambda: synthetic_mspdi(args.tasks))
        data, _ = links
        path = Path(folder) / f"synthetic-{args.tasks}.xml"
        path.write_bytes(data)
        print(f"synthetic MSPDI: {len(data) / 1e6:.1f} MB written in {built:.2f} s")
        reports.append(measure(f"MSPDI {args.tasks} (synthetic)", path, settings, args.runs))
    print_table(jvm, reports, args.runs)


if __name__ == "__main__":
    main()
