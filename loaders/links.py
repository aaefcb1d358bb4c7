"""The grammar of a schedule's ``Prédécesseurs`` cell, in one place.

The schedule loader reads it to refuse an unreadable link or an impossible lag with its row and
column; the critical path method (``tracking.cpm``) reads it again to build the network. Both
import it from here, so a link accepted at import is the link the calendar computes with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import pandas as pd

LinkType = Literal["FS", "SS", "FF", "SF"]


@dataclass(frozen=True, slots=True)
class Link:
    """One predecessor link: ``pred_id`` → this task, with a lag in working days."""

    pred_id: str
    type: LinkType = "FS"
    lag: int = 0


class PredecessorParse(NamedTuple):
    links: list[Link]
    #: items that could not be read, as written (reported as ``bad_link``)
    bad_items: list[str]


_TYPE_ALIASES = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF", "FD": "FS", "DD": "SS", "DF": "SF"}
_UNIT = r"(?:jours?|days?|jo|j|d)"
_ITEM = re.compile(
    rf"""^(?P<id>\w[\w.\-/]*?)
    (?:
        \s*(?P<type>FS|SS|FF|SF|FD|DD|DF)
        (?:\s*(?P<sign>[+-])\s*(?P<lag>\d+)\s*{_UNIT}?)?
      | \s*\+\s*(?P<plus_lag>\d+)\s*{_UNIT}?
      | \s*-\s*(?P<minus_lag>\d+)\s*{_UNIT}
    )?$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATORS = re.compile(r"[;,\n]")
#: digits kept from a lag: more cannot be a number of days, and int() of a 100 000-digit
#: string is refused by Python (a lag that long is reported as too large, not parsed)
_LAG_DIGITS = 12


def parse_predecessors(text: Any, known_ids: Container[str] | None = None) -> PredecessorParse:
    """Read a predecessors cell: ``"T05; T07SS+5, 12FS+5, T12FF-3, 8SF, T3 FS + 2j"``.

    Items are separated by ``;`` or ``,``; each is an id, optionally a link type (FS, SS, FF, SF or
    the French FD, DD, FF, DF) and a signed lag in working days with an optional unit (j, jo, d,
    jours). A lag without a type means FS (``T05+2``; a negative one needs its unit: ``T05-2j``,
    since ``GO-12`` is an id). An item that is itself one of ``known_ids`` is taken whole, so an id
    such as ``STAFF`` is not read as ``STA`` + FF. Unreadable items are returned, never raised.
    A lag of more than 12 digits is read as ±10¹² days: beyond any bound, never a crash.
    """
    links: list[Link] = []
    bad: list[str] = []
    for item in predecessor_items(text):
        link = read_link(item, known_ids)
        if link is None:
            bad.append(item)
        else:
            links.append(link)
    return PredecessorParse(links, bad)


def predecessor_items(text: Any) -> list[str]:
    """The items of a predecessors cell as written, blanks left out (``"T05; T07SS+5"`` ->
    ``["T05", "T07SS+5"]``); a lone numeric id read from Excel as ``12.0`` is ``"12"``."""
    if text is None or text is pd.NA or isinstance(text, float | np.floating) and math.isnan(text):
        return []
    if isinstance(text, float | np.floating) and float(text).is_integer():
        text = str(int(text))
    return [item for item in (raw.strip() for raw in _SEPARATORS.split(str(text))) if item]


def read_link(item: str, known_ids: Container[str] | None = None) -> Link | None:
    """One item of a predecessors cell as a link; ``None`` when it cannot be read."""
    if known_ids is not None and item in known_ids:
        return Link(item)
    match = _ITEM.match(item)
    if match is None:
        return None
    if match["type"]:
        lag = _lag(match["lag"] or "0") * (-1 if match["sign"] == "-" else 1)
        return Link(match["id"], _TYPE_ALIASES[match["type"].upper()], lag)  # type: ignore[arg-type]
    if match["plus_lag"]:
        return Link(match["id"], "FS", _lag(match["plus_lag"]))
    if match["minus_lag"]:
        return Link(match["id"], "FS", -_lag(match["minus_lag"]))
    return Link(match["id"])


def _lag(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= _LAG_DIGITS else 10**_LAG_DIGITS
