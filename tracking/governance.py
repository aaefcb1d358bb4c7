"""The steering registers at the status date: the decisions expected, the actions overdue, the
risks rated, what the rules suggest deciding, and what changed between two situations.

- **Décisions attendues**: the questions still « à décider », earliest due date first; one
  past its due date at the status date is overdue (the body did not decide in time).
- **Actions en retard**: an action still open whose due date is before the status date (due
  on the status date itself is not late yet).
- **Risques**: criticality = probability × impact on the 1–5 scales (1–25), banded
  ``RISK_BANDS``: 1–4 faible, 5–9 modéré, 10–14 élevé, 15–25 critique. The heat map counts the
  open risks (``OPEN_RISK``: open or occurred) per cell; the top risks are the open ones by
  criticality, then impact, then impact in MAD.
- **Décisions suggérées** (``suggested_decisions``): what the contract rules and the forecasts
  say somebody must decide, each with its figure and rule, until a decision of the register
  carries its rule key (accepted as a question to decide, or dismissed as « classée »):
  an avenant above ``amendment_threshold`` of the initial amount (décret 2-22-431: particular
  justification); a forecast finish after the contractual end (avenant de délai, or an OS
  d'arrêt if the works must stop); penalties reaching their cap (the CCAG-T lets the owner
  terminate the contract); a décompte unpaid past the legal delay (décret 2-16-344: interest
  runs); the forecast at completion above the envelope.

Pure functions over the canonical frames of ``loaders.schema`` (DECISIONS, ACTIONS, RISKS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders.registers import OPEN_ACTION, OPEN_DECISION, OPEN_RISK, SCALE
from loaders.schema import ACTIONS, DECISIONS, RISKS, TableSchema
from tracking.contract_rules import (
    AMENDMENT_FLAG,
    AMENDMENT_SHARE,
    CONTRACT_ID,
    DAYS_LATE,
    NET_DUE,
    REFERENCE,
)
from tracking.contracts import AMENDMENTS, INITIAL

#: columns added to the registers' frames
SCORE = "score"
BAND = "band"
IS_OVERDUE = "is_overdue"
DAYS_OVERDUE = "days_overdue"
TREND = "trend"
PREVIOUS_SCORE = "previous_score"
#: criticality bands: (lowest score, code), highest first
RISK_BANDS = ((15, "critical"), (10, "high"), (5, "moderate"), (1, "low"))
#: the colour of each band on the heat map and in the tables
BAND_COLOR = {"critical": "red", "high": "red", "moderate": "amber", "low": "green"}
TOP_RISKS = 5

_DTYPES = {"id": "str", "text": "str", "date": "datetime64[us]", "number": "float64"}


def empty_register(schema: TableSchema) -> pd.DataFrame:
    """A register with no row, with the columns and types of a loaded one."""
    return pd.DataFrame(
        {c.name: pd.Series(dtype=_DTYPES.get(c.type, "float64")) for c in schema.columns}
    )


@dataclass(frozen=True)
class Registers:
    """The three registers of one version (empty frames when a register has no row)."""

    decisions: pd.DataFrame
    actions: pd.DataFrame
    risks: pd.DataFrame

    @classmethod
    def of(cls, frames: dict[str, pd.DataFrame | None]) -> Registers | None:
        """The registers among a situation's tables, ``None`` when none was ever recorded."""
        found = {s.kind: frames.get(s.kind) for s in (DECISIONS, ACTIONS, RISKS)}
        if all(frame is None for frame in found.values()):
            return None
        return cls(
            *(
                empty_register(schema) if found[schema.kind] is None else found[schema.kind]
                for schema in (DECISIONS, ACTIONS, RISKS)
            )
        )

    @classmethod
    def empty(cls) -> Registers:
        return cls(empty_register(DECISIONS), empty_register(ACTIONS), empty_register(RISKS))

    def frames(self) -> dict[str, pd.DataFrame]:
        return {
            DECISIONS.kind: self.decisions,
            ACTIONS.kind: self.actions,
            RISKS.kind: self.risks,
        }


def _status(status_date) -> pd.Timestamp:
    return pd.Timestamp(status_date).normalize()


def _overdue(frame: pd.DataFrame, open_codes, due: str, status_date) -> pd.DataFrame:
    status = _status(status_date)
    is_open = frame[ACTIONS.status].isin(list(open_codes))
    late = is_open & frame[due].notna() & (frame[due].dt.normalize() < status)
    days = (status - frame[due].dt.normalize()).dt.days
    return frame.assign(
        **{
            IS_OVERDUE: late.astype(bool),
            DAYS_OVERDUE: days.where(late).astype("Float64").fillna(0).astype(int),
        }
    )


def expected_decisions(decisions: pd.DataFrame, status_date) -> pd.DataFrame:
    """The decisions still to take, earliest due date first (no due date last), each with
    whether it is past due at the status date and by how many days."""
    pending = decisions[decisions[DECISIONS.status].isin(list(OPEN_DECISION))]
    marked = _overdue(pending, OPEN_DECISION, DECISIONS.due_date, status_date)
    return marked.sort_values(
        [DECISIONS.due_date, DECISIONS.decision_id], na_position="last", kind="stable"
    ).reset_index(drop=True)


def marked_actions(actions: pd.DataFrame, status_date) -> pd.DataFrame:
    """Every action with whether it is overdue at the status date (open past its due date)."""
    return _overdue(actions, OPEN_ACTION, ACTIONS.due_date, status_date)


def overdue_actions(actions: pd.DataFrame, status_date) -> pd.DataFrame:
    """The open actions past their due date, most overdue first."""
    marked = marked_actions(actions, status_date)
    late = marked[marked[IS_OVERDUE]]
    return late.sort_values(
        [DAYS_OVERDUE, ACTIONS.action_id], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def band_of(score: float) -> str:
    for lowest, band in RISK_BANDS:
        if score >= lowest:
            return band
    return "low"


def scored_risks(risks: pd.DataFrame, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every risk with its criticality (probability × impact) and band; with ``previous``
    (the register of the earlier situation), the earlier criticality and the trend: ``up``,
    ``down``, ``same`` or ``new``."""
    score = risks[RISKS.probability] * risks[RISKS.impact]
    frame = risks.assign(
        **{
            SCORE: score,
            BAND: pd.Series([band_of(s) for s in score], index=risks.index, dtype="str"),
        }
    )
    if previous is None:
        return frame
    before = dict(
        zip(
            previous[RISKS.risk_id],
            previous[RISKS.probability] * previous[RISKS.impact],
            strict=True,
        )
    )
    earlier = frame[RISKS.risk_id].map(before).astype("float64")
    trend = [
        "new" if pd.isna(old) else "up" if new > old else "down" if new < old else "same"
        for old, new in zip(earlier, frame[SCORE], strict=True)
    ]
    return frame.assign(
        **{PREVIOUS_SCORE: earlier, TREND: pd.Series(trend, index=frame.index, dtype="str")}
    )


def top_risks(scored: pd.DataFrame, limit: int = TOP_RISKS) -> pd.DataFrame:
    """The open risks by criticality, then impact, then impact in MAD, at most ``limit``."""
    live = scored[scored[RISKS.status].isin(list(OPEN_RISK))]
    ranked = live.assign(_mad=live[RISKS.impact_mad].fillna(0.0)).sort_values(
        [SCORE, RISKS.impact, "_mad", RISKS.risk_id],
        ascending=[False, False, False, True],
        kind="stable",
    )
    return ranked.drop(columns="_mad").head(limit).reset_index(drop=True)


#: columns of ``heat_map``
PROBABILITY, IMPACT, COUNT, RISK_IDS = "probability", "impact", "count", "risk_ids"


def heat_map(scored: pd.DataFrame) -> pd.DataFrame:
    """The 5 × 5 matrix of the open risks: one row per (probability, impact) cell, all 25,
    with how many risks fall in it, their ids and the cell's band."""
    low, high = SCALE
    live = scored[scored[RISKS.status].isin(list(OPEN_RISK))]
    rows = []
    for probability in range(low, high + 1):
        for impact in range(low, high + 1):
            here = live[(live[RISKS.probability] == probability) & (live[RISKS.impact] == impact)]
            rows.append(
                {
                    PROBABILITY: probability,
                    IMPACT: impact,
                    COUNT: len(here),
                    RISK_IDS: tuple(here[RISKS.risk_id].tolist()),
                    BAND: band_of(probability * impact),
                }
            )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Suggestion:
    """A decision the figures call for: the rule (``code``), the key that recognises it in
    the register (``rule``), the RAG dimension, and the figures of the sentence."""

    code: str
    rule: str
    dimension: str
    params: dict[str, Any] = field(default_factory=dict)


def suggested_decisions(
    decisions: pd.DataFrame,
    planning=None,
    spending=None,
    envelope: float | None = None,
    amendment_threshold: float = 0.10,
) -> list[Suggestion]:
    """What the rules say must be decided (see the module's docstring), less those whose
    rule key the register already holds (accepted or dismissed)."""
    found: list[Suggestion] = []
    if spending is not None:
        rules = spending.rules
        for _, row in rules[rules[AMENDMENT_FLAG].fillna(False).astype(bool)].iterrows():
            found.append(
                Suggestion(
                    "amendment_over_threshold",
                    f"amendment_over_threshold:{row[CONTRACT_ID]}",
                    "cost",
                    {
                        "contract": row[CONTRACT_ID],
                        "share": float(row[AMENDMENT_SHARE]),
                        "amendments": float(row[AMENDMENTS]),
                        "initial": float(row[INITIAL]),
                        "threshold": float(amendment_threshold),
                    },
                )
            )
        for _, row in spending.overdue.iterrows():
            found.append(
                Suggestion(
                    "late_payment",
                    f"late_payment:{row[CONTRACT_ID]}:{row[REFERENCE]}",
                    "cost",
                    {
                        "contract": row[CONTRACT_ID],
                        "reference": row[REFERENCE],
                        "days_late": int(row[DAYS_LATE]),
                        "amount": float(row[NET_DUE]),
                    },
                )
            )
        penalty = spending.penalty
        if penalty is not None and 0 < penalty.days_to_cap <= penalty.delay_days:
            found.append(
                Suggestion(
                    "penalty_cap",
                    "penalty_cap",
                    "time",
                    {
                        "amount": float(penalty.amount),
                        "days": int(penalty.delay_days),
                        "days_to_cap": int(penalty.days_to_cap),
                    },
                )
            )
        forecast = spending.forecast_at_completion
        if envelope and forecast is not None and forecast > envelope + 0.005:
            found.append(
                Suggestion(
                    "envelope_exceeded",
                    "envelope_exceeded",
                    "cost",
                    {"forecast": float(forecast), "envelope": float(envelope)},
                )
            )
    if planning is not None:
        delay = planning.forecast.delay_vs_contract_days
        finish = planning.forecast.forecast_finish
        if delay is not None and delay > 0 and not planning.forecast.completed:
            end = planning.forecast.contractual_end
            found.append(
                Suggestion(
                    "delay_extension",
                    f"delay_extension:{pd.Timestamp(end).date().isoformat()}",
                    "time",
                    {"days": int(delay), "finish": finish, "end": end},
                )
            )
    known = set(decisions[DECISIONS.rule].dropna().tolist())
    # a delay suggestion is one per contractual end: once decided, a later forecast slip
    # against the same end is the same question
    return [s for s in sorted(found, key=_order) if s.rule not in known]


def _order(suggestion: Suggestion) -> tuple:
    return (("time", "cost", "scope", "other").index(suggestion.dimension), suggestion.rule)


@dataclass(frozen=True)
class GovernanceOverview:
    """The registers at the status date, ready for the Synthèse, the registers page, the
    briefing documents and the workbook."""

    status_date: dt.date
    decisions: pd.DataFrame
    actions: pd.DataFrame  # with IS_OVERDUE, DAYS_OVERDUE
    risks: pd.DataFrame  # with SCORE, BAND (and TREND when the earlier register is known)
    expected: pd.DataFrame
    overdue: pd.DataFrame
    top: pd.DataFrame
    heat: pd.DataFrame
    suggestions: list[Suggestion]

    def registers(self) -> Registers:
        """The registers as recorded (without the columns computed here)."""
        return Registers(
            self.decisions[DECISIONS.names],
            self.actions[ACTIONS.names],
            self.risks[RISKS.names],
        )

    @property
    def open_actions(self) -> int:
        return int(self.actions[ACTIONS.status].isin(list(OPEN_ACTION)).sum())

    @property
    def open_risks(self) -> int:
        return int(self.risks[RISKS.status].isin(list(OPEN_RISK)).sum())

    def decided_on(self, dimension: str) -> pd.Series | None:
        """The latest decision taken or implemented on ``dimension`` (time, cost, scope), the
        one a red rating's sentence names; ``None`` when there is none."""
        decided = self.decisions[
            self.decisions[DECISIONS.status].isin(["taken", "implemented"])
            & (self.decisions[DECISIONS.dimension] == dimension)
        ]
        if decided.empty:
            return None
        ordered = decided.sort_values(DECISIONS.meeting_date, na_position="first", kind="stable")
        return ordered.iloc[-1]


def governance_overview(
    registers: Registers,
    status_date,
    *,
    planning=None,
    spending=None,
    envelope: float | None = None,
    previous: Registers | None = None,
    amendment_threshold: float = 0.10,
) -> GovernanceOverview:
    """Every figure of the registers at ``status_date`` (see the module's docstring)."""
    scored = scored_risks(registers.risks, previous.risks if previous is not None else None)
    return GovernanceOverview(
        status_date=_status(status_date).date(),
        decisions=registers.decisions,
        actions=marked_actions(registers.actions, status_date),
        risks=scored,
        expected=expected_decisions(registers.decisions, status_date),
        overdue=overdue_actions(registers.actions, status_date),
        top=top_risks(scored),
        heat=heat_map(scored),
        suggestions=suggested_decisions(
            registers.decisions, planning, spending, envelope, amendment_threshold
        ),
    )


# --- what changed between two situations ---------------------------------------------------


@dataclass(frozen=True)
class RegisterChanges:
    """What the registers say happened between an earlier situation and a later one."""

    decisions_taken: pd.DataFrame
    decisions_new: pd.DataFrame
    actions_opened: pd.DataFrame
    actions_closed: pd.DataFrame
    actions_now_overdue: pd.DataFrame
    risks_new: pd.DataFrame
    risks_closed: pd.DataFrame
    risks_rerated: pd.DataFrame  # with PREVIOUS_SCORE, SCORE, TREND

    @property
    def empty(self) -> bool:
        return all(
            frame.empty
            for frame in (
                self.decisions_taken,
                self.decisions_new,
                self.actions_opened,
                self.actions_closed,
                self.actions_now_overdue,
                self.risks_new,
                self.risks_closed,
                self.risks_rerated,
            )
        )


def _status_before(before: pd.DataFrame, id_column: str, after: pd.DataFrame) -> pd.Series:
    known = dict(zip(before[id_column], before[ACTIONS.status], strict=True))
    return after[id_column].map(known)


def compare_registers(
    before: Registers | None, after: Registers, before_date, after_date
) -> RegisterChanges:
    """Decisions taken (pending or absent before, taken or implemented now) and newly asked;
    actions opened (absent before), closed (open or absent before, done or dropped now) and
    now overdue (overdue at the later date, not at the earlier one); risks new, closed (open
    before, closed now) and re-rated (criticality changed)."""
    earlier = before if before is not None else Registers.empty()
    d_after, d_status = (
        after.decisions,
        _status_before(earlier.decisions, DECISIONS.decision_id, after.decisions),
    )
    decided = d_after[DECISIONS.status].isin(["taken", "implemented"])
    taken = d_after[decided & ~d_status.isin(["taken", "implemented"])]
    new_pending = d_after[d_status.isna() & d_after[DECISIONS.status].isin(list(OPEN_DECISION))]

    a_after = marked_actions(after.actions, after_date)
    a_status = _status_before(earlier.actions, ACTIONS.action_id, a_after)
    opened = a_after[a_status.isna()]
    closed = a_after[
        a_after[ACTIONS.status].isin(["done", "dropped"]) & ~a_status.isin(["done", "dropped"])
    ]
    was_overdue = set(
        marked_actions(earlier.actions, before_date)
        .loc[lambda f: f[IS_OVERDUE], ACTIONS.action_id]
        .tolist()
    )
    now_overdue = a_after[a_after[IS_OVERDUE] & ~a_after[ACTIONS.action_id].isin(was_overdue)]

    r_after = scored_risks(after.risks, earlier.risks)
    r_status = _status_before(earlier.risks, RISKS.risk_id, r_after)
    risks_new = r_after[r_status.isna()]
    risks_closed = r_after[(r_after[RISKS.status] == "closed") & r_status.isin(list(OPEN_RISK))]
    rerated = r_after[r_after[TREND].isin(["up", "down"])].sort_values(
        [SCORE, RISKS.risk_id], ascending=[False, True], kind="stable"
    )
    return RegisterChanges(
        *(
            frame.reset_index(drop=True)
            for frame in (
                taken,
                new_pending,
                opened,
                closed,
                now_overdue,
                risks_new,
                risks_closed,
                rerated,
            )
        )
    )


# --- the history of one item ----------------------------------------------------------------

#: columns of ``item_history``
VERSION, RECORDED_AT, RECORDED_BY, CHANGE, CHANGED_COLUMNS = (
    "version",
    "recorded_at",
    "recorded_by",
    "change",
    "changed_columns",
)


def _same(a: Any, b: Any) -> bool:
    if (a is None or (not isinstance(a, str) and pd.isna(a))) and (
        b is None or (not isinstance(b, str) and pd.isna(b))
    ):
        return True
    return a == b


def item_history(versions, schema: TableSchema, item_id: str) -> pd.DataFrame:
    """Every version of the registers in which one item was added, changed or removed, oldest
    first: the version's id, when and by whom it was recorded, what happened (``added``,
    ``changed``, ``removed``), which columns changed, and the item as that version holds it.
    ``versions``: ``(version id, recorded at, recorded by, the register's frame)`` in the
    order they were recorded."""
    id_column = schema.columns[0].name
    names = [c.name for c in schema.columns]
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for version, recorded_at, recorded_by, frame in versions:
        match = frame[frame[id_column] == item_id]
        current = match.iloc[0][names].to_dict() if not match.empty else None
        meta = {VERSION: version, RECORDED_AT: recorded_at, RECORDED_BY: recorded_by}
        if current is not None and previous is None:
            rows.append({**meta, CHANGE: "added", CHANGED_COLUMNS: (), **current})
        elif current is not None and previous is not None:
            changed = tuple(n for n in names if not _same(current[n], previous[n]))
            if changed:
                rows.append({**meta, CHANGE: "changed", CHANGED_COLUMNS: changed, **current})
        elif current is None and previous is not None:
            rows.append({**meta, CHANGE: "removed", CHANGED_COLUMNS: (), **previous})
        previous = current
    columns = [VERSION, RECORDED_AT, RECORDED_BY, CHANGE, CHANGED_COLUMNS, *names]
    return pd.DataFrame(rows, columns=columns)
