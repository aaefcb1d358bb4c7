"""Generic table loading: find the sheet and header, classify rows, parse every column.

``read_table`` does everything that is the same for every kind of spreadsheet and returns the
canonical frame with *all* problems found; the per-kind loaders add their own rules (finish
before start, duplicate ids…) and decide whether to raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from i18n import translate
from loaders.headers import HEADER_SCAN_ROWS, HeaderMatch, detect_header, header_score
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
    ParsedColumn,
    cell_text,
    is_blank,
    parse_bool_column,
    parse_date_column,
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
    raw: RawFile, schema: TableSchema, sheet: str | None, lang: str
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
        full = read_sheet(raw, sheet, lang)
        _refuse_empty([full], raw, lang)
        return full, detect_header(full.rows, schema)

    previews = list(iter_sheets(raw, lang, nrows=HEADER_SCAN_ROWS))
    _refuse_empty(previews, raw, lang)
    best_name, best_match, best_score = None, None, (-1, -1)
    for preview in previews:
        match = detect_header(preview.rows, schema)
        score = header_score(match, schema) if match else (0, 0)
        if score > best_score:
            best_name, best_match, best_score = preview.name, match, score
    if raw.format == "csv":
        return read_sheet(raw, previews[0].name, lang), best_match
    chosen = read_sheet(raw, best_name, lang)
    return chosen, best_match


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
) -> TableRead:
    """Read ``source`` as a table of ``schema``; raises LoadError only when nothing is readable."""
    raw = open_raw(source, max_bytes, lang)
    chosen, match = choose_sheet(raw, schema, sheet, lang)
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

    data_rows = chosen.rows[match.row_index + 1 :]
    first_excel_row = header_row + 1
    excel_rows = pd.RangeIndex(first_excel_row, first_excel_row + len(data_rows))
    raw_columns: dict[str, pd.Series] = {}
    for name, (index, _text) in match.columns.items():
        raw_columns[name] = pd.Series(
            [row[index] if index < len(row) else "" for row in data_rows],
            index=excel_rows,
            dtype=object,
        )

    keep, row_problems = classify_rows(raw_columns, data_rows, excel_rows, schema, lang, where)
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
        parsed = _parse(column.type, values, match.columns[column.name][0] in formatted)
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
            blank = is_blank(values)
            for position in values.index[blank.to_numpy()]:
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
    return TableRead(frame, problems, raw, chosen.name, match, headers)


def _parse(kind: str, values: pd.Series, formatted_percent: bool) -> ParsedColumn:
    if kind == "date":
        return parse_date_column(values)
    if kind in ("number", "money"):
        return parse_number_column(values)
    if kind == "percent":
        return parse_percent_column(values, formatted_percent)
    if kind == "bool":
        return parse_bool_column(values)
    return parse_text_column(values)


def _empty_column(kind: str, index: pd.Index) -> pd.Series:
    if kind == "date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    if kind in ("number", "money", "percent"):
        return pd.Series(float("nan"), index=index, dtype=float)
    if kind == "bool":
        return pd.Series(False, index=index, dtype=bool)
    return pd.Series(pd.NA, index=index, dtype="str")


def classify_rows(
    raw_columns: dict[str, pd.Series],
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
    blank = pd.DataFrame({name: is_blank(series) for name, series in raw_columns.items()})
    all_blank = blank.all(axis=1)
    keep = ~all_blank

    label_total = pd.Series(False, index=excel_rows)
    for name in schema.label_columns:
        if name in raw_columns:
            label_total |= raw_columns[name].map(
                lambda v: isinstance(v, str) and bool(TOTAL_LABEL.match(v))
            )
    required_present = [c.name for c in schema.required if c.name in raw_columns]
    required_gap = (
        blank[required_present].any(axis=1) if required_present else pd.Series(False, excel_rows)
    )

    offset = excel_rows.start
    for excel_row in excel_rows[(all_blank | required_gap | label_total).to_numpy()]:
        cells = [c for c in (cell_text(v) for v in data_rows[excel_row - offset]) if c]
        if not cells:
            continue
        first = cells[0]
        if label_total[excel_row] or TOTAL_LABEL.match(first):
            keep[excel_row] = False
            problems.append(
                make_problem(
                    "warning", "totals_row", lang, row=int(excel_row), value=first, **where
                )
            )
        elif len(cells) == 1:
            keep[excel_row] = False
            problems.append(
                make_problem("warning", "note_row", lang, row=int(excel_row), value=first, **where)
            )
    return keep, problems


def raise_if_errors(problems: list[Problem]) -> None:
    if any(p.is_error for p in problems):
        raise LoadError(sort_problems(problems))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))
