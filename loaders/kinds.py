"""The loaders of each kind of table: the shared reading plus the rules of that kind."""

from __future__ import annotations

from typing import Any

import pandas as pd

from loaders.limits import ReadLimits
from loaders.problems import LoadResult, Problem, make_problem
from loaders.schema import BUDGET_LINES, CONTRACTS, FLOOR_AREAS, SCHEDULE, SPENDING, TableSchema
from loaders.tables import (
    SOURCE_ROW,
    TableRead,
    column_label,
    raise_if_errors,
    read_table,
    sort_problems,
)


def _finish(read: TableRead, problems: list[Problem], frame: pd.DataFrame, kind: str) -> LoadResult:
    raise_if_errors(problems)
    return LoadResult(
        frame=frame,
        warnings=sort_problems(problems),
        kind=kind,
        sheet=read.sheet,
        header_row=read.header.excel_row if read.header else None,
        source_name=read.raw.name,
        columns_found=dict(read.headers),
        declared_date=read.declared_date,
    )


class _Checker:
    """Collects row-level problems with the file's own header text as the column."""

    def __init__(self, read: TableRead, schema: TableSchema, lang: str):
        self.read, self.schema, self.lang = read, schema, lang
        self.problems: list[Problem] = list(read.problems)
        self.where = {"file": read.raw.name, "sheet": read.sheet}

    def header(self, name: str) -> str:
        return self.read.headers.get(name) or column_label(self.schema, name, self.lang)

    def add(
        self, severity: str, code: str, rows: pd.Series | list, column: str | None, **params: Any
    ):
        frame = self.read.frame
        for position in rows:
            row = int(frame.at[position, SOURCE_ROW])
            shown = None
            if column is not None and column in frame.columns:
                shown = frame.at[position, column]
                shown = None if pd.isna(shown) else shown
                if isinstance(shown, pd.Timestamp):
                    shown = shown.strftime("%d/%m/%Y")
            self.problems.append(
                make_problem(
                    severity,  # type: ignore[arg-type]
                    code,
                    self.lang,
                    row=row,
                    column=self.header(column) if column else None,
                    value=shown,
                    **params,
                    **self.where,
                )
            )

    def generated_ids(self, id_column: str, prefix: str) -> pd.Series:
        frame = self.read.frame
        self.problems.append(
            make_problem(
                "warning",
                "generated_ids",
                self.lang,
                row=self.read.header.excel_row if self.read.header else None,
                column=column_label(self.schema, id_column, self.lang),
                **self.where,
            )
        )
        return frame[SOURCE_ROW].map(lambda r: f"{prefix}{r}").astype("str")

    def unique_ids(self, id_column: str) -> None:
        frame = self.read.frame
        ids = frame[id_column]
        duplicated = ids.notna() & ids.duplicated(keep=False)
        if not duplicated.any():
            return
        first_row = frame[duplicated].groupby(id_column)[SOURCE_ROW].transform("min")
        for position in frame.index[duplicated]:
            if frame.at[position, SOURCE_ROW] == first_row[position]:
                continue
            self.add(
                "error",
                "duplicate_id",
                [position],
                id_column,
                first_row=int(first_row[position]),
            )

    def required_ids(self, id_column: str) -> None:
        frame = self.read.frame
        self.add("error", "missing_value", frame.index[frame[id_column].isna()], id_column)

    def order(self, first: str, second: str, code: str) -> None:
        frame = self.read.frame
        bad = frame[first].notna() & frame[second].notna() & (frame[second] < frame[first])
        for position in frame.index[bad]:
            self.add(
                "error",
                code,
                [position],
                second,
                other_column=self.header(first),
                other_value=frame.at[position, first].strftime("%d/%m/%Y"),
            )


def load_schedule(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The works schedule: one row per task or milestone (see ``SCHEDULE`` for the columns)."""
    read = read_table(source, SCHEDULE, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, SCHEDULE, lang)
    frame = read.frame
    if SCHEDULE.task_id not in read.headers:
        frame[SCHEDULE.task_id] = check.generated_ids(SCHEDULE.task_id, "L")
    else:
        check.required_ids(SCHEDULE.task_id)
        check.unique_ids(SCHEDULE.task_id)

    percent = SCHEDULE.percent_complete
    if percent not in read.headers:
        check.problems.append(
            make_problem(
                "warning",
                "no_progress_column",
                lang,
                column=column_label(SCHEDULE, percent, lang),
                **check.where,
            )
        )
    out_of_range = frame[percent].notna() & ~frame[percent].between(0, 100)
    check.add("error", "percent_out_of_range", frame.index[out_of_range], percent)
    frame[percent] = frame[percent].fillna(0.0)

    check.order(SCHEDULE.start, SCHEDULE.finish, "finish_before_start")
    check.order(SCHEDULE.baseline_start, SCHEDULE.baseline_finish, "finish_before_start")
    check.order(SCHEDULE.actual_start, SCHEDULE.actual_finish, "finish_before_start")
    return _finish(read, check.problems, frame, SCHEDULE.kind)


def load_spending(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The décomptes / payments ledger: one row per amount issued (see ``SPENDING``)."""
    read = read_table(source, SPENDING, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, SPENDING, lang)
    frame = read.frame
    check.order(SPENDING.date, SPENDING.paid_date, "paid_before_issued")
    retention = SPENDING.retention
    too_much = (
        frame[retention].notna()
        & frame[SPENDING.amount].notna()
        & (frame[retention].abs() > frame[SPENDING.amount].abs())
    )
    check.add("warning", "retention_above_amount", frame.index[too_much], retention)
    return _finish(read, check.problems, frame, SPENDING.kind)


def load_budget_lines(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The budget lines that split the envelope (see ``BUDGET_LINES``)."""
    read = read_table(
        source, BUDGET_LINES, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits
    )
    check = _Checker(read, BUDGET_LINES, lang)
    frame = read.frame
    check.unique_ids(BUDGET_LINES.line_id)
    negative = frame[BUDGET_LINES.amount] < 0
    check.add("error", "negative_amount", frame.index[negative], BUDGET_LINES.amount)
    return _finish(read, check.problems, frame, BUDGET_LINES.kind)


AMENDMENT_WORDS = ("avenant", "amendment", "change order")


def load_contracts(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """Contracts and amendments (engagements), one row per contract and budget line."""
    read = read_table(source, CONTRACTS, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, CONTRACTS, lang)
    frame = read.frame
    kind_text = frame[CONTRACTS.contract_type].fillna("").str.lower()
    is_amendment = (
        kind_text.map(lambda k: any(w in k for w in AMENDMENT_WORDS))
        | frame[CONTRACTS.parent_id].notna()
    )
    frame["is_amendment"] = is_amendment.astype(bool)
    orphan = is_amendment & frame[CONTRACTS.parent_id].isna()
    check.add("error", "amendment_without_parent", frame.index[orphan], CONTRACTS.parent_id)
    known = set(frame.loc[~is_amendment, CONTRACTS.contract_id].dropna())
    unknown = (
        is_amendment & frame[CONTRACTS.parent_id].notna() & ~frame[CONTRACTS.parent_id].isin(known)
    )
    check.add("error", "unknown_parent_contract", frame.index[unknown], CONTRACTS.parent_id)
    return _finish(read, check.problems, frame, CONTRACTS.kind)


def load_floor_areas(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The room schedule: one row per space with its type and area (see ``FLOOR_AREAS``)."""
    read = read_table(
        source, FLOOR_AREAS, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits
    )
    check = _Checker(read, FLOOR_AREAS, lang)
    frame = read.frame
    if FLOOR_AREAS.space_id not in read.headers:
        frame[FLOOR_AREAS.space_id] = check.generated_ids(FLOOR_AREAS.space_id, "L")
    else:
        check.required_ids(FLOOR_AREAS.space_id)
        check.unique_ids(FLOOR_AREAS.space_id)
    area = frame[FLOOR_AREAS.area_m2]
    check.add("error", "negative_area", frame.index[area < 0], FLOOR_AREAS.area_m2)
    check.add("warning", "zero_area", frame.index[area == 0], FLOOR_AREAS.area_m2)
    seats = frame[FLOOR_AREAS.seats]
    check.add("error", "negative_number", frame.index[seats < 0], FLOOR_AREAS.seats)
    return _finish(read, check.problems, frame, FLOOR_AREAS.kind)


LOADERS = {
    SCHEDULE.kind: load_schedule,
    SPENDING.kind: load_spending,
    BUDGET_LINES.kind: load_budget_lines,
    CONTRACTS.kind: load_contracts,
    FLOOR_AREAS.kind: load_floor_areas,
}
