"""Generic table loading: find the sheet and header, classify rows, parse every column.

``read_table`` does everything that is the same for every kind of spreadsheet and returns the
canonical frame with *all* problems found (the first ``limits.max_problems`` of each severity
built, the rest counted); the per-kind loaders add their own rules (finish before start,
duplicate ids…) and decide whether to raise. Values that cannot be true are refused here, with
their row and column: numbers beyond the column's bound, dates outside the window, Excel error
cells, a "Situation au …" date after today.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from i18n import translate
from i18n.format import format_number
from loaders.headers import HeaderMatch, detect_header, header_score
from loaders.limits import ReadLimits, resolve_limits
from loaders.problems import LoadError, Problem, ProblemLog, make_problem, sort_problems
from loaders.reading import (
    ERROR_CELL_TYPE,
    RawFile,
    RawSheet,
    _sheet_part,
    iter_sheets,
    may_hold_error_cells,
    open_raw,
    percent_formatted_columns,
    read_sheet,
    sheet_names,
)
from loaders.schema import Column, TableSchema
from loaders.values import (
    CellFailure,
    CellKinds,
    ExcelError,
    ParsedColumn,
    cell_kinds,
    cell_text,
    day_text,
    parse_bool_column,
    parse_date_column,
    parse_date_text,
    parse_duration_column,
    parse_number_column,
    parse_percent_column,
    parse_text_column,
)

__all__ = [
    "SOURCE_ROW",
    "TOTAL_LABEL",
    "TableRead",
    "accepted_headers",
    "column_label",
    "declared_situation_date",
    "raise_if_errors",
    "read_table",
    "sort_problems",
]

#: a label that marks a totals or subtotals row (matched on the raw text, accents optional)
TOTAL_LABEL = re.compile(
    r"(?i)^\s*(?:sous[\s\-]*total|total|totaux|grand[\s\-]+total|montant\s+total|cumul|"
    r"r[ée]capitulatif|ensemble\b|subtotal|sub-total)"
)

#: columns the loaders add to every table they return: the Excel row of each record…
SOURCE_ROW = "source_row"
#: … and, on the contracts table, whether a row is an avenant (its type says so or it
#: names a parent contract)
IS_AMENDMENT = "is_amendment"

#: the problem of a cell that cannot be read at all, by column type
_BAD_VALUE_CODE = {
    "date": "bad_date",
    "number": "bad_number",
    "money": "bad_number",
    "percent": "bad_percent",
    "bool": "bad_bool",
}


@dataclass
class TableRead:
    """What ``read_table`` found: the canonical frame and every problem, errors included."""

    frame: pd.DataFrame
    log: ProblemLog
    raw: RawFile
    sheet: str
    header: HeaderMatch | None
    #: canonical column -> header as written in the file
    headers: dict[str, str] = field(default_factory=dict)
    #: the date a title row above the header declares ("Situation au 20/11/2026")
    declared_date: pd.Timestamp | None = None
    limits: ReadLimits = field(default_factory=ReadLimits)

    @property
    def problems(self) -> list[Problem]:
        return self.log.problems

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def column_label(schema: TableSchema, name: str, lang: str) -> str:
    return translate(f"column.{name}", lang)


def accepted_headers(schema: TableSchema, name: str, limit: int = 8) -> str:
    aliases = schema.column(name).aliases
    shown = ", ".join(f"« {a} »" for a in aliases[:limit])
    return shown + (", …" if len(aliases) > limit else "")


def choose_sheet(
    raw: RawFile,
    schema: TableSchema,
    sheet: str | None,
    lang: str,
    limits: ReadLimits | None = None,
) -> tuple[RawSheet, HeaderMatch | None]:
    """The requested sheet, or the one whose header matches ``schema`` best."""
    names = sheet_names(raw, lang)
    if sheet is not None and raw.format != "csv":
        if sheet not in names:
            raise LoadError(
                [
                    make_problem(
                        "error",
                        "sheet_not_found",
                        lang,
                        file=raw.name,
                        sheet=sheet,
                        available=", ".join(names),
                    )
                ]
            )
        full = read_sheet(raw, sheet, lang, limits)
        _refuse_empty([full], raw, lang)
        return full, detect_header(full.rows, schema)

    # calamine parses a whole sheet even for a preview, so each sheet is read once, in full
    sheets = list(iter_sheets(raw, lang, limits=limits))
    _refuse_empty(sheets, raw, lang)
    best_sheet, best_match, best_score = sheets[0], None, (-1, -1)
    for candidate in sheets:
        match = detect_header(candidate.rows, schema)
        score = header_score(match, schema) if match else (0, 0)
        if score > best_score:
            best_sheet, best_match, best_score = candidate, match, score
    return best_sheet, best_match


def _refuse_empty(sheets: list[RawSheet], raw: RawFile, lang: str) -> None:
    for sheet in sheets:
        for row in sheet.rows:
            if any(cell_text(v) for v in row):
                return
    raise LoadError([make_problem("error", "empty_workbook", lang, file=raw.name)])


def read_table(
    source: Any,
    schema: TableSchema,
    *,
    sheet: str | None = None,
    lang: str = "fr",
    max_bytes: int | None = None,
    limits: ReadLimits | None = None,
) -> TableRead:
    """Read ``source`` as a table of ``schema``; raises LoadError only when nothing is readable."""
    limits = resolve_limits(limits, max_bytes)
    raw = open_raw(source, lang=lang, limits=limits)
    chosen, match = choose_sheet(raw, schema, sheet, lang, limits)
    where = {"file": raw.name, "sheet": chosen.name}

    if match is None:
        required = "; ".join(
            f"{column_label(schema, c.name, lang)} ({accepted_headers(schema, c.name, 4)})"
            for c in schema.required
        )
        raise LoadError(
            [
                make_problem(
                    "error",
                    "no_header",
                    lang,
                    kind=translate(f"kind.{schema.kind}", lang),
                    expected=required,
                    **where,
                )
            ]
        )

    log = ProblemLog(lang, limits.max_problems, **where)
    header_row = match.excel_row
    for column in schema.required:
        if column.name not in match.columns:
            log.add(
                "error",
                "missing_column",
                row=header_row,
                column=column_label(schema, column.name, lang),
                accepted=accepted_headers(schema, column.name),
            )
    for _index, text, name in match.shadowed:
        log.add(
            "warning",
            "duplicate_column",
            row=header_row,
            column=text,
            used=match.columns[name][1],
        )

    if log.has_errors:
        # without its required columns no row can be read: the header problems are the report
        raise LoadError(log.report())

    data_rows = chosen.rows[match.row_index + 1 :]
    first_excel_row = header_row + 1
    restore_excel_errors(raw, chosen.name, data_rows, first_excel_row)
    excel_rows = pd.RangeIndex(first_excel_row, first_excel_row + len(data_rows))
    raw_columns: dict[str, pd.Series] = {}
    kinds: dict[str, CellKinds] = {}
    widths = set(map(len, data_rows))
    width = max(widths, default=0)
    if data_rows and len(widths) == 1:
        grid = np.array(data_rows, dtype=object).reshape(len(data_rows), width)
        columns = {name: grid[:, index] for name, (index, _text) in match.columns.items()}
    else:
        columns = {
            name: [row[index] if index < len(row) else "" for row in data_rows]
            for name, (index, _text) in match.columns.items()
        }
    for name, cells in columns.items():
        raw_columns[name] = pd.Series(cells, index=excel_rows, dtype=object)
        kinds[name] = cell_kinds(raw_columns[name])

    positions = {name: index for name, (index, _text) in match.columns.items()}
    keep = classify_rows(raw_columns, kinds, positions, data_rows, excel_rows, schema, log)

    percent_cols = [
        match.columns[c.name][0]
        for c in schema.columns
        if c.type == "percent" and c.name in match.columns
    ]
    formatted = (
        percent_formatted_columns(raw, chosen.name, first_excel_row, percent_cols)
        if percent_cols
        else set()
    )

    frame = pd.DataFrame(index=excel_rows[keep.to_numpy()])
    for column in schema.columns:
        if column.name not in raw_columns:
            frame[column.name] = _empty_column(column.type, frame.index)
            continue
        values = raw_columns[column.name][keep]
        header_text = match.columns[column.name][1]
        column_kinds = kinds[column.name]
        if not keep.all():
            column_kinds = column_kinds.subset(keep.to_numpy())
        parsed = _parse(
            column, values, column_kinds, match.columns[column.name][0] in formatted, limits
        )
        report_failures(log, column, header_text, parsed.failures, limits)
        for note in parsed.notes:
            log.add("warning", note, row=header_row, column=header_text)
        if column.required:
            missing = values.index[column_kinds.blank]
            log.add_rows("error", "missing_value", missing, column=header_text)
        frame[column.name] = parsed.values
    frame[SOURCE_ROW] = frame.index.astype("int64")
    frame = frame.reset_index(drop=True)
    headers = {name: text for name, (_i, text) in match.columns.items()}
    declared = check_situation_date(chosen.rows[: match.row_index], log, limits)
    return TableRead(frame, log, raw, chosen.name, match, headers, declared, limits)


#: a title row that states the date the figures stand at
_SITUATION = re.compile(
    r"(?i)(?:situation|arr[êe]t[ée]e?|mise\s+[àa]\s+jour|date\s+de\s+situation|status\s+date|"
    r"as\s+(?:of|at)|updated)\b[^0-9]{0,12}(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2})"
)


def find_situation_date(title_rows: list[list[Any]]) -> tuple[pd.Timestamp, int, str] | None:
    """The status date written above the header, as AREP sheets carry it
    (``Situation au 20/11/2026``), with its Excel row and the cell's text; ``None`` when no
    title row states one."""
    for index, row in enumerate(title_rows):
        for cell in row:
            if isinstance(cell, str) and (match := _SITUATION.search(cell)):
                parsed = parse_date_text(match.group(1))
                if parsed is not None:
                    return parsed, index + 1, cell
    return None


def declared_situation_date(title_rows: list[list[Any]]) -> pd.Timestamp | None:
    """The status date the title rows declare, unchecked (see ``check_situation_date``)."""
    found = find_situation_date(title_rows)
    return None if found is None else found[0]


def check_situation_date(
    title_rows: list[list[Any]], log: ProblemLog, limits: ReadLimits
) -> pd.Timestamp | None:
    """The declared status date, if it can be true. One after ``limits.today`` is an error: a
    file declaring 31/12/2099 would otherwise be the current situation for ever, and every
    honest later import "older". One outside the date window is an error too."""
    found = find_situation_date(title_rows)
    if found is None:
        return None
    declared, row, text = found
    day = declared.date()
    shown = {"row": row, "value": text, "date": day_text(day)}
    if not limits.min_date <= day <= limits.max_date:
        log.add("error", "status_date_out_of_window", **shown, **window_params(limits))
        return None
    if day > limits.today:
        log.add("error", "status_date_in_future", **shown, today=day_text(limits.today))
        return None
    return declared


def window_params(limits: ReadLimits) -> dict[str, str]:
    """The date window as a message shows it."""
    return {"min_date": day_text(limits.min_date), "max_date": day_text(limits.max_date)}


def report_failures(
    log: ProblemLog,
    column: Column,
    header_text: str,
    failures: list[CellFailure],
    limits: ReadLimits,
) -> None:
    """One error per cell that could not be accepted, with its row and the file's header."""
    room = log.room("error")
    for failure in failures[:room]:
        code, params = _failure_message(column, failure, limits, log.lang)
        log.add(
            "error",
            code,
            row=int(failure.position),  # type: ignore[call-overload]
            column=header_text,
            value=cell_text(failure.value),
            **params,
        )
    log.skip("error", len(failures) - room)


def _failure_message(
    column: Column, failure: CellFailure, limits: ReadLimits, lang: str
) -> tuple[str, dict[str, Any]]:
    """The problem code and message parameters of one refused cell."""
    params = dict(failure.params or {})
    if failure.code is None:
        if column.name in DURATION_COLUMNS:
            return "bad_duration", params
        return _BAD_VALUE_CODE[column.type], params
    if failure.code == "wrong_unit":
        params["expected"] = translate(f"unit_kind.{params['expected']}", lang)
    if failure.code == "number_too_large":
        params["limit"] = format_number(params["limit"], lang)
        params["setting"] = column.number_limit
    if failure.code == "date_out_of_window":
        params.update(window_params(limits))
    if failure.code == "weekday_mismatch":
        params["weekday"] = translate(f"weekday.{_WEEKDAY_KEYS[params['weekday']]}", lang)
    return failure.code, params


#: the keys of the weekdays' names in the translation files, Monday first
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


#: number columns that count working days: MS Project writes them as text with their unit
#: (``20 jours``, ``2 sem``, ``16 h``), read by ``parse_duration_column``
DURATION_COLUMNS = frozenset(
    {"duration", "remaining_duration", "file_total_float", "file_free_float"}
)


def column_units(column: Column) -> str:
    """What a number column counts (``values.UNIT_KINDS``), and so the unit it takes after a
    number: an amount, an area (a column bounded by ``max_area_m2``), a duration, a number."""
    if column.name in DURATION_COLUMNS:
        return "duration"
    if column.type == "money":
        return "money"
    if column.number_limit == "max_area_m2":
        return "area"
    return "percent" if column.type == "percent" else "number"


def _parse(
    column: Column,
    values: pd.Series,
    kinds: CellKinds,
    formatted_percent: bool,
    limits: ReadLimits,
) -> ParsedColumn:
    kind = column.type
    if kind == "date":
        return parse_date_column(values, kinds, window=(limits.min_date, limits.max_date))
    if kind in ("number", "money"):
        bound = float(getattr(limits, column.number_limit or "max_number"))
        units = column_units(column)
        if units == "duration":
            return parse_duration_column(values, kinds, max_abs=bound)
        return parse_number_column(values, kinds, max_abs=bound, units=units)
    if kind == "percent":
        return parse_percent_column(values, formatted_percent)
    if kind == "bool":
        return parse_bool_column(values)
    return parse_text_column(values, kinds)


# --- Excel error cells (xlsx) ---------------------------------------------------------------

_CELL_START = re.compile(rb"<(?:\w+:)?c\b")
_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{1,32})</(?:\w+:)?v>")


def restore_excel_errors(
    raw: RawFile, sheet: str, data_rows: list[list[Any]], first_row: int
) -> None:
    """Put back the Excel errors (``#DIV/0!``…) of an xlsx sheet's data rows: each row that
    holds one is replaced in ``data_rows`` by a copy (the row lists may be a shared file's
    grid, read by other loaders: ``reading.open_shared``).

    calamine reads an error cell as an empty string, so a failed formula would pass for a
    blank cell ("missing value", or silently nothing). The worksheet part is searched for
    cells typed ``t="e"`` (a bytes search first: most sheets have none, and a 100 000-row sheet
    is then scanned once, without parsing its XML). Formats other than xlsx keep calamine's
    reading; a CSV holds the error as text, which the value parsers recognise.
    """
    if raw.format not in ("xlsx", "xlsm") or not data_rows:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(raw.data)) as archive:
            part = _sheet_part(archive, sheet)
            if part is None or not may_hold_error_cells(raw, part):
                return
            xml = archive.read(part)
    except Exception:  # the values were read already; errors are a refinement
        return
    if ERROR_CELL_TYPE not in xml:
        return
    for row, column, code in _error_cells(xml):
        index = row - first_row
        if not 0 <= index < len(data_rows):
            continue
        cells = data_rows[index]
        if isinstance(cells, list) and column < len(cells) and cells[column] in ("", None):
            cells = data_rows[index] = list(cells)
            cells[column] = ExcelError(code)


def _error_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """(Excel row, 0-based column, error text) of every error cell of a worksheet part, as
    ``<c r="F12" s="3" t="e"><f>1/0</f><v>#DIV/0!</v></c>`` (any namespace prefix). Each
    ``t="e"`` is looked at where it stands, so the cost is that of the errors, not the sheet."""
    found = []
    position = xml.find(ERROR_CELL_TYPE)
    while position != -1:
        start = xml.rfind(b"<", 0, position)
        tag_end = xml.find(b">", position)
        close = _CELL_END.search(xml, tag_end) if tag_end != -1 else None
        if start != -1 and close is not None and _CELL_START.match(xml, start):
            reference = _CELL_REFERENCE.search(xml, start, tag_end)
            value = _CELL_VALUE.search(xml, tag_end, close.start())
            if reference is not None and value is not None and xml[tag_end - 1] != ord("/"):
                letters, digits = reference.groups()
                column = 0
                for letter in letters.decode():
                    column = column * 26 + ord(letter) - 64
                found.append((int(digits), column - 1, value.group(1).decode("utf-8", "replace")))
        position = xml.find(ERROR_CELL_TYPE, position + 1)
    return found


def _empty_column(kind: str, index: pd.Index) -> pd.Series:
    if kind == "date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    if kind in ("number", "money", "percent"):
        return pd.Series(float("nan"), index=index, dtype=float)
    if kind == "bool":
        return pd.Series(False, index=index, dtype=bool)
    return pd.Series(pd.NA, index=index, dtype="str")


#: first two letters (lower case) of the labels TOTAL_LABEL can match: a cheap filter
_TOTAL_PREFIXES = frozenset({"to", "so", "gr", "mo", "cu", "ré", "re", "en", "su"})


def _total_labels(series: pd.Series, kinds: CellKinds) -> np.ndarray:
    """Which cells of a label column read as a totals label (each distinct text looked at
    once)."""
    strings, codes = kinds.held_strings()
    labels = np.fromiter(map(_is_total_label, strings), dtype=bool, count=len(strings))
    found = np.zeros(len(series), dtype=bool)
    found[np.flatnonzero(kinds.text)] = labels[codes]
    return found


def _is_total_label(text: str) -> bool:
    text = text.lstrip()
    return text[:2].lower() in _TOTAL_PREFIXES and TOTAL_LABEL.match(text) is not None


def classify_rows(
    raw_columns: dict[str, pd.Series],
    kinds: dict[str, CellKinds],
    header_positions: dict[str, int],
    data_rows: list[list[Any]],
    excel_rows: pd.RangeIndex,
    schema: TableSchema,
    log: ProblemLog,
) -> pd.Series:
    """Which data rows are records. Blank rows go silently; totals rows, section headings and
    notes go with a warning naming their row."""
    if not raw_columns:
        return pd.Series(False, index=excel_rows)
    count = len(excel_rows)
    all_blank = np.ones(count, dtype=bool)
    for column_kinds in kinds.values():
        all_blank &= column_kinds.blank
    # a totals row nearly always leaves a required cell blank (caught below, row by row);
    # the leftmost label column is also scanned for one that fills every required cell
    label_total = np.zeros(count, dtype=bool)
    labels = [name for name in schema.label_columns if name in raw_columns]
    if labels:
        leftmost = min(labels, key=lambda name: header_positions[name])
        label_total = _total_labels(raw_columns[leftmost], kinds[leftmost])
    required_gap = np.zeros(count, dtype=bool)
    for column in schema.required:
        if column.name in kinds:
            required_gap |= kinds[column.name].blank

    keep = pd.Series(~all_blank, index=excel_rows)
    offset = excel_rows.start
    for position in np.flatnonzero(all_blank | required_gap | label_total):
        excel_row = int(excel_rows[position])
        cells = [c for c in (cell_text(v) for v in data_rows[excel_row - offset]) if c]
        if not cells:
            continue
        first = cells[0]
        if label_total[position] or TOTAL_LABEL.match(first):
            keep[excel_row] = False
            log.add("warning", "totals_row", row=excel_row, value=first)
        elif len(cells) == 1:
            keep[excel_row] = False
            log.add("warning", "note_row", row=excel_row, value=first)
    return keep


def raise_if_errors(problems: list[Problem]) -> None:
    if any(p.is_error for p in problems):
        raise LoadError(sort_problems(problems))
