"""Time the critical path on a random schedule: 4 000 tasks, 6 000 links (median of 5 runs).

.venv/bin/python scripts/bench_cpm.py [--tasks 4000] [--links 6000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=4000)
    parser.add_argument("--links", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    schedule = build_random_schedule(args.tasks, args.links)
    calendar = WorkCalendar((5, 6), [dt.date(2026, 5, 1), dt.date(2026, 7, 30)])
    timings = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = compute_critical_path(schedule, calendar, status_date=dt.date(2026, 4, 1))
        timings.append(time.perf_counter() - began)
    print(
        f"{args.tasks} tasks, {args.links} links: median {statistics.median(timings) * 1000:.0f} ms "
        f"over {args.runs} runs (min {min(timings) * 1000:.0f} ms); "
        f"{len(result.critical_path)} critical-path tasks, {len(result.problems)} problems"
    )


if __name__ == "__main__":
    main()
