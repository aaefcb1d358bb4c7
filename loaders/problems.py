"""The one shape of every problem a user sees, and the result/exception that carry them.

Like frictionless-py: a problem is a structured object (code, message, sheet, row, column,
value); rows are numbered as Excel shows them (1-based, header and title rows counted).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

from i18n import translate

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
    **params: Any,
) -> Problem:
    """Build a problem whose message comes from the ``problem.<code>`` translation."""
    shown_value = None if value is None else _show_value(value)
    params = {"sheet": sheet, "row": row, "column": column, "value": shown_value, **params}
    message = translate(f"problem.{code}", lang, **params)
    return Problem(severity, code, message, sheet, row, column, shown_value, file, params)


def _show_value(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


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
    #: the status date a title row declares (``Situation au 20/11/2026``), if any
    declared_date: pd.Timestamp | None = None


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table (severity, sheet, row, column, value, message), errors first."""
    columns = ["severity", "code", "sheet", "row", "column", "value", "message"]
    if not problems:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame([p.as_dict() for p in problems])[columns]
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({"error": 0, "warning": 1})
    return frame.assign(_o=order).sort_values(["_o", "row"], kind="stable").drop(columns="_o")
