"""Property-based tests (hypothesis): whatever a cell or a file holds, the parsers and loaders
never raise anything but ``LoadError``, and nothing they accept is infinite, beyond its bound
or outside the date window.

Two levels: the value parsers over random cells (text, floats with inf and NaN, integers of
any size, dates of any year, Excel errors, odd objects), and random grids (headers drawn from
the schemas' aliases plus junk, random cells) written as xlsx and CSV through every loader.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import LOADERS, LoadError
from loaders.limits import ReadLimits
from loaders.links import parse_predecessors
from loaders.schema import SCHEMAS
from loaders.tables import SOURCE_ROW
from loaders.values import (
    ExcelError,
    cell_kinds,
    parse_bool_column,
    parse_date_column,
    parse_date_text,
    parse_number_column,
    parse_number_text,
    parse_percent_column,
    parse_text_column,
)
from tests.loaders.builders import csv_text, xlsx_bytes

LIMITS = ReadLimits(today=dt.date(2026, 12, 2))
WINDOW = (LIMITS.min_date, LIMITS.max_date)
FIRST, AFTER_LAST = (
    pd.Timestamp(LIMITS.min_date),
    pd.Timestamp(LIMITS.max_date) + pd.Timedelta(days=1),
)
PARSERS = settings(max_examples=300, deadline=None, database=None)
FILES = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ERRORS = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
#: text that looks like what a cell of a real sheet holds, and its near misses
CELL_TEXT = st.one_of(
    st.text(max_size=30),
    st.from_regex(
        r"[-+(]?\d{1,16}([ .,\u00a0\u202f]\d{3}){0,4}([.,]\d{1,4})?\)? ?(DH|MAD|%)?", fullmatch=True
    ),
    st.from_regex(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{1,5}", fullmatch=True),
    st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True),
    st.from_regex(
        r"[+-]?(\d{1,400}|\d+[.,]\d+[eE][+-]?\d{1,4}|inf|Infinity|nan|NaN)", fullmatch=True
    ),
    st.from_regex(r"%|\d+%%|--|-", fullmatch=True),
    st.sampled_from(ERRORS + ["Err:502", "#VALEUR!", " #N/A "]),
)
ODD_OBJECTS = st.one_of(
    st.booleans(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.times(),
    st.timedeltas(),
    st.just(pd.NaT),
    st.just(pd.NA),
    st.complex_numbers(),
    st.tuples(st.integers()),
)
CELLS = st.one_of(
    st.none(),
    st.just(""),
    CELL_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.datetimes(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.sampled_from(ERRORS).map(ExcelError),
    ODD_OBJECTS,
)


def column(values: list) -> pd.Series:
    """Raw cells as the reading layer hands them over: objects, indexed by Excel row."""
    return pd.Series(values, index=pd.RangeIndex(2, 2 + len(values)), dtype=object)


def assert_nothing_dropped_in_silence(raw: pd.Series, accepted: pd.Series, failures) -> None:
    """Every cell that is not blank is either accepted or reported: no value vanishes."""
    blank = cell_kinds(raw).blank
    failed = {failure.position for failure in failures}
    for position, is_blank, is_accepted in zip(raw.index, blank, accepted.notna(), strict=True):
        assert is_blank or is_accepted or position in failed, (position, raw[position])
    assert failed <= set(raw.index)


# --- value parsers ---------------------------------------------------------------------------


@PARSERS
@given(st.lists(CELLS, max_size=12), st.sampled_from([1e6, 1e9, 1e12, math.inf]))
def test_numbers_accepted_are_finite_and_within_the_bound(values, bound):
    raw = column(values)
    parsed = parse_number_column(raw, max_abs=bound)
    numbers = parsed.values.dropna()
    assert np.isfinite(numbers).all()
    assert (numbers.abs() <= bound).all()
    assert_nothing_dropped_in_silence(raw, parsed.values, parsed.failures)


@PARSERS
@given(st.lists(CELLS, max_size=12), st.booleans())
def test_percentages_accepted_are_finite(values, formatted):
    raw = column(values)
    parsed = parse_percent_column(raw, formatted_as_percent=formatted)
    assert np.isfinite(parsed.values.dropna()).all()
    assert_nothing_dropped_in_silence(raw, parsed.values, parsed.failures)


@PARSERS
@given(st.lists(CELLS, max_size=12))
def test_dates_accepted_are_inside_the_window(values):
    raw = column(values)
    parsed = parse_date_column(raw, window=WINDOW)
    dates = parsed.values.dropna()
    assert ((dates >= FIRST) & (dates < AFTER_LAST)).all()
    assert_nothing_dropped_in_silence(raw, parsed.values, parsed.failures)


@PARSERS
@given(st.lists(CELLS, max_size=12))
def test_text_and_yes_no_columns_read_anything(values):
    raw = column(values)
    text = parse_text_column(raw)
    assert str(text.values.dtype) == "str" and len(text.values) == len(raw)
    assert not any(isinstance(v, str) and v.strip().upper() in ERRORS for v in text.values.dropna())
    flags = parse_bool_column(raw)
    assert flags.values.dtype == bool and len(flags.values) == len(raw)


@PARSERS
@given(st.text(max_size=60))
def test_number_and_date_text_parsers_never_raise(text):
    number = parse_number_text(text)
    assert number is None or isinstance(number, float)
    date = parse_date_text(text)
    assert date is None or isinstance(date, pd.Timestamp)
    parse_predecessors(text)


@PARSERS
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_written_by_python_reads_back(number):
    assert parse_number_text(repr(number)) == number


@PARSERS
@given(st.dates(min_value=LIMITS.min_date, max_value=LIMITS.max_date))
def test_a_date_of_the_window_reads_back_in_each_form(day):
    stamp = pd.Timestamp(day)
    cells = [day.strftime("%d/%m/%Y"), day.isoformat(), day.strftime("%Y%m%d"), day]
    parsed = parse_date_column(column(cells), window=WINDOW)
    assert parsed.failures == []
    assert list(parsed.values) == [stamp] * 4


@PARSERS
@given(st.integers(min_value=0, max_value=10**30), st.sampled_from(["FS", "SS", "FF", "DD", ""]))
def test_any_lag_is_read_as_a_number_of_days(lag, kind):
    parsed = parse_predecessors(f"T01{kind}+{lag}")
    assert parsed.bad_items == [] and len(parsed.links) == 1
    assert parsed.links[0].lag == min(lag, 10**12)


# --- random grids through every loader -------------------------------------------------------

ALIASES = sorted(
    {alias for schema in SCHEMAS.values() for col in schema.columns for alias in col.aliases}
)
#: text openpyxl can write (no control characters)
SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
SAFE_CELL_TEXT = CELL_TEXT.filter(lambda t: not any(ord(c) < 32 or ord(c) == 127 for c in t))
HEADERS = st.one_of(
    st.sampled_from(ALIASES),
    st.sampled_from(ALIASES).map(str.upper),
    SAFE_TEXT,
)
TITLES = st.one_of(
    st.just([]),
    st.builds(lambda text: [[f"Situation au {text}"], []], SAFE_CELL_TEXT),
    st.builds(lambda text: [[text]], SAFE_TEXT),
)
#: cells openpyxl can write: no control characters, no integer too large for a float
XLSX_CELLS = st.one_of(
    st.none(),
    SAFE_TEXT,
    SAFE_CELL_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.sampled_from(ERRORS),
)


#: cells a real sheet would hold in a column of each type, so that random files get past the
#: header and some of their rows are accepted (junk cells are mixed in by ``cells_for``)
PLAUSIBLE = {
    "date": st.one_of(
        st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2030, 12, 31)),
        st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2026, 12, 2)).map(
            lambda d: d.strftime("%d/%m/%Y")
        ),
        st.integers(min_value=35000, max_value=47000),  # Excel serial numbers, 1995–2028
    ),
    "number": st.one_of(
        st.floats(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000)
    ),
    "money": st.one_of(
        st.floats(min_value=-1e7, max_value=1e9),
        st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    ),
    "percent": st.one_of(
        st.integers(min_value=0, max_value=100),
        st.integers(min_value=0, max_value=100).map(lambda n: f"{n} %"),
    ),
    "bool": st.sampled_from(["oui", "non", "x", "", "Oui", 1, 0]),
    "id": st.from_regex(r"[A-Z]{1,2}[0-9]{2}", fullmatch=True),
    "text": st.one_of(
        st.from_regex(r"[A-Z][0-9]{2}(FS|SS|FF|SF|DD)?([+-][0-9]{1,5})?", fullmatch=True),
        SAFE_TEXT,
    ),
}


def cells_for(column) -> st.SearchStrategy:
    """Mostly a plausible cell of the column's type, one in eight anything at all."""
    plausible = PLAUSIBLE[column.type]
    return st.one_of(*[plausible] * 7, XLSX_CELLS)


@st.composite
def grids(draw, schema) -> list[list]:
    """A sheet for ``schema``: its required columns (one sometimes left out), some optional
    ones and some junk headers, in any order, under optional title rows."""
    required = list(schema.required)
    if required and draw(st.integers(0, 9)) == 9:
        required.remove(draw(st.sampled_from(required)))
    optional = [c for c in schema.columns if not c.required]
    chosen = required + draw(st.lists(st.sampled_from(optional), unique=True, max_size=6))
    headers = [(draw(st.sampled_from(c.aliases)), cells_for(c)) for c in chosen] + [
        (text, XLSX_CELLS) for text in draw(st.lists(SAFE_TEXT, max_size=2))
    ]
    headers = draw(st.permutations(headers))
    header_row = [
        draw(st.sampled_from([text, text.upper(), f" {text.title()} "])) for text, _ in headers
    ]
    rows = draw(
        st.lists(st.tuples(*[cells for _, cells in headers]).map(list), min_size=1, max_size=10)
    )
    return [*draw(TITLES), header_row, *rows]


def check_outcome(loader, data: bytes) -> None:
    """The loader accepts the file or refuses it with well-formed problems; what it accepts
    holds no infinite, out-of-bound or out-of-window value."""
    try:
        result = loader(io.BytesIO(data), limits=LIMITS)
    except LoadError as error:
        problems = error.problems
        assert any(p.is_error for p in problems)
    else:
        problems = result.warnings
        check_frame(result.frame, SCHEMAS[result.kind])
        declared = result.declared_date
        assert declared is None or FIRST <= declared <= pd.Timestamp(LIMITS.today)
    for problem in problems:
        assert isinstance(problem.message, str) and problem.message.strip()
        assert not problem.message.startswith("problem.")  # a translated sentence, not a key
        assert problem.row is None or (type(problem.row) is int and problem.row >= 1)
        assert problem.severity in ("error", "warning")


def check_frame(frame: pd.DataFrame, schema) -> None:
    assert frame[SOURCE_ROW].dtype == "int64"
    for col in schema.columns:
        values = frame[col.name]
        if col.type in ("number", "money", "percent"):
            numbers = values.dropna()
            assert np.isfinite(numbers).all(), col.name
            if col.number_limit:
                assert (numbers.abs() <= getattr(LIMITS, col.number_limit)).all(), col.name
        elif col.type == "date":
            dates = values.dropna()
            assert ((dates >= FIRST) & (dates < AFTER_LAST)).all(), col.name


@pytest.mark.parametrize("kind", sorted(LOADERS))
@FILES
@given(data=st.data())
def test_random_workbooks_through_every_loader(kind, data):
    grid = data.draw(grids(SCHEMAS[kind]))
    check_outcome(LOADERS[kind], xlsx_bytes(grid))


@pytest.mark.parametrize("kind", sorted(LOADERS))
@FILES
@given(data=st.data(), delimiter=st.sampled_from([";", ",", "\t"]))
def test_random_csv_files_through_every_loader(kind, data, delimiter):
    grid = data.draw(grids(SCHEMAS[kind]))
    cells = [["" if cell is None else cell for cell in row] for row in grid]
    check_outcome(LOADERS[kind], csv_text(cells, delimiter=delimiter).encode("utf-8"))


def test_decimal_and_odd_objects_are_reported_not_stored():
    """A sanity anchor for the strategies above: objects no reader gives are refused."""
    raw = column([Decimal("1.5"), dt.time(8, 0), (1,), 12.0])
    parsed = parse_number_column(raw)
    assert list(parsed.values.isna()) == [True, True, True, False]
    assert [failure.position for failure in parsed.failures] == [2, 3, 4]
