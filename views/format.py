"""One way to show a typed value for its kind, in the reader's language: the page's tables and
figures, the CSV's text columns and the sentences all go through ``format_value``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from i18n import translate
from i18n.format import (
    format_date,
    format_millions,
    format_money,
    format_number,
    format_percent,
)
from views.spec import Kind

DASH = "—"


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or an infinite float: nothing to show as a number."""
    if value is None:
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    if isinstance(value, tuple | list):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def compress_rows(rows: Iterable[Any]) -> str:
    """Excel row numbers as the user reads them: ``52–60, 64``."""
    numbers = sorted({int(r) for r in rows if not is_missing(r)})
    parts: list[str] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = number
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}–{previous}")
    return ", ".join(parts)


def figure_text(figure, lang: str) -> str:
    """The big text of a headline figure, the same on screen, in the note and on the slides:
    its short form when it has one (``14,77 MDH``), else its value formatted for its kind."""
    if figure.shown is not None:
        return figure.shown
    return format_value(figure.value, figure.kind, lang)


def join_list(items: Iterable[Any], lang: str) -> str:
    """Items of a sentence's list with the language's separator (``, `` / Arabic ``، ``)."""
    return translate("format.list_separator", lang).join(str(item) for item in items)


def format_value(
    value: Any,
    kind: Kind,
    lang: str,
    *,
    currency: str = "MAD",
    missing: str = DASH,
    yes_no: tuple[str, str] | None = None,
) -> str:
    """``value`` as the reader sees it: ``15 200 000,00 MAD``, ``45,6 %``, ``18/01/2027``,
    ``+33 j``… A missing value is ``missing`` (a dash), never ``None`` or ``nan``."""
    if kind == "rows":
        text = compress_rows(value) if isinstance(value, Iterable) else ""
        return text or missing
    if is_missing(value):
        return missing
    if kind == "text":
        return str(value)
    if kind == "money":
        return format_money(value, lang, currency, 2)
    if kind == "millions":
        return format_millions(value, lang, 2)
    if kind == "percent":
        return format_percent(value, lang)
    if kind == "ratio":
        return format_number(value, lang, 2)
    if kind == "days":
        return translate("format.days", lang, count=int(round(float(value))))
    if kind in ("int", "count"):
        return format_number(int(round(float(value))), lang, 0)
    if kind == "number":
        return format_number(value, lang, 1)
    if kind == "area":
        return f"{format_number(value, lang, 2)}\u00a0m²"
    if kind == "date":
        if isinstance(value, str):
            return value
        if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
            return format_date(value, lang)
        return str(value)
    if kind == "bool":
        yes, no = yes_no or (translate("format.yes", lang), translate("format.no", lang))
        return yes if bool(value) else no
    return str(value)


def signed_days(value: Any, lang: str) -> str:
    """A delay with its sign: ``+33 j`` / ``−4 j`` / ``0 j``."""
    if is_missing(value):
        return DASH
    days = int(round(float(value)))
    sign = "+" if days > 0 else ("−" if days < 0 else "")
    return sign + translate("format.days", lang, count=abs(days))
