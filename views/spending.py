"""What the Dépenses page and the workbook's Dépenses sheet show, built once from a
``tracking.spending.SpendingOverview``: the verdict, the headline figures, the alerts in
words, and every table (the envelope's breakdown, the chain per budget line, earned value,
the contract rules, the retention due per décompte, the late payments and their intérêts
moratoires, the ledger).

Every rate says what it divides by in its label (``Taux d'émission (émis / engagé)``), every
retention what it is computed on (held on the payments made, constituted on the décomptes
issued), and the cost-based SPI is named ``SPI (coûts : EV / PV)`` so that it cannot be
read as the Planning page's earned-schedule SPI(t).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from i18n import translate
from i18n.format import format_date, format_millions, format_percent
from loaders.schema import CONTRACTS, SPENDING
from loaders.tables import SOURCE_ROW
from tracking import budget as chain
from tracking import contract_rules as rules
from tracking import earned_value as ev
from tracking.alerts import Alert
from tracking.budget import IS_PAID, UNASSIGNED, line_codes, line_contracts, line_decomptes
from tracking.spending import (
    LINE_FORECAST,
    PART,
    PART_AMOUNT,
    PART_SHARE,
    SpendingOverview,
    envelope_breakdown,
)
from tracking.unavailable import NO_CONTRACT, NO_DECOMPTE, NO_EARNED_SCOPE, NOT_RECEIVED
from views.format import compress_rows, format_value, join_list
from views.reasons import reason_text
from views.spec import Column, Figure, Table, Verdict, make_table

#: column of the drill-down's décomptes and of the ledger: the line's name, for the reader
LINE_NAME = "line_name"
#: column of the ledger: paid, unpaid, or unpaid beyond the payment delay, in words
PAYMENT_STATUS = "payment_status"
#: column of the rules table: where the retention stands against its cap, in words
RETENTION_STATUS = "retention_status"
#: columns of the earned-value table
INDICATOR, AMOUNT, INDEX, FORMULA, READING = "indicator", "amount", "index", "formula", "reading"


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"spending.{key}", lang, **params)


def basis_name(basis: str, lang: str) -> str:
    """``TTC`` / ``HT`` in French, ``incl. VAT`` / ``excl. VAT`` in English."""
    return _tr(f"basis_name.{basis}", lang)


def basis_help(settings, lang: str) -> str:
    """What TTC and HT mean, the basis the workbook is kept on, and the VAT rate."""
    return _tr(
        "basis_help",
        lang,
        basis=basis_name(settings.amounts_basis, lang),
        vat=format_percent(settings.vat_rate, lang, 0),
    )


def _money(value, lang: str, currency: str = "MAD") -> str:
    return format_value(value, "money", lang, currency=currency)


def _short(value, lang: str) -> str:
    """Millions for a metric's big figure (``14,29 MDH`` / ``14.29 M``): the exact amount is
    written below it."""
    if value is None or pd.isna(value):
        return "—"
    return _tr("metric.millions", lang, number=format_value(value / 1e6, "ratio", lang))


# --- alerts ---------------------------------------------------------------------------------

#: how each value of an alert is written in its message
_MONEY = {
    "engaged",
    "envelope",
    "forecast",
    "gap",
    "budget",
    "issued",
    "overrun",
    "amount",
    "initial",
    "amendments",
    "retention",
    "cap",
    "excess",
    "due",
    "shortfall",
    "interest",
}
_RATIOS = {"share", "threshold"}


def alert_message(alert: Alert, lang: str = "fr", currency: str = "MAD") -> str:
    """The alert in words (``spending.alert.<code>``), figures formatted for ``lang``: the
    same sentence on the page, in the briefing and in the workbook. An overdue décompte
    spread over several budget lines says so and names them."""
    params: dict[str, Any] = {}
    for key, value in alert.values.items():
        if key in _MONEY:
            params[key] = format_value(value, "money", lang, currency=currency)
        elif key in _RATIOS:
            params[key] = format_percent(value, lang)
        elif key == "date":
            params[key] = format_date(value, lang)
        elif key == "lines":
            params["line_count"] = len(value)
            params["line_list"] = join_list(value, lang)
        else:
            params[key] = value
    params["rows"] = compress_rows(alert.source_rows) or "—"
    params.update(_clock_params(alert, lang, currency))
    code = alert.code
    if code == "overdue_payment" and params.get("line_count", 0) > 1:
        code = "overdue_payment_lines"
    return translate(f"spending.alert.{code}", lang, **params)


def _clock_params(alert: Alert, lang: str, currency: str) -> dict[str, str]:
    """An overdue décompte's ``{clock}`` (counted from the constatation du service fait, when
    that is what the clock runs from) and ``{interest}`` (the interest run to the status date)
    clauses; empty when the alert does not carry them."""
    values = alert.values
    clock = interest = ""
    if values.get("clock_from") == rules.CLOCK_FROM_SERVICE and values.get("start") is not None:
        start = format_date(values["start"], lang)
        clock = " (" + _tr("clock.alert_service", lang, start=start) + ")"
    if values.get("interest") is not None:
        amount = format_value(values["interest"], "money", lang, currency=currency)
        interest = _tr("clock.alert_interest", lang, interest=amount)
    return {"clock": clock, "interest": interest}


def alert_verdicts(overview: SpendingOverview, lang: str) -> list[Verdict]:
    """One verdict per alert, red as an error, amber as a warning; a success when none."""
    if not overview.alerts:
        return [Verdict(_tr("alert.none", lang), "success", ":material/check_circle:")]
    return [
        Verdict(
            alert_message(alert, lang, overview.currency),
            "error" if alert.level == "red" else "warning",
            ":material/error:" if alert.level == "red" else ":material/warning:",
        )
        for alert in overview.alerts
    ]


# --- verdict and headline figures -----------------------------------------------------------


def verdict(overview: SpendingOverview, lang: str) -> Verdict:
    """Envelope, engagé, émis and payé in one sentence, then whether the envelope is enough."""
    totals = overview.totals
    text = _tr(
        "verdict",
        lang,
        envelope=format_millions(totals.envelope, lang, 2),
        engaged=format_millions(totals.engaged, lang, 2),
        engaged_rate=format_percent(totals.engagement_rate, lang),
        issued=format_millions(totals.issued, lang, 2),
        paid=format_millions(totals.paid, lang, 2),
    )
    forecast, gap = overview.forecast_at_completion, overview.forecast_gap
    if forecast is None:
        return Verdict(text + " " + _tr("verdict_no_forecast", lang), "info", ":material/payments:")
    if gap > 0:
        more = _tr(
            "verdict_over",
            lang,
            forecast=format_millions(forecast, lang, 2),
            gap=format_millions(gap, lang, 2),
        )
        return Verdict(text + " " + more, "error", ":material/money_off:")
    more = _tr(
        "verdict_within",
        lang,
        forecast=format_millions(forecast, lang, 2),
        margin=format_millions(-gap, lang, 2),
    )
    return Verdict(text + " " + more, "success", ":material/savings:")


def _amount(key: str, value: float, overview: SpendingOverview, lang: str, **params) -> Figure:
    return Figure(
        key=f"spending.{key}",
        label=_tr(f"metric.{key}", lang),
        value=value,
        kind="money",
        help=_tr(f"metric.{key}_help", lang, basis=basis_name(overview.basis, lang), **params),
        detail=_money(value, lang, overview.currency),
        shown=_short(value, lang),
    )


def amount_figures(overview: SpendingOverview, lang: str) -> list[Figure]:
    """The chain: envelope, engagé, émis and payé (gross)."""
    totals = overview.totals
    return [
        _amount("envelope", totals.envelope, overview, lang),
        _amount("engaged", totals.engaged, overview, lang),
        _amount("issued", totals.issued, overview, lang),
        _amount("paid", totals.paid, overview, lang),
    ]


def rate_figures(overview: SpendingOverview, lang: str) -> list[Figure]:
    """The three rates, each labelled with what it divides by."""
    totals = overview.totals
    return [
        Figure(
            key=f"spending.{name}",
            label=_tr(f"metric.{name}", lang),
            value=getattr(totals, name),
            kind="percent",
            help=_tr(f"metric.{name}_help", lang),
            reason=totals.reason(name),
            detail=reason_text(totals.reason(name), lang),
        )
        for name in (chain.ENGAGEMENT_RATE, chain.ISSUE_RATE, chain.PAYMENT_RATE)
    ]


def outlook_figures(overview: SpendingOverview, lang: str) -> list[Figure]:
    """Payé net, the retention held on the payments made (beside what is constituted on the
    issued), what is left to commit, the forecast final cost (its margin or shortfall on the
    envelope), the works EAC, CPI, the cost-based SPI, and the envelope per m²."""
    totals = overview.totals
    constituted = overview.retention.constituted if overview.retention else 0.0
    cash = [
        _amount("paid_net", totals.paid_net, overview, lang),
        _amount(
            "retention_held",
            totals.retention_held,
            overview,
            lang,
            constituted=_money(constituted, lang, overview.currency),
        ),
        _amount("to_commit", totals.to_commit, overview, lang),
    ]
    earned = overview.earned
    forecast, gap = overview.forecast_at_completion, overview.forecast_gap
    currency = overview.currency

    def earned_figure(name: str, label: str, kind: str) -> Figure:
        value = None if earned is None else getattr(earned, name)
        why = NO_EARNED_SCOPE if earned is None else earned.reason(name)
        return Figure(
            key=f"spending.{name}",
            label=label,
            value=value,
            kind=kind,
            help=reason_text(why, lang) or _tr(f"metric.{name}_help", lang),
            reason=why,
            shown=_short(value, lang) if kind == "money" else None,
        )

    if forecast is None:
        detail, color = "", "off"
    else:
        side = "forecast_gap_over" if gap > 0 else "forecast_gap_under"
        detail = _tr(f"metric.{side}", lang, amount=_money(abs(gap), lang, currency))
        color = "inverse" if gap > 0 else "normal"
    per_m2 = overview.cost_per_m2(overview.totals.envelope)
    return [
        *cash,
        Figure(
            key="spending.forecast",
            label=_tr("metric.forecast", lang),
            value=forecast,
            kind="money",
            help=_tr("metric.forecast_help", lang),
            detail=detail,
            delta_color=color,
            reason=overview.reason("forecast_at_completion"),
            shown=_short(forecast, lang),
        ),
        earned_figure("eac", _tr("metric.eac", lang), "money"),
        earned_figure("cpi", _tr("metric.cpi", lang), "ratio"),
        earned_figure("spi", _tr("metric.spi", lang), "ratio"),
        Figure(
            key="spending.cost_per_m2",
            label=_tr("metric.cost_per_m2", lang, currency=currency),
            value=per_m2,
            kind="int",
            help=_tr(
                "metric.cost_per_m2_help",
                lang,
                area=format_value(overview.total_area_m2, "area", lang),
                area_basis=_tr(f"area_basis.{overview.area_basis}", lang),
            ),
            detail=_tr(
                "metric.cost_per_m2_forecast",
                lang,
                amount=format_value(overview.cost_per_m2(forecast), "int", lang),
            ),
        ),
    ]


def meaning(overview: SpendingOverview, lang: str) -> list[str]:
    """What CPI and SPI say, in words (one Markdown bullet each), and the EAC floor."""
    earned = overview.earned
    if earned is None:
        return [_tr("meaning_no_schedule", lang)]
    status = format_date(overview.status_date, lang)
    lines = []
    for name in ("cpi", "spi"):
        value = getattr(earned, name)
        if value is None:
            why = reason_text(earned.reason(name), lang, embedded=True)
            lines.append(_tr(f"meaning_{name}_unavailable", lang, reason=why))
        else:
            number = format_value(value, "ratio", lang)
            lines.append(_tr(f"meaning_{name}", lang, **{name: number}, date=status))
    if overview.eac_below_engaged:
        lines.append(
            _tr(
                "meaning_eac_floor",
                lang,
                eac=_money(earned.eac, lang, overview.currency),
                engaged=_money(overview.scope_engaged, lang, overview.currency),
            )
        )
    return lines


def caption(overview: SpendingOverview, lang: str, status_date, file: str) -> str:
    return _tr(
        "caption",
        lang,
        status=format_date(status_date, lang),
        basis=basis_name(overview.basis, lang),
        file=file or "—",
    )


# --- tables ---------------------------------------------------------------------------------


def _col(name: str, lang: str, **params) -> str:
    return _tr(f"col.{name}", lang, **params)


def line_names(frame: pd.DataFrame, lang: str) -> pd.Series:
    """The name of each budget line; a code outside the budget says so."""
    unassigned = _tr("line_unassigned", lang)
    unknown = _tr("line_not_in_budget", lang)
    return pd.Series(
        [
            name
            if isinstance(name, str) and name
            else (unassigned if code == UNASSIGNED else unknown)
            for code, name in zip(frame[chain.LINE_ID], frame[chain.NAME], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def breakdown_table(overview: SpendingOverview, lang: str) -> Table:
    """Where each dirham of the envelope stands: five parts that add up to the envelope."""
    parts = envelope_breakdown(overview.totals)
    total = pd.DataFrame(
        {PART: ["envelope"], PART_AMOUNT: [overview.totals.envelope], PART_SHARE: [1.0]}
    )
    frame = pd.concat([parts, total], ignore_index=True)
    frame = frame.assign(**{PART: frame[PART].map(lambda p: _tr(f"part.{p}", lang))})
    return make_table(
        "spending.breakdown",
        _tr("chain_title", lang),
        frame,
        [
            Column(PART, _col("part", lang), "text", 30),
            Column(PART_AMOUNT, _col("amount", lang), "money", 18),
            Column(PART_SHARE, _col("share_of_envelope", lang), "percent", 12),
        ],
        caption=_tr("chain_caption", lang),
        file_stem="enveloppe",
    )


def lines_table(overview: SpendingOverview, lang: str) -> Table:
    """The chain per budget line (budget order), lines over their budget highlighted; a rate
    with nothing to divide by says why."""
    frame = overview.chain.assign(**{chain.NAME: lambda f: line_names(f, lang)})
    money = [
        (chain.BUDGET, "budget"),
        (chain.ENGAGED, "engaged"),
        (chain.ISSUED, "issued"),
        (chain.PAID, "paid"),
        (chain.RETENTION_HELD, "retention_held"),
        (chain.PAID_NET, "paid_net"),
        (chain.TO_COMMIT, "to_commit"),
    ]
    columns = [
        Column(chain.LINE_ID, _col("line_id", lang), "text", 9),
        Column(chain.NAME, _col("name", lang), "text", 36),
        Column(chain.CATEGORY, _col("category", lang), "text", 14),
        *[Column(name, _col(key, lang), "money", 17) for name, key in money],
        Column(
            chain.ENGAGEMENT_RATE,
            _col("engagement_rate", lang),
            "percent",
            14,
            missing_text=_tr("rate_no_budget", lang),
        ),
        Column(
            chain.ISSUE_RATE,
            _col("issue_rate", lang),
            "percent",
            14,
            missing_text=reason_text(NO_CONTRACT, lang),
        ),
        Column(
            chain.PAYMENT_RATE,
            _col("payment_rate", lang),
            "percent",
            14,
            missing_text=reason_text(NO_DECOMPTE, lang),
        ),
        Column(chain.TO_ISSUE, _col("to_issue", lang), "money", 17),
        Column(chain.TO_PAY, _col("to_pay", lang), "money", 17),
        Column(chain.OVERRUN, _col("overrun", lang), "money", 17),
    ]
    return make_table(
        "spending.lines",
        _tr("lines_title", lang),
        frame,
        columns,
        highlight=frame[chain.OVER_BUDGET],
        caption=_tr("lines_table_caption", lang),
        file_stem="depenses_par_ligne",
    )


#: the earned-value indicators, in the order of the table: (name, kind)
EARNED_INDICATORS = (
    ("bac", "money"),
    ("pv", "money"),
    ("ev", "money"),
    ("ac", "money"),
    ("sv", "money"),
    ("cv", "money"),
    ("spi", "ratio"),
    ("cpi", "ratio"),
    ("eac", "money"),
    ("eac_at_budget", "money"),
    ("eac_cpi_spi", "money"),
    ("etc", "money"),
    ("vac", "money"),
    ("tcpi", "ratio"),
)


def earned_table(overview: SpendingOverview, lang: str) -> Table:
    """The earned-value indicators: amounts in one column, indexes in another, the formula
    and what it means; an indicator not available yet says why in its reading."""
    earned = overview.earned
    rows = []
    for name, kind in EARNED_INDICATORS if earned is not None else ():
        value = getattr(earned, name)
        why = earned.reason(name)
        rows.append(
            {
                INDICATOR: _tr(f"evm.{name}", lang),
                AMOUNT: value if kind == "money" else None,
                INDEX: value if kind == "ratio" else None,
                FORMULA: _tr(f"evm_formula.{name}", lang),
                READING: reason_text(why, lang)
                if value is None
                else _tr(f"evm_reading.{name}", lang),
            }
        )
    frame = pd.DataFrame(rows, columns=[INDICATOR, AMOUNT, INDEX, FORMULA, READING])
    frame = frame.astype({AMOUNT: float, INDEX: float})
    return make_table(
        "spending.earned",
        _tr("evm_table_title", lang),
        frame,
        [
            Column(INDICATOR, _col("indicator", lang), "text", 34),
            Column(AMOUNT, _col("amount", lang), "money", 18),
            Column(INDEX, _col("index", lang), "ratio", 9),
            Column(FORMULA, _col("formula", lang), "text", 30),
            Column(READING, _col("reading", lang), "text", 50),
        ],
        caption=_tr("evm_caption", lang),
        empty_text=reason_text(NO_EARNED_SCOPE, lang),
        file_stem="valeur_acquise",
    )


def earned_lines_table(overview: SpendingOverview, lang: str) -> Table:
    """Earned value per budget line of the works."""
    lines = overview.earned_lines
    frame = lines.assign(
        **{
            ev.PERCENT_PLANNED: lines[ev.PERCENT_PLANNED] / 100,
            ev.PERCENT_COMPLETE: lines[ev.PERCENT_COMPLETE] / 100,
        }
    )
    return make_table(
        "spending.earned_lines",
        _tr("evm_lines_title", lang),
        frame,
        [
            Column(chain.LINE_ID, _col("line_id", lang), "text", 9),
            Column(chain.NAME, _col("name", lang), "text", 36),
            Column(ev.TASK_COUNT, _col("task_count", lang), "count", 8),
            *[
                Column(name, _tr(f"evm.{name}", lang), "money", 17)
                for name in (ev.BAC, ev.PV, ev.EV, ev.AC)
            ],
            Column(ev.PERCENT_PLANNED, _col("percent_planned", lang), "percent", 10),
            Column(ev.PERCENT_COMPLETE, _col("percent_complete", lang), "percent", 10),
            Column(ev.SPI, _tr("metric.spi", lang), "ratio", 12),
            Column(ev.CPI, _tr("metric.cpi", lang), "ratio", 12),
        ],
        file_stem="valeur_acquise_par_ligne",
    )


def excluded_table(overview: SpendingOverview, lang: str) -> Table:
    """The lines outside earned value, with the forecast each adds to the final cost."""
    frame = overview.excluded.assign(**{chain.NAME: lambda f: line_names(f, lang)})
    return make_table(
        "spending.excluded",
        _tr("excluded_title", lang),
        frame,
        [
            Column(chain.LINE_ID, _col("line_id", lang), "text", 9),
            Column(chain.NAME, _col("name", lang), "text", 36),
            Column(chain.BUDGET, _col("budget", lang), "money", 17),
            Column(chain.ENGAGED, _col("engaged", lang), "money", 17),
            Column(chain.ISSUED, _col("issued", lang), "money", 17),
            Column(LINE_FORECAST, _col("forecast", lang), "money", 17),
        ],
        caption=_tr("excluded_caption", lang),
        file_stem="lignes_hors_valeur_acquise",
    )


def rules_caption(settings, lang: str) -> str:
    return _tr(
        "rules_caption",
        lang,
        rate=format_percent(settings.retention_rate, lang, 0),
        cap=format_percent(settings.retention_cap, lang, 0),
        threshold=format_percent(settings.amendment_threshold, lang, 0),
        delay=settings.payment_delay_days,
    )


def rules_table(overview: SpendingOverview, settings, lang: str) -> Table:
    """One row per contract: avenants against the threshold, the retention constituted on
    the issued and held on the paid against its cap, the retention its décomptes failed to
    withhold, the overdue amount; rows breaking a rule highlighted."""
    frame = overview.rules
    status = [
        _tr("retention_over", lang)
        if over
        else _tr("retention_at_cap", lang)
        if at_cap
        else _tr("retention_below", lang)
        for over, at_cap in zip(frame[rules.OVER_CAP], frame[rules.CAP_REACHED], strict=True)
    ]
    frame = frame.assign(**{RETENTION_STATUS: pd.Series(status, index=frame.index, dtype=object)})
    cap = format_percent(settings.retention_cap, lang, 0)
    flagged = (
        frame[rules.AMENDMENT_FLAG].astype(bool)
        | frame[rules.OVER_CAP].astype(bool)
        | (frame[rules.RETENTION_SHORTFALL].astype(float) > 0)
        | (frame[rules.OVERDUE_AMOUNT].astype(float) > 0)
    )
    return make_table(
        "spending.rules",
        _tr("rules_title", lang),
        frame,
        [
            Column(rules.CONTRACT_ID, _col("contract_id", lang), "text", 18),
            Column(rules.PAYEE, _col("payee", lang), "text", 30),
            Column(rules.INITIAL, _col("initial", lang), "money", 17),
            Column(rules.AMENDMENTS, _col("amendments", lang), "money", 16),
            Column(rules.TOTAL, _col("total", lang), "money", 17),
            Column(rules.AMENDMENT_SHARE, _col("amendment_share", lang), "percent", 12),
            Column(rules.ISSUED, _col("issued", lang), "money", 17),
            Column(rules.RETENTION, _col("retention_constituted", lang), "money", 17),
            Column(rules.RETENTION_ON_PAID, _col("retention_on_paid", lang), "money", 17),
            Column(rules.RETENTION_CAP, _col("retention_cap", lang, cap=cap), "money", 17),
            Column(RETENTION_STATUS, _col("retention_status", lang), "text", 16),
            Column(rules.RETENTION_SHORTFALL, _col("retention_shortfall", lang), "money", 16),
            Column(rules.OVERDUE_AMOUNT, _col("overdue_amount", lang), "money", 17),
            Column(rules.SOURCE_ROWS, _col("source_rows", lang), "rows", 10),
        ],
        highlight=flagged,
        caption=rules_caption(settings, lang),
        empty_text=translate("stages.workbook.no_contract", lang),
        file_stem="regles_des_marches",
    )


def retention_table(overview: SpendingOverview, settings, lang: str) -> Table:
    """The retention each décompte of the works contracts owed and withheld; a décompte
    that withheld less than due is highlighted."""
    frame = overview.retention_check
    return make_table(
        "spending.retention",
        _tr("retention_title", lang),
        frame,
        [
            Column(rules.REFERENCE, _col("reference", lang), "text", 12),
            Column(rules.CONTRACT_ID, _col("contract_id", lang), "text", 18),
            Column(rules.ISSUE_DATE, _col("issue_date", lang), "date", 12),
            Column(rules.AMOUNT, _col("decompte_amount", lang), "money", 17),
            Column(rules.RETAINED_BEFORE, _col("retained_before", lang), "money", 17),
            Column(rules.RETENTION_CAP, _col("cap_at_date", lang), "money", 17),
            Column(rules.RETENTION_DUE, _col("retention_due", lang), "money", 17),
            Column(rules.RETENTION, _col("retention_withheld", lang), "money", 17),
            Column(rules.SHORTFALL, _col("shortfall", lang), "money", 15),
            Column(rules.SOURCE_ROWS, _col("source_rows", lang), "rows", 10),
        ],
        highlight=frame[rules.IS_SHORT].astype(bool) if len(frame) else None,
        caption=_tr(
            "retention_caption",
            lang,
            rate=format_percent(settings.retention_rate, lang, 0),
            cap=format_percent(settings.retention_cap, lang, 0),
        ),
        empty_text=_tr("retention_none", lang),
        file_stem="retenue_par_decompte",
    )


#: columns of the late-payments table: what the clock runs from and the payment, in words
CLOCK_FROM_TEXT = "clock_from_text"
LATE_STATUS = "late_status"


def clock_sentence(clock: pd.DataFrame, lang: str) -> str:
    """Whether the payment delay runs from the constatation du service fait or from the
    issue date of the décomptes (``CLOCK_FROM`` of the payment clock), in one sentence."""
    counts = clock[rules.CLOCK_FROM].value_counts() if len(clock) else pd.Series(dtype=int)
    service = int(counts.get(rules.CLOCK_FROM_SERVICE, 0))
    issue = int(counts.get(rules.CLOCK_FROM_ISSUE, 0))
    if service and issue:
        return _tr("clock.mixed", lang, service=service, issue=issue)
    if service:
        return _tr("clock.service", lang)
    if issue:
        return _tr("clock.issue", lang)
    return _tr("clock.none", lang)


def late_payments(overview: SpendingOverview) -> pd.DataFrame:
    """The décomptes of the payment clock that are late: unpaid ones first (most days late
    first), then those paid late."""
    clock = overview.payment_clock
    if clock.empty:
        return clock
    late = clock[clock[rules.IS_LATE].astype(bool)]
    return late.sort_values(
        [rules.IS_PAID, rules.DAYS_LATE], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)


def overdue_table(overview: SpendingOverview, settings, lang: str) -> Table:
    """The décomptes paid or payable late (décret n° 2-16-344), each for its whole amount
    over the budget lines it spans: what its clock runs from and when, its due date, the
    days late and the intérêts moratoires owed; the unpaid ones highlighted."""
    frame = late_payments(overview)
    clock_text = {
        rules.CLOCK_FROM_SERVICE: _tr("clock.from_service", lang),
        rules.CLOCK_FROM_ISSUE: _tr("clock.from_issue", lang),
    }
    status = [
        _tr("clock.late_paid" if paid else "clock.late_unpaid", lang)
        for paid in frame[rules.IS_PAID].astype(bool)
    ]
    frame = frame.assign(
        **{
            rules.BUDGET_LINES_OF: frame[rules.BUDGET_LINES_OF].map(lambda lines: ", ".join(lines)),
            CLOCK_FROM_TEXT: frame[rules.CLOCK_FROM].map(clock_text).astype(object),
            LATE_STATUS: pd.Series(status, index=frame.index, dtype=object),
        }
    )
    return make_table(
        "spending.overdue",
        _tr("overdue_title", lang, delay=settings.payment_delay_days),
        frame,
        [
            Column(rules.REFERENCE, _col("reference", lang), "text", 12),
            Column(rules.CONTRACT_ID, _col("contract_id", lang), "text", 18),
            Column(rules.PAYEE, _col("payee", lang), "text", 26),
            Column(rules.ISSUE_DATE, _col("issue_date", lang), "date", 12),
            Column(CLOCK_FROM_TEXT, _col("clock_from", lang), "text", 16),
            Column(rules.CLOCK_START, _col("clock_start", lang), "date", 12),
            Column(rules.DUE_DATE, _col("due_date", lang), "date", 12),
            Column(LATE_STATUS, _col("late_status", lang), "text", 12),
            Column(rules.PAID_DATE, _col("paid_date", lang), "date", 12),
            Column(rules.AMOUNT, _col("decompte_amount", lang), "money", 17),
            Column(rules.NET_DUE, _col("net_due", lang), "money", 17),
            Column(rules.DAYS_LATE, _col("days_late", lang), "days", 10),
            Column(rules.LATE_INTEREST, _col("late_interest", lang), "money", 14),
            Column(rules.BUDGET_LINES_OF, _col("budget_lines", lang), "text", 24),
            Column(rules.SOURCE_ROWS, _col("source_rows", lang), "rows", 10),
        ],
        highlight=~frame[rules.IS_PAID].astype(bool) if len(frame) else None,
        caption=_tr(
            "overdue_caption",
            lang,
            delay=settings.payment_delay_days,
            clock=clock_sentence(overview.payment_clock, lang),
            rate=format_percent(overview.late_payment_rate, lang, 1),
        ),
        empty_text=_tr("overdue_none", lang),
        file_stem="decomptes_en_retard",
    )


def _sentence_case(text: str) -> str:
    """``text`` with its first letter in capitals (the rest as written: ``TGR`` stays)."""
    return text[:1].upper() + text[1:]


def late_interest_figure(overview: SpendingOverview, lang: str) -> Figure:
    """The intérêts moratoires owed at the status date (paid late and unpaid late), a
    liability of the owner to the contractors."""
    value = overview.late_interest
    return Figure(
        key="spending.late_interest",
        label=_tr("metric.late_interest", lang),
        value=value,
        kind="money",
        help=_tr(
            "late_interest_help",
            lang,
            date=format_date(overview.status_date, lang),
            rate=format_percent(overview.late_payment_rate, lang, 1),
            clock=_sentence_case(clock_sentence(overview.payment_clock, lang)),
        ),
        detail=_money(value, lang, overview.currency),
    )


def _ledger_frame(ledger: pd.DataFrame, overview: SpendingOverview, lang: str) -> pd.DataFrame:
    names = dict(zip(overview.chain[chain.LINE_ID], line_names(overview.chain, lang), strict=True))
    codes = line_codes(ledger, SPENDING.budget_line).fillna(UNASSIGNED)
    status = [
        _tr(
            "paid_status.paid" if paid else "paid_status.overdue" if late else "paid_status.unpaid",
            lang,
        )
        for paid, late in zip(ledger[IS_PAID], ledger[rules.IS_OVERDUE], strict=True)
    ]
    return ledger.assign(
        **{
            SPENDING.budget_line: codes,
            LINE_NAME: codes.map(names),
            PAYMENT_STATUS: pd.Series(status, index=ledger.index, dtype=object),
            SOURCE_ROW: ledger[SOURCE_ROW].map(lambda row: (int(row),)),
        }
    )


def _ledger_columns(lang: str, *, line: bool) -> list[Column]:
    columns = [
        Column(SPENDING.reference, _col("reference", lang), "text", 14),
        Column(SPENDING.contract_id, _col("contract_id", lang), "text", 18),
        Column(SPENDING.payee, _col("payee", lang), "text", 26),
    ]
    if line:
        columns.append(Column(SPENDING.budget_line, _col("line_id", lang), "text", 9))
    columns += [
        Column(SPENDING.date, _col("issue_date", lang), "date", 12),
        Column(SPENDING.amount, _col("line_share", lang), "money", 17),
        Column(rules.DECOMPTE_AMOUNT, _col("decompte_amount", lang), "money", 17),
        Column(rules.DECOMPTE_LINE_COUNT, _col("decompte_lines", lang), "count", 9),
        Column(SPENDING.retention, _col("retention", lang), "money", 15),
        Column(PAYMENT_STATUS, _col("payment_status", lang), "text", 16),
        Column(SPENDING.paid_date, _col("paid_date", lang), "date", 12),
        Column(SPENDING.description, _col("description", lang), "text", 30),
        Column(SOURCE_ROW, _col("source_row", lang), "rows", 8),
    ]
    return columns


def ledger_table(overview: SpendingOverview, lang: str) -> Table:
    """Every décompte row issued by the status date (one per décompte and budget line),
    overdue rows highlighted."""
    ledger = overview.ledger
    return make_table(
        "spending.ledger",
        _tr("ledger_title", lang),
        _ledger_frame(ledger, overview, lang),
        _ledger_columns(lang, line=True),
        highlight=ledger[rules.IS_OVERDUE].astype(bool),
        caption=_tr("ledger_caption", lang),
        empty_text=translate("stages.workbook.no_decompte", lang),
        file_stem="registre_des_decomptes",
    )


def line_options(overview: SpendingOverview, lang: str) -> dict[str, str]:
    """The budget lines of the drill-down: code -> ``code · name``."""
    names = line_names(overview.chain, lang)
    return {
        code: f"{code} · {name}"
        for code, name in zip(overview.chain[chain.LINE_ID], names, strict=True)
    }


def drill_default(overview: SpendingOverview) -> int:
    """The line the drill-down opens on: the one furthest over its budget, else the first."""
    over = overview.chain[overview.chain[chain.OVER_BUDGET].astype(bool)]
    if over.empty:
        return 0
    return int(over[chain.OVERRUN].idxmax())


def line_contracts_table(overview: SpendingOverview, line_id: str, lang: str) -> Table:
    """The contracts and avenants of one budget line, with their Excel rows."""
    frame = line_contracts(overview.signed, line_id, overview.status_date)
    frame = frame.assign(**{SOURCE_ROW: frame[SOURCE_ROW].map(lambda row: (int(row),))})
    return make_table(
        "spending.line_contracts",
        _tr("drill_contracts", lang, line=line_id, count=len(frame)),
        frame,
        [
            Column(SOURCE_ROW, _col("source_row", lang), "rows", 8),
            Column(CONTRACTS.contract_id, _col("contract_id", lang), "text", 18),
            Column(CONTRACTS.contract_type, _col("contract_type", lang), "text", 12),
            Column(CONTRACTS.payee, _col("payee", lang), "text", 26),
            Column(CONTRACTS.object, _col("object", lang), "text", 36),
            Column(CONTRACTS.signed_date, _col("signed_date", lang), "date", 12),
            Column(CONTRACTS.amount, _col("amount", lang), "money", 17),
        ],
        empty_text=_tr("drill_no_contracts", lang),
        file_stem=f"marches_{line_id}",
    )


def line_decomptes_table(overview: SpendingOverview, line_id: str, lang: str) -> Table:
    """The décomptes of one budget line: each row is this line's share of a décompte, beside
    the whole décompte and how many lines it spans."""
    rows = line_decomptes(overview.ledger, line_id, overview.status_date)
    spread = rows[rows[rules.DECOMPTE_LINE_COUNT] > 1]
    note = ""
    if not spread.empty:
        note = _tr(
            "drill_share_caption",
            lang,
            count=len(spread),
            line=line_id,
        )
    return make_table(
        "spending.line_decomptes",
        _tr("drill_decomptes", lang, line=line_id, count=len(rows)),
        _ledger_frame(rows, overview, lang),
        _ledger_columns(lang, line=False),
        highlight=rows[rules.IS_OVERDUE].astype(bool),
        caption=note,
        empty_text=_tr("drill_no_decomptes", lang),
        file_stem=f"decomptes_{line_id}",
    )


# --- contract terms and penalties -----------------------------------------------------------


def penalty_text(overview: SpendingOverview, lang: str) -> str:
    """The delay penalties incurred, in one sentence (amounts to the centime, as the
    workbook's cell), or why there are none."""
    penalty = overview.penalty
    if penalty is None:
        return _tr("penalty_none", lang)
    currency = overview.currency
    return _tr(
        "penalty_text",
        lang,
        days=penalty.delay_days,
        amount=_money(penalty.amount, lang, currency),
        rate=format_percent(penalty.rate_per_day, lang, 1),
        contract=_money(penalty.contract_amount, lang, currency),
        cap=format_percent(penalty.cap, lang, 0),
        cap_amount=_money(penalty.cap_amount, lang, currency),
        days_to_cap=penalty.days_to_cap,
        finish=format_date(overview.forecast_finish, lang),
    )


def term_figures(overview: SpendingOverview, lang: str, completed: bool = False) -> list[Figure]:
    """The works contract, the delay-penalty exposure, the retention constituted on the
    issued and held on the paid, the réception and the release of the retention, and the
    forecast (or final) cost of the operation: each a value, or the sentence saying why not."""

    def label(key: str) -> str:
        return translate(f"stages.workbook.{key}", lang)

    contract = overview.works_contract
    retention = overview.retention
    figures = [
        Figure(
            "spending.works_contract",
            label("works_contract"),
            None if contract is None else f"{contract.contract_id} · {contract.payee or ''}",
            "text",
            reason=overview.reason("works_contract"),
        ),
        Figure(
            "spending.penalty",
            label("penalty"),
            None if overview.penalty is None else overview.penalty.amount,
            "money",
            reason=overview.reason("penalty"),
        ),
    ]
    if retention is not None:
        figures += [
            Figure(
                "spending.retention_constituted",
                label("retention_constituted"),
                retention.constituted,
                "money",
                help=_tr("retention_constituted_help", lang),
            ),
            Figure(
                "spending.retention_withheld",
                label("retention_withheld"),
                retention.withheld,
                "money",
            ),
            Figure(
                "spending.reception",
                label("reception"),
                retention.reception_date,
                "date",
                reason=NOT_RECEIVED,
            ),
            Figure(
                "spending.release_date",
                label("release_date"),
                retention.release_date,
                "date",
                reason=retention.reason,
            ),
        ]
    final = completed and overview.forecast_at_completion is not None
    figures.append(
        Figure(
            "spending.forecast_at_completion",
            translate("stages.figure.final_cost", lang)
            if final
            else _tr("metric.forecast_operation", lang),
            overview.forecast_at_completion,
            "money",
            reason=overview.reason("forecast_at_completion"),
        )
    )
    missing = translate("stages.not_available", lang)
    return [
        replace(figure, reason=None)
        if figure.value is not None
        else replace(figure, detail=reason_text(figure.reason, lang) or missing)
        for figure in figures
    ]


def term_lines(terms: list[Figure], lang: str) -> list[str]:
    """The terms as ``label : value`` lines (the value, or why it is missing)."""
    return [
        _tr(
            "term_line",
            lang,
            label=term.label,
            value=term.detail if term.value is None else format_value(term.value, term.kind, lang),
        )
        for term in terms
    ]


@dataclass(frozen=True)
class SpendingView:
    """Everything the Dépenses page draws and the workbook's Dépenses sheet writes."""

    verdict: Verdict
    amounts: list[Figure]
    rates: list[Figure]
    outlook: list[Figure]
    meaning: list[str]
    alerts: list[Verdict]
    breakdown: Table
    lines: Table
    earned: Table
    earned_lines: Table
    excluded: Table
    terms: list[Figure]
    rules: Table
    retention: Table
    overdue: Table
    #: the intérêts moratoires owed at the status date (``SpendingOverview.late_interest``)
    late_interest: Figure
    penalty: str
    ledger: Table


def spending_view(
    overview: SpendingOverview, settings, lang: str, *, completed: bool = False
) -> SpendingView:
    """The page's and the sheet's content; ``settings`` gives the contract rules' rates
    (``retention_rate``, ``retention_cap``, ``amendment_threshold``, ``payment_delay_days``);
    ``completed``: the works are finished (the forecast cost is the final cost)."""
    return SpendingView(
        verdict=verdict(overview, lang),
        amounts=amount_figures(overview, lang),
        rates=rate_figures(overview, lang),
        outlook=outlook_figures(overview, lang),
        meaning=meaning(overview, lang),
        alerts=alert_verdicts(overview, lang),
        breakdown=breakdown_table(overview, lang),
        lines=lines_table(overview, lang),
        earned=earned_table(overview, lang),
        earned_lines=earned_lines_table(overview, lang),
        excluded=excluded_table(overview, lang),
        terms=term_figures(overview, lang, completed),
        rules=rules_table(overview, settings, lang),
        retention=retention_table(overview, settings, lang),
        overdue=overdue_table(overview, settings, lang),
        late_interest=late_interest_figure(overview, lang),
        penalty=penalty_text(overview, lang),
        ledger=ledger_table(overview, lang),
    )
