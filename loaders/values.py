"""Cell value parsing: French and English numbers, dates and percentages, one column at a time.

Each ``parse_*_column`` takes a pandas Series of raw cell values (objects as calamine or the CSV
reader gave them, ``""`` for an empty cell) and returns the parsed Series plus the positions
that could not be read, so the caller can report every bad cell with its row and column.
Typed cells (numbers, Excel dates) take a vectorised fast path; only text goes through the
slower per-value parser, once per distinct text.

A value that cannot be true is a failure too, never a stored value: an infinity or an overflow
(``1e309``, a 400-digit amount, ``NaN``), a number beyond the column's bound, a date outside the
window (``31/12/9999``, serial 2958465, ``01/01/0001``), an Excel error cell (``#DIV/0!``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from loaders.links import DAYS_PER_WEEK, HOURS_PER_DAY, LAG_UNIT_WORDS

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serial numbers read as dates: 1 (01/01/1900) up to 2958465 (31/12/9999), the range
#: Excel itself can show; whether the date is plausible is the window's business
_SERIAL_MIN, _SERIAL_MAX = 1, 2958466
#: Excel shows serials below 61 one day later than the epoch says (its phantom 29/02/1900)
_SERIAL_LEAP_BUG = 61
#: ``yyyymmdd`` integers read as dates: 10000101 .. 99991231
_COMPACT_MIN, _COMPACT_MAX = 10000101, 99991231

#: the error values a formula cell can hold, as Excel (English and French) and LibreOffice
#: write them; calamine reads an error cell as an empty string, a CSV export as this text
_EXCEL_ERROR = re.compile(
    r"(?i)^\s*(#(?:DIV/0!|N/A|N/D|NV|VALUE!|VALEUR!|REF!|NAME\?|NOM\?|NUM!|NOMBRE!|NULL!|NUL!|"
    r"SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)|Err:\d{3})\s*$"
)
#: texts that spell a number that is not one
_NOT_FINITE_WORDS = re.compile(r"(?i)^[+-]?(?:inf|infinity|infinite|infini|nan)$")
_SCIENTIFIC = re.compile(r"^(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+$")

_CURRENCY = re.compile(r"(?i)(?:\bmad\b|\bdhs?\b|\bdirhams?\b|\bttc\b|\bht\b|€|\$|£|\beur\b|\bk€)")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_NUMBER_CHARS = re.compile(r"^[+-]?[0-9.,]+$")

_FR_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "aout": 8, "aou": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}  # fmt: skip
#: a weekday written before a date, as MS Project's exports write it (``Lun 16/02/26``,
#: ``lun. 16/02/26 08:00``, ``Mon 2/16/26``, ``lundi 16 février 2026``, German ``Di 07.01.03``):
#: the weekday (0 = Monday) and the order of day and month its language writes, "dmy" for French
#: and German, "mdy" for English, None when the word is the same in both (``Mo``, ``Fr``, ``Sa``)
_WEEKDAY_WORDS: dict[str, tuple[int, str | None]] = {}
for _order, _names in (
    ("dmy", ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")),
    ("dmy", ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")),
    ("dmy", ("lu", "ma", "me", "je", "ve", "", "")),
    ("mdy", ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")),
    ("mdy", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    ("mdy", ("", "tues", "weds", "thur", "", "", "")),
    ("mdy", ("", "tu", "we", "th", "", "", "su")),
    ("dmy", ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")),
    ("dmy", ("", "di", "mi", "do", "", "", "so")),  # German (MPX files: ``Di 07.01.03``)
    (None, ("mo", "", "", "thurs", "fr", "sa", "")),
):
    for _day, _name in enumerate(_names):
        if _name:
            _WEEKDAY_WORDS[_name] = (_day, _order)
_WEEKDAY_PREFIX = re.compile(r"(?i)^([^\W\d_]+)\.?,?\s+")
_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?$"
)
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$"
)
_MONTH_NAME = re.compile(r"^(?:(\d{1,2})(?:er)?[\s\-/.]+)?([a-z]+)\.?[\s\-/.]+(\d{2}|\d{4})$")
#: Primavera P6's form: ``16-Feb-26``, ``16-Feb-26 08:00``, and its marks after a date, ``A``
#: for an actual date and ``*`` for a constrained one (``16-Feb-26 A``)
_P6_DATE = re.compile(
    r"^(\d{1,2})[\s\-/.]([a-z]{3,9})\.?[\s\-/.](\d{2}|\d{4})"
    r"(?:\s+(\d{1,2}):(\d{2}))?(?:\s*[a*])?$"
)
#: what MS Project writes in a date column for "no date": NA (English), ND (French)
NO_DATE_WORDS = frozenset({"na", "nd", "n/a", "n/d", "n.a.", "n.d."})
#: the English long form: ``February 16, 2026``, ``Feb 16 26``
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{2}|\d{4})$")


@dataclass(frozen=True)
class ExcelError:
    """An Excel error cell (``#DIV/0!``, ``#N/A``…): a formula that failed, not a value."""

    code: str

    def __str__(self) -> str:
        return self.code


def excel_error_text(value: object) -> str | None:
    """The Excel error ``value`` holds (an ``ExcelError`` or its text), else ``None``."""
    if isinstance(value, ExcelError):
        return value.code
    if isinstance(value, str) and (match := _EXCEL_ERROR.match(value)):
        return match.group(1).upper().replace("ERR:", "Err:")
    return None


class CellFailure(NamedTuple):
    """A cell that cannot be accepted. ``code`` names why (``excel_error``, ``not_finite``,
    ``number_too_large``, ``date_out_of_window``); ``None`` means unreadable in the column's own
    terms (``bad_date``, ``bad_number``…), which the caller knows."""

    position: object
    value: object
    code: str | None = None
    params: dict[str, Any] | None = None


@dataclass
class ParsedColumn:
    values: pd.Series
    #: cells (as in the input Series' index) that could not be accepted, with the raw value
    failures: list[CellFailure] = field(default_factory=list)
    #: a note about how the column was read ("us_dates", "fractions_as_percent"…)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CellKinds:
    """What each raw cell of a column holds, as boolean arrays (computed once per column)."""

    blank: np.ndarray  # None, NaN, "" or whitespace only
    text: np.ndarray  # a non-blank string
    number: np.ndarray  # int or float (not bool, not NaN)
    datelike: np.ndarray  # date, datetime or Timestamp
    other: np.ndarray  # anything else (bool, time, timedelta…)
    error: np.ndarray  # an Excel error cell, or its text (``#DIV/0!``)
    #: the distinct strings of the column and, for each ``text`` cell in order, the index of
    #: its string among them: per-string work (white space, totals labels, text numbers and
    #: dates) is done once per distinct value, not once per cell (a ledger's payee, lot and
    #: contract columns repeat a few values over 100 000 rows)
    strings: np.ndarray
    string_codes: np.ndarray

    def subset(self, mask: np.ndarray) -> CellKinds:
        return CellKinds(
            self.blank[mask],
            self.text[mask],
            self.number[mask],
            self.datelike[mask],
            self.other[mask],
            self.error[mask],
            self.strings,
            self.string_codes[mask[self.text]],
        )

    def held_strings(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct strings the ``text`` cells hold (those of blank, error or dropped
        cells left out, so that a decision over the column's strings is the same as over its
        cells), and for each text cell the index of its string among them."""
        used = np.zeros(len(self.strings), dtype=bool)
        used[self.string_codes] = True
        if used.all():
            return self.strings, self.string_codes
        return self.strings[used], (np.cumsum(used) - 1)[self.string_codes]


_NONE, _TEXT, _NUMBER, _DATE, _OTHER = range(5)
_TYPE_CODE = {
    type(None): _NONE,
    str: _TEXT,
    np.str_: _TEXT,
    float: _NUMBER,
    int: _NUMBER,
    np.float64: _NUMBER,
    np.int64: _NUMBER,
    np.float32: _NUMBER,
    np.int32: _NUMBER,
    dt.date: _DATE,
    dt.datetime: _DATE,
    pd.Timestamp: _DATE,
    type(pd.NaT): _NONE,
    type(pd.NA): _NONE,
}


def cell_kinds(raw: pd.Series) -> CellKinds:
    """Classify every cell by its Python type with array operations, not per-cell lambdas:
    100 000-row columns are the norm for a payments ledger."""
    values = raw.to_numpy(dtype=object)
    count = len(values)
    codes = np.fromiter(
        map(_TYPE_CODE.get, map(type, values), itertools.repeat(_OTHER)), dtype=np.int8, count=count
    )
    text, number, datelike, blank = codes == _TEXT, codes == _NUMBER, codes == _DATE, codes == _NONE
    error = np.zeros(count, dtype=bool)
    if number.any():
        nan = np.zeros(count, dtype=bool)
        nan[number] = np.isnan(as_floats(values[number]))
        blank |= nan
        number &= ~nan
    strings, string_codes = np.empty(0, dtype=object), np.empty(0, dtype=np.intp)
    if text.any():
        # each distinct string is looked at once (pd.factorize hashes them in C)
        positions = np.flatnonzero(text)
        string_codes, uniques = pd.factorize(values[positions])
        strings = np.asarray(uniques, dtype=object)
        empty = (strings == "") | np.fromiter(
            map(str.isspace, strings), dtype=bool, count=len(strings)
        )
        is_error = _error_texts(strings) & ~empty
        blank[positions[empty[string_codes]]] = True
        error[positions[is_error[string_codes]]] = True
        plain = ~(empty | is_error)[string_codes]
        text[positions[~plain]] = False
        string_codes = string_codes[plain]
    if (codes == _OTHER).any():
        error |= (codes == _OTHER) & np.fromiter(
            (isinstance(v, ExcelError) for v in values), dtype=bool, count=count
        )
    other = ~(blank | text | number | datelike | error)
    return CellKinds(blank, text, number, datelike, other, error, strings, string_codes)


def _error_texts(strings: np.ndarray) -> np.ndarray:
    """Which strings are an Excel error's text; one search of the joined column first, since
    nearly every column holds none."""
    found = np.zeros(len(strings), dtype=bool)
    joined = "\x00".join(strings)
    if "#" not in joined and "rr:" not in joined:
        return found
    for position, text in enumerate(strings):
        head = text.lstrip()[:1]
        if head in ("#", "E", "e") and _EXCEL_ERROR.match(text):
            found[position] = True
    return found


def as_floats(objects: np.ndarray) -> np.ndarray:
    """Numeric cells as floats; a Python int too large for a float becomes ±inf (refused by the
    parsers as not finite, never an ``OverflowError``)."""
    try:
        return objects.astype(float)
    except OverflowError:
        return np.array([_one_float(v) for v in objects], dtype=float)


def _one_float(value: Any) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def cell_failures(
    raw: pd.Series, mask: np.ndarray, code: str | None = None, params: dict | None = None
) -> list[CellFailure]:
    """One failure per cell of ``raw`` where ``mask`` is set (labels read once: indexing a
    pandas index per cell costs more than parsing on a file where every row is wrong)."""
    labels = raw.index.to_numpy()
    values = raw.to_numpy(dtype=object)
    return [CellFailure(labels[p], values[p], code, params) for p in np.flatnonzero(mask)]


def error_failures(raw: pd.Series, kinds: CellKinds) -> list[CellFailure]:
    """One ``excel_error`` failure per error cell of the column."""
    return [
        failure._replace(params={"error": excel_error_text(failure.value)})
        for failure in cell_failures(raw, kinds.error, "excel_error")
    ]


# --- numbers --------------------------------------------------------------------------------


def parse_number_text(text: str, comma_decimal_column: bool = False) -> float | None:
    """``'1 234 567,89 DH'``, ``'1.234.567,89'``, ``'1,234,567.89'``, ``'(1 200)'`` -> float.

    ``'1,5E+06'`` (scientific, as a CSV export writes large numbers) is read too. ``'inf'``,
    ``'NaN'`` and overflows (``'1e309'``, 400 digits) come back as inf or NaN for the caller to
    refuse as not finite; ``None`` means the text is not a number.
    """
    cleaned = _CURRENCY.sub("", text)
    cleaned = _SPACES.sub("", cleaned)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-") and cleaned[:-1].replace(",", "").replace(".", "").isdigit():
        negative, cleaned = True, cleaned[:-1]
    cleaned = cleaned.replace("\u2212", "-")
    if _NOT_FINITE_WORDS.match(cleaned):
        return math.nan if cleaned.lower().endswith("nan") else math.inf
    sign = -1.0 if negative else 1.0
    if cleaned[:1] in ("+", "-"):
        sign = -sign if cleaned[0] == "-" else sign
        cleaned = cleaned[1:]
    if _SCIENTIFIC.match(cleaned):
        return sign * float(cleaned.replace(",", "."))
    if not cleaned or not _NUMBER_CHARS.match(cleaned) or cleaned[0] in "+-":
        return None
    return _plain_number(cleaned, sign, comma_decimal_column)


def _plain_number(cleaned: str, sign: float, comma_decimal_column: bool) -> float | None:
    """Digits with thousands separators and a decimal mark (no sign, no unit)."""
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        group = "." if decimal == "," else ","
        integer, _, fraction = cleaned.rpartition(decimal)
        if not _valid_groups(integer, group) or not fraction.isdigit():
            return None
        return sign * float(integer.replace(group, "") + "." + fraction)
    if commas > 1 or dots > 1:
        group = "," if commas else "."
        if not _valid_groups(cleaned, group):
            return None
        return sign * float(cleaned.replace(group, ""))
    if commas == 1:
        return _float_or_none(cleaned.replace(",", "."), sign)
    if dots == 1 and comma_decimal_column and re.fullmatch(r"\d{1,3}\.\d{3}", cleaned):
        # "1.234" in a column whose other values use a decimal comma: a thousands dot
        return sign * float(cleaned.replace(".", ""))
    return _float_or_none(cleaned, sign)


def _float_or_none(text: str, sign: float) -> float | None:
    try:
        return sign * float(text)
    except ValueError:  # "." or "1.": no digits where float() needs them
        return None


def _valid_groups(integer: str, group: str) -> bool:
    parts = integer.split(group)
    return (
        parts[0].isdigit()
        and len(parts[0]) <= 3
        and all(len(p) == 3 and p.isdigit() for p in parts[1:])
        if len(parts) > 1
        else integer.isdigit()
    )


def parse_number_column(
    raw: pd.Series,
    kinds: CellKinds | None = None,
    *,
    max_abs: float = math.inf,
    units: str = "number",
) -> ParsedColumn:
    """Numbers from numeric cells or text; blank stays NaN.

    ``units`` is what the column counts (``UNIT_KINDS``): a unit typed after the number is read
    when it is the column's (``40,00 m²`` in an area, ``1 250,00 MAD`` in an amount) and refused
    as ``wrong_unit`` when it is not (``40 m²`` in an amount: the unit in ``unit``, the column's
    kind in ``expected``). A plain number column (weights, seats) takes a currency as before.
    Refused too, with the reason: an Excel error cell, an infinity or NaN (``not_finite``), a
    number whose absolute value exceeds ``max_abs`` (``number_too_large``, the bound in
    ``limit``).
    """
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), np.nan)
    result[kinds.number] = as_floats(values[kinds.number])
    unreadable = np.zeros(len(values), dtype=bool)
    unreadable[kinds.other | kinds.datelike] = True
    nan_text = np.zeros(len(values), dtype=bool)
    wrong_units: list[CellFailure] = []
    if kinds.text.any():
        positions = np.flatnonzero(kinds.text)
        strings, codes = kinds.held_strings()
        comma_decimal = any(_COMMA_DECIMAL.search(text) for text in strings)
        # each distinct text read once: a float, the unit refused (a str), or None
        parsed = _objects([_number_with_unit(text, comma_decimal, units) for text in strings])
        count = len(parsed)
        refused_text = np.fromiter((isinstance(n, str) for n in parsed), dtype=bool, count=count)
        no_number = np.fromiter((n is None for n in parsed), dtype=bool, count=count)
        number_text = ~(refused_text | no_number)
        refused = refused_text[codes]
        if refused.any():
            wrong_units = [
                CellFailure(raw.index[p], values[p], "wrong_unit", {"unit": u, "expected": units})
                for p, u in zip(positions[refused], parsed[codes[refused]], strict=True)
            ]
        read_text = number_text[codes]
        unreadable[positions[~read_text & ~refused]] = True
        numbers = np.full(count, np.nan)
        numbers[number_text] = parsed[number_text].astype(float)
        read = positions[read_text]
        result[read] = numbers[codes[read_text]]
        nan_text[read] = np.isnan(result[read])
    failures = cell_failures(raw, unreadable) + wrong_units
    failures += error_failures(raw, kinds)
    failures += _impossible_numbers(raw, result, max_abs, nan_text)
    failures.sort(key=lambda failure: failure.position)
    return ParsedColumn(pd.Series(result, index=raw.index, dtype=float), failures)


def _impossible_numbers(
    raw: pd.Series, result: np.ndarray, max_abs: float, nan_text: np.ndarray
) -> list[CellFailure]:
    """Infinities, the text ``NaN`` (``nan_text``; a NaN-valued number cell is blank) and numbers
    beyond ``max_abs``: reported, and blanked in ``result`` (changed in place)."""
    not_finite = np.isinf(result) | nan_text
    with np.errstate(invalid="ignore"):
        too_large = np.isfinite(result) & (np.abs(result) > max_abs)
    failures = cell_failures(raw, not_finite, "not_finite")
    failures += cell_failures(raw, too_large, "number_too_large", {"limit": max_abs})
    result[not_finite | too_large] = np.nan
    return failures


_COMMA_DECIMAL = re.compile(r",\d{1,2}\s*\D*$")


# --- units typed after a number -------------------------------------------------------------

#: what a number column counts, and so which unit it takes after a number: an amount
#: (``money``: MAD, DH, €…), an area (``area``: m²), a duration (``duration``: days, weeks,
#: hours…, see ``parse_duration_text``), a percentage (``percent``), a plain number
UNIT_KINDS = ("money", "area", "duration", "percent", "number")
#: the kinds of unit each column kind takes; a plain number takes a currency, as it always did
_ACCEPTED_UNITS = {
    "money": {"money"},
    "area": {"area"},
    "duration": {"duration"},
    "percent": {"percent"},
    "number": {"money"},
}
#: a number followed by a unit: a letter or a sign (%, €, $, ², °) and no digit, but for the
#: ² or ³ of ``m2``, ``m3``
_UNIT_TAIL = re.compile(
    r"^(?P<number>[+\-\u2212(]?\s*\d[\d\s\u00a0\u202f.,']*\)?)\s*"
    r"(?P<unit>(?:[^\W\d_]|[%€$£²³°])[^\d]*?(?:(?<=[mM])\s?[23]|(?<=[mM] )[23])?)$"
)
_AREA_UNITS = frozenset({"m²", "m2", "m 2", "m^2", "sqm", "sq m", "sq.m", "m carre", "m carres"})
#: units of quantities (a bill of quantities' lengths, volumes, weights, counts): named when
#: they stand in a column that counts something else; any other word after a number is text
#: that is not a number (``bad_number``)
_OTHER_UNITS = frozenset(
    {
        "m", "ml", "m3", "m³", "m 3", "km", "cm", "mm", "kg", "t", "tonne", "tonnes", "l",
        "litre", "litres", "u", "unite", "unites", "ens", "ensemble", "ff", "forfait", "pce",
        "pieces", "ha",
    }
)  # fmt: skip


def unit_kind(unit: str) -> str | None:
    """What a unit written after a number measures: ``'m²'`` -> ``'area'``, ``'MAD TTC'`` ->
    ``'money'``, ``'jours'`` -> ``'duration'``, ``'%'`` -> ``'percent'``, ``'other'`` for a unit
    of quantity (``m3``, ``kg``, ``u``…); None for a word that is no unit."""
    folded = _fold(unit).strip().rstrip(".").strip()
    if not folded:
        return None
    if folded in _AREA_UNITS or unit.strip() in _AREA_UNITS:
        return "area"
    if folded == "%":
        return "percent"
    if not _CURRENCY.sub("", folded).strip():
        return "money"
    if duration_unit(unit) is not None:
        return "duration"
    return "other" if folded in _OTHER_UNITS else None


def _number_with_unit(text: str, comma_decimal: bool, units: str) -> float | str | None:
    """A number cell's text as a float; the unit as written (a str) when the number carries a
    unit the column does not take; ``None`` when the text is not a number."""
    match = _UNIT_TAIL.match(text.strip())
    if match is None:
        return parse_number_text(text, comma_decimal)
    unit = match["unit"].strip()
    kind = unit_kind(unit)
    accepted = _ACCEPTED_UNITS.get(units, set())
    if kind == "money" and kind in accepted:
        return parse_number_text(text, comma_decimal)  # the currency may also lead: "MAD 1 250"
    if kind is not None and kind in accepted:
        return parse_number_text(match["number"], comma_decimal)
    if kind is None:  # "1e3" (scientific), or a word that is no unit ("12 abc": unreadable)
        return parse_number_text(text, comma_decimal)
    return unit if parse_number_text(match["number"], comma_decimal) is not None else None


# --- durations ------------------------------------------------------------------------------

#: MS Project's duration units in days of work: a day is 8 working hours and a month 20 working
#: days (MS Project's defaults, Tools > Options > Schedule), a week 5 working days. An elapsed
#: duration (``jé``, ``ed``) runs on every calendar day: 7 of them hold 5 working days on a
#: five-day week, so 5 ed is 5 × 5/7 working days (the note ``elapsed_durations`` says so).
WORKING_DAYS_PER_ELAPSED_DAY = 5 / 7

_DURATION = re.compile(
    r"^(?P<number>[+\-\u2212]?\s*\d[\d\s\u00a0\u202f.,']*)\s*(?P<unit>[^\d?]*?)\s*\??$"
)


class Duration(NamedTuple):
    """A duration in working days; ``elapsed`` when it was written in calendar time."""

    days: float
    elapsed: bool = False


def duration_unit(unit: str) -> tuple[str, float] | None:
    """A duration unit as written (``'jours'``, ``'sem'``, ``'h'``, ``'jé'``, ``'edays'``…) as
    the canonical lag unit of ``loaders.links`` and the factor into it; None when it is not a
    unit of time."""
    found = LAG_UNIT_WORDS.get(unit.strip().lower().rstrip("."))
    return None if found is None or found[0] == "%" else found


def parse_duration_text(text: str) -> Duration | str | None:
    """``'20 jours'``, ``'0 jour'``, ``'5 j'``, ``'5 d'``, ``'5 days'``, ``'2 sem'``, ``'2 w'``,
    ``'1 mois'`` (20 days), ``'16 h'`` (2 days), ``'5 jé'`` / ``'5 ed'`` (elapsed), ``'20,5
    jours'``, ``'20 jours?'`` (MS Project's estimated mark), ``'12'`` (days) -> working days.

    Returns the unit as written (a str) when the number carries a unit that is not one of time
    (``'40 m²'``), ``None`` when the text is not a duration."""
    match = _DURATION.match(" ".join(text.split()))
    if match is None:
        return None
    number = parse_number_text(match["number"])
    if number is None:
        return None
    unit = match["unit"]
    if not unit:
        return Duration(number)
    found = duration_unit(unit)
    if found is None:
        return unit if unit_kind(unit) not in (None, "duration") else None
    canonical, factor = found
    value = number * factor
    if canonical == "w":
        return Duration(value * DAYS_PER_WEEK)
    if canonical == "h":
        return Duration(value / HOURS_PER_DAY)
    if canonical == "ed":
        return Duration(value * WORKING_DAYS_PER_ELAPSED_DAY, True)
    if canonical == "ew":
        return Duration(value * DAYS_PER_WEEK, True)
    return Duration(value)


def parse_duration_column(
    raw: pd.Series, kinds: CellKinds | None = None, *, max_abs: float = math.inf
) -> ParsedColumn:
    """Durations in working days from numbers (days) or MS Project's text (``parse_duration_text``).

    A cell whose unit is not one of time is refused as ``wrong_unit``; elapsed durations are
    converted (``WORKING_DAYS_PER_ELAPSED_DAY``) with the note ``elapsed_durations``. Numbers,
    errors and bounds as ``parse_number_column``.
    """
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    texts_at = np.flatnonzero(kinds.text)
    if not len(texts_at):
        return parse_number_column(raw, kinds, max_abs=max_abs, units="duration")
    converted = values.copy()
    wrong: list[CellFailure] = []
    elapsed = False
    distinct = {text: parse_duration_text(text) for text in set(values[texts_at])}
    for position in texts_at:
        read = distinct[values[position]]
        if isinstance(read, Duration):
            converted[position] = read.days
            elapsed |= read.elapsed
        elif isinstance(read, str):
            wrong.append(
                CellFailure(
                    raw.index[position],
                    values[position],
                    "wrong_unit",
                    {"unit": read, "expected": "duration"},
                )
            )
            converted[position] = None
    parsed = parse_number_column(
        pd.Series(converted, index=raw.index, dtype=object), max_abs=max_abs
    )
    failures = [
        failure._replace(value=values[raw.index.get_loc(failure.position)])
        for failure in parsed.failures
    ]
    failures = sorted(failures + wrong, key=lambda failure: failure.position)
    return ParsedColumn(parsed.values, failures, ["elapsed_durations"] if elapsed else [])


# --- percentages ----------------------------------------------------------------------------


def parse_percent_column(raw: pd.Series, formatted_as_percent: bool = False) -> ParsedColumn:
    """Percent 0–100 from ``45``, ``'45 %'``, ``'45,5%'`` or ``0.45`` (a fraction).

    A cell formatted as a percentage in Excel holds a fraction (0.45 shows as 45 %): when the
    workbook says so (``formatted_as_percent``), numbers are multiplied by 100. Without format
    information, a column whose numbers are all between 0 and 1, some strictly, is read as
    fractions too, and a note says so. The sign is one ``%`` after a number: ``'%'`` alone and
    ``'50%%'`` are unreadable, not 0 and 50.
    """
    values = raw.to_numpy(dtype=object)
    has_sign = np.fromiter(
        (isinstance(v, str) and "%" in v for v in values), dtype=bool, count=len(values)
    )
    misplaced: list[CellFailure] = []
    if has_sign.any():
        values = values.copy()
        for position in np.flatnonzero(has_sign):
            body = _percent_body(values[position])
            if body is None:
                misplaced.append(CellFailure(raw.index[position], values[position]))
            values[position] = body
    parsed = parse_number_column(pd.Series(values, index=raw.index, dtype=object), units="percent")
    has_sign = pd.Series(has_sign, index=raw.index)
    numbers = parsed.values.copy()
    plain = ~has_sign & numbers.notna()
    notes: list[str] = []
    if plain.any():
        plain_values = numbers[plain]
        if formatted_as_percent:
            numbers[plain] = plain_values * 100
        elif (
            not has_sign.any()
            and plain_values.between(0, 1).all()
            and ((plain_values > 0) & (plain_values < 1)).any()
        ):
            numbers[plain] = plain_values * 100
            notes.append("fractions_as_percent")
    overflow = np.isinf(numbers.to_numpy())  # 1e307 in a percent-formatted cell, times 100
    failures = parsed.failures + misplaced
    failures += cell_failures(raw, overflow, "not_finite")
    numbers[overflow] = np.nan
    failures.sort(key=lambda failure: failure.position)
    return ParsedColumn(numbers, failures, notes)


def _percent_body(text: str) -> str | None:
    """``'45,5 %'`` -> ``'45,5'``; ``None`` when the sign is alone, doubled or not at the end."""
    stripped = text.strip()
    body = stripped[:-1].rstrip() if stripped.endswith("%") else None
    if not body or "%" in body:
        return None
    return body


# --- booleans -------------------------------------------------------------------------------

_TRUE = {"oui", "o", "yes", "y", "x", "1", "true", "vrai", "jalon", "milestone", "✓", "✔"}
_FALSE = {"non", "n", "no", "0", "false", "faux", "-", ""}


def parse_bool_column(raw: pd.Series) -> ParsedColumn:
    """Yes/no cells (``Oui``, ``x``, ``1``, ``✓``…); blank is no, an Excel error is refused."""
    failures: list[CellFailure] = []
    result = []
    for position, value in raw.astype(object).items():
        if value is None or value is pd.NA or value is pd.NaT:
            result.append(False)
        elif (error := excel_error_text(value)) is not None:
            failures.append(CellFailure(position, value, "excel_error", {"error": error}))
            result.append(False)
        elif isinstance(value, float) and np.isnan(value):
            result.append(False)
        elif isinstance(value, bool):
            result.append(value)
        elif isinstance(value, int | float):
            result.append(value != 0)
        else:
            key = str(value).strip().lower()
            if key in _TRUE:
                result.append(True)
            elif key in _FALSE:
                result.append(False)
            else:
                failures.append(CellFailure(position, value))
                result.append(False)
    return ParsedColumn(pd.Series(result, index=raw.index, dtype=bool), failures)


# --- text -----------------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
    """A cell as text: ``12.0`` -> ``'12'``, dates as dd/mm/yyyy, blank -> None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if np.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value)


def _objects(items: list) -> np.ndarray:
    """A list as a 1-D object array, whatever its items are (no nesting, no conversion)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _folded(strings: np.ndarray) -> list[str]:
    """Each string with its white space folded (``'20/11/2026 '`` -> ``'20/11/2026'``); one look
    at the whole column decides whether inner white space needs folding at all."""
    joined = "\x00".join(strings)
    if "  " in joined or "\n" in joined or "\t" in joined or "\xa0" in joined or "\r" in joined:
        return [" ".join(v.split()) for v in strings]
    return [v.strip() for v in strings]


def parse_text_column(raw: pd.Series, kinds: CellKinds | None = None) -> ParsedColumn:
    """Text with its white space folded; numbers and dates as they show. An Excel error cell
    (``#REF!`` where a payee's name was looked up) is refused, not stored as a name."""
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), None, dtype=object)
    strings, codes = kinds.held_strings()
    result[kinds.text] = _objects(_folded(strings))[codes]
    others = kinds.number | kinds.datelike | kinds.other
    if others.any():
        result[others] = [cell_text(v) for v in values[others]]
    return ParsedColumn(pd.Series(result, index=raw.index, dtype="str"), error_failures(raw, kinds))


# --- dates ----------------------------------------------------------------------------------


def _from_parts(
    year: str, month: int, day: int, hour=None, minute=None, second=None
) -> pd.Timestamp | None:
    """A timestamp from the parts of a text date; a two-digit year is 1970–2069, any other
    is the year as written (``01/01/0001`` is year 1, for the window to refuse, not 2001)."""
    number = int(year)
    if len(year) == 2:
        number += 2000 if number < 70 else 1900
    try:
        return pd.Timestamp(
            dt.datetime(number, month, day, int(hour or 0), int(minute or 0), int(second or 0))
        )
    except ValueError:
        return None


def parse_date_text(text: str, month_first: bool = False) -> pd.Timestamp | None:
    """``'20/11/2026'``, ``'2026-11-20'``, ``'20.11.26'``, ``'Di 07.01.03'``, ``'12 mars 2026'``,
    ``'mars 2026'``, ``'Jan-24'`` (month-year: the first of the month), ``'20261120'``, and MS
    Project's dates with a weekday (``'Lun 16/02/26'``, ``'Mon 2/16/26 8:00 AM'``,
    ``'lundi 16 février 2026'``, see ``read_date_text``). ``None`` when the text is not a date,
    or when its weekday is not the date's."""
    read = read_date_text(text, month_first)
    return None if read.weekday_mismatch else read.date


class DateText(NamedTuple):
    """A text date as read: ``date`` (None when unreadable), and whether a weekday was written
    that is not the date's (then ``date`` is the date the digits say, for the message)."""

    date: pd.Timestamp | None
    weekday_mismatch: bool = False


def read_date_text(text: str, month_first: bool = False) -> DateText:
    """A text date, with the weekday written before it checked.

    MS Project's exports write a weekday before the date in the user's language: ``Lun 16/02/26``
    (French, day/month/year), ``Mon 2/16/26`` (English, month/day/year). The weekday's language
    says the order, whatever the column's (``month_first``): an English weekday reads
    month first, a French or German one day first; a word both languages share (``Mo``, ``Fr``,
    ``Sa``) leaves the column's order. When that order gives no date or another weekday, the
    other order is taken if its date falls on the weekday written (a British ``Mon 16/02/26``,
    an ambiguous ``Mon 3/2/26`` is 2 March 2026, a Monday). A weekday that is not the date's makes the text wrong,
    not the date: one of the three parts was mistyped, and which one cannot be told (refused by
    the caller as ``weekday_mismatch``, never guessed: these dates drive the critical path).
    A two-digit year is 1970–2069. ``'Mon 2/16/26 8:00 PM'`` is 20:00.
    """
    text = " ".join(text.strip().split())
    if not text:
        return DateText(None)
    weekday = None
    if not text[0].isdigit() and (prefix := _WEEKDAY_PREFIX.match(text)):
        found = _WEEKDAY_WORDS.get(_fold(prefix.group(1)))
        rest = text[prefix.end() :]
        if found is not None and rest[:1].isalnum():
            weekday, order = found
            text = rest
            if order is not None:
                month_first = order == "mdy"
    date = _date_without_weekday(text, month_first)
    if weekday is None or date is not None and date.weekday() == weekday:
        return DateText(date)
    # the weekday is the authority: a British "Mon 16/02/26" is day first
    other = _date_without_weekday(text, not month_first)
    if other is not None and other.weekday() == weekday:
        return DateText(other)
    return DateText(date, date is not None)


def _date_without_weekday(text: str, month_first: bool) -> pd.Timestamp | None:
    if match := _ISO.match(text):
        y, m, d, hh, mm, ss = match.groups()
        return _from_parts(y, int(m), int(d), hh, mm, ss)
    if match := _DMY.match(text):
        a, b, y, hh, mm, ss, meridiem = match.groups()
        day, month = (int(b), int(a)) if month_first else (int(a), int(b))
        if meridiem and hh is not None:
            hour = int(hh)
            if not 1 <= hour <= 12:
                return None
            hh = hour % 12 + (12 if meridiem in "Pp" else 0)
        return _from_parts(y, month, day, hh, mm, ss)
    if re.fullmatch(r"\d{8}", text):
        return _from_parts(text[:4], int(text[4:6]), int(text[6:]))
    folded = _fold(text)
    if match := _P6_DATE.match(folded):
        day, month_name, year, hh, mm = match.groups()
        month = _FR_MONTHS.get(month_name)
        if month:
            return _from_parts(year, month, int(day), hh, mm)
    if match := _MONTH_NAME.match(folded):
        day, month_name, year = match.groups()
        month = _FR_MONTHS.get(month_name)
        if month:
            return _from_parts(year, month, int(day) if day else 1)
    if match := _MONTH_DAY_YEAR.match(folded):
        month_name, day, year = match.groups()
        month = _FR_MONTHS.get(month_name)
        if month:
            return _from_parts(year, month, int(day))
    return None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


DateWindow = tuple[dt.date, dt.date]


def parse_date_column(
    raw: pd.Series, kinds: CellKinds | None = None, *, window: DateWindow | None = None
) -> ParsedColumn:
    """Dates from Excel dates, Excel serial numbers, yyyymmdd integers or text.

    ``NA`` / ``ND`` (MS Project's "no date", English and French) are blank. A weekday written
    before a date is checked and says the order (``read_date_text``); one that is not the date's
    is refused as ``weekday_mismatch`` (the date read in ``date``, its weekday in ``weekday``).
    Other text is read day-first (French). A column whose slash dates can only be month-first
    (a second part above 12 and no first part above 12, like ``7/30/2014``) is read
    month-first, and a note says so. A date outside ``window`` (first and last day allowed),
    whatever its form, is refused (``date_out_of_window``, the date read in ``date``).
    """
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    failed = kinds.other.copy()
    notes: list[str] = []
    mismatched: list[tuple[int, pd.Timestamp]] = []

    if kinds.datelike.any():
        result[kinds.datelike] = _typed_dates(values[kinds.datelike])
        failed[np.flatnonzero(kinds.datelike)[np.isnat(result[kinds.datelike])]] = True

    if kinds.number.any():
        converted = _dates_from_numbers(as_floats(values[kinds.number]))
        result[kinds.number] = converted
        failed[np.flatnonzero(kinds.number)[np.isnat(converted)]] = True

    if kinds.text.any():
        # each distinct text is read once, then its date given to every cell that holds it
        positions = np.flatnonzero(kinds.text)
        strings, codes = kinds.held_strings()
        texts = _folded(strings)
        month_first = _looks_month_first(set(texts))
        dates = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[us]")
        unread = np.zeros(len(texts), dtype=bool)
        wrong_day: dict[int, pd.Timestamp] = {}
        if month_first:
            notes.append("month_first_dates")
            rest = range(len(texts))
        else:  # fast path for the common French form, then the general parser for the rest
            quick = pd.to_datetime(
                pd.Series(texts, dtype=object), format="%d/%m/%Y", errors="coerce"
            )
            dates[:] = quick.to_numpy(dtype="datetime64[us]")
            rest = np.flatnonzero(np.isnat(dates))
        for index in map(int, rest):
            text = texts[index]
            if text.lower() in NO_DATE_WORDS:
                continue  # MS Project's "NA" / "ND": no date, as a blank cell
            parsed = read_date_text(text, month_first)
            if parsed.weekday_mismatch:
                wrong_day[index] = parsed.date
            elif parsed.date is None:
                unread[index] = True
            else:
                dates[index] = parsed.date.to_datetime64()
        result[positions] = dates[codes]
        failed[positions[unread[codes]]] = True
        if wrong_day:
            mismatch = np.zeros(len(texts), dtype=bool)
            mismatch[list(wrong_day)] = True
            hits = mismatch[codes]
            mismatched = [
                (position, wrong_day[int(code)])
                for position, code in zip(positions[hits], codes[hits], strict=True)
            ]

    failures = cell_failures(raw, failed)
    failures += [_weekday_failure(raw, position, date) for position, date in mismatched]
    failures += error_failures(raw, kinds)
    if window is not None:
        failures += _outside_window(raw, result, window)
    failures.sort(key=lambda failure: failure.position)
    return ParsedColumn(pd.Series(result, index=raw.index), failures, notes)


def _weekday_failure(raw: pd.Series, position: int, date: pd.Timestamp) -> CellFailure:
    """A date whose written weekday is not its own: the date the digits say and its real
    weekday (0 = Monday), for the message."""
    return CellFailure(
        raw.index[position],
        raw.iat[position],
        "weekday_mismatch",
        {"date": day_text(date), "weekday": date.weekday()},
    )


def _typed_dates(objects: np.ndarray) -> np.ndarray:
    """Date cells as ``datetime64[us]``; one that cannot be (a time zone, out of range) is NaT."""
    try:
        return pd.Series(objects, dtype=object).astype("datetime64[us]").to_numpy()
    except (ValueError, TypeError, OverflowError):
        return np.array([_one_typed_date(v) for v in objects], dtype="datetime64[us]")


def _one_typed_date(value: dt.date) -> np.datetime64:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    try:
        return np.datetime64(value, "us")
    except (ValueError, TypeError, OverflowError):
        return np.datetime64("NaT", "us")


def _dates_from_numbers(numbers: np.ndarray) -> np.ndarray:
    """``yyyymmdd`` integers and Excel serial numbers (with time as the fraction) as dates;
    NaT for a number that is neither."""
    finite = np.isfinite(numbers)
    whole = finite & (np.floor(np.where(finite, numbers, 0)) == numbers)
    compact = whole & (numbers >= _COMPACT_MIN) & (numbers <= _COMPACT_MAX)
    serial = finite & ~compact & (numbers >= _SERIAL_MIN) & (numbers < _SERIAL_MAX)
    converted = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[us]")
    if serial.any():
        days = numbers[serial] + (numbers[serial] < _SERIAL_LEAP_BUG)
        micros = np.round(days * 86_400_000_000).astype("int64")
        epoch = np.datetime64(EXCEL_EPOCH.to_datetime64(), "us")
        converted[serial] = epoch + micros.astype("timedelta64[us]")
    if compact.any():
        texts = [str(int(n)) for n in numbers[compact]]
        converted[compact] = pd.to_datetime(
            pd.Series(texts, dtype=object), format="%Y%m%d", errors="coerce"
        ).to_numpy(dtype="datetime64[us]")
    return converted


def _outside_window(raw: pd.Series, result: np.ndarray, window: DateWindow) -> list[CellFailure]:
    """Dates before the window's first day or after its last: reported, blanked in ``result``."""
    first = np.datetime64(window[0], "us")
    after_last = np.datetime64(window[1] + dt.timedelta(days=1), "us")
    read = ~np.isnat(result)
    outside = np.zeros(len(result), dtype=bool)
    outside[read] = (result[read] < first) | (result[read] >= after_last)
    failures = [
        failure._replace(params={"date": day_text(day)})
        for failure, day in zip(
            cell_failures(raw, outside, "date_out_of_window"), result[outside], strict=True
        )
    ]
    result[outside] = np.datetime64("NaT")
    return failures


def day_text(day: np.datetime64 | dt.date | pd.Timestamp) -> str:
    """``dd/mm/yyyy`` for any date numpy can hold (year 1 shows as ``0001``)."""
    year, month, rest = str(np.datetime64(day, "D")).split("-", 2)
    return f"{rest[:2]}/{month}/{year}"


def _looks_month_first(texts: Iterable[str]) -> bool:
    first_over_12 = second_over_12 = False
    for text in texts:
        match = _DMY.match(text)
        if not match or "/" not in text:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        first_over_12 |= a > 12
        second_over_12 |= b > 12
    return second_over_12 and not first_over_12


# --- constraint types -----------------------------------------------------------------------

#: the contract's constraint codes (``SCHEDULE.constraint_type``) by every name planning tools
#: write, folded (lower case, no accents, punctuation as spaces): MS Project in French (2007 and
#: later, and the older "Ne pas commencer avant le" names) and English, Primavera P6 in English
#: and French, and P6's XER codes (``CS_MSOA``…). MSO / MFO are MS Project's "Must start / finish
#: on"; SO / FO are P6's "Start / Finish On"; MANDSTART / MANDFIN P6's mandatory dates.
CONSTRAINT_NAMES: dict[str, str] = {}
for _code_name, _spellings in {
    "ASAP": (
        "asap",
        "des que possible",
        "aussi tot que possible",
        "as soon as possible",
        "none",
        "<none>",
        "aucune",
        "aucun",
    ),
    "ALAP": (
        "alap",
        "le plus tard possible",
        "aussi tard que possible",
        "as late as possible",
        "cs alap",
    ),
    "SNET": (
        "snet",
        "debut au plus tot le",
        "ne pas commencer avant le",
        "start no earlier than",
        "start on or after",
        "debut le ou apres",
        "cs msoa",
    ),
    "SNLT": (
        "snlt",
        "debut au plus tard le",
        "ne pas commencer apres le",
        "start no later than",
        "start on or before",
        "debut le ou avant",
        "cs msob",
    ),
    "FNET": (
        "fnet",
        "fin au plus tot le",
        "ne pas terminer avant le",
        "finish no earlier than",
        "finish on or after",
        "fin le ou apres",
        "cs meoa",
    ),
    "FNLT": (
        "fnlt",
        "fin au plus tard le",
        "ne pas terminer apres le",
        "finish no later than",
        "finish on or before",
        "fin le ou avant",
        "cs meob",
    ),
    "MSO": ("mso", "doit commencer le", "must start on"),
    "MFO": ("mfo", "doit finir le", "doit se terminer le", "must finish on"),
    "SO": ("so", "start on", "debut le", "cs mso"),
    "FO": ("fo", "finish on", "fin le", "cs meo"),
    "MANDSTART": ("mandstart", "mandatory start", "debut obligatoire", "cs mandstart"),
    "MANDFIN": ("mandfin", "mandatory finish", "fin obligatoire", "cs mandfin"),
}.items():
    for _spelling in _spellings:
        CONSTRAINT_NAMES[_spelling] = _code_name
#: the constraints that hold a date: all but ASAP and ALAP
DATED_CONSTRAINTS = frozenset(set(CONSTRAINT_NAMES.values()) - {"ASAP", "ALAP"})
_CONSTRAINT_PUNCTUATION = re.compile(r"[^0-9a-z<>]+")


def constraint_code(text: str) -> str | None:
    """A constraint type as written (``'Début au plus tôt le'``, ``'Start On or After'``,
    ``'CS_MSOA'``, ``'snet'``) as the contract's code (``'SNET'``); None when the text names
    none. A blank text is ASAP: the caller leaves it blank."""
    folded = _CONSTRAINT_PUNCTUATION.sub(" ", _fold(str(text))).strip()
    return CONSTRAINT_NAMES.get(folded) if folded else None
