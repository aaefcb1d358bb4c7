"""Formatted tables in an xlsxwriter workbook: French number and date formats, bold frozen
headers, filters, widths, highlighted rows, print setup.

Column widths come from the content: each column is as wide as the longest value it shows in
its number format (an amount is never ``###``), a long text wraps in a capped width (never
wider than its longest word, so a contract number ``07/2026/AREP-RSK`` is never cut), and
several tables sharing a sheet's columns get each column's widest need.

xlsxwriter rather than openpyxl for writing: ``write_string`` stores text as text, so a
payee typed ``=HYPERLINK(…)`` in an imported file can never become a live formula (openpyxl
turns any string starting with ``=`` into one); it writes native Excel charts; and its
constant-memory mode streams a 100 000-row ledger.

A table is written in bulk, a few thousand rows at a time: each column is converted with
vectorised pandas and numpy passes (numbers to floats, dates to Excel serial numbers with the
column's date format, text to strings, a missing, NaN or infinite value to a blank cell or its
``missing_text``), then written with one format per column (or per row, for a highlighted or
restyled row). Text is always written as text: ``write_string``, or an in-line string of the
streamed XML, never ``write``/``write_row``, which may read a text starting with ``=`` as a
formula (and ``write_row`` takes one format for a whole row).

Constant memory (``Formats.add_sheet`` on a workbook opened with ``constant_memory``, as the
stakeholders' and the review workbooks are): a row is flushed to disk as soon as a later row is
written, and its height must be known by then. A row's height depends on the final widths of
its columns, which a later table of the same sheet may still widen, and some sheets restyle
cells after their table is written (a rating's colour, a planning's summary rows). So such a
sheet is an ``OrderedSheet``: it keeps its few single cells and its tables (their frames, not
their cells) until ``Formats.finish``, which works out every height and then writes each sheet
in row order, the rows of a table streamed as XML (``RowStream``: xlsxwriter's per-cell path
costs more than the rest of the workbook), the others through xlsxwriter. A plain worksheet
(an in-memory workbook) gets its cells at once, through xlsxwriter's typed methods.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

ColumnKind = Literal["text", "date", "money", "percent", "ratio", "int", "number", "area", "bool"]

#: Excel number formats; Excel shows them with the reader's own separators
NUMBER_FORMATS = {
    "date": "dd/mm/yyyy",
    "money": '#,##0.00 "MAD"',
    "percent": "0.0%",
    "ratio": "0.00",
    "int": "#,##0",
    "number": "#,##0.0",
    "area": '#,##0.00 "m²"',
}
#: the kinds written as numbers (dates are numbers too, Excel serials, but shown as dates)
NUMERIC_KINDS = frozenset({"money", "percent", "ratio", "int", "number", "area"})
#: a header word is never narrower than this (a one-letter column still reads)
MIN_HEADER = 4

#: Excel width units per character and the cell's padding, measured on LibreOffice drawing
#: Calibri's metrics with a wider font (Noto Sans, the worst case): 17 characters of
#: ``14,769,823.42 MAD`` need 16 units, ``07/2026/AREP-RSK`` 16, the bold header word
#: ``prévisionnelle`` 13; Calibri's letters are narrower than its digits, the unit
CHARACTER_UNITS = 1.0
PADDING_UNITS = 1.5
#: a text column without a declared width wraps beyond this many characters
TEXT_CAP = 40
#: a text this short is never wrapped, whatever the cap: contract numbers (``BC 03/2025/AREP-RSK``
#: holds a space), codes, dates written out
SHORT_TEXT = 20
#: a single word (a contract number, a file name) is never broken: up to this many characters
LONGEST_WORD = 64
#: points per line of wrapped 11-point text
LINE_POINTS = 15.0
#: what a date shows in ``dd/mm/yyyy``, for its width
DATE_TEXT = "00/00/0000"

#: a header is 9-point bold over the 11-point cells: its longest word, which sets the width
#: of many a column of dates or days ("prévisionnelle"), takes less room
HEADER_POINTS = 9
HEADER_STYLE = {
    "bold": True,
    "font_size": HEADER_POINTS,
    "bg_color": "#1F6F8B",
    "font_color": "#FFFFFF",
    "text_wrap": True,
    "valign": "vcenter",
    "border": 1,
    "border_color": "#D0D7DE",
}
HIGHLIGHT_FILL = "#FDEBD0"  # late rows, alerts
TITLE_STYLE = {"bold": True, "font_size": 14, "font_color": "#1F3A4D"}


@dataclass(frozen=True)
class Col:
    """One column of a table: the frame's column, its header text and how to show it."""

    source: str
    header: str
    kind: ColumnKind = "text"
    width: float | None = None
    #: written (as text) where the value is missing, e.g. why a rate cannot be computed; a
    #: missing value is otherwise a blank cell (never NaN, which Excel cannot hold)
    missing_text: str | None = None


class Formats:
    """The workbook's cell formats, created once (xlsxwriter wants format objects reused)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.header = workbook.add_format(HEADER_STYLE)
        self.title = workbook.add_format(TITLE_STYLE)
        self.subtitle = workbook.add_format({"italic": True, "font_color": "#555555"})
        self.bold = workbook.add_format({"bold": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self._cells: dict[tuple[str, bool, bool, bool], Any] = {}
        self._styles: dict[tuple, Any] = {}
        #: sheet name -> column -> the widest width a table or a figure needs there
        self._widths: dict[str, dict[int, float]] = {}
        #: sheet name -> its wrapped texts, in the order noted: (order, row, first column,
        #: last column, text, points) for a cell, (order, first row, column, texts, points)
        #: for a table's column
        self._wrapped: dict[str, list[tuple]] = {}
        self._wrapped_columns: dict[str, list[tuple]] = {}
        self._sheets: dict[str, Any] = {}
        self._order = itertools.count()

    def add_sheet(self, name: str | None = None):
        """A new worksheet; an ``OrderedSheet`` over it when the workbook streams its rows
        (``constant_memory``), written in row order by ``finish``."""
        worksheet = self.workbook.add_worksheet(name)
        if not self.workbook.constant_memory:
            return worksheet
        sheet = OrderedSheet(worksheet)
        self._sheets[sheet.name] = sheet
        return sheet

    def cell(self, kind: ColumnKind, highlight: bool = False, bold: bool = False, wrap=False):
        key = (kind, highlight, bold, wrap)
        if key not in self._cells:
            # top-aligned, so that a row holding a wrapped text reads from its first line
            spec: dict[str, Any] = {"valign": "top"}
            if wrap:
                spec["text_wrap"] = True
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            if kind == "bool":
                spec["align"] = "center"
            if highlight:
                spec["bg_color"] = HIGHLIGHT_FILL
            if bold:
                spec["bold"] = True
            self._cells[key] = self.workbook.add_format(spec)
        return self._cells[key]

    def style(self, spec: dict[str, Any]):
        """The format of ``spec``, created once however many cells use it (a rating's colour,
        an outline level's indent)."""
        key = tuple(sorted(spec.items()))
        if key not in self._styles:
            self._styles[key] = self.workbook.add_format(dict(spec))
        return self._styles[key]

    def fit(self, sheet, col: int, width: float) -> float:
        """Widen ``col`` of ``sheet`` to ``width`` unless a table already needs more; returns
        the column's width."""
        widths = self._widths.setdefault(sheet.name, {})
        if width > widths.get(col, 0):
            widths[col] = width
            sheet.set_column(col, col, width)
        return widths[col]

    def wrapped(
        self,
        sheet,
        row: int,
        col: int,
        text: str,
        last_col: int | None = None,
        points: float = 11,
    ):
        """Note a wrapped text in ``row`` (over ``col``…``last_col`` when merged): ``finish``
        gives the row the height of its lines, neither Excel nor LibreOffice growing a row
        for a wrapped text when it opens the file. A cell noted again (a message merged over
        two columns) replaces the earlier note of the cells it covers."""
        self._sheets.setdefault(sheet.name, sheet)
        last = col if last_col is None else last_col
        notes = self._wrapped.setdefault(sheet.name, [])
        notes.append((next(self._order), row, col, last, str(text), points))

    def wrapped_column(
        self,
        sheet,
        first_row: int,
        col: int,
        count: int,
        texts: Callable[[], Sequence[str]],
        points: float = 11,
    ):
        """Note the wrapped texts of a table's column: ``count`` rows from ``first_row``,
        ``texts()`` giving them when ``finish`` needs them (so that they are not kept)."""
        self._sheets.setdefault(sheet.name, sheet)
        notes = self._wrapped_columns.setdefault(sheet.name, [])
        notes.append((next(self._order), first_row, col, count, texts, points))

    def finish(self) -> None:
        """Every noted row as tall as its wrapped texts need in the columns' final widths
        (a later table may have widened a column), then every ``OrderedSheet`` written in
        row order: call once, before closing the workbook."""
        for sheet in self._sheets.values():
            heights = self.row_heights(sheet)
            if isinstance(sheet, OrderedSheet):
                sheet.flush(heights)
            else:
                for row, height in heights.items():
                    sheet.set_row(row, height)
        self._wrapped.clear()
        self._wrapped_columns.clear()

    def row_heights(self, sheet) -> RowHeights:
        """Each noted row's height, as tall as its wrapped texts need in the columns'
        present widths: the tallest of the row's noted cells, a later note of a cell
        replacing the earlier (a merged note replaces those of every column it covers)."""
        singles = self._wrapped.get(sheet.name, ())
        blocks = self._wrapped_columns.get(sheet.name, ())
        if not singles and not blocks:
            return RowHeights(0, np.zeros(0))
        first = min([note[1] for note in singles] + [note[1] for note in blocks])
        last = max([note[1] for note in singles] + [note[1] + note[3] - 1 for note in blocks])
        cols = max([note[3] for note in singles] + [note[2] for note in blocks]) + 1
        # one height per noted cell (0: none), the notes applied in the order they were taken
        cells = np.zeros((last - first + 1, cols))
        notes = sorted(
            [(note[0], True, note) for note in singles]
            + [(note[0], False, note) for note in blocks],
            key=lambda item: item[0],
        )
        for _, single, note in notes:
            if single:
                _, row, first_col, last_col, text, points = note
                width = self.span(sheet, first_col, last_col) * 11 / points
                height = wrapped_lines(text, width) * LINE_POINTS * points / 11
                cells[row - first, first_col : last_col + 1] = 0
                cells[row - first, first_col] = height
            else:
                order, first_row, col, count, texts, points = note
                # a cell a later note replaces (an alert's message merged over two columns)
                # is not wrapped for nothing
                replaced = [
                    row - first_row
                    for later, row, first_col, last_col, _, _ in singles
                    if later > order
                    and first_col <= col <= last_col
                    and first_row <= row < first_row + count
                ]
                width = self.width(sheet, col) * 11 / points
                lines = wrapped_line_counts(texts(), width, skip=replaced)
                top = first_row - first
                cells[top : top + count, col] = lines * LINE_POINTS * points / 11
        tallest = cells.max(axis=1)
        del cells
        return RowHeights(first, np.where(tallest > 0, np.maximum(tallest, LINE_POINTS) + 1, 0))

    def span(self, sheet, first: int, last: int) -> float:
        """The width of columns ``first`` to ``last`` of ``sheet``."""
        return sum(self.width(sheet, col) for col in range(first, last + 1))

    def width(self, sheet, col: int) -> float:
        """The width given to ``col`` of ``sheet`` so far (0 when none)."""
        return self._widths.get(sheet.name, {}).get(col, 0)


class RowHeights:
    """The heights ``Formats.finish`` gives rows, from row ``first`` (0: a row it leaves)."""

    def __init__(self, first: int, heights: np.ndarray):
        self.first = first
        self.heights = heights

    def get(self, row: int) -> float | None:
        index = row - self.first
        if 0 <= index < len(self.heights) and self.heights[index] > 0:
            return float(self.heights[index])
        return None

    def rows(self) -> list[int]:
        return (np.flatnonzero(self.heights) + self.first).tolist()

    def items(self):
        return ((row, self.get(row)) for row in self.rows())


class OrderedSheet:
    """A worksheet of a constant-memory workbook, written in row order when the workbook is
    finished (``Formats.finish``): it keeps its single cells, row settings and tables (as
    ``TableCells``) in the order they were written, a later write of a cell replacing an
    earlier one as xlsxwriter's would. Everything else (widths, filters, panes, print
    setup, charts) goes straight to the worksheet."""

    #: cell writes kept until the sheet is flushed, each on the row of its first argument
    CELL_METHODS = frozenset(
        {
            "write",
            "write_string",
            "write_number",
            "write_blank",
            "write_datetime",
            "write_boolean",
            "write_formula",
            "write_url",
            "write_rich_string",
            "write_row",
            "merge_range",
            "set_row",
        }
    )

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self._cells: dict[int, list[tuple[int, str, tuple, dict]]] = {}
        self._tables: list[tuple[int, TableCells]] = []
        self._order = itertools.count()

    def __getattr__(self, name: str):
        if name == "worksheet":  # not set yet (a copy being made)
            raise AttributeError(name)
        if name in OrderedSheet.CELL_METHODS:
            return lambda *args, **kwargs: self._keep(name, args, kwargs)
        if name.startswith("write") or name in ("set_row_pixels", "merge_range"):
            # a cell written now would be lost or out of order under constant memory
            raise AttributeError(f"{name} cannot be kept for a row-ordered sheet")
        return getattr(self.worksheet, name)

    def _keep(self, method: str, args: tuple, kwargs: dict) -> int:
        row = args[0]
        if not isinstance(row, int | np.integer):
            raise TypeError(f"{method}: a row-ordered sheet takes (row, col) numbers")
        self._cells.setdefault(int(row), []).append((next(self._order), method, args, kwargs))
        return 0

    def write_table(self, cells: TableCells) -> None:
        """Keep a table's cells (written by ``flush`` with the rows around them)."""
        if len(cells):
            self._tables.append((next(self._order), cells))

    def flush(self, heights: RowHeights) -> None:
        """Write every kept row in order: a table's rows streamed (``RowStream``), a row
        holding single cells or row settings through xlsxwriter, its cells in the order
        they were written; each row with its wrapped texts' height (``heights``)."""
        worksheet = self.worksheet
        stream = RowStream.fits(worksheet)
        order_of = {id(cells): order for order, cells in self._tables}
        tables = [cells for _, cells in sorted(self._tables, key=lambda t: (t[1].first_row, t[0]))]
        kept = self._cells
        points = set(kept)
        for cells in tables:
            points.update((cells.first_row, cells.last_row + 1))
        points = sorted(points)
        # between two points, the same tables cover every row and no row holds a single cell
        # but the first
        for start, stop in zip(points, [*points[1:], points[-1] + 1], strict=True):
            covering = [cells for cells in tables if cells.first_row <= start <= cells.last_row]
            row = start
            if start in kept or len(covering) > 1 or not stream:
                row = start + 1 if stream and len(covering) <= 1 else stop
                for each in range(start, row):
                    self._write_row(each, covering, order_of, heights)
            if row < stop and covering:
                covering[0].stream_rows(worksheet, row, stop, heights)
        if stream:
            RowStream(worksheet).flush()
        for cells in tables:
            cells.release()
        self._cells.clear()
        self._tables.clear()

    def _write_row(self, row: int, tables: list, order_of: dict, heights: RowHeights) -> None:
        """One row through xlsxwriter: its tables' cells and its single cells in the order
        they were written (a later write of a cell replaces the earlier), then its height."""
        worksheet = self.worksheet
        writes = [(order_of[id(cells)], cells) for cells in tables]
        writes += [(order, call) for order, *call in self._cells.get(row, ())]
        writes.sort(key=lambda item: item[0])
        for _, write in writes:
            if isinstance(write, TableCells):
                write.write_rows(worksheet, row, row + 1)
            else:
                method, args, kwargs = write
                getattr(worksheet, method)(*args, **kwargs)
        height = heights.get(row)
        if height is not None:
            worksheet.set_row(row, height)


def _blank(value: Any) -> bool:
    """Missing, NaN or infinite: nothing Excel can show as a number."""
    if value is None:
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def excel_text(value: Any, kind: ColumnKind, yes_no=("Oui", "Non")) -> str:
    """About the text Excel shows for a value in its kind's number format (for its width:
    the separators are the reader's, their count the same)."""
    if _blank(value):
        return ""
    if kind == "date":
        return DATE_TEXT
    if kind == "bool":
        return yes_no[0] if bool(value) else yes_no[1]
    if kind == "text":
        return str(value)
    number = float(value)
    shown = {
        "money": f"{number:,.2f} MAD",
        "percent": f"{number * 100:,.1f}%",
        "ratio": f"{number:,.2f}",
        "int": f"{number:,.0f}",
        "number": f"{number:,.1f}",
        "area": f"{number:,.2f} m²",
    }
    return shown.get(kind, f"{number:,.2f}")


def _units(characters: float) -> float:
    return round(characters * CHARACTER_UNITS + PADDING_UNITS, 1)


def longest_word(text: str) -> int:
    return max((len(word) for word in str(text).split()), default=0)


def _longest_word_of(texts) -> int:
    """The longest word of any of ``texts``: the longest texts first, until no text left is
    longer than the longest word found (a word is never longer than its text)."""
    best = 0
    for text in sorted(set(texts), key=len, reverse=True):
        if len(text) <= best or best >= LONGEST_WORD:
            break
        best = max(best, longest_word(text))
    return best


def fitted_width(
    texts: list[str], header: str = "", cap: float | None = TEXT_CAP, short: int = SHORT_TEXT
) -> tuple[float, bool]:
    """The width of a column showing ``texts`` under a wrapped ``header``, and whether its
    cells wrap: the longest text when it fits ``cap`` characters, else ``cap`` (never less
    than the longest word, which a wrap cannot break, nor than ``short``). ``cap=None``:
    never wrapped."""
    texts = [str(text) for text in texts]
    natural = max((len(t) for t in texts), default=0)
    return _fitted(natural, _longest_word_of(texts), header, cap, short)


def _fitted(
    natural: int, word: int, header: str, cap: float | None, short: float
) -> tuple[float, bool]:
    """``fitted_width`` from the longest text's length and the longest word's."""
    heading = math.ceil(longest_word(header) * HEADER_POINTS / 11)
    words = min(max(word, heading, 2), LONGEST_WORD)
    needed = natural if cap is None else min(natural, max(cap, words, short))
    needed = max(needed, words)
    return _units(needed), needed < natural


def _characters(width: float) -> int:
    # letters are narrower than the digit the unit is: about 0.9 unit in Noto Sans
    return max(int((width - PADDING_UNITS) / (0.92 * CHARACTER_UNITS)), 1)


def _line_count(text: str, characters: int) -> int:
    if len(text) <= characters and "\t" not in text:
        return 1  # fits on its line (a tab would widen it)
    return max(len(textwrap.wrap(text, characters, break_long_words=False)), 1)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped at word boundaries in a column ``width`` wide."""
    return _line_count(str(text), _characters(width))


def wrapped_line_counts(texts: Sequence[str], width: float, skip: Sequence[int] = ()) -> np.ndarray:
    """``wrapped_lines`` of each of ``texts`` (each distinct text wrapped once), 0 for the
    indexes in ``skip``."""
    characters = _characters(width)
    if skip:
        texts = list(texts)
        for index in skip:
            texts[index] = ""
    counts = {text: _line_count(text, characters) for text in set(texts)}
    lines = np.fromiter(map(counts.__getitem__, texts), dtype=np.int64, count=len(texts))
    lines[list(skip)] = 0
    return lines


def write_value(
    sheet,
    row: int,
    col: int,
    value: Any,
    kind: ColumnKind,
    fmt,
    yes_no=("Oui", "Non"),
    missing_text: str | None = None,
):
    """One cell, typed: text always as a string (never a formula), dates as Excel dates. A
    missing, NaN or infinite value is a blank cell, or ``missing_text`` when given (why it is
    missing): ``write_number`` never sees a NaN. (A table's cells are written in bulk, by
    ``write_table``; this is for a figure or a label.)"""
    if _blank(value):
        if missing_text:
            sheet.write_string(row, col, missing_text, fmt)
        else:
            sheet.write_blank(row, col, None, fmt)
    elif kind == "date":
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime()
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        sheet.write_datetime(row, col, value, fmt)
    elif kind == "bool":
        sheet.write_string(row, col, yes_no[0] if bool(value) else yes_no[1], fmt)
    elif kind == "text":
        sheet.write_string(row, col, str(value), fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)


def write_fitted(
    sheet,
    formats: Formats,
    row: int,
    col: int,
    value: Any,
    kind: ColumnKind = "text",
    *,
    missing_text: str | None = None,
    cap: float | None = TEXT_CAP,
    bold: bool = False,
) -> None:
    """One typed cell outside a table (a figure's label, value or detail line) whose column
    widens to show it, a long text wrapping beyond ``cap`` characters."""
    text = excel_text(value, kind) or (missing_text or "")
    width, wrap = fitted_width([text], cap=cap if kind == "text" or _blank(value) else None)
    formats.fit(sheet, col, width)
    if wrap:
        formats.wrapped(sheet, row, col, text)
    fmt = formats.cell(kind, bold=bold, wrap=wrap)
    write_value(sheet, row, col, value, kind, fmt, missing_text=missing_text)


# --- a table's columns, converted at once ------------------------------------------------------


def _missing(values: np.ndarray) -> np.ndarray:
    """Where ``values`` (a column as an object array) holds nothing Excel can show: None,
    NaN, NaT, NA or an infinite number (``_blank`` of each value)."""
    missing = np.asarray(pd.isna(values), dtype=bool)
    floats = [
        index
        for index, (value, gone) in enumerate(zip(values, missing.tolist(), strict=True))
        if not gone and isinstance(value, float)
    ]
    if floats:
        missing[floats] = ~np.isfinite(values[floats].astype(float))
    return missing


def _column_missing(column: pd.Series, values: np.ndarray) -> np.ndarray:
    """``_missing`` of a column, ``values`` its object array: only an object column may hold
    an infinite float among other values."""
    if pd.api.types.is_object_dtype(column.dtype):
        return _missing(values)
    if pd.api.types.is_float_dtype(column.dtype):
        return ~np.isfinite(column.to_numpy(dtype="float64", na_value=np.nan))
    return np.asarray(column.isna(), dtype=bool)


def _numbers(column: pd.Series) -> np.ndarray:
    """The column as floats, NaN where missing (``float(value)`` of each value)."""
    dtype = column.dtype
    if not pd.api.types.is_object_dtype(dtype) and (
        pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    ):
        return column.to_numpy(dtype="float64", na_value=np.nan)
    values = column.to_numpy(dtype=object)
    missing = _missing(values)
    return np.array(
        [math.nan if gone else float(value) for value, gone in zip(values, missing, strict=True)],
        dtype="float64",
    )


#: the day after Excel's phantom 29 February 1900: from it on, a serial is days since 30/12/1899
_LEAP_BUG_END = np.datetime64("1900-03-01", "us")


def _excel_dates(column: pd.Series, date_1904: bool = False) -> tuple[np.ndarray, list]:
    """The column's dates as Excel serial numbers (xlsxwriter's own arithmetic, so a date is
    the same number it would write) with NaN where missing, and the values before 01/03/1900
    (Excel's imaginary 29/02/1900 shifts them) left for ``write_datetime``, as (index,
    datetime)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        stamps = column
        if getattr(column.dtype, "tz", None) is not None:
            stamps = column.dt.tz_localize(None)
    else:
        values = column.to_numpy(dtype=object)
        missing = _missing(values)
        for value, gone in zip(values, missing, strict=True):
            if not gone and not isinstance(value, dt.date | np.datetime64):
                raise TypeError(f"not a date: {value!r}")
        stamps = pd.to_datetime(pd.Series(np.where(missing, None, values), dtype=object))
    moments = stamps.to_numpy(dtype="datetime64[us]")
    missing = np.isnat(moments)
    epoch = np.datetime64("1904-01-01" if date_1904 else "1899-12-31", "us")
    delta = (moments - epoch).astype(np.int64)
    day = 86_400_000_000
    days = delta // day
    rest = delta - days * day
    seconds = rest // 1_000_000
    micros = rest - seconds * 1_000_000
    serials = days + (seconds.astype(float) + micros.astype(float) / 1e6) / (60 * 60 * 24)
    early: list = []
    if not date_1904:
        serials = np.where(serials > 59, serials + 1, serials)
        before = np.flatnonzero(~missing & (moments < _LEAP_BUG_END))
        early = [(index, pd.Timestamp(moments[index]).to_pydatetime()) for index in before]
    serials[missing] = np.nan
    return serials, early


@dataclass
class ColumnCells:
    """One column of a table converted for Excel: ``values`` as written (a float, a string,
    a ``datetime`` for a date before 1900's March, or None for a blank cell), and what the
    width and the wrapping of the column need."""

    values: list
    #: every distinct text the column shows (text and yes/no columns), for its width
    texts: list[str] | None
    #: the longest number or date the column shows, as Excel shows it
    widest: list[str]
    #: a value is missing (a blank cell, or the column's ``missing_text``)
    any_missing: bool
    #: what each row shows ("" where blank): the wrapped column's line counts
    shown: Callable[[], list[str]]


def column_cells(
    column: pd.Series, col: Col, yes_no=("Oui", "Non"), date_1904=False, measure=True
) -> ColumnCells:
    """``column`` converted at once: numbers to floats, dates to Excel serials, booleans to
    ``yes_no``, text to strings (``str(value)``); a missing, NaN or infinite value becomes
    None (a blank cell) or ``col.missing_text``. ``measure=False``: the values only (the
    width was measured when the table was laid out)."""
    kind = col.kind
    texts = None
    widest: list[str] = []
    if kind in ("text", "bool"):
        raw = column.to_numpy(dtype=object)
        missing = _column_missing(column, raw)
        gone = missing.tolist()
        if kind == "bool":
            yes, no = yes_no
            values = [
                None if lost else (yes if value else no)
                for value, lost in zip(raw, gone, strict=True)
            ]
        elif isinstance(column.dtype, pd.StringDtype):  # strings already
            values = np.where(missing, None, raw).tolist()
        else:
            values = [
                None if lost else (value if value.__class__ is str else str(value))
                for value, lost in zip(raw, gone, strict=True)
            ]
        if measure:
            texts = list(set(values).difference((None,)))
    elif kind == "date":
        serials, early = _excel_dates(column, date_1904)
        missing = np.isnan(serials)
        values = serials.tolist()
        for index, moment in early:
            values[index] = moment
        if not missing.all():
            widest = [DATE_TEXT]
    else:
        numbers = _numbers(column)
        missing = ~np.isfinite(numbers)
        values = numbers.tolist()
        finite = numbers[~missing]
        if measure and len(finite):
            # the longest text of a kind's format is that of the largest or the most
            # negative number: its length never decreases with the number's size
            widest = [excel_text(float(finite.max()), kind), excel_text(float(finite.min()), kind)]
    blanks = np.flatnonzero(missing).tolist()
    for index in blanks:
        values[index] = col.missing_text or None

    def shown() -> list[str]:
        """What each row shows, "" where it is blank (the missing text is not shown)."""
        gone = missing.tolist()
        if kind in ("text", "bool"):
            return ["" if lost else value for value, lost in zip(values, gone, strict=True)]
        if kind == "date":
            return ["" if lost else DATE_TEXT for lost in gone]
        return [
            "" if lost else excel_text(value, kind)
            for value, lost in zip(values, gone, strict=True)
        ]

    return ColumnCells(values, texts, widest, bool(blanks), shown)


@dataclass
class TableCells:
    """A table's data rows, ready to write: its frame and columns (converted when written, a
    few thousand rows at a time, so that a kept table holds no cell of its own), each
    column's format for a plain and a highlighted row, and any per-row formats a sheet gave
    a column (``row_formats``)."""

    frame: pd.DataFrame
    columns: list[Col]
    #: the first data row (under the header) and its first column
    first_row: int
    first_col: int
    #: (plain, highlighted) format of each column (highlighted None: no row is)
    formats: list[tuple[Any, Any]]
    flags: list[bool] | None = None
    yes_no: tuple[str, str] = ("Oui", "Non")
    #: column offset -> a format per row, replacing the column's formats
    overrides: dict[int, list] = field(default_factory=dict)
    #: the converted rows in hand: (first index, each column's values)
    _chunk: tuple[int, list[list]] | None = field(default=None, repr=False)

    #: rows converted at once
    CHUNK = 4096

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.frame) - 1

    def row_formats(self, offset: int) -> list:
        """The format of each row of column ``offset``, to restyle some of its cells (a
        planning's summary rows in bold)."""
        if offset not in self.overrides:
            plain, marked = self.formats[offset]
            flags = self.flags or [False] * len(self)
            self.overrides[offset] = [marked if flag else plain for flag in flags]
        return self.overrides[offset]

    def values(self, index: int, date_1904: bool = False) -> tuple[int, list[list]]:
        """The converted rows around row ``index`` (0: the first data row): the first index
        they start at and each column's values (see ``column_cells``)."""
        start = index - index % self.CHUNK
        if self._chunk is None or self._chunk[0] != start:
            part = self.frame.iloc[start : start + self.CHUNK]
            converted = [
                column_cells(part[col.source], col, self.yes_no, date_1904, measure=False).values
                for col in self.columns
            ]
            self._chunk = (start, converted)
        return self._chunk

    def release(self) -> None:
        """Forget the converted rows in hand."""
        self._chunk = None

    def cell_format(self, offset: int, index: int):
        override = self.overrides.get(offset)
        if override is not None:
            return override[index]
        plain, marked = self.formats[offset]
        return marked if self.flags is not None and self.flags[index] else plain

    def write_rows(self, worksheet, start: int, stop: int) -> None:
        """Rows ``start`` to ``stop - 1`` of the sheet (rows of this table) through
        xlsxwriter's typed methods, each value with its column's format: None a formatted
        blank, a string ``write_string`` (never a formula), a float ``write_number``, an
        early date ``write_datetime``."""
        date_1904 = bool(getattr(worksheet, "date_1904", False))
        blank, string = worksheet.write_blank, worksheet.write_string
        number, moment = worksheet.write_number, worksheet.write_datetime
        for row in range(start, stop):
            index = row - self.first_row
            first, columns = self.values(index, date_1904)
            for offset, values in enumerate(columns):
                value = values[index - first]
                col = self.first_col + offset
                fmt = self.cell_format(offset, index)
                if value is None:
                    blank(row, col, None, fmt)
                elif value.__class__ is str:
                    string(row, col, value, fmt)
                elif value.__class__ is float:
                    number(row, col, value, fmt)
                else:
                    moment(row, col, value, fmt)

    def stream_rows(self, worksheet, start: int, stop: int, heights: RowHeights) -> None:
        """Rows ``start`` to ``stop - 1`` (rows of this table and of nothing else) written
        straight into a constant-memory worksheet's row file, the XML xlsxwriter writes for
        them (``RowStream``), a few thousand rows per pass. Used by ``OrderedSheet.flush``."""
        stream = RowStream(worksheet)
        stream.begin(start, stop - 1, self.first_col, self.first_col + len(self.columns) - 1)
        date_1904 = bool(getattr(worksheet, "date_1904", False))
        letters = [xl_col_to_name(self.first_col + k) for k in range(len(self.columns))]
        row = start
        while row < stop:
            index = row - self.first_row
            first, columns = self.values(index, date_1904)
            end = min(stop, self.first_row + first + self.CHUNK)
            rows = range(row, end)
            self._index_formats(index, len(rows))
            cells = [
                stream.cells(
                    letters[offset],
                    rows,
                    values[index - first : index - first + len(rows)],
                    self._xf_indexes(offset, index, len(rows)),
                )
                for offset, values in enumerate(columns)
            ]
            stream.write(rows, cells, heights)
            row = end
        stream.end(stop - 1)

    def _index_formats(self, index: int, count: int) -> None:
        """Number the formats of ``count`` rows from ``index`` in the order xlsxwriter would
        have, row after row (a format is numbered when first used), so that the streamed
        sheet is the one xlsxwriter writes."""
        distinct = {}
        for offset, (plain, marked) in enumerate(self.formats):
            override = self.overrides.get(offset)
            for fmt in override[index : index + count] if override is not None else (plain, marked):
                if fmt is not None:
                    distinct[id(fmt)] = fmt
        waiting = {
            key
            for key, fmt in distinct.items()
            if fmt.xf_index is None and fmt._get_format_key() not in fmt.xf_format_indices
        }
        for row in range(index, index + count):
            if not waiting:
                break
            for offset in range(len(self.columns)):
                fmt = self.cell_format(offset, row)
                if id(fmt) in waiting:
                    fmt._get_xf_index()
                    waiting.discard(id(fmt))

    def _xf_indexes(self, offset: int, index: int, count: int) -> list[int] | int:
        """The format index of each of ``count`` rows of column ``offset`` from ``index``,
        or one index for them all."""
        override = self.overrides.get(offset)
        if override is not None:
            return [fmt._get_xf_index() for fmt in override[index : index + count]]
        plain, marked = self.formats[offset]
        if self.flags is None or marked is None:
            return plain._get_xf_index()
        flags = self.flags[index : index + count]
        if not any(flags):
            return plain._get_xf_index()
        indexes = (plain._get_xf_index(), marked._get_xf_index())
        return [indexes[flag] for flag in flags]

    def write(self, sheet) -> None:
        """Write the rows now (a plain worksheet) or keep them for the sheet's flush (an
        ``OrderedSheet``)."""
        if isinstance(sheet, OrderedSheet):
            sheet.write_table(self)
        elif len(self):
            self.write_rows(sheet, self.first_row, self.last_row + 1)
        self.release()


#: what xlsxwriter escapes in a cell's text: XML's own characters, control characters as
#: ``_xHHHH_`` (and a literal ``_xHHHH_`` so that it reads back as typed), two non-characters
_TEXT_TO_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPE_OF_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class RowStream:
    """Table rows written straight into a constant-memory worksheet's row file, as the XML
    xlsxwriter itself writes for them (``<row>``, ``<c r s>``, in-line strings escaped as it
    escapes them), but a column at a time: xlsxwriter's own path costs a dozen Python calls
    per cell, more than the rest of the workbook together. The worksheet is told where its
    data reaches (its dimensions) and which row it wrote last, and writes every other cell
    itself. ``tests/exports/test_xlsx_bulk.py`` holds this to xlsxwriter's own output.

    One difference, on purpose: a text that starts with ``<r>`` and ends with ``</r>`` is
    escaped like any other (xlsxwriter would take it for its own rich-string markup)."""

    #: the worksheet attributes the stream relies on (xlsxwriter 3.x)
    NEEDS = (
        "fh",
        "previous_row",
        "constant_memory",
        "default_row_height",
        "original_row_height",
        "excel_version",
        "xls_strmax",
        "_write_single_row",
        "_check_dimensions",
        "_convert_date_time",
    )

    #: and the format attributes (formats are numbered as xlsxwriter numbers them)
    FORMAT_NEEDS = ("xf_index", "xf_format_indices", "_get_xf_index", "_get_format_key")

    def __init__(self, worksheet):
        self.worksheet = worksheet
        #: string -> its escaped ``<t>`` content, for the texts a column repeats
        self._texts: dict[str, str] = {}

    @classmethod
    def fits(cls, worksheet) -> bool:
        """The worksheet streams its rows and has what the stream relies on (else its rows
        go through xlsxwriter's own methods)."""
        from xlsxwriter.format import Format

        probe = Format()
        return (
            bool(getattr(worksheet, "constant_memory", False))
            and all(hasattr(worksheet, name) for name in cls.NEEDS)
            and all(hasattr(probe, name) for name in cls.FORMAT_NEEDS)
        )

    def begin(self, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
        worksheet = self.worksheet
        worksheet._write_single_row(first_row)  # the row xlsxwriter holds, if any, first
        worksheet._check_dimensions(first_row, first_col)
        worksheet._check_dimensions(last_row, last_col)

    def flush(self) -> None:
        """Write the row xlsxwriter still holds: its formats are numbered now, before the
        next sheet's, as they were when every sheet was written in turn."""
        worksheet = self.worksheet
        worksheet._write_single_row(worksheet.previous_row + 1)

    def end(self, last_row: int) -> None:
        # xlsxwriter holds no cell and no setting of these rows: nothing to flush after them
        self.worksheet.previous_row = last_row

    def text(self, value: str) -> str:
        """The ``<t>`` element's attribute and text of a string cell, escaped."""
        known = self._texts.get(value)
        if known is not None:
            return known
        string = value
        limit = self.worksheet.xls_strmax
        if len(string) > limit // 2:
            string = _utf16_truncate(string, limit)
        if _TEXT_TO_ESCAPE.search(string):
            string = _ESCAPE_OF_ESCAPE.sub(r"_x005F\1", string)
            string = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", string)
            string = string.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        preserve = ' xml:space="preserve"' if _EDGE_SPACE.search(string) else ""
        if "&" in string or "<" in string or ">" in string:
            string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        known = f"{preserve}>{string}"
        if len(self._texts) >= 4096:  # the texts a column repeats, not a ledger's references
            self._texts.clear()
        self._texts[value] = known
        return known

    def cells(self, letter: str, rows: range, values: list, xfs: list[int] | int) -> list[str]:
        """The ``<c>`` elements of one column over ``rows``."""
        refs = [f'<c r="{letter}{row + 1}" s="' for row in rows]
        if isinstance(xfs, int):
            xfs = [xfs] * len(refs)
        text = self.text
        convert = self.worksheet._convert_date_time
        out = []
        for ref, xf, value in zip(refs, xfs, values, strict=True):
            if value is None:
                out.append(f'{ref}{xf}"/>')
            elif value.__class__ is str:
                out.append(f'{ref}{xf}" t="inlineStr"><is><t{text(value)}</t></is></c>')
            elif value.__class__ is float:
                out.append(f'{ref}{xf}"><v>{value:.16G}</v></c>')
            else:  # a date xlsxwriter converts itself (before March 1900)
                out.append(f'{ref}{xf}"><v>{convert(value):.16G}</v></c>')
        return out

    def write(self, rows: range, cells: list[list[str]], heights: RowHeights) -> None:
        worksheet = self.worksheet
        original, default = worksheet.original_row_height, worksheet.default_row_height
        tail = ' x14ac:dyDescent="0.25">' if worksheet.excel_version == 2010 else ">"
        parts = []
        for row, row_cells in zip(rows, zip(*cells, strict=True), strict=True):
            height = heights.get(row)
            # ``set_row``'s pixels and ``_write_row``'s attributes, in its order
            pixels = default if height is None else int(height * 4.0 / 3.0 + 0.5)
            if pixels != original or pixels != default:
                parts.append(f'<row r="{row + 1}" ht="{pixels * 0.75:.16g}" customHeight="1"')
            else:
                parts.append(f'<row r="{row + 1}"')
            parts.append(tail)
            parts.extend(row_cells)
            parts.append("</row>")
        worksheet.fh.write("".join(parts))


def _utf16_truncate(string: str, limit: int) -> str:
    """``string`` cut to ``limit`` UTF-16 units (Excel's longest cell text) without
    splitting a character above U+FFFF, as xlsxwriter cuts it."""
    if len(string.encode("utf-16-le", "surrogatepass")) // 2 <= limit:
        return string
    length = 0
    for index, char in enumerate(string):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > limit:
            return string[:index]
    return string


def chart_cache(frame: pd.DataFrame, columns: list[Col]) -> dict[str, list]:
    """Each column's values as a chart caches them (Excel and PowerPoint draw a chart from
    its cache until they recompute it): numbers with Excel's precision, text as is, "" for a
    blank cell. xlsxwriter fills the caches from the cells when the workbook closes, which a
    constant-memory sheet no longer holds: give them to ``add_series`` (``values_data``,
    ``categories_data``), as its author advises for data it cannot read."""
    caches = {}
    for col in columns:
        values = column_cells(frame[col.source], col, measure=False).values
        caches[col.source] = [
            ""
            if value is None
            else value
            if value.__class__ is str
            else f"{value:.16g}"
            if value.__class__ is float
            else None  # a date before March 1900: no cached point, Excel reads the cell
            for value in values
        ]
    return caches


def _shown_texts(column: pd.Series, col: Col, yes_no, date_1904: bool):
    """What each cell of a wrapped column shows (its missing text where blank), when asked."""

    def texts() -> list[str]:
        fallback = col.missing_text or ""
        shown = column_cells(column, col, yes_no, date_1904, measure=False).shown()
        return [text or fallback for text in shown]

    return texts


def write_table(
    sheet,
    formats: Formats,
    top: int,
    frame: pd.DataFrame,
    columns: list[Col],
    *,
    highlight: pd.Series | None = None,
    autofilter: bool = True,
    freeze: bool = True,
    yes_no=("Oui", "Non"),
    first_col: int = 0,
    text_cap: float | None = None,
    within_columns: bool = False,
    restyle: Callable[[TableCells], None] | None = None,
) -> int:
    """Write ``frame`` as a table with its header on row ``top``; returns the next free row.
    Each column is as wide as its content (see the module's docstring); a text column wider
    than its declared width, or ``text_cap``, wraps; ``within_columns``: a text column wraps
    in the width the sheet's column already has (a short table under a long one that shares
    its columns, so that it does not widen them). ``restyle`` may change the formats of some
    cells (``TableCells.row_formats``) before they are written."""
    date_1904 = bool(getattr(sheet, "date_1904", False))
    wraps = []
    for offset, column in enumerate(columns):
        # one column converted at a time, for its width and its wrapped rows, then dropped:
        # the cells are converted again, a few thousand rows at a time, when written
        cells = column_cells(frame[column.source], column, yes_no, date_1904)
        texts = list(cells.widest if cells.texts is None else cells.texts)
        if column.missing_text and cells.any_missing:
            texts.append(column.missing_text)
        cap = column.width or TEXT_CAP
        if text_cap is not None:
            cap = min(cap, text_cap)
        short = SHORT_TEXT
        existing = formats.width(sheet, first_col + offset)
        if within_columns and existing:
            # a text wraps in the width a table above gave the column, if its words fit
            cap, short = (existing - PADDING_UNITS) / CHARACTER_UNITS, 0
        wrap_cap = cap if column.kind == "text" or column.missing_text else None
        natural = max((len(text) for text in texts), default=0)
        width, wrap = _fitted(natural, _longest_word_of(texts), column.header, wrap_cap, short)
        width = formats.fit(sheet, first_col + offset, max(width, _units(MIN_HEADER)))
        wraps.append(wrap)
        formats.wrapped(sheet, top, first_col + offset, column.header, points=HEADER_POINTS)
        sheet.write_string(top, first_col + offset, column.header, formats.header)
        if wrap and len(frame):
            formats.wrapped_column(
                sheet,
                top + 1,
                first_col + offset,
                len(frame),
                _shown_texts(frame[column.source], column, yes_no, date_1904),
            )
        del cells, texts
    # two lines at least (the header stands out), more if ``finish`` finds it needs them
    sheet.set_row(top, 2 * LINE_POINTS * HEADER_POINTS / 11 + 1)
    flags = [bool(flag) for flag in highlight.to_numpy()] if highlight is not None else None
    marked = flags is not None and any(flags)
    cells = TableCells(
        frame,
        list(columns),
        top + 1,
        first_col,
        [
            (
                formats.cell(column.kind, False, wrap=wrap),
                formats.cell(column.kind, True, wrap=wrap) if marked else None,
            )
            for column, wrap in zip(columns, wraps, strict=True)
        ],
        flags,
        tuple(yes_no),
    )
    if restyle is not None:
        restyle(cells)
    cells.write(sheet)
    last = top + len(frame)
    if autofilter and columns:
        sheet.autofilter(top, first_col, max(last, top), first_col + len(columns) - 1)
    if freeze:
        sheet.freeze_panes(top + 1, 0)
    return last + 1


def print_setup(
    sheet,
    header: str,
    footer: str,
    landscape: bool = True,
    repeat_row: int | None = None,
    scale: int | None = None,
):
    """A4, landscape, one page wide and as many long as needed (or at ``scale`` percent, for
    a sheet laid out on pages by manual breaks: fitting ignores them), project and status date
    in the header, page numbers in the footer, ``repeat_row`` (the header of the sheet's long
    table) repeated on top of every page from the one it starts on."""
    sheet.set_paper(9)  # A4
    if landscape:
        sheet.set_landscape()
    if scale is None:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(scale)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.set_header(f"&L&8{_escape(header)}", {"margin": 0.3})
    sheet.set_footer(f"&L&8{_escape(footer)}&R&8Page &P / &N", {"margin": 0.3})
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)


def _escape(text: str) -> str:
    """Header/footer text: ``&`` is a control character there."""
    return text.replace("&", "&&")


#: a view's kinds that Excel shows with another kind's number format
_EXCEL_KIND = {"millions": "money", "days": "int", "count": "int", "rows": "text"}


def excel_kind(kind: str) -> ColumnKind:
    """The workbook's cell kind for a view kind (``millions`` is a money cell, ``days`` and
    ``count`` whole numbers, Excel row tuples text)."""
    return _EXCEL_KIND.get(kind, kind)  # type: ignore[return-value]


def spec_columns(table) -> list[Col]:
    """A ``views.spec.Table``'s columns as workbook columns (same ids, headers, widths)."""
    columns = []
    for column in table.columns:
        kind = excel_kind(column.kind)
        columns.append(Col(column.id, column.label, kind, column.width, column.missing_text))
    return columns


def spec_frame(table) -> pd.DataFrame:
    """The values the workbook writes for a table: its typed frame, with Excel row tuples
    shown as text (``52–60, 64``) since a cell holds one value."""
    from views.format import compress_rows

    frame = table.data()
    rows = [c.id for c in table.columns if c.kind == "rows"]
    if rows:
        frame = frame.assign(
            **{
                name: frame[name].map(
                    lambda v: compress_rows(v) if isinstance(v, tuple | list) else v
                )
                for name in rows
            }
        )
    return frame


def write_spec(
    sheet,
    formats: Formats,
    top: int,
    table,
    *,
    autofilter: bool = True,
    freeze: bool = True,
    first_col: int = 0,
    name: bool = True,
    text_cap: float | None = None,
    within_columns: bool = False,
    restyle: Callable[[TableCells], None] | None = None,
) -> int:
    """Write a ``views.spec.Table`` with its header on row ``top``, its highlighted rows
    filled; returns the next free row. ``name`` defines an Excel name over the table's cells
    (``t_<key>``) so that a reader or a test finds the table without counting rows.
    ``restyle``: see ``write_table``."""
    columns = spec_columns(table)
    highlight = pd.Series(table.highlight) if table.highlight is not None else None
    next_row = write_table(
        sheet,
        formats,
        top,
        spec_frame(table),
        columns,
        highlight=highlight,
        autofilter=autofilter,
        freeze=freeze,
        yes_no=table.yes_no,
        first_col=first_col,
        text_cap=text_cap,
        within_columns=within_columns,
        restyle=restyle,
    )
    if name and columns:
        defined = table_name(table.key)
        last_row = max(next_row - 1, top)
        reference = _range(sheet.name, top, first_col, last_row, first_col + len(columns) - 1)
        formats.workbook.define_name(defined, reference)
    return next_row


def table_name(key: str) -> str:
    """The Excel defined name of a table: ``t_`` and its key with dots as underscores."""
    return "t_" + "".join(ch if ch.isalnum() else "_" for ch in key)


def _range(sheet_name: str, top: int, left: int, bottom: int, right: int) -> str:
    from xlsxwriter.utility import xl_range_abs

    quoted = sheet_name.replace("'", "''")
    return f"='{quoted}'!{xl_range_abs(top, left, bottom, right)}"
