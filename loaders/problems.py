"""The one shape of every problem a user sees, and the result/exception that carry them.

Like frictionless-py: a problem is a structured object (code, message, sheet, row, column,
value); rows are numbered as Excel shows them (1-based, header and title rows counted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from i18n import translate
from i18n.format import format_number

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    file: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: the task a problem of a planning-software file is about (its id), instead of a row
    task: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self, lang: str) -> Problem:
        """The same problem with its message in another language."""
        message = translate(f"problem.{self.code}", lang, **self.params)
        return Problem(
            self.severity,
            self.code,
            message,
            self.sheet,
            self.row,
            self.column,
            self.value,
            self.file,
            self.params,
            self.task,
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("params")
        return data


def make_problem(
    severity: Severity,
    code: str,
    lang: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    file: str | None = None,
    task: str | None = None,
    **params: Any,
) -> Problem:
    """Build a problem whose message comes from the ``problem.<code>`` translation; ``task``
    (a planning-software file's task id) is both a field and a parameter of the message."""
    shown_value = None if value is None else _show_value(value)
    params = {"sheet": sheet, "row": row, "column": column, "value": shown_value, **params}
    if task is not None:
        params["task"] = task
    message = translate(f"problem.{code}", lang, **params)
    return Problem(severity, code, message, sheet, row, column, shown_value, file, params, task)


def _show_value(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then by sheet and row (problems of the whole file before rows)."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))


class ProblemLog:
    """The problems of one table, cheap to collect on a file where every row is wrong.

    At most ``limit`` problems of each severity are built (translated, formatted); beyond that
    they are only counted. ``report()`` lists the first ``limit`` problems, errors first, then one
    ``more_problems`` problem saying how many were found and not listed. A file with a million
    bad cells is refused with a report of a few hundred lines, in the time it takes to read it.
    """

    def __init__(self, lang: str, limit: int, **where: Any):
        self.lang = lang
        self.limit = max(int(limit), 1)
        self.where = where
        self._kept: dict[str, list[Problem]] = {"error": [], "warning": []}
        self._skipped = {"error": 0, "warning": 0}

    def room(self, severity: Severity) -> int:
        """How many more problems of ``severity`` will be listed."""
        return max(self.limit - len(self._kept[severity]), 0)

    def add(self, severity: Severity, code: str, **fields: Any) -> None:
        """One problem, with the table's file and sheet unless ``fields`` name others."""
        if self.room(severity):
            made = make_problem(severity, code, self.lang, **{**self.where, **fields})
            self._kept[severity].append(made)
        else:
            self._skipped[severity] += 1

    def add_rows(self, severity: Severity, code: str, rows: Iterable[int], **fields: Any) -> None:
        """The same problem on each of ``rows`` (Excel numbers); rows past the cap are counted."""
        rows = list(rows)
        room = self.room(severity)
        for row in rows[:room]:
            self.add(severity, code, row=int(row), **fields)
        self.skip(severity, len(rows) - room)

    def skip(self, severity: Severity, count: int) -> None:
        """Count ``count`` problems of ``severity`` found and not built (past the cap)."""
        self._skipped[severity] += max(int(count), 0)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Problems built elsewhere (the header check of another table), under the same cap."""
        for problem in problems:
            if self.room(problem.severity):
                self._kept[problem.severity].append(problem)
            else:
                self._skipped[problem.severity] += 1

    @property
    def has_errors(self) -> bool:
        return bool(self._kept["error"] or self._skipped["error"])

    @property
    def problems(self) -> list[Problem]:
        """Every problem built so far, errors first (no summary line)."""
        return sort_problems(self._kept["error"] + self._kept["warning"])

    def report(self) -> list[Problem]:
        """The problems to show: the first ``limit``, errors first, plus how many more."""
        ordered = self.problems
        listed = ordered[: self.limit]
        unlisted = len(ordered) - len(listed) + sum(self._skipped.values())
        if not unlisted:
            return listed
        errors_unlisted = self._skipped["error"] or any(p.is_error for p in ordered[self.limit :])
        listed.append(
            make_problem(
                "error" if errors_unlisted else "warning",
                "more_problems",
                self.lang,
                count=format_number(unlisted, self.lang),
                limit=self.limit,
                **self.where,
            )
        )
        return listed

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise LoadError(self.report())


class LoadError(Exception):
    """Raised when a file cannot be accepted; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = errors[0].message if errors else "load error"
        super().__init__(f"{len(errors)} error(s): {first}")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class LoadResult:
    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    kind: str = ""
    sheet: str | None = None
    header_row: int | None = None
    source_name: str | None = None
    #: column name in the file for each canonical column that was found
    columns_found: dict[str, str] = field(default_factory=dict)
    #: the status date a title row declares (``Situation au 20/11/2026``), if any; a
    #: planning-software file's status / data date
    declared_date: pd.Timestamp | None = None
    #: the other tables a file brings with its own (a project file's ``"calendars"``,
    #: ``loaders.schema.CALENDARS``); empty for a spreadsheet
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def problem_line(problem: Problem, lang: str) -> str:
    """One problem as a line of a terminal report: severity, ``[sheet] L<row>``, message."""
    where = " ".join(
        part
        for part in (
            f"[{problem.sheet}]" if problem.sheet else "",
            f"L{problem.row}" if problem.row else "",
        )
        if part
    )
    label = translate(f"severity.{problem.severity}", lang)
    return f"{label:>14} {where:<18} {problem.message}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table (severity, sheet, row, column, value, message), errors first."""
    columns = ["severity", "code", "sheet", "row", "column", "value", "message"]
    if not problems:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([p.as_dict() for p in problems])[columns]
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({"error": 0, "warning": 1})
    return frame.assign(_o=order).sort_values(["_o", "row"], kind="stable").drop(columns="_o")
