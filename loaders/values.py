"""Cell value parsing: French and English numbers, dates and percentages, one column at a time.

Each ``parse_*_column`` takes a pandas Series of raw cell values (objects as calamine or the CSV
reader gave them, ``""`` for an empty cell) and returns the parsed Series plus the positions
that could not be read, so the caller can report every bad cell with its row and column.
Typed cells (numbers, Excel dates) take a vectorised fast path; only text goes through the
slower per-value parser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serials accepted as dates: 1950-01-01 .. 2100-12-31
_SERIAL_MIN, _SERIAL_MAX = 18264, 73415

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
_WEEKDAY_PREFIX = re.compile(
    r"(?i)^(?:lun|mar|mer|jeu|ven|sam|dim|mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)"
    r"[a-z]*\.?\s+"
)
_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$"
)
_MONTH_NAME = re.compile(r"^(?:(\d{1,2})(?:er)?[\s\-/.]+)?([a-z]+)\.?[\s\-/.]+(\d{2}|\d{4})$")


@dataclass
class ParsedColumn:
    values: pd.Series
    #: positions (as in the input Series' index) that could not be read, with the raw value
    failures: list[tuple[object, object]] = field(default_factory=list)
    #: a note about how the column was read ("us_dates", "fractions_as_percent"…)
    notes: list[str] = field(default_factory=list)


def is_blank(series: pd.Series) -> pd.Series:
    """True where a raw cell is empty (``""``, whitespace, None or NaN)."""
    as_object = series.astype(object)
    blank = as_object.isna()
    text_mask = as_object.map(lambda v: isinstance(v, str))
    if text_mask.any():
        blank = blank | (text_mask & as_object.map(lambda v: isinstance(v, str) and not v.strip()))
    return blank


# --- numbers --------------------------------------------------------------------------------


def parse_number_text(text: str, comma_decimal_column: bool = False) -> float | None:
    """``'1 234 567,89 DH'``, ``'1.234.567,89'``, ``'1,234,567.89'``, ``'(1 200)'`` -> float."""
    cleaned = _CURRENCY.sub("", text)
    cleaned = _SPACES.sub("", cleaned)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned.endswith("-") and cleaned[:-1].replace(",", "").replace(".", "").isdigit():
        negative, cleaned = True, cleaned[:-1]
    cleaned = cleaned.replace("\u2212", "-")
    if not cleaned or not _NUMBER_CHARS.match(cleaned):
        return None
    sign = -1.0 if negative else 1.0
    if cleaned[0] in "+-":
        sign = -sign if cleaned[0] == "-" else sign
        cleaned = cleaned[1:]
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
        return sign * float(cleaned.replace(",", "."))
    if dots == 1 and comma_decimal_column and re.fullmatch(r"\d{1,3}\.\d{3}", cleaned):
        # "1.234" in a column whose other values use a decimal comma: a thousands dot
        return sign * float(cleaned.replace(".", ""))
    try:
        return sign * float(cleaned)
    except ValueError:
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


def parse_number_column(raw: pd.Series) -> ParsedColumn:
    """Numbers from numeric cells or text; blank stays NaN."""
    values = raw.astype(object)
    numeric = pd.to_numeric(values.where(values.map(_is_real_number)), errors="coerce")
    text_mask = values.map(lambda v: isinstance(v, str) and bool(v.strip()))
    failures: list[tuple[object, object]] = []
    other_mask = ~text_mask & ~values.map(_is_real_number) & ~is_blank(values)
    for position, value in values[other_mask].items():
        failures.append((position, value))
    if text_mask.any():
        texts = values[text_mask]
        comma_decimal = bool(texts.map(lambda s: bool(re.search(r",\d{1,2}\s*(?:\D*)$", s))).any())
        parsed = texts.map(lambda s: parse_number_text(s, comma_decimal))
        for position, value in texts[parsed.isna()].items():
            failures.append((position, value))
        numeric = numeric.astype(float)
        numeric[text_mask] = parsed.astype(float)
    return ParsedColumn(numeric.astype(float), failures)


def _is_real_number(value: object) -> bool:
    return (
        isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool)
        and not (isinstance(value, float) and np.isnan(value))
    )


# --- percentages ----------------------------------------------------------------------------


def parse_percent_column(raw: pd.Series, formatted_as_percent: bool = False) -> ParsedColumn:
    """Percent 0–100 from ``45``, ``'45 %'``, ``'45,5%'`` or ``0.45`` (a fraction).

    A cell formatted as a percentage in Excel holds a fraction (0.45 shows as 45 %): when the
    workbook says so (``formatted_as_percent``), numbers are multiplied by 100. Without format
    information, a column whose numbers are all between 0 and 1, some strictly, is read as
    fractions too, and a note says so.
    """
    values = raw.astype(object)
    has_sign = values.map(lambda v: isinstance(v, str) and "%" in v)
    stripped = values.map(lambda v: v.replace("%", "") if isinstance(v, str) else v)
    parsed = parse_number_column(stripped)
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
    return ParsedColumn(numbers, parsed.failures, notes)


# --- booleans -------------------------------------------------------------------------------

_TRUE = {"oui", "o", "yes", "y", "x", "1", "true", "vrai", "jalon", "milestone", "✓", "✔"}
_FALSE = {"non", "n", "no", "0", "false", "faux", "-", ""}


def parse_bool_column(raw: pd.Series) -> ParsedColumn:
    failures: list[tuple[object, object]] = []
    result = []
    for position, value in raw.astype(object).items():
        if value is None or (isinstance(value, float) and np.isnan(value)):
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
                failures.append((position, value))
                result.append(False)
    return ParsedColumn(pd.Series(result, index=raw.index, dtype=bool), failures)


# --- text -----------------------------------------------------------------------------------


def cell_text(value: object) -> str | None:
    """A cell as text: ``12.0`` -> ``'12'``, dates as dd/mm/yyyy, blank -> None."""
    if value is None:
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
        return value.strftime("%d/%m/%Y")
    return str(value)


def parse_text_column(raw: pd.Series) -> ParsedColumn:
    texts = raw.astype(object).map(cell_text)
    return ParsedColumn(pd.Series(texts, index=raw.index, dtype="str"))


# --- dates ----------------------------------------------------------------------------------


def _from_parts(
    year: int, month: int, day: int, hour=None, minute=None, second=None
) -> pd.Timestamp | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return pd.Timestamp(
            dt.datetime(year, month, day, int(hour or 0), int(minute or 0), int(second or 0))
        )
    except ValueError:
        return None


def parse_date_text(text: str, month_first: bool = False) -> pd.Timestamp | None:
    """``'20/11/2026'``, ``'2026-11-20'``, ``'20.11.26'``, ``'Di 07.01.03'``, ``'12 mars 2026'``,
    ``'mars 2026'``, ``'Jan-24'`` (month-year: the first of the month), ``'20261120'``."""
    text = " ".join(text.strip().split())
    if not text:
        return None
    text = _WEEKDAY_PREFIX.sub("", text) if not text[0].isdigit() else text
    if match := _ISO.match(text):
        y, m, d, hh, mm, ss = match.groups()
        return _from_parts(int(y), int(m), int(d), hh, mm, ss)
    if match := _DMY.match(text):
        a, b, y, hh, mm, ss = match.groups()
        day, month = (int(b), int(a)) if month_first else (int(a), int(b))
        return _from_parts(int(y), month, day, hh, mm, ss)
    if re.fullmatch(r"\d{8}", text):
        return _from_parts(int(text[:4]), int(text[4:6]), int(text[6:]))
    folded = _fold(text)
    if match := _MONTH_NAME.match(folded):
        day, month_name, year = match.groups()
        month = _FR_MONTHS.get(month_name)
        if month:
            return _from_parts(int(year), month, int(day) if day else 1)
    return None


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _serial_or_yyyymmdd(value: float) -> pd.Timestamp | None:
    if float(value).is_integer() and 19000101 <= value <= 21001231:
        number = int(value)
        return _from_parts(number // 10000, number // 100 % 100, number % 100)
    if _SERIAL_MIN <= value <= _SERIAL_MAX:
        return EXCEL_EPOCH + pd.Timedelta(days=float(value))
    return None


def parse_date_column(raw: pd.Series) -> ParsedColumn:
    """Dates from Excel dates, Excel serial numbers, yyyymmdd integers or text.

    Text is read day-first (French). A column whose slash dates can only be month-first
    (a second part above 12 and no first part above 12, like ``7/30/2014``) is read
    month-first, and a note says so.
    """
    values = raw.astype(object)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    failures: list[tuple[object, object]] = []
    notes: list[str] = []

    is_datetime = values.map(lambda v: isinstance(v, dt.date | pd.Timestamp))
    if is_datetime.any():
        result[is_datetime] = pd.to_datetime(values[is_datetime].map(_as_datetime)).astype(
            "datetime64[us]"
        )

    is_number = values.map(_is_real_number)
    for position, value in values[is_number].items():
        parsed = _serial_or_yyyymmdd(float(value))
        if parsed is None:
            failures.append((position, value))
        else:
            result[position] = parsed

    is_text = values.map(lambda v: isinstance(v, str) and bool(v.strip()))
    if is_text.any():
        texts = values[is_text].map(lambda s: " ".join(s.split()))
        month_first = _looks_month_first(texts)
        if month_first:
            notes.append("month_first_dates")
        # fast path for the common French form, then the general parser for the rest
        if not month_first:
            quick = pd.to_datetime(texts, format="%d/%m/%Y", errors="coerce")
            done = quick.notna()
            result[done.index[done]] = quick[done].astype("datetime64[us]")
            texts = texts[~done]
        for position, text in texts.items():
            parsed = parse_date_text(text, month_first)
            if parsed is None:
                failures.append((position, raw[position]))
            else:
                result[position] = parsed

    other = ~is_datetime & ~is_number & ~is_text & ~is_blank(values)
    for position, value in values[other].items():
        failures.append((position, value))
    return ParsedColumn(result, failures, notes)


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _looks_month_first(texts: pd.Series) -> bool:
    first_over_12 = second_over_12 = False
    for text in texts:
        match = _DMY.match(text)
        if not match or "/" not in text:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        first_over_12 |= a > 12
        second_over_12 |= b > 12
    return second_over_12 and not first_over_12
