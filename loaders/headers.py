"""Header normalisation, matching against a schema's aliases, and header-row detection."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from loaders.schema import TableSchema

#: rows scanned from the top of a sheet when looking for the header
HEADER_SCAN_ROWS = 40

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^0-9a-z%]+")
_UNIT_SUFFIX = re.compile(r"(?:\s+(?:en\s+)?(?:dh|dhs|mad|m2|m 2|eur|€|jours|j))+$")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


@lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """``'  Montant TTC (DH) '`` -> ``'montant ttc'``; ``'% réalisé'`` -> ``'% realise'``.

    Lower case, accents and ligatures folded, bracketed units and trailing unit words removed,
    camelCase and snake_case split, punctuation turned into spaces, ``%`` kept as a word.
    """
    text = str(text).translate(_LIGATURES)
    text = _CAMEL.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _BRACKETS.sub(" ", text.lower())
    text = text.replace("%", " % ").replace("n°", "n ").replace("nº", "n ")
    text = _NON_WORD.sub(" ", text).strip()
    text = _UNIT_SUFFIX.sub("", text).strip()
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class HeaderMatch:
    row_index: int  # 0-based index in the grid (Excel row = row_index + 1)
    #: canonical column -> (0-based column index, header text as written in the file)
    columns: dict[str, tuple[int, str]]
    #: headers that matched a canonical column already taken by a better header
    shadowed: list[tuple[int, str, str]]

    @property
    def excel_row(self) -> int:
        return self.row_index + 1


def match_headers(cells: list[Any], schema: TableSchema) -> HeaderMatch:
    """Assign header cells to canonical columns, best alias first, each cell used once."""
    candidates: list[tuple[int, int, int, str]] = []  # (alias rank, column order, cell, text)
    for cell_index, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = normalise_header(cell)
        if not key:
            continue
        for order, column in enumerate(schema.columns):
            if key in column.aliases:
                candidates.append((column.aliases.index(key), order, cell_index, cell.strip()))
    candidates.sort()
    columns: dict[str, tuple[int, str]] = {}
    used: set[int] = set()
    shadowed: list[tuple[int, str, str]] = []
    for _rank, order, cell_index, text in candidates:
        name = schema.columns[order].name
        if cell_index in used:
            continue
        if name in columns:
            shadowed.append((cell_index, text, name))
            used.add(cell_index)
            continue
        columns[name] = (cell_index, text)
        used.add(cell_index)
    return HeaderMatch(row_index=-1, columns=columns, shadowed=shadowed)


def header_score(match: HeaderMatch, schema: TableSchema) -> tuple[int, int]:
    required = sum(1 for c in schema.required if c.name in match.columns)
    return required, len(match.columns)


def detect_header(rows: list[list[Any]], schema: TableSchema) -> HeaderMatch | None:
    """The row among the first ``HEADER_SCAN_ROWS`` that matches the most canonical columns.

    Ties go to the upper row. ``None`` when no row matches any column at all.
    """
    best: HeaderMatch | None = None
    best_score = (0, 0)
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        match = match_headers(cells, schema)
        score = header_score(match, schema)
        # a header names a required column, or at least two known ones: a data row that
        # happens to hold the word "N" or "Lot" is not a header
        if score[0] == 0 and score[1] < 2:
            continue
        if score > best_score:
            best = HeaderMatch(index, match.columns, match.shadowed)
            best_score = score
    return best
