"""The weekly review, computed once for the page and the workbook: the key figures of two
situations and their changes, the verdict sentence, the tables of what changed (tasks,
décomptes, contracts) and the milestones' forecasts week after week.

Situations come in as ``tracking.situation.ProjectSituation`` (``before`` None: the first
situation of the history, every row of ``after`` is new)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from i18n import translate
from i18n.format import format_date
from loaders.schema import CONTRACTS, SCHEDULE, SPENDING
from loaders.tables import IS_AMENDMENT
from tracking.compare import (
    COMPARED,
    TREND_COLUMNS,
    compare_ledgers,
    compare_schedules,
    milestone_trend,
    new_contracts,
)
from views.key_figures import KeyFigures, change, change_text
from views.spec import Column, Table, Verdict, make_table

#: the default reference situation is the latest one at least this much older
REVIEW_INTERVAL = dt.timedelta(days=7)
#: the tables of changes, in the order of the page's tabs and the workbook's sheets
CHANGE_TABLES = ("tasks", "ledger", "contracts")


def default_pair(dates: Sequence[dt.date]) -> tuple[dt.date, dt.date]:
    """The latest situation, and the latest one at least ``REVIEW_INTERVAL`` before it (else
    the one just before)."""
    ordered = sorted(dates)
    latest = ordered[-1]
    earlier = [d for d in ordered if d <= latest - REVIEW_INTERVAL] or ordered[:-1]
    return earlier[-1], latest


# --- the tables of changes ------------------------------------------------------------------


def _change_words(frame: pd.DataFrame, lang: str) -> pd.Series:
    changes = frame[COMPARED.change]
    words = {c: translate(f"review.change.{c}", lang) for c in changes.dropna().unique()}
    return changes.map(words)  # each kind of change translated once, not once per row


def _columns(lang: str, spec: Sequence[tuple[str, str, float | None]]) -> list[Column]:
    return [Column(c, translate(f"review.col.{c}", lang), kind, width) for c, kind, width in spec]


def _table(name: str, frame: pd.DataFrame, columns: list[Column], lang: str, **options) -> Table:
    return make_table(
        f"review.{name}",
        translate(f"review.sheet_title.{name}", lang),
        frame,
        columns,
        caption=translate(f"review.help.{name}", lang),
        empty_text=translate(f"review.empty.{name}", lang),
        file_stem=translate(f"review.file.{name}", lang),
        yes_no=(translate("format.yes", lang), translate("format.no", lang)),
        **options,
    )


def tasks_table(compared: pd.DataFrame, lang: str) -> Table:
    """``compare_schedules``' frame as the reviewer reads it: the largest slips first, the
    slip and the progress before the detail; a task finishing later is highlighted."""
    finish, percent = SCHEDULE.finish, SCHEDULE.percent_complete
    frame = pd.DataFrame(
        {
            "task_id": compared[SCHEDULE.task_id],
            "name": compared[SCHEDULE.name],
            "change": _change_words(compared, lang),
            "shift_days": compared[COMPARED.finish_shift_days],
            "finish_before": compared[COMPARED.before(finish)],
            "finish_after": compared[COMPARED.after(finish)],
            "percent_before": compared[COMPARED.before(percent)] / 100,
            "percent_after": compared[COMPARED.after(percent)] / 100,
            "percent_delta": compared[COMPARED.percent_delta],
            "actual_start": compared[COMPARED.after(SCHEDULE.actual_start)],
            "actual_finish": compared[COMPARED.after(SCHEDULE.actual_finish)],
            "lot": compared[SCHEDULE.lot],
        }
    )
    columns = _columns(
        lang,
        [
            ("task_id", "text", 7),
            ("name", "text", 30),
            ("change", "text", 11),
            ("shift_days", "int", 14),
            ("finish_before", "date", 15),
            ("finish_after", "date", 15),
            ("percent_before", "percent", 9),
            ("percent_after", "percent", 9),
            ("percent_delta", "number", 10),
            ("actual_start", "date", 13),
            ("actual_finish", "date", 13),
            ("lot", "text", 22),
        ],
    )
    return _table("tasks", frame, columns, lang, highlight=lambda f: f["shift_days"].fillna(0) > 0)


def ledger_table(compared: pd.DataFrame, lang: str) -> Table:
    """``compare_ledgers``' frame: each décompte new, removed or changed, and whether it was
    paid since the reference situation."""
    issued = compared[COMPARED.after(SPENDING.date)].fillna(
        compared[COMPARED.before(SPENDING.date)]
    )
    frame = pd.DataFrame(
        {
            "reference": compared[SPENDING.reference],
            "contract_id": compared[SPENDING.contract_id],
            "budget_line": compared[SPENDING.budget_line],
            "payee": compared[SPENDING.payee],
            "change": _change_words(compared, lang),
            "issued": issued,
            "amount_before": compared[COMPARED.before(SPENDING.amount)],
            "amount_after": compared[COMPARED.after(SPENDING.amount)],
            "amount_delta": compared[COMPARED.amount_delta],
            "paid_date": compared[COMPARED.after(SPENDING.paid_date)],
            "newly_paid": compared[COMPARED.newly_paid].astype(bool),
        }
    )
    columns = _columns(
        lang,
        [
            ("reference", "text", 14),
            ("contract_id", "text", 12),
            ("budget_line", "text", 10),
            ("payee", "text", 24),
            ("change", "text", 11),
            ("issued", "date", 13),
            ("amount_before", "money", 17),
            ("amount_after", "money", 17),
            ("amount_delta", "money", 17),
            ("paid_date", "date", 13),
            ("newly_paid", "bool", 10),
        ],
    )
    return _table("ledger", frame, columns, lang)


def contracts_table(new_rows: pd.DataFrame, lang: str) -> Table:
    """``new_contracts``' frame: the contracts and amendments signed since the reference."""
    amendment = (
        new_rows[IS_AMENDMENT]
        if IS_AMENDMENT in new_rows
        else pd.Series(False, index=new_rows.index)
    )
    frame = pd.DataFrame(
        {
            "contract_id": new_rows[CONTRACTS.contract_id],
            "contract_type": new_rows[CONTRACTS.contract_type],
            "parent_id": new_rows[CONTRACTS.parent_id],
            "payee": new_rows[CONTRACTS.payee],
            "budget_line": new_rows[CONTRACTS.budget_line],
            "amount": new_rows[CONTRACTS.amount],
            "signed_date": new_rows[CONTRACTS.signed_date],
            "object": new_rows[CONTRACTS.object],
            "is_amendment": amendment.astype(bool),
        }
    )
    columns = _columns(
        lang,
        [
            ("contract_id", "text", 12),
            ("contract_type", "text", 12),
            ("parent_id", "text", 12),
            ("payee", "text", 24),
            ("budget_line", "text", 10),
            ("amount", "money", 17),
            ("signed_date", "date", 13),
            ("object", "text", 34),
            ("is_amendment", "bool", 10),
        ],
    )
    return _table("contracts", frame, columns, lang)


#: table -> (the ProjectSituation attribute compared, the comparison, the spec)
_COMPARISONS = {
    "tasks": ("schedule", compare_schedules, tasks_table),
    "ledger": ("spending_ledger", compare_ledgers, ledger_table),
    "contracts": ("contracts", new_contracts, contracts_table),
}


def change_tables(before, after, lang: str) -> dict[str, Table]:
    """The tables of changes between two situations; a table missing from ``after`` is left
    out (the page says so), one missing from ``before`` has every row new."""
    tables: dict[str, Table] = {}
    for name, (attribute, compare, spec) in _COMPARISONS.items():
        later = getattr(after, attribute)
        if later is None:
            continue
        earlier = getattr(before, attribute) if before is not None else None
        earlier = later.iloc[:0] if earlier is None else earlier
        tables[name] = spec(compare(earlier, later), lang)
    return tables


# --- the verdict ------------------------------------------------------------------------------


def review_verdict(
    before: KeyFigures, after: KeyFigures, tables: dict[str, Table], lang: str
) -> Verdict:
    """One sentence: progress, the forecast finish, how many rows of each table changed; a
    warning when the finish moved later, a success when it moved earlier."""

    def tr(key: str, **params) -> str:
        return translate(f"review.{key}", lang, **params)

    shift = change("forecast_finish", before.forecast_finish, after.forecast_finish)
    finish_date = format_date(after.forecast_finish, lang) if shift is not None else ""
    if shift is None:
        finish = tr("finish_unknown")
    elif shift > 0:
        finish = tr("finish_later", days=shift, date=finish_date)
    elif shift < 0:
        finish = tr("finish_earlier", days=-shift, date=finish_date)
    else:
        finish = tr("finish_same", date=finish_date)
    actual = change("actual_progress", before.actual_progress, after.actual_progress)
    planned = change("planned_progress", before.planned_progress, after.planned_progress)
    progress = tr("progress_unknown")
    if actual is not None and planned is not None:
        progress = tr(
            "progress_phrase",
            actual=change_text(actual, "percent", lang),
            planned=change_text(planned, "percent", lang),
        )
    ledger = tables.get("ledger")
    text = tr(
        "verdict",
        before=format_date(before.status_date, lang),
        after=format_date(after.status_date, lang),
        progress=progress,
        finish=finish,
        tasks=len(tables["tasks"]) if "tasks" in tables else 0,
        decomptes=len(ledger) if ledger is not None else 0,
        paid=int(ledger.frame["newly_paid"].sum()) if ledger is not None else 0,
        contracts=len(tables["contracts"]) if "contracts" in tables else 0,
    )
    if shift is not None and shift > 0:
        return Verdict(text, "warning", ":material/trending_up:")
    if shift is not None and shift < 0:
        return Verdict(text, "success", ":material/trending_down:")
    return Verdict(text, "info", ":material/compare_arrows:")


# --- trends -------------------------------------------------------------------------------------


def figure_trends(history: Sequence[KeyFigures]) -> dict[str, list[float]]:
    """Each figure's value at every situation, as numbers for a sparkline (a date's line is
    the delay's: the same shape, in days)."""
    trends: dict[str, list[float]] = {}
    for name in KeyFigures.__dataclass_fields__:
        if name in ("status_date", "reasons", "forecast_finish"):
            continue
        values = [figures.value(name) for figures in history]
        trends[name] = [float(v) for v in values if v is not None and not pd.isna(v)]
    trends["forecast_finish"] = trends["delay_days"]
    return trends


def milestones_of(situation) -> pd.DataFrame:
    """The forecast of each milestone at one situation (``tracking.compare.milestone_trend``)."""
    if situation.planning is None or situation.schedule is None:
        return pd.DataFrame(columns=TREND_COLUMNS)
    return milestone_trend([(situation.status_date, situation.schedule, situation.planning.tasks)])


def milestone_history(weekly: Sequence[pd.DataFrame]) -> pd.DataFrame:
    frames = [frame for frame in weekly if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TREND_COLUMNS)


def reached_before(trend: pd.DataFrame, first: dt.date) -> set[str]:
    """Milestones already forecast (or reached) before the first situation shown: left out of
    the chart by default, they would flatten it."""
    if trend.empty:
        return set()
    status = trend[COMPARED.status_date]
    at_first = trend[status == status.min()]
    early = at_first[COMPARED.forecast_finish] < pd.Timestamp(first)
    return set(at_first.loc[early, SCHEDULE.task_id])


#: milestones the trend chart draws at once: beyond, those whose forecast moved most over the
#: weeks shown (a line each; 160 lines are neither readable nor quick to draw)
TREND_MILESTONES = 20


def most_moved(trend: pd.DataFrame, limit: int = TREND_MILESTONES) -> pd.DataFrame:
    """The trend of the ``limit`` milestones whose forecast moved most (latest minus earliest
    forecast over the weeks, then the latest forecast first among equals)."""
    if trend.empty or trend[SCHEDULE.task_id].nunique() <= limit:
        return trend
    forecast = trend.groupby(SCHEDULE.task_id)[COMPARED.forecast_finish]
    moved = (forecast.max() - forecast.min()).dt.days.fillna(0)
    order = pd.DataFrame({"moved": moved, "last": forecast.max()})
    kept = order.sort_values(["moved", "last"], ascending=[False, True]).index[:limit]
    return trend[trend[SCHEDULE.task_id].isin(kept)]


def project_finish_frame(history: Sequence[KeyFigures]) -> pd.DataFrame:
    """The project's forecast finish at each situation (the chart's grey dashes)."""
    return pd.DataFrame(
        {
            COMPARED.status_date: pd.to_datetime([f.status_date for f in history]),
            COMPARED.forecast_finish: pd.to_datetime([f.forecast_finish for f in history]),
        }
    )
