"""The loaders of each kind of table: the shared reading plus the rules of that kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from i18n.format import format_number
from loaders import outline, project_files
from loaders.limits import ReadLimits, resolve_limits
from loaders.links import lag_in_days, predecessor_items, read_link
from loaders.problems import LoadResult, Problem, ProblemLog
from loaders.reading import PROJECT_FORMATS, open_raw
from loaders.schema import BUDGET_LINES, CONTRACTS, FLOOR_AREAS, SCHEDULE, SPENDING, TableSchema
from loaders.tables import IS_AMENDMENT, SOURCE_ROW, TableRead, column_label, read_table
from loaders.values import DATED_CONSTRAINTS, constraint_code, day_text


def _finish(read: TableRead, check: _Checker, frame: pd.DataFrame, kind: str) -> LoadResult:
    check.log.raise_if_errors()
    return LoadResult(
        frame=frame,
        warnings=check.log.report(),
        kind=kind,
        sheet=read.sheet,
        header_row=read.header.excel_row if read.header else None,
        source_name=read.raw.name,
        columns_found=dict(read.headers),
        declared_date=read.declared_date,
    )


#: the largest lag written as a share of the predecessor's duration, either sign (see
#: ``_Checker.links``)
MAX_PERCENT_LAG = 1000


class _Checker:
    """Collects row-level problems with the file's own header text as the column."""

    def __init__(self, read: TableRead, schema: TableSchema, lang: str):
        self.read, self.schema, self.lang = read, schema, lang
        self.log: ProblemLog = read.log
        self.limits = read.limits

    @property
    def problems(self) -> list[Problem]:
        return self.log.problems

    @property
    def header_row(self) -> int | None:
        return self.read.header.excel_row if self.read.header else None

    def header(self, name: str) -> str:
        return self.read.headers.get(name) or column_label(self.schema, name, self.lang)

    def add(
        self,
        severity: str,
        code: str,
        rows: pd.Series | pd.Index | list,
        column: str | None,
        **params: Any,
    ) -> None:
        """``code`` on each of ``rows`` (frame positions), the column's value shown; the rows
        past the problem cap are only counted."""
        frame = self.read.frame
        rows = list(rows)
        room = self.log.room(severity)  # type: ignore[arg-type]
        for position in rows[:room]:
            row = int(frame.at[position, SOURCE_ROW])
            shown = None
            if column is not None and column in frame.columns:
                shown = frame.at[position, column]
                shown = None if pd.isna(shown) else shown
                if isinstance(shown, pd.Timestamp):
                    shown = day_text(shown)
            self.log.add(
                severity,  # type: ignore[arg-type]
                code,
                row=row,
                column=self.header(column) if column else None,
                value=shown,
                **params,
            )
        self.log.skip(severity, len(rows) - room)  # type: ignore[arg-type]

    def generated_ids(self, id_column: str, prefix: str) -> pd.Series:
        frame = self.read.frame
        self.log.add(
            "warning",
            "generated_ids",
            row=self.header_row,
            column=column_label(self.schema, id_column, self.lang),
        )
        return pd.Series(
            [f"{prefix}{row}" for row in frame[SOURCE_ROW].tolist()], index=frame.index, dtype="str"
        )

    def refuse_empty(self, code: str) -> None:
        """A table whose header has no record under it is refused (``code`` says what is
        missing: no task, no space…), with the header's row."""
        if self.read.frame.empty:
            self.log.add("error", code, row=self.header_row)

    def not_after_today(self, column: str, code: str, severity: str = "error") -> None:
        """Dates of ``column`` after ``limits.today``: ``code`` on each row."""
        frame = self.read.frame
        tomorrow = pd.Timestamp(self.limits.today + dt.timedelta(days=1))
        future = frame[column].notna() & (frame[column] >= tomorrow)
        self.add(severity, code, frame.index[future], column, today=day_text(self.limits.today))

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

    def links(self) -> None:
        """Every item of the ``Prédécesseurs`` column can be read and its lag is within
        ``limits.max_lag_days``. An id that names no task is left to the critical path method,
        which reports it on the Planning page (``unknown_predecessor``), as before.

        The bound is on the lag in days, roughly: weeks × 5, hours ÷ 8, elapsed days as days,
        elapsed weeks × 7 (``loaders.links.lag_in_days`` with MS Project's defaults; the
        calendar's exact figures are the critical path's business). A percentage of the
        predecessor's duration is bounded at ±1 000 %: beyond ten times the predecessor's
        length it is a typing slip, and a lag of the predecessor's duration is itself bounded
        by the date window.
        """
        frame = self.read.frame
        column = SCHEDULE.predecessors
        if column not in self.read.headers:
            return
        known = set(frame[SCHEDULE.task_id].dropna().tolist())
        limit = self.limits.max_lag_days
        texts = frame[column].tolist()  # one conversion (reading cells by .iat costs more)
        for position, text in enumerate(texts):
            if text is None or text is pd.NA:
                continue
            for item in predecessor_items(text):
                link = read_link(item, known)
                if link is None:
                    self._link_problem(position, "bad_link", item)
                elif link.unit == "%":
                    if abs(link.lag) > MAX_PERCENT_LAG:
                        self._link_problem(
                            position, "percent_lag_too_large", item, limit=MAX_PERCENT_LAG
                        )
                elif abs(days := lag_in_days(link).days) > limit:
                    self._link_problem(position, "lag_too_large", item, lag=days, limit=limit)

    def _link_problem(self, position: int, code: str, item: str, **params: Any) -> None:
        params = {name: format_number(value, self.lang) for name, value in params.items()}
        self.log.add(
            "error",
            code,
            row=int(self.read.frame.at[position, SOURCE_ROW]),
            column=self.header(SCHEDULE.predecessors),
            value=item,
            **params,
        )

    def constraints(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``constraint_type`` as the contract's codes (``values.constraint_code``: MS
        Project's French and English names, Primavera's); a text that names no constraint is an
        error, and so is a constraint that needs a date (all but ASAP and ALAP) without one in
        ``constraint_date``. A blank type is ASAP and stays blank."""
        column = SCHEDULE.constraint_type
        if column not in self.read.headers:
            return frame
        texts = frame[column].tolist()
        codes = [None if text is None or text is pd.NA else constraint_code(text) for text in texts]
        unknown = [
            position
            for position, (text, code) in enumerate(zip(texts, codes, strict=True))
            if isinstance(text, str) and code is None
        ]
        self.add("error", "unknown_constraint", unknown, column)
        dates = frame[SCHEDULE.constraint_date]
        undated = [
            position
            for position, code in enumerate(codes)
            if code in DATED_CONSTRAINTS and pd.isna(dates.iat[position])
        ]
        self.add(
            "error",
            "constraint_without_date",
            undated,
            column,
            date_column=self.header(SCHEDULE.constraint_date),
        )
        frame = frame.copy()
        frame[column] = pd.Series(codes, index=frame.index, dtype="str")
        return frame

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
    """The works schedule: one row per task, milestone or summary (see ``SCHEDULE`` for the
    columns), from a spreadsheet or a planning-software file (MS Project, Primavera…)."""
    limits = resolve_limits(limits, max_bytes)
    raw = open_raw(source, lang=lang, limits=limits)
    if raw.format in PROJECT_FORMATS:
        return project_files.load_project_schedule(raw, lang=lang, limits=limits)
    read = read_table(raw, SCHEDULE, sheet=sheet, lang=lang, limits=limits)
    check = _Checker(read, SCHEDULE, lang)
    check.refuse_empty("no_task")
    frame = read.frame
    wbs_ids = outline.wbs_task_ids(frame) if SCHEDULE.wbs in read.headers else None
    if SCHEDULE.task_id in read.headers:
        check.required_ids(SCHEDULE.task_id)
        check.unique_ids(SCHEDULE.task_id)
    elif wbs_ids is not None:  # an export whose rows are named by their WBS code (1, 1.1, 1.2)
        frame[SCHEDULE.task_id] = wbs_ids
    else:
        frame[SCHEDULE.task_id] = check.generated_ids(SCHEDULE.task_id, "L")

    # summary rows (a lot, a phase) from an outline level, a WBS code or a summary column
    frame = outline.complete_outline(frame, read.headers, check)
    frame = check.constraints(frame)

    percent = SCHEDULE.percent_complete
    if percent not in read.headers:
        check.log.add("warning", "no_progress_column", column=column_label(SCHEDULE, percent, lang))
    out_of_range = frame[percent].notna() & ~frame[percent].between(0, 100)
    check.add("error", "percent_out_of_range", frame.index[out_of_range], percent)
    frame[percent] = frame[percent].fillna(0.0)

    check.order(SCHEDULE.start, SCHEDULE.finish, "finish_before_start")
    check.order(SCHEDULE.baseline_start, SCHEDULE.baseline_finish, "finish_before_start")
    check.order(SCHEDULE.actual_start, SCHEDULE.actual_finish, "finish_before_start")
    check.not_after_today(SCHEDULE.actual_start, "future_actual_date")
    check.not_after_today(SCHEDULE.actual_finish, "future_actual_date")
    check.links()
    return _finish(read, check, frame, SCHEDULE.kind)


def load_spending(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The décomptes / payments ledger: one row per amount issued (see ``SPENDING``).

    A header with no row under it is a valid ledger: no décompte issued yet. A payment date
    after today is refused (a payment is a fact); an issue date after today is only a warning,
    since a décompte is drafted, dated and circulated for signature before the day it is
    issued, and the person importing it may be the one preparing it.
    """
    read = read_table(source, SPENDING, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, SPENDING, lang)
    frame = read.frame
    check.order(SPENDING.date, SPENDING.paid_date, "paid_before_issued")
    check.not_after_today(SPENDING.paid_date, "future_actual_date")
    check.not_after_today(SPENDING.date, "future_issue_date", "warning")
    retention = SPENDING.retention
    too_much = (
        frame[retention].notna()
        & frame[SPENDING.amount].notna()
        & (frame[retention].abs() > frame[SPENDING.amount].abs())
    )
    check.add("warning", "retention_above_amount", frame.index[too_much], retention)
    return _finish(read, check, frame, SPENDING.kind)


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
    check.refuse_empty("no_budget_line")
    frame = read.frame
    check.unique_ids(BUDGET_LINES.line_id)
    negative = frame[BUDGET_LINES.amount] < 0
    check.add("error", "negative_amount", frame.index[negative], BUDGET_LINES.amount)
    return _finish(read, check, frame, BUDGET_LINES.kind)


AMENDMENT_WORDS = ("avenant", "amendment", "change order")


def load_contracts(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """Contracts and amendments (engagements), one row per contract and budget line.

    A header with no row under it is a valid table: no contract signed yet (the first weeks of
    a project), 0 rows with the same columns and types as a filled one.
    """
    read = read_table(source, CONTRACTS, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, CONTRACTS, lang)
    frame = read.frame
    is_amendment = pd.Series(
        _names_amendment(frame[CONTRACTS.contract_type]) | frame[CONTRACTS.parent_id].notna(),
        index=frame.index,
        dtype=bool,
    )
    frame[IS_AMENDMENT] = is_amendment
    orphan = is_amendment & frame[CONTRACTS.parent_id].isna()
    check.add("error", "amendment_without_parent", frame.index[orphan], CONTRACTS.parent_id)
    known = set(frame.loc[~is_amendment, CONTRACTS.contract_id].dropna())
    unknown = (
        is_amendment & frame[CONTRACTS.parent_id].notna() & ~frame[CONTRACTS.parent_id].isin(known)
    )
    check.add("error", "unknown_parent_contract", frame.index[unknown], CONTRACTS.parent_id)
    return _finish(read, check, frame, CONTRACTS.kind)


def _names_amendment(kinds: pd.Series) -> np.ndarray:
    """Which contract types say "avenant" (any case): a plain bool array, whatever the
    column's dtype (an all-blank or empty ``str`` column has no ``.str`` results to ``|``)."""
    return np.fromiter(
        (isinstance(k, str) and any(w in k.lower() for w in AMENDMENT_WORDS) for k in kinds),
        dtype=bool,
        count=len(kinds),
    )


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
    check.refuse_empty("no_space")
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
    return _finish(read, check, frame, FLOOR_AREAS.kind)


LOADERS = {
    SCHEDULE.kind: load_schedule,
    SPENDING.kind: load_spending,
    BUDGET_LINES.kind: load_budget_lines,
    CONTRACTS.kind: load_contracts,
    FLOOR_AREAS.kind: load_floor_areas,
}
