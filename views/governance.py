"""What a reader sees of the steering registers: the decisions expected, the actions overdue,
the top risks and their heat map, the suggested decisions, the registers in full, and what
changed between two situations. The Synthèse, the registers page, the weekly review, the
briefing note and slides and the workbook all draw these specs."""

from __future__ import annotations

import pandas as pd

from i18n import translate
from i18n.format import format_date, format_money, format_percent
from loaders.schema import ACTIONS, DECISIONS, RISKS
from tracking.governance import (
    BAND,
    BAND_COLOR,
    DAYS_OVERDUE,
    IS_OVERDUE,
    PREVIOUS_SCORE,
    SCORE,
    TREND,
    GovernanceOverview,
    RegisterChanges,
    Suggestion,
    compare_registers,
)
from views.spec import Column, Figure, Table, make_table

#: columns of the views' frames that hold words (codes drawn in the reader's language)
STATUS_TEXT, DIMENSION_TEXT, RESPONSE_TEXT, BAND_TEXT, TREND_TEXT = (
    "status_text",
    "dimension_text",
    "response_text",
    "band_text",
    "trend_text",
)
ITEM = "item"
TREND_ARROW = {"up": "↑", "down": "↓", "same": "=", "new": "+"}


def _tr(key: str, lang: str, **params) -> str:
    return translate(f"registers.{key}", lang, **params)


def _label(name: str, lang: str) -> str:
    return translate(f"column.{name}", lang)


def _words(codes: pd.Series, group: str, lang: str) -> pd.Series:
    return pd.Series(
        [
            translate(f"registers.word.{group}.{c}", lang) if isinstance(c, str) and c else ""
            for c in codes
        ],
        index=codes.index,
        dtype="str",
    )


def _with_words(frame: pd.DataFrame, kind: str, lang: str) -> pd.DataFrame:
    extra = {STATUS_TEXT: _words(frame["status"], f"{kind}_status", lang)}
    if "dimension" in frame.columns:
        extra[DIMENSION_TEXT] = _words(frame["dimension"], "dimension", lang)
    if "response" in frame.columns:
        extra[RESPONSE_TEXT] = _words(frame["response"], "risks_response", lang)
    if BAND in frame.columns:
        extra[BAND_TEXT] = _words(frame[BAND], "band", lang)
    if TREND in frame.columns:
        extra[TREND_TEXT] = pd.Series(
            [
                f"{TREND_ARROW.get(t, '')} {translate(f'registers.word.trend.{t}', lang)}"
                if isinstance(t, str)
                else ""
                for t in frame[TREND]
            ],
            index=frame.index,
            dtype="str",
        )
    return frame.assign(**extra)


# --- the Synthèse ---------------------------------------------------------------------------


def governance_figures(governance: GovernanceOverview, lang: str = "fr") -> list[Figure]:
    """Decisions expected (of which past due), actions overdue (of the open ones), risks rated
    high or critical (of the open ones)."""
    expected = governance.expected
    late_decisions = int(expected[IS_OVERDUE].sum())
    severe = governance.risks[
        governance.risks[RISKS.status].isin(["open", "occurred"])
        & governance.risks[BAND].isin(["high", "critical"])
    ]
    return [
        Figure(
            "decisions_expected",
            _tr("figure.expected", lang),
            len(expected),
            "count",
            detail=_tr("detail.expected", lang, count=late_decisions),
        ),
        Figure(
            "actions_overdue",
            _tr("figure.overdue", lang),
            len(governance.overdue),
            "count",
            detail=_tr("detail.overdue", lang, count=governance.open_actions),
        ),
        Figure(
            "risks_severe",
            _tr("figure.severe", lang),
            len(severe),
            "count",
            detail=_tr("detail.severe", lang, count=governance.open_risks),
        ),
    ]


def _late_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Days overdue shown only where the item is late (blank, not 0, for the others)."""
    return frame.assign(**{DAYS_OVERDUE: frame[DAYS_OVERDUE].where(frame[IS_OVERDUE])})


def expected_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    """« Décisions attendues »: the questions to decide, who decides, by when; past-due ones
    highlighted."""
    frame = _late_days(_with_words(governance.expected, "decisions", lang))
    columns = [
        Column(DECISIONS.decision_id, _label("decision_id", lang), "text", 9),
        Column(DECISIONS.question, _label("question", lang), "text", 46),
        Column(DECISIONS.decided_by, _label("decided_by", lang), "text", 22),
        Column(DECISIONS.body, _label("body", lang), "text", 14),
        Column(DECISIONS.due_date, _label("due_date", lang), "date", 12),
        Column(DAYS_OVERDUE, _tr("col.days_overdue", lang), "days", 10),
    ]
    return make_table(
        "registers.expected",
        _tr("expected_title", lang),
        frame,
        columns,
        highlight=frame[IS_OVERDUE],
        empty_text=_tr("expected_empty", lang),
        file_stem=_tr("expected_file", lang),
    )


def overdue_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    """« Actions en retard »: open past their due date, most overdue first."""
    frame = governance.overdue
    columns = [
        Column(ACTIONS.action_id, _label("action_id", lang), "text", 9),
        Column(ACTIONS.action, _label("action", lang), "text", 46),
        Column(ACTIONS.owner, _label("owner", lang), "text", 24),
        Column(ACTIONS.due_date, _label("due_date", lang), "date", 12),
        Column(DAYS_OVERDUE, _tr("col.days_overdue", lang), "days", 10),
        Column(ACTIONS.origin, _label("origin", lang), "text", 16),
    ]
    return make_table(
        "registers.overdue",
        _tr("overdue_title", lang),
        frame,
        columns,
        empty_text=_tr("overdue_empty", lang),
        file_stem=_tr("overdue_file", lang),
    )


def top_risks_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    """The open risks ranked by criticality (probability × impact)."""
    frame = _with_words(governance.top, "risks", lang)
    columns = [
        Column(RISKS.risk_id, _label("risk_id", lang), "text", 8),
        Column(RISKS.title, _label("title", lang), "text", 40),
        Column(RISKS.probability, _tr("col.p", lang), "int", 5, _label("probability", lang)),
        Column(RISKS.impact, _tr("col.i", lang), "int", 5, _label("impact", lang)),
        Column(SCORE, _tr("col.score", lang), "int", 10, _tr("col.score_help", lang)),
        Column(BAND_TEXT, _tr("col.band", lang), "text", 10),
        Column(RISKS.owner, _label("owner", lang), "text", 22),
        Column(RESPONSE_TEXT, _label("response", lang), "text", 11),
    ]
    if TREND in frame.columns:
        columns.append(Column(TREND_TEXT, _tr("col.trend", lang), "text", 11))
    return make_table(
        "registers.top_risks",
        _tr("top_risks_title", lang),
        frame,
        columns,
        highlight=frame[BAND].isin(["critical"]) if BAND in frame.columns else None,
        empty_text=_tr("top_risks_empty", lang),
        file_stem=_tr("top_risks_file", lang),
    )


def suggestion_text(suggestion: Suggestion, lang: str = "fr", currency: str = "MAD") -> str:
    """The decision a rule calls for, with its figure: « Avenant n° … : 12,4 % du montant
    initial, au-delà du seuil de 10 % … »."""
    p = dict(suggestion.params)
    for name in ("amount", "forecast", "envelope", "amendments", "initial"):
        if name in p:
            p[name] = format_money(p[name], lang, currency, 0)
    if "share" in p:
        p["share"] = format_percent(p["share"], lang, 1)
    if "threshold" in p:
        p["threshold"] = format_percent(p["threshold"], lang, 0)
    for name in ("finish", "end"):
        if name in p:
            p[name] = format_date(p[name], lang)
    return _tr(f"suggestion.{suggestion.code}", lang, **p)


def suggestions_table(governance: GovernanceOverview, lang: str = "fr", currency="MAD") -> Table:
    """The decisions suggested by the rules, each with its sentence and rule key."""
    suggestions = governance.suggestions
    frame = pd.DataFrame(
        {
            "rule": pd.Series([s.rule for s in suggestions], dtype="str"),
            "dimension": pd.Series([s.dimension for s in suggestions], dtype="str"),
            "text": pd.Series(
                [suggestion_text(s, lang, currency) for s in suggestions], dtype="str"
            ),
        }
    )
    frame = frame.assign(**{DIMENSION_TEXT: _words(frame["dimension"], "dimension", lang)})
    columns = [
        Column(DIMENSION_TEXT, _label("dimension", lang), "text", 10),
        Column("text", _tr("col.suggestion", lang), "text", 90),
    ]
    return make_table(
        "registers.suggestions",
        _tr("suggestions_title", lang),
        frame,
        columns,
        empty_text=_tr("suggestions_empty", lang),
    )


def rating_decision_note(
    governance: GovernanceOverview | None, dimension: str, lang: str = "fr"
) -> str | None:
    """The sentence added to a red rating when the register holds a decision taken on its
    dimension (« Décision prise le 16/10/2026 (COPIL) : … »); ``None`` otherwise."""
    if governance is None:
        return None
    decision = governance.decided_on(dimension)
    if decision is None:
        return None
    day = decision[DECISIONS.meeting_date]
    return _tr(
        "rating_note",
        lang,
        date=format_date(day, lang) if pd.notna(day) else "—",
        body=decision[DECISIONS.body] if isinstance(decision[DECISIONS.body], str) else "—",
        decision=shortened(str(decision[DECISIONS.decision]), NOTE_CHARACTERS),
    )


#: a decision quoted in a rating's sentence is cut at a word past this length (the rating
#: cards of the slides and the note hold a few lines; the register holds the whole text)
NOTE_CHARACTERS = 40


def shortened(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters, else cut at the last space before
    the limit, with « … »."""
    text = text.strip().rstrip(".")
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:")
    return f"{cut}…"


# --- the registers in full (the registers page, the workbook) ------------------------------


def decisions_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    frame = _with_words(governance.decisions, "decisions", lang)
    expected = set(governance.expected.loc[governance.expected[IS_OVERDUE], DECISIONS.decision_id])
    columns = [
        Column(DECISIONS.decision_id, _label("decision_id", lang), "text", 9),
        Column(DECISIONS.meeting_date, _label("meeting_date", lang), "date", 12),
        Column(DECISIONS.body, _label("body", lang), "text", 14),
        Column(DECISIONS.question, _label("question", lang), "text", 40),
        Column(DECISIONS.decision, _label("decision", lang), "text", 36),
        Column(DECISIONS.decided_by, _label("decided_by", lang), "text", 20),
        Column(DECISIONS.due_date, _label("due_date", lang), "date", 12),
        Column(STATUS_TEXT, _label("status", lang), "text", 13),
        Column(DIMENSION_TEXT, _label("dimension", lang), "text", 10),
        Column(DECISIONS.links, _label("links", lang), "text", 18),
    ]
    return make_table(
        "registers.decisions",
        _tr("decisions_title", lang),
        frame,
        columns,
        highlight=frame[DECISIONS.decision_id].isin(expected),
        empty_text=_tr("decisions_empty", lang),
        file_stem=_tr("decisions_file", lang),
    )


def actions_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    frame = _late_days(_with_words(governance.actions, "actions", lang))
    columns = [
        Column(ACTIONS.action_id, _label("action_id", lang), "text", 9),
        Column(ACTIONS.action, _label("action", lang), "text", 44),
        Column(ACTIONS.owner, _label("owner", lang), "text", 22),
        Column(ACTIONS.due_date, _label("due_date", lang), "date", 12),
        Column(STATUS_TEXT, _label("status", lang), "text", 11),
        Column(DAYS_OVERDUE, _tr("col.days_overdue", lang), "days", 10),
        Column(ACTIONS.origin, _label("origin", lang), "text", 16),
        Column(ACTIONS.opened_date, _label("opened_date", lang), "date", 12),
        Column(ACTIONS.closed_date, _label("closed_date", lang), "date", 12),
    ]
    return make_table(
        "registers.actions",
        _tr("actions_title", lang),
        frame,
        columns,
        highlight=frame[IS_OVERDUE],
        empty_text=_tr("actions_empty", lang),
        file_stem=_tr("actions_file", lang),
    )


def risks_table(governance: GovernanceOverview, lang: str = "fr") -> Table:
    frame = _with_words(governance.risks, "risks", lang)
    frame = frame.sort_values(
        [SCORE, RISKS.risk_id], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    columns = [
        Column(RISKS.risk_id, _label("risk_id", lang), "text", 8),
        Column(RISKS.title, _label("title", lang), "text", 34),
        Column(RISKS.cause, _label("cause", lang), "text", 24),
        Column(RISKS.event, _label("event", lang), "text", 24),
        Column(RISKS.effect, _label("effect", lang), "text", 24),
        Column(RISKS.probability, _tr("col.p", lang), "int", 5, _label("probability", lang)),
        Column(RISKS.impact, _tr("col.i", lang), "int", 5, _label("impact", lang)),
        Column(SCORE, _tr("col.score", lang), "int", 9, _tr("col.score_help", lang)),
        Column(BAND_TEXT, _tr("col.band", lang), "text", 10),
        Column(RISKS.impact_days, _label("impact_days", lang), "days", 10),
        Column(RISKS.impact_mad, _label("impact_mad", lang), "money", 14),
        Column(RISKS.owner, _label("owner", lang), "text", 20),
        Column(RESPONSE_TEXT, _label("response", lang), "text", 11),
        Column(STATUS_TEXT, _label("status", lang), "text", 10),
    ]
    if TREND in frame.columns:
        columns.append(Column(TREND_TEXT, _tr("col.trend", lang), "text", 11))
    live = frame[RISKS.status].isin(["open", "occurred"])
    return make_table(
        "registers.risks",
        _tr("risks_title", lang),
        frame,
        columns,
        highlight=live & frame[BAND].isin(["critical"]),
        empty_text=_tr("risks_empty", lang),
        file_stem=_tr("risks_file", lang),
    )


def heat_cells(governance: GovernanceOverview, lang: str = "fr") -> pd.DataFrame:
    """The heat map's 25 cells with the colour of their band and the ids they hold (the chart
    draws this)."""
    heat = governance.heat
    return heat.assign(
        color=heat[BAND].map(BAND_COLOR),
        label=[", ".join(ids) for ids in heat["risk_ids"]],
    )


# --- the weekly review ----------------------------------------------------------------------

#: the review's register tables: (key, RegisterChanges field, register kind)
CHANGE_PARTS = (
    ("decisions_taken", "decisions"),
    ("decisions_new", "decisions"),
    ("actions_closed", "actions"),
    ("actions_opened", "actions"),
    ("actions_now_overdue", "actions"),
    ("risks_new", "risks"),
    ("risks_rerated", "risks"),
    ("risks_closed", "risks"),
)


def _item(frame: pd.DataFrame, kind: str) -> pd.Series:
    ids = {"decisions": "decision_id", "actions": "action_id", "risks": "risk_id"}[kind]
    texts = {"decisions": "question", "actions": "action", "risks": "title"}[kind]
    return frame[ids].astype("str") + " · " + frame[texts].astype("str")


def register_changes(before, after) -> RegisterChanges | None:
    """What the registers say happened between two situations (``ProjectSituation``s; the
    earlier one may have no register yet, or be ``None``); ``None`` when the later one has no
    register."""
    if after is None or after.governance is None:
        return None
    earlier = before.governance.registers() if before is not None and before.governance else None
    return compare_registers(
        earlier,
        after.governance.registers(),
        before.status_date if before is not None else after.status_date,
        after.status_date,
    )


def change_tables(changes: RegisterChanges, lang: str = "fr") -> list[Table]:
    """One table per kind of change (decisions taken, actions closed, risks re-rated…), the
    item and what matters of it."""
    tables = []
    for key, kind in CHANGE_PARTS:
        frame = getattr(changes, key)
        frame = _with_words(frame, kind, lang).assign(**{ITEM: _item(frame, kind)})
        columns = [Column(ITEM, _tr("col.item", lang), "text", 50)]
        if kind == "decisions":
            columns += [
                Column(DECISIONS.decision, _label("decision", lang), "text", 36),
                Column(DECISIONS.due_date, _label("due_date", lang), "date", 12),
            ]
        elif kind == "actions":
            columns += [
                Column(ACTIONS.owner, _label("owner", lang), "text", 22),
                Column(ACTIONS.due_date, _label("due_date", lang), "date", 12),
                Column(STATUS_TEXT, _label("status", lang), "text", 11),
            ]
        else:
            columns += [
                Column(PREVIOUS_SCORE, _tr("col.previous_score", lang), "int", 10),
                Column(SCORE, _tr("col.score", lang), "int", 9),
                Column(TREND_TEXT, _tr("col.trend", lang), "text", 11),
            ]
        tables.append(
            make_table(
                f"review.registers.{key}",
                _tr(f"change.{key}", lang, count=len(frame)),
                frame,
                columns,
                empty_text=_tr("change_empty", lang),
            )
        )
    return tables


def history_table(history: pd.DataFrame, schema, lang: str = "fr") -> Table:
    """``tracking.governance.item_history`` as a table: each version that added, changed or
    removed the item, by whom and when, the columns that changed, and the item's main values
    at that version."""
    kind = schema.kind
    frame = (
        _with_words(history, kind, lang)
        if len(history)
        else history.assign(**{STATUS_TEXT: pd.Series(dtype="str")})
    )
    frame = frame.assign(
        when=[t.strftime("%d/%m/%Y %H:%M") for t in frame["recorded_at"]],
        what=[
            _tr(f"history.{change}", lang)
            + (
                " : " + ", ".join(translate(f"column.{c}", lang) for c in changed)
                if changed
                else ""
            )
            for change, changed in zip(frame["change"], frame["changed_columns"], strict=True)
        ],
    )
    main = {
        "decisions": [("question", 34), ("decision", 30), ("due_date", 12)],
        "actions": [("action", 34), ("owner", 20), ("due_date", 12), ("closed_date", 12)],
        "risks": [("title", 30), ("probability", 5), ("impact", 5), ("owner", 18)],
    }[kind]
    columns = [
        Column("version", _tr("history.version", lang), "int", 8),
        Column("when", _tr("history.when", lang), "text", 16),
        Column("recorded_by", _tr("history.by", lang), "text", 18),
        Column("what", _tr("history.what", lang), "text", 30),
        Column(STATUS_TEXT, _label("status", lang), "text", 12),
    ] + [
        Column(
            name,
            _label(name, lang),
            schema.column(name).type
            if schema.column(name).type == "date"
            else ("int" if name in ("probability", "impact") else "text"),
            width,
        )
        for name, width in main
    ]
    return make_table(
        f"registers.history.{kind}",
        _tr("history_title", lang),
        frame,
        columns,
        empty_text=_tr("history_empty", lang),
    )


# --- the briefing documents (note and slides): short lines -----------------------------------


def expected_lines(
    governance: GovernanceOverview, lang: str = "fr", limit: int = 4
) -> list[tuple[str, str]]:
    """(colour, sentence) of each decision expected, earliest due first: red past due, amber
    otherwise; at most ``limit``, then how many more."""
    lines = []
    for _, row in governance.expected.head(limit).iterrows():
        due = row[DECISIONS.due_date]
        params = {
            "id": row[DECISIONS.decision_id],
            "question": row[DECISIONS.question],
            "who": row[DECISIONS.decided_by] if isinstance(row[DECISIONS.decided_by], str) else "—",
            "due": format_date(due, lang) if pd.notna(due) else "—",
        }
        if row[IS_OVERDUE]:
            text = _tr("line.expected_late", lang, days=int(row[DAYS_OVERDUE]), **params)
        else:
            text = _tr("line.expected", lang, **params)
        lines.append(("red" if row[IS_OVERDUE] else "amber", text))
    more = len(governance.expected) - limit
    if more > 0:
        lines.append(("amber", _tr("line.more", lang, count=more)))
    return lines


def overdue_line(governance: GovernanceOverview, lang: str = "fr") -> str:
    """« 2 actions en retard : A-02 (14 j), A-04 (3 j). » or that none is."""
    overdue = governance.overdue
    if overdue.empty:
        return _tr("overdue_empty", lang)
    items = ", ".join(
        _tr("line.action_item", lang, id=row[ACTIONS.action_id], days=int(row[DAYS_OVERDUE]))
        for _, row in overdue.iterrows()
    )
    return _tr("line.overdue", lang, count=len(overdue), items=items)


def top_risk_lines(
    governance: GovernanceOverview, lang: str = "fr", limit: int = 3
) -> list[tuple[str, str]]:
    """(colour, sentence) of the top open risks: « R-01 · … — criticité 16/25 (critique) »."""
    lines = []
    for _, row in governance.top.head(limit).iterrows():
        band = row[BAND]
        lines.append(
            (
                BAND_COLOR[band],
                _tr(
                    "line.risk",
                    lang,
                    id=row[RISKS.risk_id],
                    title=row[RISKS.title],
                    score=int(row[SCORE]),
                    band=translate(f"registers.word.band.{band}", lang).lower(),
                ),
            )
        )
    return lines
