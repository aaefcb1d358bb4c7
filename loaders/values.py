"""Cell value parsing: French and English numbers, dates and percentages, one column at a time.

Each ``parse_*_column`` takes a pandas Series of raw cell values (objects as calamine or the CSV
reader gave them, ``""`` for an empty cell) and returns the parsed Series plus the positions
that could not be read, so the caller can report every bad cell with its row and column.
Typed cells (numbers, Excel dates) take a vectorised fast path; only text goes through the
slower per-value parser.
"""

from __future__ import annotations

import datetime as dt
import itertools
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


@dataclass(frozen=True)
class CellKinds:
    """What each raw cell of a column holds, as boolean arrays (computed once per column)."""

    blank: np.ndarray  # None, NaN, "" or whitespace only
    text: np.ndarray  # a non-blank string
    number: np.ndarray  # int or float (not bool, not NaN)
    datelike: np.ndarray  # date, datetime or Timestamp
    other: np.ndarray  # anything else (bool, time, timedelta, error values)

    def subset(self, mask: np.ndarray) -> CellKinds:
        return CellKinds(
            self.blank[mask],
            self.text[mask],
            self.number[mask],
            self.datelike[mask],
            self.other[mask],
        )


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
    if number.any():
        nan = np.zeros(count, dtype=bool)
        nan[number] = np.isnan(values[number].astype(float))
        blank |= nan
        number &= ~nan
    if text.any():
        strings = values[text]
        empty = (strings == "") | np.fromiter(
            map(str.isspace, strings), dtype=bool, count=len(strings)
        )
        positions = np.flatnonzero(text)[empty]
        blank[positions] = True
        text[positions] = False
    other = ~(blank | text | number | datelike)
    return CellKinds(blank, text, number, datelike, other)


def is_blank(series: pd.Series) -> pd.Series:
    """True where a raw cell is empty (``""``, whitespace, None or NaN)."""
    return pd.Series(cell_kinds(series).blank, index=series.index)


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


def parse_number_column(raw: pd.Series, kinds: CellKinds | None = None) -> ParsedColumn:
    """Numbers from numeric cells or text; blank stays NaN."""
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), np.nan)
    result[kinds.number] = values[kinds.number].astype(float)
    failures: list[tuple[object, object]] = [
        (position, value)
        for position, value in zip(
            raw.index[kinds.other | kinds.datelike],
            values[kinds.other | kinds.datelike],
            strict=True,
        )
    ]
    if kinds.text.any():
        positions = np.flatnonzero(kinds.text)
        texts = values[positions]
        comma_decimal = any(_COMMA_DECIMAL.search(text) for text in texts)
        parsed = [parse_number_text(text, comma_decimal) for text in texts]
        for position, text, number in zip(positions, texts, parsed, strict=True):
            if number is None:
                failures.append((raw.index[position], text))
            else:
                result[position] = number
    failures.sort(key=lambda item: item[0])
    return ParsedColumn(pd.Series(result, index=raw.index, dtype=float), failures)


_COMMA_DECIMAL = re.compile(r",\d{1,2}\s*\D*$")


# --- percentages ----------------------------------------------------------------------------


def parse_percent_column(raw: pd.Series, formatted_as_percent: bool = False) -> ParsedColumn:
    """Percent 0–100 from ``45``, ``'45 %'``, ``'45,5%'`` or ``0.45`` (a fraction).

    A cell formatted as a percentage in Excel holds a fraction (0.45 shows as 45 %): when the
    workbook says so (``formatted_as_percent``), numbers are multiplied by 100. Without format
    information, a column whose numbers are all between 0 and 1, some strictly, is read as
    fractions too, and a note says so.
    """
    values = raw.to_numpy(dtype=object)
    has_sign = np.fromiter(
        (isinstance(v, str) and "%" in v for v in values), dtype=bool, count=len(values)
    )
    if has_sign.any():
        values = values.copy()
        values[has_sign] = [v.replace("%", "") for v in values[has_sign]]
    parsed = parse_number_column(pd.Series(values, index=raw.index, dtype=object))
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


def parse_text_column(raw: pd.Series, kinds: CellKinds | None = None) -> ParsedColumn:
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), None, dtype=object)
    strings = values[kinds.text]
    # one look at the whole column decides whether inner white space needs folding
    joined = "\x00".join(strings)
    if "  " in joined or "\n" in joined or "\t" in joined or "\xa0" in joined or "\r" in joined:
        result[kinds.text] = [" ".join(v.split()) for v in strings]
    else:
        result[kinds.text] = [v.strip() for v in strings]
    others = kinds.number | kinds.datelike | kinds.other
    if others.any():
        result[others] = [cell_text(v) for v in values[others]]
    return ParsedColumn(pd.Series(result, index=raw.index, dtype="str"))


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


def parse_date_column(raw: pd.Series, kinds: CellKinds | None = None) -> ParsedColumn:
    """Dates from Excel dates, Excel serial numbers, yyyymmdd integers or text.

    Text is read day-first (French). A column whose slash dates can only be month-first
    (a second part above 12 and no first part above 12, like ``7/30/2014``) is read
    month-first, and a note says so.
    """
    kinds = kinds or cell_kinds(raw)
    values = raw.to_numpy(dtype=object)
    result = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    failed = kinds.other.copy()
    notes: list[str] = []

    if kinds.datelike.any():
        result[kinds.datelike] = (
            pd.Series(values[kinds.datelike], dtype=object).astype("datetime64[us]").to_numpy()
        )

    if kinds.number.any():
        numbers = values[kinds.number].astype(float)
        whole = np.floor(numbers) == numbers
        compact = whole & (numbers >= 19000101) & (numbers <= 21001231)
        serial = ~compact & (numbers >= _SERIAL_MIN) & (numbers <= _SERIAL_MAX)
        converted = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[us]")
        if serial.any():
            micros = np.round(numbers[serial] * 86_400_000_000).astype("int64")
            converted[serial] = np.datetime64(EXCEL_EPOCH.to_datetime64(), "us") + micros.astype(
                "timedelta64[us]"
            )
        if compact.any():
            texts = [str(int(n)) for n in numbers[compact]]
            converted[compact] = pd.to_datetime(texts, format="%Y%m%d", errors="coerce").to_numpy(
                dtype="datetime64[us]"
            )
        result[kinds.number] = converted
        failed[np.flatnonzero(kinds.number)[np.isnat(converted)]] = True

    if kinds.text.any():
        positions = np.flatnonzero(kinds.text)
        texts = [" ".join(v.split()) for v in values[positions]]
        month_first = _looks_month_first(texts)
        if month_first:
            notes.append("month_first_dates")
        else:  # fast path for the common French form, then the general parser for the rest
            quick = pd.to_datetime(pd.Series(texts), format="%d/%m/%Y", errors="coerce")
            quick = quick.to_numpy(dtype="datetime64[us]")
            done = ~np.isnat(quick)
            result[positions[done]] = quick[done]
            texts = [text for text, ok in zip(texts, done, strict=True) if not ok]
            positions = positions[~done]
        for position, text in zip(positions, texts, strict=True):
            parsed = parse_date_text(text, month_first)
            if parsed is None:
                failed[position] = True
            else:
                result[position] = parsed.to_datetime64()

    failures = [(raw.index[p], values[p]) for p in np.flatnonzero(failed)]
    return ParsedColumn(pd.Series(result, index=raw.index), failures, notes)


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _looks_month_first(texts: list[str]) -> bool:
    first_over_12 = second_over_12 = False
    for text in texts:
        match = _DMY.match(text)
        if not match or "/" not in text:
            continue
        a, b = int(match.group(1)), int(match.group(2))
        first_over_12 |= a > 12
        second_over_12 |= b > 12
    return second_over_12 and not first_over_12
