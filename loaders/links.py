"""The grammar of a schedule's ``Prédécesseurs`` cell, in one place.

The schedule loader reads it to refuse an unreadable link or an impossible lag with its row and
column; the critical path method (``tracking.cpm``) reads it again to build the network. Both
import it from here, so a link accepted at import is the link the calendar computes with.

Three writers produce these cells:

* people, in a hand-made spreadsheet: ``T05; T07SS+5, 12FS+5, T3 FS + 2j``;
* MS Project's "Export to Excel", French (``7FD+35 jours;3DD+2 j;4FF-1 sem;5FS+50%;7FD+2 jé``)
  or English (``4FS+1 wk,3SS+2 days,8FS-1.5d``);
* the project-file reader (``loaders.project_files``), which writes every link of an ``.mpp`` or
  an ``.xer`` as ``{pred_id} {TYPE}{+|-}{lag}{unit}`` (``A1010 FS+16h``, ``12 SS+2d``,
  ``7 FS-1.5d``) joined by ``"; "``, or the bare id for FS+0.

A lag keeps the unit it was written in (``Link.unit``); ``lag_in_days`` is the one place where a
unit becomes working days, so the loader's bound and the critical path agree.
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
#: the unit a lag is counted in: working days ("d"), weeks ("w") and hours ("h") of the
#: predecessor's calendar, elapsed calendar days ("ed") and weeks ("ew"), or a percentage of the
#: predecessor's duration ("%")
LagUnit = Literal["d", "w", "h", "ed", "ew", "%"]
LAG_UNITS: tuple[str, ...] = ("d", "w", "h", "ed", "ew", "%")

#: MS Project's defaults, used when a calendar does not say otherwise: a day is 8 working hours
#: (Tools > Options > Schedule, "Hours per day"), a week 5 working days, a month 20 working days
HOURS_PER_DAY = 8.0
DAYS_PER_WEEK = 5.0
DAYS_PER_MONTH = 20.0


@dataclass(frozen=True, slots=True)
class Link:
    """One predecessor link: ``pred_id`` → this task, with a lag of ``lag`` ``unit``.

    ``Link("T05")`` is FS+0; ``Link("T07", "SS", 5)`` is SS+5 working days, as before lags had
    units. ``lag`` is an ``int`` when the cell wrote a whole number (``+5``), a ``float``
    otherwise (``-1.5d``), so ``Link("T07", "SS", 5) == Link("T07", "SS", 5.0, "d")``.
    """

    pred_id: str
    type: LinkType = "FS"
    lag: float = 0
    unit: LagUnit = "d"

    @property
    def text(self) -> str:
        """The link as the project-file form writes it: ``A1010 FS+16h``, ``12``, ``7 SS-1.5d``."""
        if self.type == "FS" and self.lag == 0:
            return self.pred_id
        return f"{self.pred_id} {self.type}{'-' if self.lag < 0 else '+'}{_number(abs(self.lag))}{self.unit}"


class PredecessorParse(NamedTuple):
    links: list[Link]
    #: items that could not be read, as written (reported as ``bad_link``)
    bad_items: list[str]


class LagDays(NamedTuple):
    """A lag in days: working days of the predecessor's calendar, or, when ``elapsed``, calendar
    days (an elapsed lag runs through week-ends and holidays, MS Project's ``ed``)."""

    days: float
    elapsed: bool = False


def lag_in_days(
    link: Link,
    hours_per_day: float = HOURS_PER_DAY,
    days_per_week: float = DAYS_PER_WEEK,
    pred_duration: float | None = None,
) -> LagDays:
    """``link``'s lag as days, with the predecessor calendar's ``hours_per_day`` and
    ``days_per_week`` (MS Project's 8 and 5 by default).

    ``d`` is working days as is; ``w`` × ``days_per_week``; ``h`` ÷ ``hours_per_day``; ``ed``
    calendar days (elapsed); ``ew`` × 7 calendar days (elapsed); ``%`` is that share of the
    predecessor's duration in working days (``pred_duration``; MS Project and P6 both take the
    predecessor's duration): 50 % of a 10-day task is 5 working days. A ``%`` lag without a known
    duration is 0 days (``pred_duration=None``), so the caller must pass it.
    """
    lag, unit = float(link.lag), link.unit
    if unit == "w":
        return LagDays(lag * days_per_week)
    if unit == "h":
        return LagDays(lag / (hours_per_day or HOURS_PER_DAY))
    if unit == "ed":
        return LagDays(lag, True)
    if unit == "ew":
        return LagDays(lag * 7, True)
    if unit == "%":
        return LagDays(lag / 100 * (pred_duration or 0.0))
    return LagDays(lag)


_TYPE_ALIASES = {"FS": "FS", "SS": "SS", "FF": "FF", "SF": "SF", "FD": "FS", "DD": "SS", "DF": "SF"}

#: every spelling of a lag unit (folded: lower case, accents kept as MS Project writes them),
#: with the canonical unit and the factor into it. French MS Project: ``j``/``jours``, ``sem``,
#: ``ms``/``mois``, ``h``/``heures``, ``min``, elapsed ``jé``, ``semé``, ``hé``, ``msé``;
#: English: ``d``/``day(s)``/``dy``, ``w``/``wk``/``week(s)``, ``mo``/``mon``/``month(s)``,
#: ``h``/``hr(s)``/``hour(s)``, ``m``/``min``, elapsed ``ed``, ``ew``, ``eh``, ``emo``. A month is
#: 20 working days (MS Project's default) and an elapsed month 30 calendar days.
_UNIT_WORDS: dict[str, tuple[LagUnit, float]] = {}
for _words, _unit, _factor in (
    (("j", "jo", "jr", "jrs", "jour", "jours", "d", "dy", "dys", "day", "days"), "d", 1.0),
    (("sem", "sems", "semaine", "semaines", "s", "w", "wk", "wks", "week", "weeks"), "w", 1.0),
    (("ms", "mois", "mo", "mon", "mons", "month", "months"), "d", DAYS_PER_MONTH),
    (("h", "hr", "hrs", "hour", "hours", "heure", "heures"), "h", 1.0),
    (("min", "mins", "minute", "minutes", "m"), "h", 1 / 60),
    (("jé", "je", "jéc", "jours écoulés", "jour écoulé", "ed", "eday", "edays", "edy"), "ed", 1.0),
    (("semé", "seme", "ew", "ewk", "ewks", "eweek", "eweeks"), "ew", 1.0),
    (("hé", "eh", "ehr", "ehrs", "ehour", "ehours"), "ed", 1 / 24),
    (("msé", "mse", "emo", "emon", "emonth", "emonths"), "ed", 30.0),
    (("%",), "%", 1.0),
):
    for _word in _words:
        _UNIT_WORDS[_word] = (_unit, _factor)  # type: ignore[assignment]

#: the unit words, public for the duration parser (``loaders.values.parse_duration_text``)
LAG_UNIT_WORDS = _UNIT_WORDS

#: longest spellings first, so ``jours`` is not read as ``j`` + ``ours``
_UNIT = "|".join(re.escape(word) for word in sorted(_UNIT_WORDS, key=len, reverse=True))
#: a lag: digits with an optional decimal mark (``1.5``, ``20,5``), its unit, and MS Project's
#: ``?`` for an estimated value
_LAG = rf"(?P<digits>\d+(?:[.,]\d+)?)\s*(?P<unit>{_UNIT})?\s*\??"
_ITEM = re.compile(
    rf"""^(?P<id>\w[\w.\-/]*?)
    (?:
        \s*(?P<type>FS|SS|FF|SF|FD|DD|DF)(?:\s*(?P<sign>[+-])\s*{_LAG})?
      | \s*(?P<plus>\+)\s*{_LAG.replace("?P<", "?P<p_")}
      | \s*-\s*(?P<m_digits>\d+(?:[.,]\d+)?)\s*(?P<m_unit>{_UNIT})\s*\??
    )?$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATORS = re.compile(r"[;,\n]")
#: a comma that is a decimal mark in a lag (``3FD+2,5 j``, ``+20,5 jours``, ``+12,5%``): after a
#: signed number and before digits followed by a unit; any other comma separates items
_DECIMAL_COMMA = re.compile(rf"(?i)([+-]\s*\d+),(\d+\s*(?:{_UNIT})(?![\w]))")
#: digits kept from a lag: more cannot be a number of days, and float() of a 100 000-digit
#: string is slow (a lag that long is reported as too large, not parsed)
_LAG_DIGITS = 12


def parse_predecessors(text: Any, known_ids: Container[str] | None = None) -> PredecessorParse:
    """Read a predecessors cell: ``"T05; T07SS+5, 12FS+5, T12FF-3, 8SF, T3 FS + 2j"``.

    Items are separated by ``;``, ``,`` or a line break; each is an id, optionally a link type (FS,
    SS, FF, SF or the French FD, DD, FF, DF) and a signed lag with an optional unit (days by
    default; see ``_UNIT_WORDS``: ``2 j``, ``35 jours``, ``1 sem``, ``16h``, ``2 jé``, ``50%``,
    ``1.5d``, ``20,5 jours``, ``2 j?``). A lag without a type means FS (``T05+2``; a negative one
    needs its unit: ``T05-2j``, since ``GO-12`` is an id). An item that is itself one of
    ``known_ids`` is taken whole, so an id such as ``STAFF`` is not read as ``STA`` + FF.
    Unreadable items are returned, never raised. A lag of more than 12 digits is read as ±10¹²
    days: beyond any bound, never a crash.
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
    ``["T05", "T07SS+5"]``); a lone numeric id read from Excel as ``12.0`` is ``"12"``. A decimal
    comma inside a lag (``3FD+2,5 j``) does not split the item."""
    if text is None or text is pd.NA or isinstance(text, float | np.floating) and math.isnan(text):
        return []
    if isinstance(text, float | np.floating) and float(text).is_integer():
        text = str(int(text))
    text = str(text)
    if "," in text:
        text = _DECIMAL_COMMA.sub(lambda m: f"{m[1]}\x00{m[2]}", text)
    return [
        item.replace("\x00", ",")
        for item in (raw.strip() for raw in _SEPARATORS.split(text))
        if item
    ]


def read_link(item: str, known_ids: Container[str] | None = None) -> Link | None:
    """One item of a predecessors cell as a link; ``None`` when it cannot be read."""
    if known_ids is not None and item in known_ids:
        return Link(item)
    match = _ITEM.match(item)
    if match is None:
        return None
    if match["type"]:
        kind = _TYPE_ALIASES[match["type"].upper()]
        if match["digits"] is None:
            return Link(match["id"], kind)  # type: ignore[arg-type]
        sign = -1 if match["sign"] == "-" else 1
        return _with_lag(match["id"], kind, sign, match["digits"], match["unit"])
    if match["plus"]:
        return _with_lag(match["id"], "FS", 1, match["p_digits"], match["p_unit"])
    if match["m_digits"]:
        return _with_lag(match["id"], "FS", -1, match["m_digits"], match["m_unit"])
    return Link(match["id"])


def _with_lag(pred_id: str, kind: str, sign: int, digits: str, unit_word: str | None) -> Link:
    unit, factor = _UNIT_WORDS[unit_word.lower()] if unit_word else ("d", 1.0)
    lag = _lag(digits) * factor * sign
    if isinstance(lag, float) and lag.is_integer() and abs(lag) < 2**53:
        lag = int(lag)
    return Link(pred_id, kind, lag, unit)  # type: ignore[arg-type]


def _lag(digits: str) -> float:
    whole, _, fraction = digits.replace(",", ".").partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > _LAG_DIGITS:
        return 10**_LAG_DIGITS
    if not fraction or not fraction.strip("0"):
        return int(whole)
    return float(f"{whole}.{fraction[:_LAG_DIGITS]}")


def _number(value: float) -> str:
    """A lag's magnitude with a dot decimal and no trailing zeros: 16, 1.5, 0.125."""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
