"""Generic table loading: find the sheet and header, classify rows, parse every column.

``read_table`` does everything that is the same for every kind of spreadsheet and returns the
canonical frame with *all* problems found; the per-kind loaders add their own rules (finish
before start, duplicate ids…) and decide whether to raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from i18n import translate
from loaders.headers import HeaderMatch, detect_header, header_score
from loaders.limits import ReadLimits, resolve_limits
from loaders.problems import LoadError, Problem, make_problem
from loaders.reading import (
    RawFile,
    RawSheet,
    iter_sheets,
    open_raw,
    percent_formatted_columns,
    read_sheet,
    sheet_names,
)
from loaders.schema import TableSchema
from loaders.values import (
    CellKinds,
    ParsedColumn,
    cell_kinds,
    cell_text,
    parse_bool_column,
    parse_date_column,
    parse_date_text,
    parse_number_column,
    parse_percent_column,
    parse_text_column,
)

#: a label that marks a totals or subtotals row (matched on the raw text, accents optional)
TOTAL_LABEL = re.compile(
    r"(?i)^\s*(?:sous[\s\-]*total|total|totaux|grand[\s\-]+total|montant\s+total|cumul|"
    r"r[ée]capitulatif|ensemble\b|subtotal|sub-total)"
)

SOURCE_ROW = "source_row"

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
    problems: list[Problem]
    raw: RawFile
    sheet: str
    header: HeaderMatch | None
    #: canonical column -> header as written in the file
    headers: dict[str, str] = field(default_factory=dict)
    #: the date a title row above the header declares ("Situation au 20/11/2026")
    declared_date: pd.Timestamp | None = None

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

    problems: list[Problem] = []
    header_row = match.excel_row
    for column in schema.required:
        if column.name not in match.columns:
            problems.append(
                make_problem(
                    "error",
                    "missing_column",
                    lang,
                    row=header_row,
                    column=column_label(schema, column.name, lang),
                    accepted=accepted_headers(schema, column.name),
                    **where,
                )
            )
    for _index, text, name in match.shadowed:
        problems.append(
            make_problem(
                "warning",
                "duplicate_column",
                lang,
                row=header_row,
                column=text,
                used=match.columns[name][1],
                **where,
            )
        )

    if any(p.is_error for p in problems):
        # without its required columns no row can be read: the header problems are the report
        raise LoadError(problems)

    data_rows = chosen.rows[match.row_index + 1 :]
    first_excel_row = header_row + 1
    excel_rows = pd.RangeIndex(first_excel_row, first_excel_row + len(data_rows))
    raw_columns: dict[str, pd.Series] = {}
    kinds: dict[str, CellKinds] = {}
    width = max((len(row) for row in data_rows), default=0)
    if data_rows and all(len(row) == width for row in data_rows):
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
    keep, row_problems = classify_rows(
        raw_columns, kinds, positions, data_rows, excel_rows, schema, lang, where
    )
    problems.extend(row_problems)

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
            column.type, values, column_kinds, match.columns[column.name][0] in formatted
        )
        for position, value in parsed.failures:
            problems.append(
                make_problem(
                    "error",
                    _BAD_VALUE_CODE[column.type],
                    lang,
                    row=int(position),
                    column=header_text,
                    value=value,
                    **where,
                )
            )
        for note in parsed.notes:
            problems.append(
                make_problem("warning", note, lang, row=header_row, column=header_text, **where)
            )
        if column.required:
            for position in values.index[column_kinds.blank]:
                problems.append(
                    make_problem(
                        "error",
                        "missing_value",
                        lang,
                        row=int(position),
                        column=header_text,
                        **where,
                    )
                )
        frame[column.name] = parsed.values
    frame[SOURCE_ROW] = frame.index.astype("int64")
    frame = frame.reset_index(drop=True)
    headers = {name: text for name, (_i, text) in match.columns.items()}
    declared = declared_situation_date(chosen.rows[: match.row_index])
    return TableRead(frame, problems, raw, chosen.name, match, headers, declared)


#: a title row that states the date the figures stand at
_SITUATION = re.compile(
    r"(?i)(?:situation|arr[êe]t[ée]e?|mise\s+[àa]\s+jour|date\s+de\s+situation|status\s+date|"
    r"as\s+(?:of|at)|updated)\b[^0-9]{0,12}(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2})"
)


def declared_situation_date(title_rows: list[list[Any]]) -> pd.Timestamp | None:
    """The status date written above the header, as AREP sheets carry it
    (``Situation au 20/11/2026``); ``None`` when no title row states one."""
    for row in title_rows:
        for cell in row:
            if isinstance(cell, str) and (match := _SITUATION.search(cell)):
                parsed = parse_date_text(match.group(1))
                if parsed is not None:
                    return parsed
    return None


def _parse(kind: str, values: pd.Series, kinds: CellKinds, formatted_percent: bool) -> ParsedColumn:
    if kind == "date":
        return parse_date_column(values, kinds)
    if kind in ("number", "money"):
        return parse_number_column(values, kinds)
    if kind == "percent":
        return parse_percent_column(values, formatted_percent)
    if kind == "bool":
        return parse_bool_column(values)
    return parse_text_column(values, kinds)


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
    values = series.to_numpy(dtype=object)
    found = np.zeros(len(values), dtype=bool)
    for position in np.flatnonzero(kinds.text):
        text = values[position].lstrip()
        if text[:2].lower() in _TOTAL_PREFIXES and TOTAL_LABEL.match(text):
            found[position] = True
    return found


def classify_rows(
    raw_columns: dict[str, pd.Series],
    kinds: dict[str, CellKinds],
    header_positions: dict[str, int],
    data_rows: list[list[Any]],
    excel_rows: pd.RangeIndex,
    schema: TableSchema,
    lang: str,
    where: dict[str, str],
) -> tuple[pd.Series, list[Problem]]:
    """Which data rows are records. Blank rows go silently; totals rows, section headings and
    notes go with a warning naming their row."""
    problems: list[Problem] = []
    if not raw_columns:
        return pd.Series(False, index=excel_rows), problems
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
            problems.append(
                make_problem("warning", "totals_row", lang, row=excel_row, value=first, **where)
            )
        elif len(cells) == 1:
            keep[excel_row] = False
            problems.append(
                make_problem("warning", "note_row", lang, row=excel_row, value=first, **where)
            )
    return keep, problems


def raise_if_errors(problems: list[Problem]) -> None:
    if any(p.is_error for p in problems):
        raise LoadError(sort_problems(problems))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))
