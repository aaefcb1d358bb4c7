"""Time the critical path: on a random schedule (4 000 tasks, 6 000 links), and on the real SP10
P6 schedule (3 994 activities, 6 259 rows with its WBS) read from its XER, against the bare MPXJ
read of the same file in the same run (medians; the JVM start is reported apart).

.venv/bin/python scripts/bench_cpm.py [--tasks 4000] [--links 6000] [--runs 5] [--no-sp10]

Targets (issue 13): the critical path alone under 0.5 s for 4 000 activities; SP10 read +
critical path, warm, under 3 s. Printed as times and ratios, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.schema import SCHEDULE  # noqa: E402
from tracking.calendar import WorkCalendar  # noqa: E402
from tracking.cpm import compute_critical_path  # noqa: E402

LINK_TYPES = np.array(["FS", "SS", "FF", "SF"])


def build_random_schedule(tasks: int, links: int, seed: int = 0) -> pd.DataFrame:
    """A random DAG: every link goes from a lower to a higher task number, so no loop."""
    rng = np.random.default_rng(seed)
    calendar = WorkCalendar((5, 6), [dt.date(2026, 5, 1)])
    durations = rng.integers(1, 21, tasks)
    milestone = rng.random(tasks) < 0.05
    durations[milestone] = 1
    starts = calendar.add_working_days_array(
        np.full(tasks, np.datetime64("2026-02-16")), rng.integers(0, 200, tasks)
    )
    finishes = calendar.add_working_days_array(starts, durations - 1)
    predecessors: list[list[str]] = [[] for _ in range(tasks)]
    succ = rng.integers(1, tasks, links)
    pred = (rng.random(links) * succ).astype(int)
    kinds = rng.choice(LINK_TYPES, links, p=[0.7, 0.15, 0.1, 0.05])
    lags = rng.integers(-2, 6, links)
    for p, s, kind, lag in zip(pred, succ, kinds, lags, strict=True):
        predecessors[s].append(f"T{p}{kind}{lag:+d}" if lag else f"T{p}{kind}")
    return pd.DataFrame(
        {
            SCHEDULE.task_id: [f"T{i}" for i in range(tasks)],
            SCHEDULE.name: [f"Tâche {i}" for i in range(tasks)],
            SCHEDULE.lot: "Lot unique",
            SCHEDULE.start: starts.astype("datetime64[us]"),
            SCHEDULE.finish: finishes.astype("datetime64[us]"),
            SCHEDULE.percent_complete: 0.0,
            SCHEDULE.predecessors: ["; ".join(items) or None for items in predecessors],
            SCHEDULE.milestone: milestone,
        }
    )


SP10 = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "SP10 - COST LOADED.xer.gz"


def _median(function, runs: int) -> tuple[float, object]:
    timings, value = [], None
    for _ in range(runs):
        began = time.perf_counter()
        value = function()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), value


def bench_sp10(runs: int) -> None:
    """SP10: JVM start, bare MPXJ read, load_schedule (MPXJ + the canonical frame), CPM."""
    if not SP10.exists():
        print(f"SP10 not found at {SP10}: skipped")
        return
    from loaders import load_schedule
    from loaders.project_files import start_jvm

    data = gzip.decompress(SP10.read_bytes())
    began = time.perf_counter()
    start_jvm()
    jvm = time.perf_counter() - began

    import jpype

    reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
    with tempfile.NamedTemporaryFile(suffix=".xer") as handle:
        handle.write(data)
        handle.flush()
        reader().read(handle.name)  # warm the reader's classes
        bare, _ = _median(lambda: reader().read(handle.name), runs)

    def load():
        stream = io.BytesIO(data)
        stream.name = "SP10 - COST LOADED.xer"
        return load_schedule(stream)

    loaded = load()  # warm
    read, loaded = _median(load, runs)
    frame, calendars = loaded.frame, loaded.tables.get("calendars")
    cpm, result = _median(
        lambda: compute_critical_path(
            frame, WorkCalendar(), loaded.declared_date, calendars=calendars
        ),
        runs,
    )
    total = read + cpm
    print(
        f"SP10 ({len(frame)} rows, {int((~frame[SCHEDULE.is_summary]).sum())} activities): "
        f"JVM start {jvm:.2f} s (once per process); bare MPXJ read {bare:.2f} s; "
        f"load_schedule {read:.2f} s ({read / bare:.1f}× the bare read); "
        f"critical path {cpm * 1000:.0f} ms; read + critical path {total:.2f} s "
        f"(target < 3 s: {'met' if total < 3 else 'not met'}); "
        f"{len(result.critical_path)} critical-path activities"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=4000)
    parser.add_argument("--links", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-sp10", action="store_true", help="only the random schedule")
    args = parser.parse_args()
    schedule = build_random_schedule(args.tasks, args.links)
    calendar = WorkCalendar((5, 6), [dt.date(2026, 5, 1), dt.date(2026, 7, 30)])
    timings = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = compute_critical_path(schedule, calendar, status_date=dt.date(2026, 4, 1))
        timings.append(time.perf_counter() - began)
    median = statistics.median(timings)
    print(
        f"{args.tasks} tasks, {args.links} links: median {median * 1000:.0f} ms "
        f"over {args.runs} runs (min {min(timings) * 1000:.0f} ms; target < 500 ms: "
        f"{'met' if median < 0.5 else 'not met'}); "
        f"{len(result.critical_path)} critical-path tasks, {len(result.problems)} problems"
    )
    if not args.no_sp10:
        bench_sp10(args.runs)


if __name__ == "__main__":
    main()
