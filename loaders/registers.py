"""The steering committee's three registers: decisions, actions and risks.

A COPIL (comité de pilotage) runs on a *relevé de décisions* (what was asked, of whom, by when,
and what was decided), a *plan d'actions* (who does what by when) and a *registre des risques*
(cause → event → effect, rated 1–5 in probability and impact). AREP keeps them in Word or
Excel: each loader reads one sheet of the registers workbook through the shared reading layer
(header detection, French dates, size guards) and applies the rules of its register. Words
the file writes for a status, a response or a stake (« À décider », « Mise en œuvre »,
« Réduire », « Délai »…, French or English, any case or accent) are stored as codes
(``DECISION_STATUSES``…), so a page or a document in any language draws them in its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from i18n import translate
from loaders.headers import normalise_header
from loaders.kinds import _Checker, _finish
from loaders.limits import ReadLimits
from loaders.problems import LoadResult
from loaders.schema import ACTIONS, DECISIONS, RISKS
from loaders.tables import read_table

#: code -> the words a register writes for it (normalised like headers when compared)
DECISION_STATUSES: dict[str, tuple[str, ...]] = {
    "pending": (
        "à décider",
        "attendue",
        "en attente",
        "à arbitrer",
        "pending",
        "to decide",
        "open",
    ),
    "taken": ("décidée", "prise", "arrêtée", "validée", "decided", "taken", "approved"),
    "implemented": ("mise en œuvre", "appliquée", "exécutée", "implemented", "carried out"),
    "dismissed": ("classée", "sans suite", "écartée", "rejetée", "dismissed", "rejected"),
}
ACTION_STATUSES: dict[str, tuple[str, ...]] = {
    "open": ("ouverte", "en cours", "à faire", "à lancer", "open", "in progress", "to do"),
    "done": ("faite", "réalisée", "terminée", "clôturée", "soldée", "done", "closed", "completed"),
    "dropped": ("abandonnée", "annulée", "dropped", "cancelled", "canceled", "abandoned"),
}
RISK_STATUSES: dict[str, tuple[str, ...]] = {
    "open": ("ouvert", "actif", "en cours", "surveillé", "open", "active", "monitored"),
    "occurred": ("survenu", "avéré", "réalisé", "occurred", "materialised", "materialized"),
    "closed": ("clos", "fermé", "levé", "écarté", "closed", "retired"),
}
RESPONSES: dict[str, tuple[str, ...]] = {
    "avoid": ("éviter", "évitement", "supprimer", "avoid", "avoidance"),
    "reduce": ("réduire", "réduction", "atténuer", "atténuation", "reduce", "mitigate"),
    "transfer": ("transférer", "transfert", "partager", "transfer", "share"),
    "accept": ("accepter", "acceptation", "accept", "acceptance", "tolerate"),
}
#: the RAG dimension a decision or a risk bears on (``tracking.rag``'s time, cost, scope)
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "time": ("délai", "délais", "planning", "calendrier", "time", "schedule"),
    "cost": ("coût", "coûts", "budget", "financier", "cost", "finance"),
    "scope": ("programme", "périmètre", "surfaces", "qualité", "scope", "quality"),
    "other": ("autre", "divers", "gouvernance", "other", "governance"),
}
#: the decisions still to be taken, the actions still to do, the risks still to watch
OPEN_DECISION = ("pending",)
OPEN_ACTION = ("open",)
OPEN_RISK = ("open", "occurred")
#: the rating scale of probability and impact
SCALE = (1, 5)

#: column -> its vocabulary, per register
VOCABULARIES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    DECISIONS.kind: {DECISIONS.status: DECISION_STATUSES, DECISIONS.dimension: DIMENSIONS},
    ACTIONS.kind: {ACTIONS.status: ACTION_STATUSES},
    RISKS.kind: {
        RISKS.status: RISK_STATUSES,
        RISKS.response: RESPONSES,
        RISKS.dimension: DIMENSIONS,
    },
}


def _lookup(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found = {}
    for code, words in vocabulary.items():
        found[normalise_header(code)] = code
        for word in words:
            found[normalise_header(word)] = code
    return found


_LOOKUPS = {
    kind: {column: _lookup(vocabulary) for column, vocabulary in columns.items()}
    for kind, columns in VOCABULARIES.items()
}


def code_of(kind: str, column: str, text: Any) -> str | None:
    """The code a register's word stands for (``"Mise en œuvre"`` -> ``"implemented"``),
    ``None`` for a blank or an unknown word."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _LOOKUPS[kind][column].get(normalise_header(text))


def _codes(check: _Checker, frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Each vocabulary column as codes; a word that names none is an error listing the words
    accepted, as a register file in the reader's language writes them."""
    frame = frame.copy()
    for column, vocabulary in VOCABULARIES[kind].items():
        texts = frame[column].tolist()
        codes = [code_of(kind, column, text) for text in texts]
        unknown = [
            position
            for position, (text, code) in enumerate(zip(texts, codes, strict=True))
            if isinstance(text, str) and text.strip() and code is None
        ]
        group = "dimension" if column == "dimension" else f"{kind}_{column}"
        accepted = ", ".join(
            f"« {translate(f'registers.word.{group}.{code}', check.lang)} »" for code in vocabulary
        )
        check.add("error", "unknown_register_value", unknown, column, accepted=accepted)
        frame[column] = pd.Series(codes, index=frame.index, dtype="str")
    return frame


def _ids(check: _Checker, id_column: str) -> None:
    check.required_ids(id_column)
    check.unique_ids(id_column)


def _required_status(check: _Checker, frame: pd.DataFrame, column: str) -> None:
    blank = frame[column].isna() | (frame[column].astype("str").str.strip() == "")
    check.add("error", "missing_value", frame.index[blank.fillna(True)], column)


def _read_register(schema, source, sheet, lang, max_bytes, limits):
    """The rules every register shares: its sheet read, ids present and unique, a status on
    every row, words as codes. Returns the read, its checker and the coded frame."""
    read = read_table(source, schema, sheet=sheet, lang=lang, max_bytes=max_bytes, limits=limits)
    check = _Checker(read, schema, lang)
    _ids(check, schema.columns[0].name)
    _required_status(check, read.frame, schema.status)
    return read, check, _codes(check, read.frame, schema.kind)


def load_decisions(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The relevé de décisions (see ``DECISIONS``): one row per question put to a body.

    A decision marked taken or implemented says what was decided (else it is refused: the
    register would claim a decision nobody can read); its due date is not before the meeting
    that raised it. A header with no row under it is a valid register: nothing asked yet.
    """
    read, check, frame = _read_register(DECISIONS, source, sheet, lang, max_bytes, limits)
    decided = frame[DECISIONS.status].isin(["taken", "implemented"])
    no_text = frame[DECISIONS.decision].isna() | (
        frame[DECISIONS.decision].astype("str").str.strip() == ""
    )
    check.add(
        "error",
        "decision_without_text",
        frame.index[(decided & no_text.fillna(True)).to_numpy()],
        DECISIONS.decision,
    )
    check.order(DECISIONS.meeting_date, DECISIONS.due_date, "due_before_raised")
    return _finish(read, check, frame, DECISIONS.kind)


def load_actions(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The plan d'actions (see ``ACTIONS``): who does what by when. An action is closed on
    or after the day it was opened, and not after today (a closure is a fact)."""
    read, check, frame = _read_register(ACTIONS, source, sheet, lang, max_bytes, limits)
    check.order(ACTIONS.opened_date, ACTIONS.due_date, "due_before_raised")
    check.order(ACTIONS.opened_date, ACTIONS.closed_date, "finish_before_start")
    check.not_after_today(ACTIONS.closed_date, "future_actual_date")
    return _finish(read, check, frame, ACTIONS.kind)


def load_risks(
    source,
    sheet: str | None = None,
    *,
    lang: str = "fr",
    max_bytes=None,
    limits: ReadLimits | None = None,
) -> LoadResult:
    """The registre des risques (see ``RISKS``): probability and impact are whole numbers of
    the 1–5 scale (their product, 1–25, ranks the risks); an impact in days or in MAD, when
    known, is not negative."""
    read, check, frame = _read_register(RISKS, source, sheet, lang, max_bytes, limits)
    low, high = SCALE
    for column in (RISKS.probability, RISKS.impact):
        values = frame[column]
        check.add("error", "missing_value", frame.index[values.isna()], column)
        off = values.notna() & ~(values.between(low, high) & (values % 1 == 0))
        check.add("error", "scale_out_of_range", frame.index[off], column, low=low, high=high)
    negative_days = frame[RISKS.impact_days].notna() & (frame[RISKS.impact_days] < 0)
    check.add("error", "negative_number", frame.index[negative_days], RISKS.impact_days)
    negative_mad = frame[RISKS.impact_mad].notna() & (frame[RISKS.impact_mad] < 0)
    check.add("error", "negative_amount", frame.index[negative_mad], RISKS.impact_mad)
    return _finish(read, check, frame, RISKS.kind)


REGISTER_LOADERS = {
    DECISIONS.kind: load_decisions,
    ACTIONS.kind: load_actions,
    RISKS.kind: load_risks,
}
