"""Floor areas: is the building being delivered the building that was announced?

``areas_overview`` is the one computation path (like ``planning_overview``): the Surfaces page,
the briefing and the export read their area figures from its result, so they always agree.

Conventions (stated here, on the page and in the tests):

* every space of the room schedule has a **space type** (written in French or English, matched
  through ``TYPE_SYNONYMS``) and a **category**: ``programme`` (the spaces the brief announces:
  offices, coworking, meeting room, local services), ``support`` (reception, administration,
  kitchenettes, phone booths, technical rooms, toilets, storage), ``circulation`` (corridors,
  stairs, lifts, landings) and ``structure`` (walls, columns, ducts). The category written in
  the file wins when it is recognised; otherwise it is derived from the type. A space whose
  type is not recognised is *unclassified*: it is counted in the gross total and listed, never
  dropped or guessed.
* **gross area** (surface hors œuvre) = every space, circulation and structure included;
  **interior area** (dans œuvre) = gross − structure; **net floor area** = programme spaces +
  support spaces, i.e. the rooms without circulation and structure (1 465 m² of the 2 027 m²
  in the programme); **programme-space area** = the programme spaces alone (1 070 m²). The
  word "utile" is used for neither: room schedules give it to both.
  ``settings.area_basis`` says which of gross or net the announced ``total_area_m2`` measures.
* every share is of the gross area: **efficiency** = programme spaces / gross, **circulation
  ratio** = circulation / gross, net share = net / gross.
* **start-up places** = the seats of the offices (1 per office when blank) plus the seats of
  the coworking spaces (the places reserved for start-ups); seats of other rooms (a meeting
  room's chairs) are not start-up places.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from loaders.headers import normalise_header
from loaders.project import ProjectSettings
from loaders.schema import CONTRACTS, FLOOR_AREAS

# --- the vocabulary --------------------------------------------------------------------------

CATEGORIES = ("programme", "support", "circulation", "structure")
UNCLASSIFIED = "unclassified"

#: canonical space type -> its category, in display order
CATEGORY_OF_TYPE: dict[str, str] = {
    "office": "programme",
    "coworking": "programme",
    "meeting": "programme",
    "services": "programme",
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
    "programme": (
        "programme", "espaces du programme", "espace du programme", "programme spaces",
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
    """The canonical category (``programme``…) of a written category, ``None`` when unknown."""
    return _match(text, "category")


# --- the frames this module returns: their column names, declared once ---------------------


@dataclass(frozen=True)
class SpaceColumns:
    """Columns ``classify_spaces`` adds to the room schedule (``FLOOR_AREAS``)."""

    type_code: str = "type_code"
    category_code: str = "category_code"
    #: "file" when the category written in the file was used, "type" when derived from the
    #: type, "none" when neither is known (unclassified)
    category_source: str = "category_source"


@dataclass(frozen=True)
class ByCategoryColumns:
    """``areas_by_category``: one row per category present."""

    category: str = "category"
    area_m2: str = "area_m2"
    share: str = "share"
    spaces: str = "spaces"


@dataclass(frozen=True)
class ByTypeColumns:
    """``areas_by_type``: one row per (category, type) present."""

    category: str = "category"
    space_type: str = "space_type"
    known: str = "known"
    area_m2: str = "area_m2"
    share: str = "share"
    spaces: str = "spaces"


@dataclass(frozen=True)
class ByLevelColumns:
    """``areas_by_level``: one row per level, one column per category code present (named
    by the code itself), then ``total``."""

    level: str = "level"
    total: str = "total"


@dataclass(frozen=True)
class ProgrammeColumns:
    """``programme_conformity``: one row per space type of the announced programme."""

    space_type: str = "space_type"
    required: str = "required"
    found: str = "found"
    area_m2: str = "area_m2"
    status: str = "status"


SPACES = SpaceColumns()
BY_CATEGORY = ByCategoryColumns()
BY_TYPE = ByTypeColumns()
BY_LEVEL = ByLevelColumns()
PROGRAMME = ProgrammeColumns()


# --- classified spaces -----------------------------------------------------------------------


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
            SPACES.type_code: type_codes.astype("str"),
            SPACES.category_code: category.fillna(UNCLASSIFIED).astype("str"),
            SPACES.category_source: source,
        }
    )


def _category_order(codes) -> list[str]:
    present = set(codes)
    return [c for c in (*CATEGORIES, UNCLASSIFIED) if c in present]


def areas_by_category(spaces: pd.DataFrame) -> pd.DataFrame:
    """``BY_CATEGORY``: category, area_m2, share (of the gross total), spaces."""
    gross = float(spaces[FLOOR_AREAS.area_m2].sum())
    grouped = spaces.groupby(SPACES.category_code, sort=False)[FLOOR_AREAS.area_m2].agg(
        ["sum", "size"]
    )
    order = _category_order(grouped.index)
    grouped = grouped.reindex(order)
    return pd.DataFrame(
        {
            BY_CATEGORY.category: order,
            BY_CATEGORY.area_m2: grouped["sum"].to_numpy(dtype=float),
            BY_CATEGORY.share: (grouped["sum"] / gross).to_numpy(dtype=float) if gross else 0.0,
            BY_CATEGORY.spaces: grouped["size"].to_numpy(dtype=int),
        }
    )


def type_key(spaces: pd.DataFrame) -> pd.Series:
    """The type a space is grouped under: its canonical code, or the type as written (trimmed)
    when unknown, or ``""`` when the space has no type."""
    written = spaces[FLOOR_AREAS.space_type].astype("str").str.strip().fillna("")
    return spaces[SPACES.type_code].where(spaces[SPACES.type_code].notna(), written)


def areas_by_type(spaces: pd.DataFrame) -> pd.DataFrame:
    """``BY_TYPE``: category, space_type (canonical code or the text written), known, area_m2,
    share, spaces: categories in their order, then canonical types in their order, then
    unknown."""
    gross = float(spaces[FLOOR_AREAS.area_m2].sum())
    frame = spaces.assign(_type=type_key(spaces))
    grouped = (
        frame.groupby([SPACES.category_code, "_type"], sort=False)[FLOOR_AREAS.area_m2]
        .agg(["sum", "size"])
        .reset_index()
    )
    category_rank = {c: i for i, c in enumerate((*CATEGORIES, UNCLASSIFIED))}
    type_rank = {t: i for i, t in enumerate(SPACE_TYPES)}
    grouped = grouped.assign(
        _c=grouped[SPACES.category_code].map(category_rank),
        _t=grouped["_type"].map(lambda t: type_rank.get(t, len(type_rank))),
    ).sort_values(["_c", "_t", "_type"], kind="stable")
    return pd.DataFrame(
        {
            BY_TYPE.category: grouped[SPACES.category_code].to_numpy(),
            BY_TYPE.space_type: grouped["_type"].to_numpy(),
            BY_TYPE.known: grouped["_type"].isin(type_rank).to_numpy(),
            BY_TYPE.area_m2: grouped["sum"].to_numpy(dtype=float),
            BY_TYPE.share: (grouped["sum"] / gross).to_numpy(dtype=float) if gross else 0.0,
            BY_TYPE.spaces: grouped["size"].to_numpy(dtype=int),
        }
    ).reset_index(drop=True)


def areas_by_level(spaces: pd.DataFrame) -> pd.DataFrame:
    """``BY_LEVEL``: one row per level (in the order the file lists them; ``""`` for spaces
    without a level), one column per category present (named by its code), and ``total``."""
    levels = spaces[FLOOR_AREAS.level].astype("str").str.strip().fillna("")
    frame = spaces.assign(_level=levels)
    table = frame.pivot_table(
        index="_level",
        columns=SPACES.category_code,
        values=FLOOR_AREAS.area_m2,
        aggfunc="sum",
        fill_value=0.0,
        sort=False,
    )
    order = list(dict.fromkeys(levels))
    table = table.reindex(index=order, columns=_category_order(table.columns), fill_value=0.0)
    table = table.astype(float)
    table[BY_LEVEL.total] = table.sum(axis=1)
    table.columns.name = None
    return table.rename_axis(BY_LEVEL.level).reset_index()


# --- totals against the announced area -------------------------------------------------------

#: two area sums closer than this agree (room schedules are rounded to 0,01 or 0,5 m²)
AREA_TOLERANCE_M2 = 0.5


@dataclass(frozen=True)
class AreaTotals:
    gross_m2: float  # every space: programme + support + circulation + structure + unclassified
    programme_m2: float  # the programme's spaces: offices, coworking, meeting, local services
    support_m2: float
    circulation_m2: float
    structure_m2: float
    unclassified_m2: float
    announced_m2: float  # settings.total_area_m2
    basis: str  # "gross" | "net": what the announced figure measures
    tolerance_m2: float = AREA_TOLERANCE_M2

    @property
    def net_m2(self) -> float:
        """Net floor area: programme + support spaces, without circulation, structure or
        unclassified spaces."""
        return self.programme_m2 + self.support_m2

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
        """Programme spaces / gross."""
        return self.programme_m2 / self.gross_m2 if self.gross_m2 else None

    @property
    def net_share(self) -> float | None:
        """Net / gross."""
        return self.net_m2 / self.gross_m2 if self.gross_m2 else None

    @property
    def circulation_ratio(self) -> float | None:
        """Circulation / gross (every share of the Surfaces page is of the gross area)."""
        return self.circulation_m2 / self.gross_m2 if self.gross_m2 else None


def area_totals(
    spaces: pd.DataFrame, announced_m2: float, basis: str = "gross", tolerance_m2=None
) -> AreaTotals:
    by_category = spaces.groupby(SPACES.category_code)[FLOOR_AREAS.area_m2].sum()

    def area(code: str) -> float:
        return float(by_category.get(code, 0.0))

    return AreaTotals(
        gross_m2=float(spaces[FLOOR_AREAS.area_m2].sum()),
        programme_m2=area("programme"),
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
        chosen = spaces[spaces[SPACES.type_code] == code]
        found = len(chosen)
        status = "met" if found == count else "exceeded" if found > count else "missing"
        rows.append(
            {
                PROGRAMME.space_type: code,
                PROGRAMME.required: int(count),
                PROGRAMME.found: found,
                PROGRAMME.area_m2: float(chosen[FLOOR_AREAS.area_m2].sum()),
                PROGRAMME.status: status,
            }
        )
    columns = list(dataclasses.astuple(PROGRAMME))
    return pd.DataFrame(rows, columns=columns).astype(
        {PROGRAMME.required: int, PROGRAMME.found: int, PROGRAMME.area_m2: float}
    )


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


def capacity(spaces: pd.DataFrame, required: int) -> Capacity:
    seats = pd.to_numeric(spaces[FLOOR_AREAS.seats], errors="coerce")
    is_office = spaces[SPACES.type_code] == "office"
    is_coworking = spaces[SPACES.type_code] == "coworking"
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
    net_m2: float
    programme_m2: float

    @staticmethod
    def _per(amount: float | None, area: float) -> float | None:
        return amount / area if amount is not None and area else None

    @property
    def envelope_per_gross(self) -> float | None:
        return self._per(self.envelope, self.gross_m2)

    @property
    def envelope_per_net(self) -> float | None:
        return self._per(self.envelope, self.net_m2)

    @property
    def envelope_per_programme(self) -> float | None:
        return self._per(self.envelope, self.programme_m2)

    @property
    def engaged_per_gross(self) -> float | None:
        return self._per(self.engaged, self.gross_m2)

    @property
    def engaged_per_net(self) -> float | None:
        return self._per(self.engaged, self.net_m2)

    @property
    def engaged_per_programme(self) -> float | None:
        return self._per(self.engaged, self.programme_m2)


# --- findings and the bundle -----------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing the verdict says. ``severity``: ``error`` (the announced programme is not
    met), ``warning`` (a difference to explain) or ``info``. ``values`` holds raw figures;
    ``views.surfaces`` words them in the reader's language (``surfaces.finding.<code>``)."""

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
                    # the types as written, once each ("" for a space with no type)
                    "types": tuple(
                        dict.fromkeys(
                            t.strip() if isinstance(t, str) else ""
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
    spaces: pd.DataFrame  # classify_spaces: the room schedule + the ``SPACES`` columns
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
        return bool((self.programme[PROGRAMME.status] != "missing").all())


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
    type_codes = spaces[SPACES.type_code]
    unknown = spaces[type_codes.isna()]
    derived = type_codes.map(lambda c: CATEGORY_OF_TYPE.get(c) if pd.notna(c) else None)
    mismatch = (
        (spaces[SPACES.category_source] == "file")
        & derived.notna()
        & (derived != spaces[SPACES.category_code])
    )
    return AreasOverview(
        spaces=spaces,
        by_category=areas_by_category(spaces),
        by_type=areas_by_type(spaces),
        by_level=areas_by_level(spaces),
        totals=totals,
        programme=programme,
        capacity=places,
        costs=AreaCosts(
            settings.envelope, engaged, totals.gross_m2, totals.net_m2, totals.programme_m2
        ),
        unknown=unknown,
        category_mismatches=spaces[mismatch],
        findings=area_findings(totals, programme, places, unknown),
    )
