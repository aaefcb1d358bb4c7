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
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

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
        #: sheet name -> column -> the widest width a table or a figure needs there
        self._widths: dict[str, dict[int, float]] = {}
        #: sheet name -> row -> its wrapped texts (first column, last column, text, points)
        self._wrapped: dict[str, dict[int, list[tuple[int, int, str, float]]]] = {}
        self._sheets: dict[str, Any] = {}

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
        for a wrapped text when it opens the file."""
        self._sheets[sheet.name] = sheet
        last = col if last_col is None else last_col
        rows = self._wrapped.setdefault(sheet.name, {})
        # a cell written again (a message merged over two columns) replaces the earlier one
        kept = [cell for cell in rows.get(row, []) if not col <= cell[0] <= last]
        rows[row] = [*kept, (col, last, str(text), points)]

    def finish(self) -> None:
        """Every noted row as tall as its wrapped texts need in the columns' final widths
        (a later table may have widened a column): call once, before closing the workbook."""
        for name, rows in self._wrapped.items():
            sheet = self._sheets[name]
            for row, cells in rows.items():
                height = max(
                    wrapped_lines(text, self.span(sheet, first, last) * 11 / points)
                    * LINE_POINTS
                    * points
                    / 11
                    for first, last, text, points in cells
                )
                sheet.set_row(row, max(height, LINE_POINTS) + 1)

    def span(self, sheet, first: int, last: int) -> float:
        """The width of columns ``first`` to ``last`` of ``sheet``."""
        return sum(self.width(sheet, col) for col in range(first, last + 1))

    def width(self, sheet, col: int) -> float:
        """The width given to ``col`` of ``sheet`` so far (0 when none)."""
        return self._widths.get(sheet.name, {}).get(col, 0)


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
        return "00/00/0000"
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


def fitted_width(
    texts: list[str], header: str = "", cap: float | None = TEXT_CAP, short: int = SHORT_TEXT
) -> tuple[float, bool]:
    """The width of a column showing ``texts`` under a wrapped ``header``, and whether its
    cells wrap: the longest text when it fits ``cap`` characters, else ``cap`` (never less
    than the longest word, which a wrap cannot break, nor than ``short``). ``cap=None``:
    never wrapped."""
    natural = max((len(t) for t in texts), default=0)
    heading = math.ceil(longest_word(header) * HEADER_POINTS / 11)
    words = min(max([longest_word(t) for t in texts] + [heading, 2]), LONGEST_WORD)
    needed = natural if cap is None else min(natural, max(cap, words, short))
    needed = max(needed, words)
    return _units(needed), needed < natural


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped at word boundaries in a column ``width`` wide."""
    import textwrap

    # letters are narrower than the digit the unit is: about 0.9 unit in Noto Sans
    characters = max(int((width - PADDING_UNITS) / (0.92 * CHARACTER_UNITS)), 1)
    return max(len(textwrap.wrap(str(text), characters, break_long_words=False)), 1)


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
    missing): ``write_number`` never sees a NaN."""
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
) -> int:
    """Write ``frame`` as a table with its header on row ``top``; returns the next free row.
    Each column is as wide as its content (see the module's docstring); a text column wider
    than its declared width, or ``text_cap``, wraps; ``within_columns``: a text column wraps
    in the width the sheet's column already has (a short table under a long one that shares
    its columns, so that it does not widen them)."""
    values = [frame[c.source].tolist() for c in columns]
    shown = [[excel_text(v, c.kind, yes_no) for v in values[k]] for k, c in enumerate(columns)]
    wraps = []
    for offset, column in enumerate(columns):
        texts = list(shown[offset])
        if column.missing_text and any(_blank(v) for v in values[offset]):
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
        width, wrap = fitted_width(texts, column.header, wrap_cap, short)
        width = formats.fit(sheet, first_col + offset, max(width, _units(MIN_HEADER)))
        wraps.append(wrap)
        formats.wrapped(sheet, top, first_col + offset, column.header, points=HEADER_POINTS)
        sheet.write_string(top, first_col + offset, column.header, formats.header)
    # two lines at least (the header stands out), more if ``finish`` finds it needs them
    sheet.set_row(top, 2 * LINE_POINTS * HEADER_POINTS / 11 + 1)
    flags = highlight.to_numpy() if highlight is not None else None
    wrapped = [k for k, wrap in enumerate(wraps) if wrap]
    for index in range(len(frame)):
        marked = bool(flags[index]) if flags is not None else False
        for k in wrapped:
            text = shown[k][index] or columns[k].missing_text or ""
            formats.wrapped(sheet, top + 1 + index, first_col + k, text)
        for offset, column in enumerate(columns):
            write_value(
                sheet,
                top + 1 + index,
                first_col + offset,
                values[offset][index],
                column.kind,
                formats.cell(column.kind, marked, wrap=wraps[offset]),
                yes_no,
                column.missing_text,
            )
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
) -> int:
    """Write a ``views.spec.Table`` with its header on row ``top``, its highlighted rows
    filled; returns the next free row. ``name`` defines an Excel name over the table's cells
    (``t_<key>``) so that a reader or a test finds the table without counting rows."""
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
