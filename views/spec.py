"""The shapes every renderer draws: a headline figure, a verdict sentence, a table spec.

A view function (``views.<page>``) computes these once from the domain's overviews and the
reader's language; the Streamlit pages, the Excel workbook and the CSV downloads draw them
without deciding anything of their own. Values stay typed (floats, ``pd.Timestamp``, ints):
a money column sorts by amount on screen and is a number cell in Excel; its display format
comes from its ``kind``, through ``views.format.format_value``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

#: how a value is shown. money: MAD with centimes; millions: MAD in millions (``14,29 MDH``);
#: percent: a ratio (0.456 -> 45,6 %); ratio: a plain number with 2 decimals (CPI 1,04);
#: days: whole days; int / count: whole numbers; number: one decimal; area: m² with 2
#: decimals; date: dd/mm/yyyy; bool: Oui / Non; rows: a tuple of Excel row numbers (52–60);
#: text: as typed, never interpreted
Kind = Literal[
    "text",
    "money",
    "millions",
    "percent",
    "ratio",
    "days",
    "int",
    "count",
    "number",
    "area",
    "date",
    "bool",
    "rows",
]
Level = Literal["success", "info", "warning", "error"]


@dataclass(frozen=True)
class Figure:
    """One headline figure: its typed value and kind, the label and help already translated,
    and a second line (the exact amount, what it is measured against, or why it is missing)."""

    key: str
    label: str
    value: Any
    kind: Kind
    help: str = ""
    detail: str = ""
    #: a change or comparison shown under the value (typed, with its own kind)
    delta: Any = None
    delta_kind: Kind | None = None
    #: "normal": up is good, "inverse": up is bad, "off": neutral
    delta_color: Literal["normal", "inverse", "off"] = "off"
    #: why ``value`` is None (a ``tracking.unavailable`` code); ``detail`` holds its sentence
    reason: str | None = None
    #: the value's text as the page shows it when it is not ``format_value(value, kind)``
    #: (a short form such as ``14,29 MDH`` for a metric); the workbook keeps the typed value
    shown: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A sentence with its level (success / info / warning / error) and an icon name."""

    text: str
    level: Level = "info"
    icon: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a table: the frame's column id, its header (translated), how its values
    are shown and how wide it is (in Excel characters; the page scales it)."""

    id: str
    label: str
    kind: Kind = "text"
    width: float | None = None
    help: str = ""
    #: shown (as text) where a value is missing: why a rate cannot be computed…
    missing_text: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as data: typed values in ``frame`` (one column per ``Column.id``), the columns
    to show in order, the rows to highlight (late tasks, lines over budget) and a caption."""

    key: str
    title: str
    frame: pd.DataFrame
    columns: tuple[Column, ...]
    #: one boolean per row of ``frame``: highlighted rows (``None``: none)
    highlight: tuple[bool, ...] | None = None
    caption: str = ""
    #: shown instead of the table when it has no rows
    empty_text: str = ""
    #: file name (without extension) of the CSV download
    file_stem: str = ""
    #: words a renderer needs for ``bool`` cells (Oui / Non)
    yes_no: tuple[str, str] = ("Oui", "Non")
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        missing = [c.id for c in self.columns if c.id not in self.frame.columns]
        if missing:
            raise ValueError(f"table {self.key!r}: no column {missing} in its frame")
        if self.highlight is not None and len(self.highlight) != len(self.frame):
            raise ValueError(f"table {self.key!r}: one highlight flag per row expected")

    @property
    def ids(self) -> list[str]:
        return [column.id for column in self.columns]

    @property
    def labels(self) -> list[str]:
        return [column.label for column in self.columns]

    def data(self) -> pd.DataFrame:
        """The shown columns, in order, typed, with a fresh 0..n-1 index."""
        return self.frame[self.ids].reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.frame)


def make_table(
    key: str,
    title: str,
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    highlight: pd.Series | Sequence[bool] | Callable[[pd.DataFrame], pd.Series] | None = None,
    **options: Any,
) -> Table:
    """A ``Table`` from a frame and its columns; ``highlight`` may be a boolean series, a list
    or a function of the frame (the rule, e.g. ``lambda f: f["delay_days"] > 0``)."""
    frame = frame.reset_index(drop=True)
    flags = None
    if callable(highlight):
        highlight = highlight(frame)
    if highlight is not None:
        flags = tuple(bool(flag) for flag in pd.Series(highlight).fillna(False).tolist())
    return Table(key, title, frame, tuple(columns), flags, **options)
