"""What the weekly review needs of each past week, small enough to keep: its key figures and
the forecast of each milestone.

The review shows a year of weeks; computing every week's whole situation (critical path,
spending chain, areas) on its first view would cost the planning and the spending overviews
of every week. A digest is computed once from the week's situation (``week_digest``) and
kept as JSON text (``digest_text`` / ``digest_from_text``) beside the history, under a key of
the week's snapshot ids, the settings file and ``DIGEST_VERSION``: a corrected file is a new
snapshot and the settings or the definitions changing give another key, so a kept digest is
never out of date. Only the two weeks compared are computed whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from loaders.schema import SCHEDULE
from tracking.compare import COMPARED, TREND_COLUMNS
from views.key_figures import KeyFigures, key_figures
from views.review import milestones_of

#: raised whenever what a digest holds or how a figure of it is defined changes
DIGEST_VERSION = 1
_TIMESTAMP_FIELDS = ("forecast_finish",)
_DATE_COLUMNS = (COMPARED.status_date, SCHEDULE.baseline_finish, COMPARED.forecast_finish)


@dataclass(frozen=True)
class WeekDigest:
    figures: KeyFigures
    #: ``tracking.compare.TREND_COLUMNS``: one row per milestone at this week
    milestones: pd.DataFrame

    @property
    def status_date(self) -> dt.date:
        return self.figures.status_date


def week_digest(situation) -> WeekDigest:
    """The digest of a ``tracking.situation.ProjectSituation``."""
    return WeekDigest(key_figures(situation), milestones_of(situation))


def digest_key(
    status_date: dt.date, snapshot_ids: Iterable[tuple[str, int]], settings: bytes
) -> str:
    """The key a week's digest is kept under: its date, its snapshot ids (file kind, id), the
    settings file's SHA-256 and the digest version."""
    ids = ",".join(f"{kind}={number}" for kind, number in sorted(snapshot_ids))
    digest = hashlib.sha256(settings).hexdigest()[:16]
    return f"week-digest/v{DIGEST_VERSION}/{status_date:%Y-%m-%d}/{ids}/{digest}"


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str | dict) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def digest_text(digest: WeekDigest) -> str:
    figures = {f.name: _plain(getattr(digest.figures, f.name)) for f in fields(KeyFigures)}
    figures["reasons"] = dict(digest.figures.reasons)
    milestones = {
        column: [_plain(value) for value in digest.milestones[column].tolist()]
        for column in TREND_COLUMNS
    }
    return json.dumps({"figures": figures, "milestones": milestones}, ensure_ascii=False)


def digest_from_text(text: str) -> WeekDigest:
    """The inverse of ``digest_text``; ``ValueError`` for a text that is not one."""
    try:
        data = json.loads(text)
        values = dict(data["figures"])
        values["status_date"] = dt.date.fromisoformat(values["status_date"])
        for name in _TIMESTAMP_FIELDS:
            if values.get(name) is not None:
                values[name] = pd.Timestamp(values[name])
        figures = KeyFigures(**values)
        columns = data["milestones"]
        frame = pd.DataFrame({column: columns[column] for column in TREND_COLUMNS})
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a week digest: {error}") from error
    for column in TREND_COLUMNS:
        if column in _DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
        else:
            frame[column] = frame[column].astype("str")
    return WeekDigest(figures, frame)
