"""How the store writes and reads a moment: fixed-width UTC ISO text (it sorts as time does),
read back in local time. One definition for the snapshots and the audit trail."""

from __future__ import annotations

import datetime as dt


def utc_text(moment: dt.datetime | None = None) -> str:
    """``moment`` (now when None; a naive time is local time) as fixed-width UTC ISO text."""
    return (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="microseconds")


def local_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone()
