"""Draw ``views/`` specs with Streamlit: a table (numbers stay numbers, so a money column
sorts by amount; the text shown comes from the column's kind), a row of headline figures, a
verdict sentence, a CSV download of a table. Pages call these and decide nothing else."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from exports.safe_csv import table_csv_bytes
from exports.xlsx_tables import spec_frame
from ui.access import download_button
from ui.markdown_text import plain
from ui.shared import lang
from views.format import figure_text, format_value
from views.spec import Figure, Table, Verdict

HIGHLIGHT_CSS = "background-color: #FDEBD0"
#: an Excel character is about 7 px in Streamlit's grid
PIXELS_PER_CHARACTER = 7.5
#: rows a grid draws: beyond, the first ones and a caption saying so, every row in the table's
#: CSV and in the workbook. The grid's Styler formats each cell in Python (the reader's money
#: and dates) at some 30 µs a cell and refuses more than 262 144 cells: a ledger of 100 000
#: décomptes took seconds on every rerun and then failed; 200 rows of 13 columns are 0,08 s.
SCREEN_ROWS = 200
#: the tallest a grid is drawn (a header and 20 rows), whatever height a page asks for
MAX_GRID_PX = 38 + 35 * 20
_ALERTS = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}


def screen_frame(table: Table) -> pd.DataFrame:
    """The frame a page hands to ``st.dataframe``: the table's typed values, its columns in
    order (the same values the workbook writes; a test compares them). Excel row tuples are
    drawn ``52–60`` as in the workbook: the grid would show a tuple as a list of chips."""
    return spec_frame(table)


def _styler(table: Table, language: str):
    frame = screen_frame(table)
    formats = {
        column.id: (
            lambda value, kind=column.kind, missing=column.missing_text: format_value(
                value, kind, language, missing=missing or "—", yes_no=table.yes_no
            )
        )
        for column in table.columns
        if column.kind != "rows"  # already drawn 52–60 by screen_frame
    }
    styler = frame.style.format(formats, na_rep="—")
    if table.highlight is not None and any(table.highlight):
        flags = list(table.highlight)
        styler = styler.apply(
            lambda row: [HIGHLIGHT_CSS if flags[row.name] else ""] * len(row), axis=1
        )
    return styler


def display_frame(table: Table) -> pd.DataFrame:
    """The table as the reader reads it, every cell text in the reader's format, headed by
    the column labels: for ``st.table`` (a report printed whole, not a grid to sort)."""
    language = lang()
    frame = screen_frame(table)
    shown = {
        column.label: [
            format_value(v, column.kind, language, missing="", yes_no=table.yes_no)
            for v in frame[column.id].tolist()
        ]
        for column in table.columns
    }
    return pd.DataFrame(shown, dtype="str")


def show_static_table(table: Table, *, height: int | str = "content") -> None:
    """A report table drawn whole (``st.table``), its errors highlighted."""
    frame = display_frame(table)
    if table.highlight is not None and any(table.highlight):
        flags = list(table.highlight)
        frame = frame.style.apply(
            lambda row: [HIGHLIGHT_CSS if flags[row.name] else ""] * len(row), axis=1
        )
    st.table(frame, hide_index=True, height=height)


def column_config(table: Table) -> dict:
    """Header labels, help and widths of the table's columns for ``st.dataframe``."""
    config = {}
    for column in table.columns:
        width = int(column.width * PIXELS_PER_CHARACTER) if column.width else None
        config[column.id] = st.column_config.Column(
            plain(column.label), help=plain(column.help) if column.help else None, width=width
        )
    return config


#: items of a list (alerts, suggestions) drawn at once; the others on request: a large
#: programme has hundreds of overdue décomptes, each an alert
ITEMS_SHOWN = 10


def first_items(items: Sequence, key: str, label_key: str) -> Sequence:
    """``items``, or when there are more than ``ITEMS_SHOWN`` the first of them and a toggle
    (``label_key``, with ``count`` and ``more``) that shows them all."""
    from i18n import translate

    if len(items) <= ITEMS_SHOWN:
        return items
    every = st.toggle(
        translate(label_key, lang(), count=len(items), more=len(items) - ITEMS_SHOWN), key=key
    )
    return items if every else items[:ITEMS_SHOWN]


def first_rows(table: Table, rows: int) -> Table:
    """The table cut to its first ``rows`` rows (their highlights with them)."""
    if len(table) <= rows:
        return table
    highlight = None if table.highlight is None else tuple(table.highlight[:rows])
    return dataclasses.replace(table, frame=table.frame.iloc[:rows], highlight=highlight)


def show_table(
    table: Table,
    *,
    height: int | str = "auto",
    download: bool | None = None,
    key: str | None = None,
    max_rows: int = SCREEN_ROWS,
) -> None:
    """The table's title is left to the page (a subheader, an expander label); its caption is
    drawn under it; an empty table shows its ``empty_text`` instead. A table longer than
    ``max_rows`` shows its first rows, says so, and offers them all as CSV (``download``
    None: only then; True: always; False: never, the page offers the CSV itself)."""
    from i18n import translate
    from i18n.format import format_number

    language = lang()
    if len(table) == 0:
        if table.empty_text:
            st.info(plain(table.empty_text), icon=":material/info:")
        return
    shown = first_rows(table, max_rows)
    if isinstance(height, int):  # a grid as tall as its rows, up to 20 of them: then it scrolls
        height = min(height, MAX_GRID_PX)
    st.dataframe(
        _styler(shown, language),
        column_config=column_config(table),
        hide_index=True,
        width="stretch",
        height=height,
        # Streamlit draws a missing cell as "None" whatever the Styler says: a dash instead
        placeholder="—",
        key=key or f"{table.key}.table",
    )
    if table.caption:
        st.caption(plain(table.caption))
    if len(shown) < len(table):
        st.caption(
            translate(
                "views.first_rows",
                language,
                count=len(shown),
                total=format_number(len(table), language),
            )
        )
        download = True if download is None else download
    if download:
        download_table(table)


def download_table(table: Table, label: str | None = None) -> None:
    """A CSV of the table, from the same spec (French Excel separators, no live formula)."""
    from i18n import translate

    language = lang()
    download_button(
        label or translate("views.download_csv", language),
        document=f"{table.title} (CSV)",
        data=lambda: table_csv_bytes(table, language),  # written when clicked
        file_name=f"{table.file_stem or table.key}.csv",
        mime="text/csv",
        key=f"{table.key}.csv",
        icon=":material/download:",
    )


def show_figure(column, figure: Figure, chart: Sequence[float] | None = None) -> None:
    """One ``st.metric`` for a figure: value, its signed change (arrow and colour; a grey
    ``±0`` when nothing moved) or else its detail line as a neutral delta, help, and an
    optional line of its past values (``chart``)."""
    from views.key_figures import change_text

    language = lang()
    help_text = figure.help
    if figure.delta is not None and figure.delta_kind:
        delta = change_text(figure.delta, figure.delta_kind, language)
        unchanged = delta.startswith("±")
        color = "off" if unchanged else figure.delta_color
        arrow = "off" if unchanged else "auto"
        help_text = f"{figure.help}  \n{figure.detail}".strip() if figure.detail else figure.help
    elif figure.detail:
        # a detail is neutral unless the figure gives it a colour (a margin, a shortfall)
        delta, color, arrow = plain(figure.detail), figure.delta_color, "off"
    else:
        delta, color, arrow = None, "normal", "auto"
    column.metric(
        plain(figure.label),
        figure_text(figure, lang()),
        delta=delta,
        delta_color=color,
        delta_arrow=arrow,
        help=plain(help_text) if help_text else None,
        chart_data=list(chart) if chart else None,
    )


def show_figures(
    figures: Sequence[Figure],
    per_row: int | None = None,
    *,
    charts: Mapping[str, Sequence[float]] | None = None,
    border: bool = False,
) -> None:
    """Figures in rows of ``per_row`` columns (all on one row by default); ``charts`` maps a
    figure's key to the line of its past values."""
    figures = list(figures)
    per_row = per_row or max(len(figures), 1)
    for start in range(0, len(figures), per_row):
        columns = st.columns(per_row, border=border)
        for column, figure in zip(columns, figures[start : start + per_row], strict=False):
            show_figure(column, figure, (charts or {}).get(figure.key))


def show_verdict(verdict: Verdict) -> None:
    """A verdict sentence in the alert box of its level (the text is shown literally)."""
    _ALERTS[verdict.level](plain(verdict.text), icon=verdict.icon or None)
