"""Floor areas: is the building being delivered the building that was announced?

``areas_overview`` is the one computation path (like ``planning_overview``): the Surfaces page,
the briefing and the export read their area figures from its result, so they always agree.

Conventions (stated here, on the page and in the tests):

* every space of the room schedule has a **space type** (written in French or English, matched
  through ``TYPE_SYNONYMS``) and a **category**: ``usable`` (offices, coworking, meeting,
  services), ``support`` (reception, administration, kitchenettes, phone booths, technical
  rooms, toilets, storage), ``circulation`` (corridors, stairs, lifts, landings) and
  ``structure`` (walls, columns, ducts). The category written in the file wins when it is
  recognised; otherwise it is derived from the type. A space whose type is not recognised is
  *unclassified*: it is counted in the gross total and listed, never dropped or guessed.
* **gross** (surface hors œuvre) = every space, circulation and structure included;
  **dans œuvre** = gross − structure; **net** (surface utile, SU) = usable + support, i.e. the
  rooms without circulation and structure (1 465 m² of the 2 027 m² in the programme).
  ``settings.area_basis`` says which of gross or net the announced ``total_area_m2`` measures.
* **efficiency** = usable / gross; **circulation ratio** = circulation / net.
* **start-up places** = the seats of the offices (1 per office when blank) plus the seats of
  the coworking spaces (the places reserved for start-ups); seats of other rooms (a meeting
  room's chairs) are not start-up places.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from loaders.headers import normalise_header
from loaders.project import ProjectSettings
from loaders.schema import CONTRACTS, FLOOR_AREAS

# --- the vocabulary --------------------------------------------------------------------------

CATEGORIES = ("usable", "support", "circulation", "structure")
UNCLASSIFIED = "unclassified"

#: canonical space type -> its category, in display order
CATEGORY_OF_TYPE: dict[str, str] = {
    "office": "usable",
    "coworking": "usable",
    "meeting": "usable",
    "services": "usable",
    "reception": "support",
    "administration": "support",
    "kitchenette": "support",
    "phone_booth": "support",
    "technical": "support",
    "sanitary": "support",
    "storage": "support",
    "circulation": "circulation",
    "vertical_circulation": "circulation",
    "structure": "structure",
}
SPACE_TYPES = tuple(CATEGORY_OF_TYPE)

#: how a space type may be written (French and English). Matched after folding accents and
#: case (``normalise_header``) and putting every word in the singular, so "Bureaux start-up",
#: "BUREAU START UP" and "bureau startup" are the same. A written type that is none of these
#: is matched on the longest synonym it contains as whole words ("Espace coworking A" ->
#: coworking; "Bureau du directeur" -> administration, longer than "bureau").
TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "office": (
        "office", "bureau", "bureau start-up", "bureau startup", "bureau start up",
        "bureau entreprise", "bureau d'entreprise", "bureau privatif", "bureau incubé",
        "bureau pépinière", "start-up office", "startup office", "private office",
    ),
    "coworking": (
        "coworking", "co-working", "espace coworking", "espace de coworking", "open space",
        "open space coworking", "plateau partagé", "espace de travail partagé",
        "coworking space", "shared workspace", "hot desk", "hot desking",
    ),
    "meeting": (
        "meeting", "salle de réunion", "réunion", "salle de conférence", "salle de formation",
        "salle de réunion et formation", "meeting room", "conference room", "boardroom",
        "training room",
    ),
    "services": (
        "services", "local de services", "locaux de services", "local services",
        "espace services", "espace de services", "services partagés", "local de service",
        "services space", "shared services", "business services", "local services partagés",
    ),
    "reception": (
        "reception", "accueil", "hall", "hall d'accueil", "hall d'entrée", "salle d'attente",
        "attente", "lobby", "entrance hall", "front desk",
    ),
    "administration": (
        "administration", "administratif", "bureau administratif", "bureau de direction",
        "bureau du directeur", "bureau directeur", "direction", "secrétariat", "gestion",
        "admin", "management office", "back office",
    ),
    "kitchenette": (
        "kitchenette", "cuisine", "tisanerie", "cafétéria", "coin café", "espace café",
        "pantry", "kitchen", "break room",
    ),
    "phone_booth": (
        "phone booth", "phone-booth", "cabine téléphonique", "cabine", "box téléphonique",
        "call booth", "phone box",
    ),
    "technical": (
        "technical", "local technique", "locaux techniques", "technique", "salle serveurs",
        "salle serveur", "local serveur", "serveurs", "tgbt", "local tgbt", "chaufferie",
        "local électrique", "local onduleur", "technical room", "server room", "plant room",
    ),
    "sanitary": (
        "sanitary", "sanitaires", "sanitaire", "wc", "toilettes", "bloc sanitaire",
        "douches", "toilets", "restrooms", "washrooms",
    ),
    "storage": (
        "storage", "stockage", "réserve", "dépôt", "rangement", "archives", "magasin",
        "store room", "storeroom",
    ),
    "circulation": (
        "circulation", "circulations", "circulation horizontale", "couloir", "couloirs",
        "dégagement", "dégagements", "corridor", "corridors", "horizontal circulation",
    ),
    "vertical_circulation": (
        "vertical circulation", "vertical_circulation", "circulation verticale", "escalier",
        "escaliers", "cage d'escalier", "ascenseur", "palier", "escalier et ascenseur",
        "stairs", "staircase", "lift", "elevator", "landing",
    ),
    "structure": (
        "structure", "structure et gaines", "murs", "murs et poteaux", "poteaux", "gaines",
        "gaines techniques", "emprise des murs", "walls", "structure and shafts", "shafts",
    ),
}  # fmt: skip

#: how a category may be written in the file's category column
CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "usable": (
        "usable", "surfaces utiles", "surface utile", "utile", "su", "usable area",
        "locaux principaux", "espaces de travail", "net usable",
    ),
    "support": (
        "support", "locaux d'appui", "local d'appui", "appui", "locaux annexes", "annexes",
        "services communs", "support spaces", "ancillary",
    ),
    "circulation": ("circulation", "circulations", "dégagements", "circulation areas"),
    "structure": ("structure", "structure et gaines", "murs", "walls and structure"),
}  # fmt: skip

_SPACES = re.compile(r"\s+")


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith("ss"):
        return word
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux"):
        return word[:-3] + "al"
    if word.endswith("s"):
        return word[:-1]
    return word


def fold_label(text: object) -> str:
    """A written type or category, folded for matching: no accents, lower case, punctuation
    as spaces, every word in the singular (``"Bureaux start-up"`` -> ``"bureau start up"``)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    folded = normalise_header(str(text)).replace("_", " ")
    return " ".join(_singular(word) for word in _SPACES.split(folded) if word)


@cache
def _lookup(table_name: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    table = TYPE_SYNONYMS if table_name == "type" else CATEGORY_SYNONYMS
    exact: dict[str, str] = {}
    for code, synonyms in table.items():
        for synonym in synonyms:
            exact.setdefault(fold_label(synonym), code)
    # longest synonyms first (in words, then characters), for the "contains" fallback
    ordered = tuple(sorted(exact.items(), key=lambda item: (-item[0].count(" "), -len(item[0]))))
    return exact, ordered


def _match(text: object, table_name: str) -> str | None:
    key = fold_label(text)
    if not key:
        return None
    exact, ordered = _lookup(table_name)
    if key in exact:
        return exact[key]
    padded = f" {key} "
    for synonym, code in ordered:
        if len(synonym) > 2 and f" {synonym} " in padded:
            return code
    return None


def canonical_space_type(text: object) -> str | None:
    """The canonical type (``office``…) of a written space type, ``None`` when unknown."""
    return _match(text, "type")


def canonical_category(text: object) -> str | None:
    """The canonical category (``usable``…) of a written category, ``None`` when unknown."""
    return _match(text, "category")


# --- classified spaces -----------------------------------------------------------------------

TYPE_CODE = "type_code"
CATEGORY_CODE = "category_code"
#: "file" when the category written in the file was used, "type" when derived from the type,
#: "none" when neither is known (unclassified)
CATEGORY_SOURCE = "category_source"


def classify_spaces(floor_areas: pd.DataFrame) -> pd.DataFrame:
    """The room schedule with its canonical type and category added (input left untouched).

    Missing areas count as 0 m² (the loader refuses them; hand-built frames may have them)."""
    written_type = floor_areas[FLOOR_AREAS.space_type]
    type_codes = written_type.map(canonical_space_type)
    if FLOOR_AREAS.category in floor_areas.columns:
        file_categories = floor_areas[FLOOR_AREAS.category].map(canonical_category)
    else:
        file_categories = pd.Series(None, index=floor_areas.index, dtype=object)
    derived = type_codes.map(lambda code: CATEGORY_OF_TYPE.get(code) if code else None)
    category = file_categories.where(file_categories.notna(), derived)
    source = pd.Series(
        [
            "file" if pd.notna(f) else "type" if pd.notna(d) else "none"
            for f, d in zip(file_categories, derived, strict=True)
        ],
        index=floor_areas.index,
        dtype="str",
    )
    return floor_areas.assign(
        **{
            FLOOR_AREAS.area_m2: pd.to_numeric(
                floor_areas[FLOOR_AREAS.area_m2], errors="coerce"
            ).fillna(0.0),
            TYPE_CODE: type_codes.astype("str"),
            CATEGORY_CODE: category.fillna(UNCLASSIFIED).astype("str"),
            CATEGORY_SOURCE: source,
        }
    )


def _category_order(codes) -> list[str]:
    present = set(codes)
    return [c for c in (*CATEGORIES, UNCLASSIFIED) if c in present]


def areas_by_category(spaces: pd.DataFrame) -> pd.DataFrame:
    """category, area_m2, share (of the gross total), spaces: one row per category present."""
    gross = float(spaces[FLOOR_AREAS.area_m2].sum())
    grouped = spaces.groupby(CATEGORY_CODE, sort=False)[FLOOR_AREAS.area_m2].agg(["sum", "size"])
    order = _category_order(grouped.index)
    grouped = grouped.reindex(order)
    return pd.DataFrame(
        {
            "category": order,
            "area_m2": grouped["sum"].to_numpy(dtype=float),
            "share": (grouped["sum"] / gross).to_numpy(dtype=float) if gross else 0.0,
            "spaces": grouped["size"].to_numpy(dtype=int),
        }
    )


def type_key(spaces: pd.DataFrame) -> pd.Series:
    """The type a space is grouped under: its canonical code, or the type as written (trimmed)
    when unknown, or ``""`` when the space has no type."""
    written = spaces[FLOOR_AREAS.space_type].astype("str").str.strip().fillna("")
    return spaces[TYPE_CODE].where(spaces[TYPE_CODE].notna(), written)


def areas_by_type(spaces: pd.DataFrame) -> pd.DataFrame:
    """category, space_type (canonical code or the text written), known, area_m2, share,
    spaces: categories in their order, then canonical types in their order, then unknown."""
    gross = float(spaces[FLOOR_AREAS.area_m2].sum())
    frame = spaces.assign(_type=type_key(spaces))
    grouped = (
        frame.groupby([CATEGORY_CODE, "_type"], sort=False)[FLOOR_AREAS.area_m2]
        .agg(["sum", "size"])
        .reset_index()
    )
    category_rank = {c: i for i, c in enumerate((*CATEGORIES, UNCLASSIFIED))}
    type_rank = {t: i for i, t in enumerate(SPACE_TYPES)}
    grouped = grouped.assign(
        _c=grouped[CATEGORY_CODE].map(category_rank),
        _t=grouped["_type"].map(lambda t: type_rank.get(t, len(type_rank))),
    ).sort_values(["_c", "_t", "_type"], kind="stable")
    return pd.DataFrame(
        {
            "category": grouped[CATEGORY_CODE].to_numpy(),
            "space_type": grouped["_type"].to_numpy(),
            "known": grouped["_type"].isin(type_rank).to_numpy(),
            "area_m2": grouped["sum"].to_numpy(dtype=float),
            "share": (grouped["sum"] / gross).to_numpy(dtype=float) if gross else 0.0,
            "spaces": grouped["size"].to_numpy(dtype=int),
        }
    ).reset_index(drop=True)


def areas_by_level(spaces: pd.DataFrame) -> pd.DataFrame:
    """One row per level (in the order the file lists them; ``""`` for spaces without a
    level), one column per category present, and ``total``."""
    levels = spaces[FLOOR_AREAS.level].astype("str").str.strip().fillna("")
    frame = spaces.assign(_level=levels)
    table = frame.pivot_table(
        index="_level",
        columns=CATEGORY_CODE,
        values=FLOOR_AREAS.area_m2,
        aggfunc="sum",
        fill_value=0.0,
        sort=False,
    )
    order = list(dict.fromkeys(levels))
    table = table.reindex(index=order, columns=_category_order(table.columns), fill_value=0.0)
    table = table.astype(float)
    table["total"] = table.sum(axis=1)
    table.columns.name = None
    return table.rename_axis("level").reset_index()


# --- totals against the announced area -------------------------------------------------------

#: two area sums closer than this agree (room schedules are rounded to 0,01 or 0,5 m²)
AREA_TOLERANCE_M2 = 0.5


@dataclass(frozen=True)
class AreaTotals:
    gross_m2: float  # every space: usable + support + circulation + structure + unclassified
    usable_m2: float
    support_m2: float
    circulation_m2: float
    structure_m2: float
    unclassified_m2: float
    announced_m2: float  # settings.total_area_m2
    basis: str  # "gross" | "net": what the announced figure measures
    tolerance_m2: float = AREA_TOLERANCE_M2

    @property
    def net_m2(self) -> float:
        """Surface utile: usable + support, without circulation, structure or unclassified."""
        return self.usable_m2 + self.support_m2

    @property
    def interior_m2(self) -> float:
        """Surface dans œuvre: gross without the structure."""
        return self.gross_m2 - self.structure_m2

    @property
    def compared_m2(self) -> float:
        """The sum compared with the announced figure: gross or net, per the setting."""
        return self.net_m2 if self.basis == "net" else self.gross_m2

    @property
    def difference_m2(self) -> float:
        """Compared sum minus the announced area (negative: less than announced)."""
        return self.compared_m2 - self.announced_m2

    @property
    def matches(self) -> bool:
        return abs(self.difference_m2) <= self.tolerance_m2

    @property
    def other_basis_m2(self) -> float:
        return self.gross_m2 if self.basis == "net" else self.net_m2

    @property
    def other_basis_matches(self) -> bool:
        """The announced area matches the *other* basis: probably a wrong ``areas.basis``."""
        return not self.matches and abs(self.other_basis_m2 - self.announced_m2) <= (
            self.tolerance_m2
        )

    @property
    def efficiency(self) -> float | None:
        """Usable / gross."""
        return self.usable_m2 / self.gross_m2 if self.gross_m2 else None

    @property
    def net_share(self) -> float | None:
        """Net / gross."""
        return self.net_m2 / self.gross_m2 if self.gross_m2 else None

    @property
    def circulation_ratio(self) -> float | None:
        """Circulation / net."""
        return self.circulation_m2 / self.net_m2 if self.net_m2 else None


def area_totals(
    spaces: pd.DataFrame, announced_m2: float, basis: str = "gross", tolerance_m2=None
) -> AreaTotals:
    by_category = spaces.groupby(CATEGORY_CODE)[FLOOR_AREAS.area_m2].sum()

    def area(code: str) -> float:
        return float(by_category.get(code, 0.0))

    return AreaTotals(
        gross_m2=float(spaces[FLOOR_AREAS.area_m2].sum()),
        usable_m2=area("usable"),
        support_m2=area("support"),
        circulation_m2=area("circulation"),
        structure_m2=area("structure"),
        unclassified_m2=area(UNCLASSIFIED),
        announced_m2=float(announced_m2),
        basis=basis,
        tolerance_m2=AREA_TOLERANCE_M2 if tolerance_m2 is None else float(tolerance_m2),
    )


# --- programme conformity --------------------------------------------------------------------


def programme_conformity(spaces: pd.DataFrame, required: dict[str, int]) -> pd.DataFrame:
    """space_type, required, found, area_m2, status: one row per type of the required
    programme (settings order). status: ``met`` (found = required), ``exceeded`` (more found)
    or ``missing`` (fewer). A required type unknown to ``SPACE_TYPES`` is found 0 times."""
    rows = []
    for code, count in required.items():
        chosen = spaces[spaces[TYPE_CODE] == code]
        found = len(chosen)
        status = "met" if found == count else "exceeded" if found > count else "missing"
        rows.append(
            {
                "space_type": code,
                "required": int(count),
                "found": found,
                "area_m2": float(chosen[FLOOR_AREAS.area_m2].sum()),
                "status": status,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["space_type", "required", "found", "area_m2", "status"]
    ).astype({"required": int, "found": int, "area_m2": float})
    return frame


# --- capacity --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    offices: int
    office_places: int  # seats of the offices (1 per office when blank)
    coworking_places: int  # seats written on the coworking spaces
    required: int  # settings.capacity_startups
    workspace_m2: float  # offices + coworking
    gross_m2: float
    #: occupancy is known only when the workbook names at least one occupant
    occupancy_known: bool
    occupied_offices: int
    occupied_places: int

    @property
    def places(self) -> int:
        """Start-up places: office places + coworking places."""
        return self.office_places + self.coworking_places

    @property
    def meets(self) -> bool:
        return self.places >= self.required

    @property
    def gross_per_startup(self) -> float | None:
        """Gross area per announced start-up (the building shared out)."""
        return self.gross_m2 / self.required if self.required else None

    @property
    def workspace_per_place(self) -> float | None:
        """Office and coworking area per start-up place found."""
        return self.workspace_m2 / self.places if self.places else None

    @property
    def office_occupancy(self) -> float | None:
        """Offices with an occupant / offices (``None`` when no occupant is named)."""
        if not self.occupancy_known or not self.offices:
            return None
        return self.occupied_offices / self.offices

    @property
    def place_occupancy(self) -> float | None:
        if not self.occupancy_known or not self.places:
            return None
        return self.occupied_places / self.places


def capacity(spaces: pd.DataFrame, required: int) -> Capacity:
    seats = pd.to_numeric(spaces[FLOOR_AREAS.seats], errors="coerce")
    is_office = spaces[TYPE_CODE] == "office"
    is_coworking = spaces[TYPE_CODE] == "coworking"
    # one start-up per office when the seat count is blank
    places = seats.where(~is_office | seats.notna(), 1.0).fillna(0.0)
    places = places.where(is_office | is_coworking, 0.0)
    if FLOOR_AREAS.occupant in spaces.columns:
        occupant = spaces[FLOOR_AREAS.occupant].astype("str").str.strip()
        occupied = occupant.notna() & (occupant != "")
    else:
        occupied = pd.Series(False, index=spaces.index)
    area = spaces[FLOOR_AREAS.area_m2]
    return Capacity(
        offices=int(is_office.sum()),
        office_places=int(round(places[is_office].sum())),
        coworking_places=int(round(places[is_coworking].sum())),
        required=int(required),
        workspace_m2=float(area[is_office | is_coworking].sum()),
        gross_m2=float(area.sum()),
        occupancy_known=bool(occupied.any()),
        occupied_offices=int((occupied & is_office).sum()),
        occupied_places=int(round(places[occupied].sum())),
    )


# --- cost per m² -----------------------------------------------------------------------------


def engaged_amount(contracts: pd.DataFrame | None, status_date=None) -> float | None:
    """Amount engaged at the status date: the contracts (amendments included) signed on or
    before it (all of them without a status date). A contract without a signature date is
    counted: it is in the list of signed contracts. ``None`` when there is no contracts
    table."""
    if contracts is None:
        return None
    signed = pd.to_datetime(contracts[CONTRACTS.signed_date])
    included = signed.isna()
    if status_date is None:
        included = pd.Series(True, index=contracts.index)
    else:
        included = included | (signed <= pd.Timestamp(status_date))
    amounts = pd.to_numeric(contracts[CONTRACTS.amount], errors="coerce").fillna(0.0)
    return float(amounts[included].sum())


@dataclass(frozen=True)
class AreaCosts:
    envelope: float
    engaged: float | None
    gross_m2: float
    usable_m2: float

    @staticmethod
    def _per(amount: float | None, area: float) -> float | None:
        return amount / area if amount is not None and area else None

    @property
    def envelope_per_gross(self) -> float | None:
        return self._per(self.envelope, self.gross_m2)

    @property
    def envelope_per_usable(self) -> float | None:
        return self._per(self.envelope, self.usable_m2)

    @property
    def engaged_per_gross(self) -> float | None:
        return self._per(self.engaged, self.gross_m2)

    @property
    def engaged_per_usable(self) -> float | None:
        return self._per(self.engaged, self.usable_m2)


# --- findings and the bundle -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the verdict says. ``severity``: ``error`` (the announced programme is not
    met), ``warning`` (a difference to explain) or ``info``. ``values`` holds raw figures;
    the page formats them for the reader's language (``surfaces.finding.<code>``)."""

    code: str
    severity: str
    values: dict[str, object] = field(default_factory=dict)


def area_findings(
    totals: AreaTotals,
    programme: pd.DataFrame,
    places: Capacity,
    unknown: pd.DataFrame,
) -> list[Finding]:
    """What keeps the building from being the announced one, most serious first."""
    findings: list[Finding] = []
    for row in programme.itertuples(index=False):
        if row.status == "missing":
            findings.append(
                Finding(
                    "missing_spaces",
                    "error",
                    {
                        "space_type": row.space_type,
                        "required": row.required,
                        "found": row.found,
                        "missing": row.required - row.found,
                    },
                )
            )
    if not places.meets:
        findings.append(
            Finding(
                "capacity_short",
                "error",
                {
                    "places": places.places,
                    "required": places.required,
                    "missing": places.required - places.places,
                },
            )
        )
    if not totals.matches:
        values = {
            "basis": totals.basis,
            "total": totals.compared_m2,
            "announced": totals.announced_m2,
            "difference": abs(totals.difference_m2),
        }
        short = totals.difference_m2 < 0
        findings.append(Finding("area_short" if short else "area_over", "error", values))
        if totals.other_basis_matches:
            findings.append(
                Finding(
                    "other_basis_matches",
                    "warning",
                    {"basis": totals.basis, "other": totals.other_basis_m2},
                )
            )
    if len(unknown):
        findings.append(
            Finding(
                "unknown_types",
                "warning",
                {
                    "count": len(unknown),
                    "area": float(unknown[FLOOR_AREAS.area_m2].sum()),
                    "types": ", ".join(
                        dict.fromkeys(
                            str(t) if isinstance(t, str) and t.strip() else "—"
                            for t in unknown[FLOOR_AREAS.space_type]
                        )
                    ),
                },
            )
        )
    for row in programme.itertuples(index=False):
        if row.status == "exceeded":
            findings.append(
                Finding(
                    "extra_spaces",
                    "info",
                    {"space_type": row.space_type, "required": row.required, "found": row.found},
                )
            )
    return findings


@dataclass(frozen=True)
class AreasOverview:
    spaces: pd.DataFrame  # classify_spaces: the room schedule + type_code, category_code
    by_category: pd.DataFrame
    by_type: pd.DataFrame
    by_level: pd.DataFrame
    totals: AreaTotals
    programme: pd.DataFrame
    capacity: Capacity
    costs: AreaCosts
    unknown: pd.DataFrame  # spaces whose type is not recognised
    #: spaces whose category in the file differs from the category of their type (the file's
    #: category is used; listed so that a slip can be seen)
    category_mismatches: pd.DataFrame
    findings: list[Finding]

    @property
    def conforms(self) -> bool:
        """The announced programme is met: every required space, the capacity, the area."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def programme_met(self) -> bool:
        return bool((self.programme["status"] != "missing").all())


def areas_overview(
    floor_areas: pd.DataFrame,
    settings: ProjectSettings,
    *,
    contracts: pd.DataFrame | None = None,
    status_date: dt.date | pd.Timestamp | None = None,
    engaged: float | None = None,
) -> AreasOverview:
    """Everything the Surfaces page, the briefing and the export say about areas.

    The engaged amount for the cost per m² is ``engaged`` when given, else the contracts
    signed on or before ``status_date`` (``engaged_amount``)."""
    spaces = classify_spaces(floor_areas)
    totals = area_totals(spaces, settings.total_area_m2, settings.area_basis)
    programme = programme_conformity(spaces, settings.programme_required)
    places = capacity(spaces, settings.capacity_startups)
    if engaged is None and contracts is not None:
        engaged = engaged_amount(contracts, status_date)
    unknown = spaces[spaces[TYPE_CODE].isna()]
    derived = spaces[TYPE_CODE].map(lambda c: CATEGORY_OF_TYPE.get(c) if pd.notna(c) else None)
    mismatch = (
        (spaces[CATEGORY_SOURCE] == "file") & derived.notna() & (derived != spaces[CATEGORY_CODE])
    )
    return AreasOverview(
        spaces=spaces,
        by_category=areas_by_category(spaces),
        by_type=areas_by_type(spaces),
        by_level=areas_by_level(spaces),
        totals=totals,
        programme=programme,
        capacity=places,
        costs=AreaCosts(settings.envelope, engaged, totals.gross_m2, totals.usable_m2),
        unknown=unknown,
        category_mismatches=spaces[mismatch],
        findings=area_findings(totals, programme, places, unknown),
    )
