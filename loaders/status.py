"""The status date (date de situation): the date the figures are measured at, read from the
files themselves (a title row, else their latest actual date) when they are checked."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from loaders.schema import SCHEDULE, SPENDING


def infer_status_date(
    schedule: pd.DataFrame | None = None,
    spending: pd.DataFrame | None = None,
    fixed: dt.date | None = None,
    today: dt.date | None = None,
    declared: list | tuple = (),
) -> dt.date:
    """``fixed`` when the settings give one; else the latest situation date the files declare
    in their title rows (``Situation au 20/11/2026``); else the latest actual date found in
    the data (actual starts and finishes, décompte issue and payment dates). Never after
    ``today``."""
    if fixed is not None:
        return fixed
    today = today or dt.date.today()
    limit = pd.Timestamp(today)
    stated = [pd.Timestamp(d) for d in declared if d is not None and not pd.isna(d)]
    stated = [d for d in stated if d <= limit]
    if stated:
        return max(stated).date()
    candidates: list[pd.Timestamp] = []
    for frame, columns in (
        (schedule, (SCHEDULE.actual_start, SCHEDULE.actual_finish)),
        (spending, (SPENDING.date, SPENDING.paid_date)),
    ):
        if frame is None:
            continue
        for column in columns:
            if column in frame:
                values = frame[column].dropna()
                values = values[values <= limit]
                if len(values):
                    candidates.append(values.max())
    return max(candidates).date() if candidates else today
