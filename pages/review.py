"""Revue hebdomadaire: what changed between two situations of the history (headline figures,
tasks, décomptes, contracts), and whether the key milestones are drifting week after week.

Each situation is rebuilt from its snapshots (``store.current``) and run through the same
``planning_overview`` / ``spending_overview`` as the Planning and Dépenses pages, cached on
its snapshot ids: a rerun recomputes nothing, a new import computes one new situation."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from charts.review import milestone_trend_figure
from exports.review_workbook import ChangeSheet, Col, SummaryRow, SummarySheet, changes_workbook
from exports.safe_csv import to_csv_bytes
from i18n.format import format_date, format_millions, format_money, format_number, format_percent
from loaders.schema import CONTRACTS, SCHEDULE, SPENDING
from store import Situation, resolve_db_path
from tracking.compare import (
    compare_ledgers,
    compare_schedules,
    milestone_trend,
    new_contracts,
)
from tracking.planning import planning_overview
from tracking.spending import spending_overview
from ui.navigation import require_app_navigation
from ui.shared import (
    lang,
    page_part,
    project_path,
    settings,
    situation_key,
    situation_tables,
    situations,
    tr,
)

require_app_navigation()

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the default reference situation is the latest one at least this much older
REVIEW_INTERVAL = dt.timedelta(days=7)
TABLE_ROW_PX, TABLE_HEADER_PX, TABLE_MAX_PX = 35, 38, 460
TREND_COLUMNS = ["status_date", SCHEDULE.task_id, SCHEDULE.name, SCHEDULE.baseline_finish,
                 "forecast_finish"]  # fmt: skip


def settings_key() -> tuple[str, int]:
    path = project_path()
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


# --- one situation's figures, cached on its snapshot ids ----------------------------------------


@st.cache_data(show_spinner=False, max_entries=512)
def situation_figures(db: str, key: tuple, settings_id: tuple) -> dict:
    """The headline figures of one situation and its milestones' forecasts (a plain dict:
    it is pickled by the cache)."""
    status_date, snapshot_ids = key
    tables = situation_tables(Situation(status_date, dict(snapshot_ids)))
    project = settings()
    schedule, budget = tables.frame("schedule"), tables.frame("budget")
    contracts, spending = tables.frame("contracts"), tables.frame("spending")
    figures: dict = dict.fromkeys(
        ("planned", "actual", "forecast_finish", "delay", "engaged", "issued", "paid", "rate")
    )
    figures["status_date"] = status_date
    figures["milestones"] = pd.DataFrame(columns=TREND_COLUMNS)
    planning = None
    if schedule is not None and len(schedule):
        planning = planning_overview(
            schedule, project, status_date, budget_lines=budget, contracts=contracts
        )
        figures.update(
            planned=planning.planned_percent,
            actual=planning.actual_percent,
            forecast_finish=planning.forecast.forecast_finish,
            delay=planning.forecast.delay_vs_contract_days,
            milestones=milestone_trend([(status_date, schedule, planning.tasks)]),
        )
    if budget is not None:
        money = spending_overview(
            budget, contracts, spending, project, status_date, schedule=schedule, planning=planning
        )
        totals = money.totals
        figures.update(
            engaged=totals.engaged,
            issued=totals.issued,
            paid=totals.paid,
            rate=totals.issue_rate,
        )
    return figures


@st.cache_data(show_spinner=False, max_entries=32)
def situation_changes(db: str, before_key: tuple, after_key: tuple) -> dict[str, pd.DataFrame]:
    """Tasks, décomptes and contract rows that changed between two situations (a table
    missing from the earlier one: every row of the later one is new)."""
    before = situation_tables(Situation(before_key[0], dict(before_key[1])))
    after = situation_tables(Situation(after_key[0], dict(after_key[1])))

    def pair(table: str) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        later = after.frame(table)
        if later is None:
            return None
        earlier = before.frame(table)
        return (later.iloc[:0] if earlier is None else earlier), later

    changes: dict[str, pd.DataFrame] = {}
    for name, table, compare in (
        ("tasks", "schedule", compare_schedules),
        ("ledger", "spending", compare_ledgers),
        ("contracts", "contracts", new_contracts),
    ):
        frames = pair(table)
        if frames is not None:
            changes[name] = compare(*frames)
    return changes


# --- formatting ---------------------------------------------------------------------------------


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def signed(value: float, text: str) -> str:
    """``+text`` / ``-text``: an ASCII minus, which st.metric reads as a fall."""
    return ("-" if value < 0 else "+") + text


def days_between(later, earlier) -> int | None:
    if missing(later) or missing(earlier):
        return None
    return int((pd.Timestamp(later) - pd.Timestamp(earlier)) / pd.Timedelta(days=1))


def percent_text(value) -> str:
    return "—" if missing(value) else format_percent(value / 100, language)


def points_text(delta: float) -> str:
    return signed(delta, tr("review.points", value=format_number(abs(delta), language, 1)))


def days_text(delta: int) -> str:
    return signed(delta, tr("review.days", value=abs(delta)))


def money_delta_text(delta: float) -> str:
    return signed(delta, format_money(abs(delta), language, decimals=0))


def millions_text(value) -> str:
    return "—" if missing(value) else format_millions(value, language, 2)


def delay_text(value) -> str:
    return "—" if missing(value) else tr("review.days_signed", value=f"{int(value):+d}")


def metric(
    column,
    label: str,
    value: str,
    delta: float | None,
    delta_text: str,
    *,
    color: str = "normal",
    chart: list | None = None,
    help_text: str | None = None,
) -> None:
    """A headline figure with its change: the arrow follows the sign, the colour says whether
    the change is good (``inverse`` where up is bad, ``off`` where it is neither); no change
    is a grey "±0" without an arrow."""
    chart = [c for c in chart or [] if not missing(c)] or None
    if delta is None:
        column.metric(label, value, help=help_text, chart_data=chart, delta_color="off")
    elif abs(delta) < 1e-9:
        column.metric(
            label,
            value,
            delta=tr("review.no_change", text=delta_text.lstrip("+-")),
            delta_color="off",
            delta_arrow="off",
            help=help_text,
            chart_data=chart,
        )
    else:
        column.metric(
            label, value, delta=delta_text, delta_color=color, help=help_text, chart_data=chart
        )


def before_after_help(formatter, before_value, after_value) -> str:
    return tr(
        "review.metric_help",
        before=format_date(before, language),
        after=format_date(after, language),
        before_value=formatter(before_value),
        after_value=formatter(after_value),
    )


def change_label(change: str) -> str:
    return tr(f"review.change.{change}")


def table_height(rows: int) -> int:
    return min(TABLE_HEADER_PX + TABLE_ROW_PX * max(rows, 1), TABLE_MAX_PX)


# --- the tables of changes ----------------------------------------------------------------------


def task_table(frame: pd.DataFrame) -> pd.DataFrame:
    """compare_schedules' frame as the reviewer reads it (largest slips first), the slip and
    the progress before the detail."""
    return pd.DataFrame(
        {
            "task_id": frame[SCHEDULE.task_id],
            "name": frame[SCHEDULE.name],
            "change": frame["change"].map(change_label),
            "shift_days": frame["finish_shift_days"],
            "finish_before": frame[f"{SCHEDULE.finish}_before"],
            "finish_after": frame[f"{SCHEDULE.finish}_after"],
            "percent_before": frame[f"{SCHEDULE.percent_complete}_before"],
            "percent_after": frame[f"{SCHEDULE.percent_complete}_after"],
            "percent_delta": frame["percent_delta"],
            "actual_start": frame[f"{SCHEDULE.actual_start}_after"],
            "actual_finish": frame[f"{SCHEDULE.actual_finish}_after"],
            "lot": frame[SCHEDULE.lot],
        }
    )


def ledger_table(frame: pd.DataFrame) -> pd.DataFrame:
    issued = frame[f"{SPENDING.date}_after"].fillna(frame[f"{SPENDING.date}_before"])
    return pd.DataFrame(
        {
            "reference": frame[SPENDING.reference],
            "contract_id": frame[SPENDING.contract_id],
            "budget_line": frame[SPENDING.budget_line],
            "payee": frame[SPENDING.payee],
            "change": frame["change"].map(change_label),
            "issued": issued,
            "amount_before": frame[f"{SPENDING.amount}_before"],
            "amount_after": frame[f"{SPENDING.amount}_after"],
            "amount_delta": frame["amount_delta"],
            "paid_date": frame[f"{SPENDING.paid_date}_after"],
            "newly_paid": frame["newly_paid"].astype(bool),
        }
    )


def contract_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": frame[CONTRACTS.contract_id],
            "contract_type": frame[CONTRACTS.contract_type],
            "parent_id": frame[CONTRACTS.parent_id],
            "payee": frame[CONTRACTS.payee],
            "budget_line": frame[CONTRACTS.budget_line],
            "amount": frame[CONTRACTS.amount],
            "signed_date": frame[CONTRACTS.signed_date],
            "object": frame[CONTRACTS.object],
            "is_amendment": frame["is_amendment"].astype(bool)
            if "is_amendment" in frame
            else False,
        }
    )


#: column -> kind (exports.xlsx_tables), for the screen, the CSV and the workbook
TABLE_KINDS = {
    "tasks": {
        "task_id": "text", "name": "text", "change": "text", "shift_days": "int",
        "finish_before": "date", "finish_after": "date",
        "percent_before": "number", "percent_after": "number", "percent_delta": "number",
        "actual_start": "date", "actual_finish": "date", "lot": "text",
    },
    "ledger": {
        "reference": "text", "contract_id": "text", "budget_line": "text", "payee": "text",
        "change": "text", "issued": "date", "amount_before": "money", "amount_after": "money",
        "amount_delta": "money", "paid_date": "date", "newly_paid": "bool",
    },
    "contracts": {
        "contract_id": "text", "contract_type": "text", "parent_id": "text", "payee": "text",
        "budget_line": "text", "amount": "money", "signed_date": "date", "object": "text",
        "is_amendment": "bool",
    },
}  # fmt: skip
TABLE_BUILDERS = {"tasks": task_table, "ledger": ledger_table, "contracts": contract_table}


def header(name: str) -> str:
    return tr(f"review.col.{name}")


#: text columns given a width on screen, so the figures to their right fit without scrolling
TEXT_WIDTHS = {"task_id": 50, "name": 200, "lot": 160, "reference": 90, "payee": 170,
               "object": 260, "change": 85}  # fmt: skip


def column_config(table: str) -> dict:
    config = {}
    for name, kind in TABLE_KINDS[table].items():
        title = header(name)
        if name in TEXT_WIDTHS:
            config[title] = st.column_config.TextColumn(title, width=TEXT_WIDTHS[name])
        elif kind == "date":
            config[title] = st.column_config.DateColumn(title, format="DD/MM/YYYY", width=105)
        elif kind == "money":
            config[title] = st.column_config.NumberColumn(title, format="localized")
        elif kind == "int" or name.endswith("_delta"):
            config[title] = st.column_config.NumberColumn(title, format="%+d", width=95)
        elif kind == "number":
            config[title] = st.column_config.NumberColumn(title, format="%.0f", width=75)
        elif kind == "bool":
            config[title] = st.column_config.CheckboxColumn(title)
    return config


def screen_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns=header)


def csv_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as the reader's Oui / Non; headers in the reader's language."""
    yes, no = tr("review.yes"), tr("review.no")
    booleans = [n for n, kind in TABLE_KINDS[table].items() if kind == "bool"]
    return frame.assign(**{n: frame[n].map(lambda v: yes if v else no) for n in booleans}).rename(
        columns=header
    )


# --- the page -----------------------------------------------------------------------------------

project = settings()
language = lang()
db = str(resolve_db_path())

st.title(tr("review.title"))
st.caption(tr("review.intro"))

history = situations()
if len(history) < 2:
    st.info(tr("review.need_two", count=len(history)), icon=":material/info:")
    st.stop()

by_date = {situation.status_date: situation for situation in history}
dates = sorted(by_date)
newest_first = list(reversed(dates))
latest = dates[-1]
reference_dates = [d for d in dates if d <= latest - REVIEW_INTERVAL] or dates[:-1]
picker_before, picker_after = st.columns(2)
before = picker_before.selectbox(
    tr("review.before"),
    options=newest_first,
    index=newest_first.index(reference_dates[-1]),
    format_func=lambda d: format_date(d, language),
    key="review.before",
    help=tr("review.before_help"),
)
after = picker_after.selectbox(
    tr("review.after"),
    options=newest_first,
    index=0,
    format_func=lambda d: format_date(d, language),
    key="review.after",
)
if before is None or after is None or before >= after:
    st.warning(tr("review.pick_order"), icon=":material/swap_horiz:")
    st.stop()

settings_id = settings_key()
shown_dates = [d for d in dates if d <= after]
with st.spinner(tr("review.computing")):
    figures = {
        d: situation_figures(db, situation_key(by_date[d]), settings_id) for d in shown_dates
    }
    changes = situation_changes(db, situation_key(by_date[before]), situation_key(by_date[after]))
old, new = figures[before], figures[after]
trend_of = {key: [figures[d][key] for d in shown_dates] for key in old if key != "milestones"}
tables = {name: TABLE_BUILDERS[name](frame) for name, frame in changes.items()}

# --- the verdict, in one sentence -----------------------------------------------------------------
with page_part("review.verdict"):
    finish_shift = days_between(new["forecast_finish"], old["forecast_finish"])
    if finish_shift is None:
        finish_phrase = tr("review.finish_unknown")
    elif finish_shift > 0:
        finish_phrase = tr(
            "review.finish_later",
            days=finish_shift,
            date=format_date(new["forecast_finish"], language),
        )
    elif finish_shift < 0:
        finish_phrase = tr(
            "review.finish_earlier",
            days=-finish_shift,
            date=format_date(new["forecast_finish"], language),
        )
    else:
        finish_phrase = tr("review.finish_same", date=format_date(new["forecast_finish"], language))
    task_rows = tables.get("tasks", pd.DataFrame())
    ledger_rows = tables.get("ledger", pd.DataFrame())
    contract_rows = tables.get("contracts", pd.DataFrame())
    progress_phrase = tr("review.progress_unknown")
    if not missing(new["actual"]) and not missing(old["actual"]):
        progress_phrase = tr(
            "review.progress_phrase",
            actual=points_text(new["actual"] - old["actual"]),
            planned=points_text(new["planned"] - old["planned"]),
        )
    verdict = tr(
        "review.verdict",
        before=format_date(before, language),
        after=format_date(after, language),
        progress=progress_phrase,
        finish=finish_phrase,
        tasks=len(task_rows),
        decomptes=len(ledger_rows),
        paid=int(ledger_rows["newly_paid"].sum()) if len(ledger_rows) else 0,
        contracts=len(contract_rows),
    )
    if finish_shift is not None and finish_shift > 0:
        st.warning(verdict, icon=":material/trending_up:")
    elif finish_shift is not None and finish_shift < 0:
        st.success(verdict, icon=":material/trending_down:")
    else:
        st.info(verdict, icon=":material/compare_arrows:")

# --- headline figures -------------------------------------------------------------------------------


def delta_of(key: str) -> float | None:
    if missing(new[key]) or missing(old[key]):
        return None
    return float(new[key] - old[key])


with page_part("review.figures"):
    time_row, money_row = st.columns(4, border=True), st.columns(4, border=True)
    planned_delta, actual_delta = delta_of("planned"), delta_of("actual")
    metric(
        time_row[0],
        tr("review.metric.planned"),
        percent_text(new["planned"]),
        planned_delta,
        points_text(planned_delta or 0),
        color="off",
        chart=trend_of["planned"],
        help_text=before_after_help(percent_text, old["planned"], new["planned"]),
    )
    metric(
        time_row[1],
        tr("review.metric.actual"),
        percent_text(new["actual"]),
        actual_delta,
        points_text(actual_delta or 0),
        chart=trend_of["actual"],
        help_text=before_after_help(percent_text, old["actual"], new["actual"]),
    )
    metric(
        time_row[2],
        tr("review.metric.forecast_finish"),
        format_date(new["forecast_finish"], language),
        finish_shift,
        days_text(finish_shift or 0),
        color="inverse",
        chart=trend_of["delay"],
        help_text=before_after_help(
            lambda v: format_date(v, language), old["forecast_finish"], new["forecast_finish"]
        ),
    )
    delay_delta = delta_of("delay")
    metric(
        time_row[3],
        tr("review.metric.delay"),
        delay_text(new["delay"]),
        delay_delta,
        days_text(int(delay_delta or 0)),
        color="inverse",
        chart=trend_of["delay"],
        help_text=before_after_help(delay_text, old["delay"], new["delay"]),
    )
    rate_delta = delta_of("rate")
    metric(
        money_row[0],
        tr("review.metric.rate"),
        "—" if missing(new["rate"]) else format_percent(new["rate"], language),
        None if rate_delta is None else rate_delta * 100,
        points_text((rate_delta or 0) * 100),
        chart=trend_of["rate"],
        help_text=tr("review.metric.rate_help")
        + "  \n"
        + before_after_help(
            lambda v: "—" if missing(v) else format_percent(v, language), old["rate"], new["rate"]
        ),
    )
    for column, key in zip(money_row[1:], ("engaged", "issued", "paid"), strict=True):
        delta = delta_of(key)
        metric(
            column,
            tr(f"review.metric.{key}"),
            millions_text(new[key]),
            delta,
            money_delta_text(delta or 0),
            color="off",
            chart=trend_of[key],
            help_text=before_after_help(
                lambda v: "—" if missing(v) else format_money(v, language), old[key], new[key]
            ),
        )
    st.caption(tr("review.metrics_caption", first=format_date(shown_dates[0], language)))

# --- milestone trend -------------------------------------------------------------------------------
st.subheader(tr("review.trend_title"))
weekly = [figures[d]["milestones"] for d in shown_dates if len(figures[d]["milestones"])]
with page_part("review.trend"):
    trend = pd.concat(weekly, ignore_index=True) if weekly else pd.DataFrame(columns=TREND_COLUMNS)
    first_date = pd.Timestamp(shown_dates[0])
    if trend.empty:
        st.info(tr("review.no_milestones"), icon=":material/flag:")
    else:
        at_first = trend[trend["status_date"] == trend["status_date"].min()]
        reached = set(at_first.loc[at_first["forecast_finish"] < first_date, SCHEDULE.task_id])
        show_all = st.toggle(
            tr("review.all_milestones", count=len(reached), date=format_date(first_date, language)),
            key="review.all_milestones",
            disabled=not reached,
        )
        shown_trend = trend if show_all else trend[~trend[SCHEDULE.task_id].isin(reached)]
        project_finish = pd.DataFrame(
            {
                "status_date": pd.to_datetime(shown_dates),
                "forecast_finish": pd.to_datetime(trend_of["forecast_finish"]),
            }
        )
        st.plotly_chart(
            milestone_trend_figure(shown_trend, project_finish, lang=language),
            width="stretch",
            key="review.trend",
            config={"displaylogo": False},
        )
        st.caption(tr("review.trend_caption"))

# --- what changed ------------------------------------------------------------------------------------
st.subheader(
    tr(
        "review.changes_title",
        before=format_date(before, language),
        after=format_date(after, language),
    )
)
sections = ("tasks", "ledger", "contracts")
tabs = st.tabs(
    [
        tr(f"review.tab.{name}", count=len(tables[name]) if name in tables else 0)
        for name in sections
    ]
)
with page_part("review.changes"):
    stamp = f"{before:%Y-%m-%d}_{after:%Y-%m-%d}"
    for name, tab in zip(sections, tabs, strict=True):
        with tab:
            frame = tables.get(name)
            if frame is None:
                st.info(tr(f"review.missing.{name}"), icon=":material/info:")
                continue
            st.caption(tr(f"review.help.{name}"))
            if frame.empty:
                st.info(tr(f"review.empty.{name}"), icon=":material/check:")
                continue
            st.dataframe(
                screen_frame(name, frame),
                hide_index=True,
                width="stretch",
                height=table_height(len(frame)),
                column_config=column_config(name),
                key=f"review.table.{name}",
            )
            st.download_button(
                tr("review.download_csv"),
                data=to_csv_bytes(csv_frame(name, frame)),
                file_name=f"{tr(f'review.file.{name}')}_{stamp}.csv",
                mime="text/csv",
                key=f"review.csv.{name}",
                icon=":material/download:",
                on_click="ignore",
            )


def _ratio(key: str) -> tuple:
    """A percentage (0–100) as Excel's ratio, and its change in points."""
    before_value = None if missing(old[key]) else old[key] / 100
    after_value = None if missing(new[key]) else new[key] / 100
    return before_value, after_value, delta_of(key)


def summary_rows() -> list[SummaryRow]:
    rows = [
        SummaryRow(tr("review.metric.planned"), "percent", *_ratio("planned"), "number"),
        SummaryRow(tr("review.metric.actual"), "percent", *_ratio("actual"), "number"),
        SummaryRow(
            tr("review.metric.forecast_finish"),
            "date",
            old["forecast_finish"],
            new["forecast_finish"],
            finish_shift,
            "int",
        ),
        SummaryRow(tr("review.metric.delay"), "int", old["delay"], new["delay"], delta_of("delay")),
        SummaryRow(
            tr("review.metric.rate"),
            "percent",
            old["rate"],
            new["rate"],
            None if rate_delta is None else rate_delta * 100,
            "number",
        ),
    ]
    rows += [
        SummaryRow(tr(f"review.metric.{key}"), "money", old[key], new[key], delta_of(key))
        for key in ("engaged", "issued", "paid")
    ]
    return rows


with page_part("review.workbook"):
    sheets = [
        ChangeSheet(
            name=tr(f"review.sheet.{name}"),
            title=tr(f"review.sheet_title.{name}"),
            frame=tables[name],
            columns=[Col(c, header(c), kind) for c, kind in TABLE_KINDS[name].items()],
            empty_text=tr(f"review.empty.{name}"),
        )
        for name in sections
        if name in tables
    ]
    summary = SummarySheet(
        name=tr("review.sheet.summary"),
        title=tr("review.sheet_title.summary", project=project.name),
        headers=(
            tr("review.col.figure"),
            format_date(before, language),
            format_date(after, language),
            tr("review.col.difference"),
        ),
        rows=summary_rows(),
    )
    st.download_button(
        tr("review.download_xlsx"),
        data=changes_workbook(
            sheets,
            summary,
            subtitle=tr(
                "review.subtitle",
                before=format_date(before, language),
                after=format_date(after, language),
            ),
            yes_no=(tr("review.yes"), tr("review.no")),
        ),
        file_name=f"{tr('review.file.workbook')}_{stamp}.xlsx",
        mime=XLSX_MIME,
        key="review.xlsx",
        icon=":material/table_view:",
        type="primary",
        on_click="ignore",
    )
