"""Generate the sample workbooks of the Technopark de Khémisset (planning, finances, surfaces).

Usage::

    python scripts/make_sample_data.py [--out DIR] [--status-date YYYY-MM-DD]
    python scripts/make_sample_data.py --stage launch|completion|all [--out DIR]

Everything is a deterministic function of the status date (date de situation): progress, actual
dates, contracts signed and décomptes issued or paid by then. Nothing after the status date is
recorded except forecasts. Settings (works start, duration, holidays, contract rules, envelope)
are read from ``data/project.toml``; the sample figures themselves (budget lines, room schedule,
task network) follow ``DOMAIN.md`` and live here, since this script *is* the sample data.

The ``build_*`` functions return frames with the canonical English column names of
``loaders/schema.py``; the ``write_*`` functions render them as formatted French workbooks.

``--stage`` writes a stage of the works beside the sample, in ``data/stages/<stage>/`` with its
own ``project.toml`` (the status date fixed): ``launch`` a few days after the OS de
commencement (0 %, no décompte, only the studies contracts), ``completion`` after the réception
provisoire (100 %, every décompte issued, the retention to release).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import math
import re
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
PROJECT_TOML = ROOT / "data" / "project.toml"
DEFAULT_OUT = ROOT / "data"
DEFAULT_STATUS_DATE = dt.date(2026, 11, 20)

SCHEDULE_FILE = "planning_travaux.xlsx"
SPENDING_FILE = "suivi_financier.xlsx"
FLOOR_AREAS_FILE = "programme_surfaces.xlsx"

DateLike = dt.date | str


# --------------------------------------------------------------------------------------------
# Settings and working-day calendar
# --------------------------------------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Settings:
    name: str
    owner: str
    works_start: dt.date
    duration_months: int
    weekend: frozenset[int]
    holidays: frozenset[dt.date]
    envelope: float
    retention_rate: float
    retention_cap: float
    amendment_threshold: float

    @property
    def contractual_end(self) -> dt.date:
        return add_months(self.works_start, self.duration_months)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4)
def load_settings(path: Path = PROJECT_TOML) -> Settings:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    sched, rules = raw["schedule"], raw["contract_rules"]
    return Settings(
        name=raw["project"]["name"],
        owner=raw["project"]["owner"],
        works_start=sched["works_start"],
        duration_months=int(sched["duration_months"]),
        weekend=frozenset(_WEEKDAYS.index(d.lower()) for d in sched.get("weekend", [])),
        holidays=frozenset(h["date"] for h in sched.get("holidays", [])),
        envelope=float(raw["budget"]["envelope"]),
        retention_rate=float(rules["retention_rate"]),
        retention_cap=float(rules["retention_cap"]),
        amendment_threshold=float(rules["amendment_threshold"]),
    )


class WorkCalendar:
    """Working days (weekend and public holidays excluded) indexed from the works start (0)."""

    def __init__(self, settings: Settings, span_days: int = 800) -> None:
        start = settings.works_start
        days = (start + dt.timedelta(days=i) for i in range(span_days))
        self.days = [
            d for d in days if d.weekday() not in settings.weekend and d not in settings.holidays
        ]
        if self.days[0] != start:
            raise ValueError(f"works_start {start} is not a working day")

    def day(self, index: int) -> dt.date:
        return self.days[index]

    def index_on_or_before(self, day: dt.date) -> int:
        """Index of the last working day not after ``day`` (-1 before the works start)."""
        lo, hi = 0, len(self.days)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.days[mid] <= day:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def index_on_or_after(self, day: dt.date) -> int:
        i = self.index_on_or_before(day)
        return i if i >= 0 and self.days[i] == day else i + 1


def next_working_day(day: dt.date, settings: Settings) -> dt.date:
    while day.weekday() in settings.weekend or day in settings.holidays:
        day += dt.timedelta(days=1)
    return day


def as_date(value: DateLike) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def fr_money(amount: float) -> str:
    """``15200000`` -> ``"15 200 000,00 DH"`` (no-break space between thousands)."""
    return f"{amount:,.2f} DH".replace(",", "\u00a0").replace(".", ",")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------
# Budget lines (DOMAIN.md sample figures, MAD TTC)
# --------------------------------------------------------------------------------------------

#: (code, poste budgétaire, catégorie, lot, budget TTC)
BUDGET_LINES: tuple[tuple[str, str, str, str | None, float], ...] = (
    ("ET-01", "Levé topographique et étude géotechnique", "Études", None, 60_000.00),
    ("ET-02", "Architecte (conception et suivi des travaux)", "Études", None, 552_000.00),
    ("ET-03", "Bureau d'études techniques (BET)", "Études", None, 300_000.00),
    ("ET-04", "Bureau de contrôle", "Études", None, 144_000.00),
    ("ET-05", "Laboratoire d'essais", "Études", None, 96_000.00),
    ("TR-01", "Gros œuvre et installation de chantier", "Travaux", "Gros œuvre", 4_340_000.00),
    ("TR-02", "Étanchéité", "Travaux", "Étanchéité", 495_000.00),
    ("TR-03", "Revêtements de sols et murs", "Travaux", "Revêtements", 1_055_000.00),
    ("TR-04", "Menuiserie aluminium", "Travaux", "Menuiserie aluminium", 990_000.00),
    ("TR-05", "Menuiserie bois", "Travaux", "Menuiserie bois", 370_000.00),
    ("TR-06", "Faux plafonds et cloisons", "Travaux", "Faux plafonds et cloisons", 495_000.00),
    ("TR-07", "Menuiserie métallique", "Travaux", "Menuiserie métallique", 248_000.00),
    ("TR-08", "Plomberie sanitaire", "Travaux", "Plomberie sanitaire", 495_000.00),
    ("TR-09", "Électricité courants forts", "Travaux", "Électricité", 990_000.00),
    ("TR-10", "Courants faibles et SSI", "Travaux", "Courants faibles / SSI", 620_000.00),
    ("TR-11", "Climatisation, ventilation (CVC)", "Travaux", "CVC", 990_000.00),
    ("TR-12", "Ascenseur", "Travaux", "Ascenseur", 310_000.00),
    ("TR-13", "Peinture", "Travaux", "Peinture", 370_000.00),
    ("TR-14", "Voirie et réseaux divers (VRD)", "Travaux", "VRD", 624_000.00),
    ("EQ-01", "Mobilier de bureau et de coworking", "Équipement", None, 720_000.00),
    ("EQ-02", "Matériel informatique et réseau", "Équipement", None, 480_000.00),
    ("PR-01", "Provision pour aléas et révision des prix", "Provisions", None, 456_000.00),
)


def build_budget_lines() -> pd.DataFrame:
    """Budget lines (line_id, name, category, lot, amount); they sum to the envelope."""
    frame = pd.DataFrame(BUDGET_LINES, columns=["line_id", "name", "category", "lot", "amount"])
    total = round(float(frame["amount"].sum()), 2)
    envelope = load_settings().envelope
    if total != envelope:
        raise ValueError(f"budget lines sum to {total:.2f}, envelope is {envelope:.2f}")
    return frame


# --------------------------------------------------------------------------------------------
# Schedule: task network, forward pass, progress
# --------------------------------------------------------------------------------------------

#: (id, lot, tâche, durée en jours ouvrés, prédécesseurs, ligne budgétaire). A duration of 0 is a
#: milestone. The durations were tuned once so that the baseline follows the ten-month plan of
#: DOMAIN.md (cumulative progress weighted by duration ~5/14/26/38/50/61/72/83/93/100 % at the
#: end of months 1-10); the duration of PAD_TASK is then set by the baseline pass so that the
#: Réception provisoire falls exactly on the contractual end.
# fmt: off
TASKS: tuple[tuple[str, str, str, int, str, str | None], ...] = (
    ("T01", "Installation de chantier", "OS de commencement", 0, "", None),
    ("T02", "Installation de chantier", "Installation de chantier et clôture", 8, "T01", "TR-01"),
    ("T03", "Gros œuvre", "Implantation et piquetage", 2, "T02SS+3", "TR-01"),
    ("T04", "Gros œuvre", "Plans d'exécution béton armé (coffrage et ferraillage)", 34, "T01", "TR-01"),
    ("T05", "Gros œuvre", "Terrassements généraux et fouilles", 20, "T03", "TR-01"),
    ("T06", "Gros œuvre", "Fondations : béton de propreté et semelles", 21, "T05SS+6", "TR-01"),
    ("T07", "Gros œuvre", "Longrines, soubassements et hérissonnage", 15, "T06SS+10;T06FF+4", "TR-01"),
    ("T08", "Plomberie sanitaire", "Réseaux d'évacuation sous dallage", 8, "T07SS+5", "TR-08"),
    ("T09", "Gros œuvre", "Dallage du rez-de-chaussée", 11, "T07;T08", "TR-01"),
    ("T10", "Gros œuvre", "Poteaux et voiles RDC", 16, "T07;T04", "TR-01"),
    ("T11", "Gros œuvre", "Plancher haut RDC : coffrage, ferraillage et coulage", 18, "T10SS+6", "TR-01"),
    ("T12", "Gros œuvre", "Poteaux et voiles R+1", 16, "T11", "TR-01"),
    ("T13", "Gros œuvre", "Plancher haut R+1 : coffrage, ferraillage et coulage", 18, "T12SS+6", "TR-01"),
    ("T14", "Gros œuvre", "Poteaux et voiles R+2, acrotères", 12, "T13", "TR-01"),
    ("T15", "Gros œuvre", "Plancher terrasse : coffrage, ferraillage et coulage", 20, "T14SS+6", "TR-01"),
    ("T16", "Gros œuvre", "Cage d'escalier et gaine d'ascenseur", 40, "T10SS+8;T15FF", "TR-01"),
    ("T17", "Gros œuvre", "Maçonnerie RDC", 18, "T11SS+10", "TR-01"),
    ("T18", "Gros œuvre", "Maçonnerie R+1", 18, "T17;T13SS+3", "TR-01"),
    ("T19", "Gros œuvre", "Maçonnerie R+2", 27, "T18;T15", "TR-01"),
    ("T20", "Gros œuvre", "Enduits intérieurs", 31, "T18SS+3", "TR-01"),
    ("T21", "Gros œuvre", "Enduits extérieurs", 18, "T19SS+5", "TR-01"),
    ("T22", "Gros œuvre", "Fin du gros œuvre", 0, "T16;T19;T20;T21", None),
    ("T23", "Étanchéité", "Forme de pente et étanchéité multicouche", 15, "T15FS+3", "TR-02"),
    ("T24", "Étanchéité", "Relevés, isolation et protection de la terrasse", 8, "T23SS+8", "TR-02"),
    ("T25", "Étanchéité", "Bâtiment hors d'eau", 0, "T23;T24", None),
    ("T26", "Menuiserie aluminium", "Plans d'atelier et fabrication aluminium", 40, "T04", "TR-04"),
    ("T27", "Menuiserie aluminium", "Pose des châssis et murs-rideaux", 34, "T26;T19", "TR-04"),
    ("T28", "Menuiserie aluminium", "Vitrage et réglages", 7, "T27SS+12;T27FF", "TR-04"),
    ("T29", "Menuiserie aluminium", "Bâtiment hors d'air", 0, "T27;T28", None),
    ("T30", "CVC", "Plans d'exécution et approvisionnement CVC", 40, "T04SS+15", "TR-11"),
    ("T31", "Électricité", "Plans d'exécution et approvisionnement électricité", 34, "T04SS+20", "TR-09"),
    ("T32", "Menuiserie métallique", "Plans d'atelier et fabrication de la métallerie", 14, "T13", "TR-07"),
    ("T33", "Ascenseur", "Fabrication et livraison de l'ascenseur", 31, "T11", "TR-12"),
    ("T34", "Plomberie sanitaire", "Réseaux encastrés et colonnes montantes", 25, "T17SS+5", "TR-08"),
    ("T35", "Électricité", "Gaines et boîtiers encastrés", 24, "T17SS+5;T31", "TR-09"),
    ("T36", "Menuiserie bois", "Fabrication des menuiseries bois en atelier", 21, "T13", "TR-05"),
    ("T37", "CVC", "Réseaux frigorifiques et gaines de ventilation", 22, "T19SS+5;T30", "TR-11"),
    ("T38", "Faux plafonds et cloisons", "Cloisons en plaques de plâtre", 14, "T20SS+20;T35", "TR-06"),
    ("T39", "Électricité", "Tirage de câbles et tableaux électriques", 14, "T35;T38SS+5", "TR-09"),
    ("T40", "Courants faibles / SSI", "Précâblage informatique et téléphonie", 14, "T39SS+5", "TR-10"),
    ("T41", "Faux plafonds et cloisons", "Faux plafonds démontables", 14, "T37;T39SS+10", "TR-06"),
    ("T42", "Revêtements", "Chapes et carrelage grès cérame", 21, "T20SS+25;T34", "TR-03"),
    ("T43", "Revêtements", "Faïence murale, marbre des escaliers et seuils", 15, "T42SS+5", "TR-03"),
    ("T44", "Menuiserie bois", "Huisseries, portes intérieures et quincaillerie", 17, "T42;T36;T38SS+8", "TR-05"),
    ("T45", "Menuiserie métallique", "Garde-corps et mains courantes", 8, "T43SS+5;T32", "TR-07"),
    ("T46", "Menuiserie métallique", "Portes métalliques et grilles", 10, "T27;T32", "TR-07"),
    ("T47", "Plomberie sanitaire", "Appareils sanitaires et robinetterie", 13, "T43", "TR-08"),
    ("T48", "CVC", "Pose des unités intérieures et extérieures", 10, "T41SS+10", "TR-11"),
    ("T49", "Électricité", "Appareillage et luminaires", 10, "T41FF+3", "TR-09"),
    ("T50", "Courants faibles / SSI", "Sécurité incendie, contrôle d'accès et vidéosurveillance", 14, "T41SS+5", "TR-10"),
    ("T51", "Ascenseur", "Montage de l'ascenseur", 20, "T33;T16;T25", "TR-12"),
    ("T52", "Peinture", "Peinture intérieure", 28, "T41SS+10;T44SS+5", "TR-13"),
    ("T53", "Peinture", "Peinture extérieure et ravalement", 14, "T21;T27", "TR-13"),
    ("T54", "VRD", "Réseaux extérieurs (assainissement, eau, électricité)", 24, "T21SS+15", "TR-14"),
    ("T55", "VRD", "Voirie, parking et trottoirs", 18, "T54FS-5", "TR-14"),
    ("T56", "VRD", "Espaces verts et clôture définitive", 16, "T55SS+10", "TR-14"),
    ("T57", "VRD", "Branchements aux réseaux publics", 14, "T54;T39", "TR-14"),
    ("T58", "Électricité", "Essais et mise en service électricité", 11, "T49;T57", "TR-09"),
    ("T59", "CVC", "Essais, équilibrage et mise en service CVC", 20, "T48;T58SS", "TR-11"),
    ("T60", "Courants faibles / SSI", "Essais SSI et visite de la Protection civile", 12, "T50;T58", "TR-10"),
    ("T61", "Ascenseur", "Essais et contrôle réglementaire de l'ascenseur", 9, "T51;T58SS+2", "TR-12"),
    ("T62", "Réception", "Fin des essais", 0, "T59;T60;T61", None),
    ("T63", "Peinture", "Finitions et retouches de peinture", 10, "T52;T47;T49", "TR-13"),
    ("T64", "Installation de chantier", "Nettoyage général de fin de chantier", 6, "T63;T56;T53", "TR-01"),
    ("T65", "Réception", "Opérations préalables à la réception (OPR)", 7, "T62;T64", None),
    ("T66", "Installation de chantier", "Repli des installations de chantier", 10, "T65SF+3", "TR-01"),
    ("T67", "Réception", "Dossier des ouvrages exécutés et plans de récolement", 29, "T62SS-15", None),
    ("T68", "Réception", "Levée des réserves de l'OPR", 10, "T65", None),
    ("T69", "Réception", "Réception provisoire", 0, "T68;T66;T67", None),
)
# fmt: on

#: the task whose duration absorbs the difference so that the baseline Réception provisoire falls
#: on the contractual end (levée des réserves), and that milestone
PAD_TASK = "T68"
FINAL_MILESTONE = "T69"


@dataclass(frozen=True)
class DelayEvent:
    """A hindrance that lengthens (or, negative, shortens) a task by ``days`` working days.

    The event becomes known ``after_start`` working days after the task start, or on the date
    ``known_from``, and is taken into account only by the status dates on or after that day, so
    an earlier status date never shows a later hindrance. The task is then simply longer: its
    progress is measured on the new duration, as a scheduling tool does.
    """

    task_id: str
    days: int
    comment: str
    after_start: int | None = None
    known_from: dt.date | None = None


#: what happened on site: steel for the first floor slab delivered three weeks late (the whole
#: structure slips), rain on the roof works, a reinforced tiling crew, then two hindrances
#: announced in the last weeks of the sample history (lift cabin, plaster repairs before painting)
DELAY_EVENTS: tuple[DelayEvent, ...] = (
    DelayEvent("T11", 15, "Retard livraison acier (3 sem.)", after_start=5),
    DelayEvent("T23", 3, "Arrêt intempéries (3 j.)", after_start=4),
    DelayEvent("T42", -4, "Équipe renforcée pour rattraper le retard", after_start=0),
    DelayEvent(
        "T51", 5, "Livraison cabine ascenseur décalée (1 sem.)", known_from=dt.date(2026, 10, 19)
    ),
    DelayEvent(
        "T52", 5, "Reprise des enduits avant peinture (1 sem.)", known_from=dt.date(2026, 11, 3)
    ),
)


_LINK = re.compile(r"(T\d+)(FS|SS|FF|SF)?([+-]\d+)?")


@dataclass
class Link:
    pred: str
    kind: str = "FS"
    lag: int = 0


def parse_predecessors(text: str) -> list[Link]:
    """``"T05;T07SS+5;T12FF-3"`` -> links (type FS by default, lag in working days)."""
    links = []
    for item in filter(None, (p.strip() for p in text.split(";"))):
        match = _LINK.fullmatch(item)
        if match is None:
            raise ValueError(f"unreadable predecessor {item!r}")
        task, kind, lag = match.groups()
        links.append(Link(task, kind or "FS", int(lag or 0)))
    return links


@dataclass
class _Task:
    task_id: str
    lot: str
    name: str
    duration: int
    predecessors: str
    budget_line: str | None
    start: int = 0  # index of the first working day
    end: int = 0  # index after the last working day (== start for a milestone)
    comment: str | None = None

    @property
    def milestone(self) -> bool:
        return self.duration == 0


def _check_network() -> None:
    seen: set[str] = set()
    for task_id, _lot, _name, _dur, preds, _line in TASKS:
        links = parse_predecessors(preds)
        if not links and seen:
            raise ValueError(f"{task_id} has no predecessor")
        for link in links:
            if link.pred not in seen:
                raise ValueError(f"{task_id}: predecessor {link.pred} not defined before it")
        seen.add(task_id)


def _forward_pass(
    cal: WorkCalendar, durations: dict[str, int], status: dt.date | None
) -> dict[str, _Task]:
    """Early dates of every task; delay events known at ``status`` (None: baseline) apply."""
    tasks: dict[str, _Task] = {}
    events = {e.task_id: e for e in DELAY_EVENTS} if status is not None else {}
    status_idx = cal.index_on_or_after(status) if status is not None else -1
    for task_id, lot, name, _dur, preds, line in TASKS:
        task = _Task(task_id, lot, name, durations[task_id], preds, line)
        duration = task.duration
        start = 0
        for link in parse_predecessors(preds):
            p = tasks[link.pred]
            if link.kind == "FS":
                bound = p.end + link.lag
            elif link.kind == "SS":
                bound = p.start + link.lag
            elif link.kind == "FF":
                bound = p.end + link.lag - duration
            else:  # SF
                bound = p.start + link.lag - duration
            start = max(start, bound)
        end = start + duration
        event = events.get(task_id)
        if event is not None:
            if event.after_start is not None:
                known = start + event.after_start
            else:
                known = cal.index_on_or_after(event.known_from)
            if known <= status_idx:
                if known >= end:
                    raise ValueError(f"{task_id} is finished before its delay event is known")
                end += event.days
                task.comment = event.comment
        task.start, task.end = start, end
        tasks[task_id] = task
    return tasks


@dataclass
class _Plan:
    cal: WorkCalendar
    baseline: dict[str, _Task]
    current: dict[str, _Task]
    status: dt.date
    #: first working day not done at the status date (the status date's own work is still to do)
    status_idx: int = field(init=False)

    def __post_init__(self) -> None:
        self.status_idx = self.cal.index_on_or_after(self.status)


def _baseline_durations(cal: WorkCalendar, settings: Settings) -> dict[str, int]:
    durations = {t[0]: t[3] for t in TASKS}
    trial = _forward_pass(cal, durations, None)
    end_idx = cal.index_on_or_before(settings.contractual_end)
    # the final milestone sits at the end of its FS predecessor: make that end the contractual end
    pad = end_idx + 1 - trial[FINAL_MILESTONE].start
    durations[PAD_TASK] += pad
    if durations[PAD_TASK] < 5:
        raise ValueError("task network too long for the contractual period")
    return durations


@lru_cache(maxsize=64)
def _plan(status: dt.date) -> _Plan:
    _check_network()
    settings = load_settings()
    cal = WorkCalendar(settings)
    durations = _baseline_durations(cal, settings)
    baseline = _forward_pass(cal, durations, None)
    current = _forward_pass(cal, durations, status)
    return _Plan(cal, baseline, current, status)


def _dates(cal: WorkCalendar, task: _Task) -> tuple[dt.date, dt.date]:
    if task.milestone:
        day = cal.day(max(task.start - 1, 0))
        return day, day
    return cal.day(task.start), cal.day(task.end - 1)


def _percent(task: _Task, status_idx: int) -> float:
    """Progress when the working days before ``status_idx`` are done, as a user records it.

    Linear over the task's (current) duration, rounded *up* to a whole percent and kept within
    1-99 % while under way, so that a tool recomputing the remaining duration as
    ⌈duration × (1 − %)⌉ from the status date finds the same forecast finish.
    """
    if task.milestone:
        return 1.0 if max(task.start - 1, 0) < status_idx else 0.0
    span = task.end - task.start
    done = min(max(status_idx - task.start, 0), span)
    if done in (0, span):
        return float(done // span)
    return min(max(math.ceil(done * 100 / span - 1e-9) / 100, 0.01), 0.99)


def _weeks(days: int) -> int:
    return max(1, round(days / 7))


def build_schedule(status_date: DateLike = DEFAULT_STATUS_DATE) -> pd.DataFrame:
    """The works schedule as kept at ``status_date``: baseline, forecast and actual dates."""
    status = as_date(status_date)
    plan = _plan(status)
    cal, idx = plan.cal, plan.status_idx
    final_base = _dates(cal, plan.baseline[FINAL_MILESTONE])[1]
    rows = []
    for task_id, task in plan.current.items():
        base = plan.baseline[task_id]
        b_start, b_finish = _dates(cal, base)
        start, finish = _dates(cal, task)
        pct = _percent(task, idx)
        actual_start = start if pct > 0 else None
        actual_finish = finish if pct >= 1 else None
        comment = task.comment
        slip = (finish - b_finish).days
        if comment is None and pct < 1 and slip >= 14:
            if task.milestone:
                comment = f"Prévision décalée de {_weeks(slip)} sem."
            elif pct > 0:
                comment = f"En retard de {_weeks(slip)} sem. sur la référence"
        if task_id == FINAL_MILESTONE and pct < 1 and finish > final_base:
            comment = f"Prévision au {finish:%d/%m/%Y} : pénalités de retard à instruire"
        rows.append(
            {
                "task_id": task_id,
                "lot": task.lot,
                "name": task.name,
                "baseline_start": b_start,
                "baseline_finish": b_finish,
                "start": start,
                "finish": finish,
                "actual_start": actual_start,
                "actual_finish": actual_finish,
                "percent_complete": pct,
                "predecessors": task.predecessors or None,
                "milestone": task.milestone,
                "budget_line": task.budget_line,
                "comment": comment,
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("baseline_start", "baseline_finish", "start", "finish"):
        frame[col] = pd.to_datetime(frame[col])
    for col in ("actual_start", "actual_finish"):
        frame[col] = pd.to_datetime(frame[col].astype(object))
    return frame


def physical_progress(status_date: DateLike, baseline: bool = False) -> float:
    """Share of works done (or planned, ``baseline=True``) at ``status_date``, weighted by the
    baseline duration of the tasks."""
    plan = _plan(as_date(status_date))
    tasks = plan.baseline if baseline else plan.current
    total = done = 0.0
    for task_id, task in tasks.items():
        weight = plan.baseline[task_id].end - plan.baseline[task_id].start
        total += weight
        done += weight * _percent(task, plan.status_idx)
    return done / total


# --------------------------------------------------------------------------------------------
# Contracts (marchés, avenants, bons de commande)
# --------------------------------------------------------------------------------------------

WORKS_CONTRACT = "07/2026/AREP-RSK"
WORKS_PAYEE = "Sté Atlas Bâtiment SARL"
WORKS_SIGNED = dt.date(2026, 1, 28)
AVENANT_ID = "07/2026/AREP-RSK/AV1"
AVENANT_SIGNED = dt.date(2026, 6, 11)
AVENANT_LINE = "TR-01"
#: avenant n°1 as a share of the initial works contract
AVENANT_SHARE = 0.048

#: rebate of the awarded BPDE on each works chapter (offer below the budget estimate)
WORKS_REBATES: dict[str, float] = {
    "TR-01": 0.9617,
    "TR-02": 0.9528,
    "TR-03": 0.9712,
    "TR-04": 0.9586,
    "TR-05": 0.9433,
    "TR-06": 0.9661,
    "TR-07": 0.9504,
    "TR-08": 0.9745,
    "TR-09": 0.9598,
    "TR-10": 0.9679,
    "TR-11": 0.9556,
    "TR-12": 0.9812,
    "TR-13": 0.9477,
    "TR-14": 0.9633,
}


@dataclass(frozen=True)
class _Contract:
    contract_id: str
    kind: str
    parent_id: str | None
    payee: str
    budget_line: str
    object: str
    amount: float
    signed_date: dt.date


STUDY_CONTRACTS: tuple[_Contract, ...] = (
    _Contract(
        "BC 03/2025/AREP-RSK",
        "Bon de commande",
        None,
        "Cabinet Géomètre Maamora",
        "ET-01",
        "Levé topographique du terrain",
        18_600.00,
        dt.date(2025, 2, 10),
    ),
    _Contract(
        "BC 05/2025/AREP-RSK",
        "Bon de commande",
        None,
        "Géotechnique Al Massira SARL",
        "ET-01",
        "Étude géotechnique (sondages et rapport)",
        39_000.00,
        dt.date(2025, 3, 3),
    ),
    _Contract(
        "CA 02/2025/AREP-RSK",
        "Convention",
        None,
        "Atelier d'architecture Tamesna",
        "ET-02",
        "Contrat d'architecte : conception et suivi des travaux",
        540_000.00,
        dt.date(2025, 4, 14),
    ),
    _Contract(
        "11/2025/AREP-RSK",
        "Marché",
        None,
        "BET Ingénierie Zaër SARL",
        "ET-03",
        "Études techniques et suivi (structure, fluides, électricité)",
        288_000.00,
        dt.date(2025, 7, 7),
    ),
    _Contract(
        "16/2025/AREP-RSK",
        "Marché",
        None,
        "Contrôle Technique du Gharb SARL",
        "ET-04",
        "Mission de contrôle technique de la construction",
        138_000.00,
        dt.date(2025, 9, 15),
    ),
    _Contract(
        "21/2025/AREP-RSK",
        "Marché",
        None,
        "Laboratoire Sebou d'Essais et d'Études",
        "ET-05",
        "Essais de laboratoire (sols, bétons, aciers, étanchéité)",
        91_200.00,
        dt.date(2025, 11, 3),
    ),
)

EQUIPMENT_CONTRACTS: tuple[_Contract, ...] = (
    _Contract(
        "24/2026/AREP-RSK",
        "Marché",
        None,
        "Bureautique Chellah SARL",
        "EQ-01",
        "Fourniture et installation du mobilier de bureau et de coworking",
        686_400.00,
        dt.date(2026, 10, 8),
    ),
    # signed after the current sample's status date: only the completion stage shows it
    _Contract(
        "31/2026/AREP-RSK",
        "Marché",
        None,
        "Réseaux et Systèmes du Gharb SARL",
        "EQ-02",
        "Fourniture et installation du matériel informatique et du réseau",
        451_200.00,
        dt.date(2026, 12, 21),
    ),
)

#: equipment invoices (contract, reference, object, issue date, share of the contract, days to
#: payment), all after the current sample's status date
EQUIPMENT_INVOICES: tuple[tuple[str, str, str, dt.date, float, int], ...] = (
    (
        "24/2026/AREP-RSK",
        "Facture n°1",
        "Livraison et installation du mobilier",
        dt.date(2027, 1, 25),
        1.0,
        38,
    ),
    (
        "31/2026/AREP-RSK",
        "Facture n°1",
        "Livraison et mise en service du matériel informatique et du réseau",
        dt.date(2027, 2, 8),
        1.0,
        41,
    ),
)


def _works_chapters() -> list[_Contract]:
    """The works contract, one row per chapter of its BPDE, a few % below each budget line."""
    budget = {line_id: (lot, amount) for line_id, _n, _c, lot, amount in BUDGET_LINES}
    rows = []
    for line_id, rebate in WORKS_REBATES.items():
        lot, amount = budget[line_id]
        ht = round(amount / 1.2 * rebate, 2)
        rows.append(
            _Contract(
                WORKS_CONTRACT,
                "Marché",
                None,
                WORKS_PAYEE,
                line_id,
                f"Travaux de construction du Technopark (lot unique), chapitre : {lot}",
                round(ht * 1.2, 2),
                WORKS_SIGNED,
            )
        )
    return rows


def works_initial_amount() -> float:
    return round(sum(c.amount for c in _works_chapters()), 2)


def _avenant() -> _Contract:
    amount = round(works_initial_amount() * AVENANT_SHARE, 2)
    return _Contract(
        AVENANT_ID,
        "Avenant",
        WORKS_CONTRACT,
        WORKS_PAYEE,
        AVENANT_LINE,
        "Avenant n°1 : renforcement des fondations suite au rapport géotechnique complémentaire",
        amount,
        AVENANT_SIGNED,
    )


def _all_contracts() -> list[_Contract]:
    return [*STUDY_CONTRACTS, *_works_chapters(), _avenant(), *EQUIPMENT_CONTRACTS]


CONTRACT_KEYS = [
    "contract_id",
    "kind",
    "parent_id",
    "payee",
    "budget_line",
    "object",
    "amount",
    "signed_date",
]


def build_contracts(status_date: DateLike = DEFAULT_STATUS_DATE) -> pd.DataFrame:
    """Commitments signed (approved) on or before ``status_date``."""
    status = as_date(status_date)
    rows = [
        {
            "contract_id": c.contract_id,
            "kind": c.kind,
            "parent_id": c.parent_id,
            "payee": c.payee,
            "budget_line": c.budget_line,
            "object": c.object,
            "amount": c.amount,
            "signed_date": c.signed_date,
        }
        for c in sorted(_all_contracts(), key=lambda c: c.signed_date)
        if c.signed_date <= status
    ]
    frame = pd.DataFrame(rows, columns=CONTRACT_KEYS)
    frame["signed_date"] = pd.to_datetime(frame["signed_date"])
    return frame


# --------------------------------------------------------------------------------------------
# Décomptes (works DPs from the progress history, studies fee notes)
# --------------------------------------------------------------------------------------------

#: days between the issue of DPk and its payment; None = payment blocked (visa missing)
DP_PAYMENT_DAYS: tuple[int | None, ...] = (41, 36, 47, 33, 44, None, 35, 38, 42, 39, 45, 37)
#: date the blocked DP is finally paid (after the sample period)
BLOCKED_DP_PAID = dt.date(2026, 12, 7)
#: a DP is issued this many calendar days after its attachement (month end), next working day
DP_ISSUE_LAG_DAYS = 12
STUDY_PAYMENT_DAYS = (38, 44, 31, 47, 35, 42, 33, 49, 40, 36)
DECOMPTE_KEYS = [
    "reference",
    "contract_id",
    "payee",
    "budget_line",
    "lot",
    "description",
    "date",
    "amount",
    "retention",
    "paid_date",
]


@dataclass(frozen=True)
class _Note:
    contract_id: str
    reference: str
    description: str
    issue: dt.date
    share: float | None = None  # share of the contract amount
    amount: float | None = None


def _study_notes(settings: Settings) -> list[_Note]:
    """Fee notes of the studies contracts, issued through the whole project (filtered later)."""
    notes = [
        _Note(
            "BC 03/2025/AREP-RSK", "Facture n°1", "Levé topographique", dt.date(2025, 3, 17), 1.0
        ),
        _Note(
            "BC 05/2025/AREP-RSK",
            "Facture n°1",
            "Étude géotechnique : rapport définitif",
            dt.date(2025, 5, 12),
            1.0,
        ),
        _Note(
            "CA 02/2025/AREP-RSK",
            "Note d'honoraires n°1",
            "Esquisse, APS et APD",
            dt.date(2025, 6, 16),
            0.15,
        ),
        _Note(
            "CA 02/2025/AREP-RSK",
            "Note d'honoraires n°2",
            "Dossier de consultation des entreprises (DCE)",
            dt.date(2025, 10, 20),
            0.15,
        ),
        _Note(
            "11/2025/AREP-RSK",
            "Note d'honoraires n°1",
            "Études d'exécution et DCE technique",
            dt.date(2025, 11, 24),
            0.30,
        ),
        _Note(
            "16/2025/AREP-RSK",
            "Note d'honoraires n°1",
            "Avis sur le dossier de conception",
            dt.date(2025, 12, 15),
            0.20,
        ),
    ]
    mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]

    def issued_after(year: int, month: int, days: int = 10) -> dt.date:
        return next_working_day(month_end(year, month) + dt.timedelta(days=days), settings)

    # architect: site supervision, one note a month from March 2026 to December 2026
    for k, (year, month) in enumerate([(2026, m) for m in range(3, 13)], start=3):
        notes.append(
            _Note(
                "CA 02/2025/AREP-RSK",
                f"Note d'honoraires n°{k}",
                f"Suivi des travaux : {mois[month - 1]} {year}",
                issued_after(year, month),
                0.06,
            )
        )
    # BET: site supervision every two months
    for k, (year, month) in enumerate(((2026, 4), (2026, 6), (2026, 8), (2026, 10), (2026, 12)), 2):
        notes.append(
            _Note(
                "11/2025/AREP-RSK",
                f"Note d'honoraires n°{k}",
                f"Suivi des travaux : {mois[month - 2]}-{mois[month - 1]} {year}",
                issued_after(year, month),
                0.10,
            )
        )
    # bureau de contrôle: a note a quarter
    quarters = (
        ((2026, 4), "février-avril"),
        ((2026, 7), "mai-juillet"),
        ((2026, 10), "août-octobre"),
    )
    for k, ((year, month), label) in enumerate(quarters, start=2):
        notes.append(
            _Note(
                "16/2025/AREP-RSK",
                f"Note d'honoraires n°{k}",
                f"Contrôle en cours de travaux : {label} {year}",
                issued_after(year, month),
                0.15,
            )
        )
    # laboratory: one invoice per test campaign
    campaigns = (
        ("Campagne n°1 : essais de sol et bétons des fondations", dt.date(2026, 4, 20), 16_800.00),
        ("Campagne n°2 : bétons et aciers de la structure RDC", dt.date(2026, 6, 15), 19_200.00),
        ("Campagne n°3 : bétons de la structure R+1 et R+2", dt.date(2026, 8, 10), 21_600.00),
        ("Campagne n°4 : essais d'étanchéité et de carrelage", dt.date(2026, 11, 9), 12_000.00),
    )
    for k, (label, day, amount) in enumerate(campaigns, start=1):
        notes.append(_Note("21/2025/AREP-RSK", f"Facture n°{k}", label, day, amount=amount))
    # after the réception provisoire (18/01/2027): the balance of each supervision contract
    balances = (
        ("CA 02/2025/AREP-RSK", "Note d'honoraires n°13", "Réception des travaux et DOE", 0.10),
        (
            "11/2025/AREP-RSK",
            "Note d'honoraires n°7",
            "Assistance aux opérations de réception",
            0.20,
        ),
        ("16/2025/AREP-RSK", "Note d'honoraires n°5", "Rapport final de contrôle technique", 0.35),
    )
    for contract_id, reference, label, share in balances:
        notes.append(_Note(contract_id, reference, label, dt.date(2027, 2, 8), share))
    return notes


def _issue_date_of_dp(k: int, settings: Settings) -> tuple[dt.date, dt.date]:
    """(attachement date, issue date) of DPk: DP1 measures the works at the end of March."""
    first = settings.works_start
    year, month = first.year, first.month + k  # DP1: month after the works start (March)
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    attachement = month_end(year, month)
    issue = next_working_day(attachement + dt.timedelta(days=DP_ISSUE_LAG_DAYS), settings)
    return attachement, issue


def _chapter_progress(line_id: str, day: dt.date) -> float:
    """Earned progress of a chapter measured at the end of ``day`` (attachement), weighted by
    baseline duration. The schedule as known then is used, so that a hindrance announced later
    never rewrites a décompte already issued."""
    plan = _plan(day + dt.timedelta(days=1))
    total = done = 0.0
    for task_id, task in plan.current.items():
        if task.budget_line != line_id or task.milestone:
            continue
        weight = plan.baseline[task_id].end - plan.baseline[task_id].start
        total += weight
        done += weight * _percent(task, plan.status_idx)
    return done / total if total else 0.0


def build_decomptes(status_date: DateLike = DEFAULT_STATUS_DATE) -> pd.DataFrame:
    """Décomptes issued on or before ``status_date``; payment dates only when already paid."""
    status = as_date(status_date)
    settings = load_settings()
    lots = {line_id: lot for line_id, _n, _c, lot, _a in BUDGET_LINES}
    payees = {c.contract_id: c.payee for c in _all_contracts()}
    rows: list[dict[str, Any]] = []

    # works: one row per (DP, chapter) that progressed, amounts from the progress history
    chapters = _works_chapters()
    avenant = _avenant()
    issued = {c.budget_line: 0.0 for c in chapters}
    retention_total = 0.0
    k = 1
    while True:
        attachement, issue = _issue_date_of_dp(k, settings)
        if issue > status:
            break
        cap = settings.retention_cap * (
            works_initial_amount() + (avenant.amount if avenant.signed_date <= issue else 0.0)
        )
        delay = DP_PAYMENT_DAYS[k - 1] if k <= len(DP_PAYMENT_DAYS) else 40
        paid = (
            BLOCKED_DP_PAID
            if delay is None
            else next_working_day(issue + dt.timedelta(days=delay), settings)
        )
        for chapter in chapters:
            line = chapter.budget_line
            amount_now = chapter.amount
            if line == avenant.budget_line and avenant.signed_date <= issue:
                amount_now += avenant.amount
            earned = round(_chapter_progress(line, attachement) * amount_now, 2)
            amount = round(earned - issued[line], 2)
            if amount <= 0:
                continue
            issued[line] = earned
            retention = min(
                round(amount * settings.retention_rate, 2), round(cap - retention_total, 2)
            )
            retention = retention if retention > 0 else 0.0  # cap reached (no -0.0)
            retention_total = round(retention_total + retention, 2)
            rows.append(
                {
                    "reference": f"DP{k}",
                    "contract_id": WORKS_CONTRACT,
                    "payee": WORKS_PAYEE,
                    "budget_line": line,
                    "lot": lots[line],
                    "description": (
                        f"Décompte provisoire n°{k} : travaux au {attachement:%d/%m/%Y}"
                    ),
                    "date": issue,
                    "amount": amount,
                    "retention": retention,
                    "paid_date": paid if paid <= status else None,
                }
            )
        k += 1

    # studies: fee notes
    contracts = {c.contract_id: c for c in STUDY_CONTRACTS}
    for n, note in enumerate(
        sorted(_study_notes(settings), key=lambda n: (n.issue, n.contract_id))
    ):
        if note.issue > status:
            continue
        contract = contracts[note.contract_id]
        amount = note.amount if note.amount is not None else round(contract.amount * note.share, 2)
        delay = STUDY_PAYMENT_DAYS[n % len(STUDY_PAYMENT_DAYS)]
        paid = next_working_day(note.issue + dt.timedelta(days=delay), settings)
        rows.append(
            {
                "reference": note.reference,
                "contract_id": note.contract_id,
                "payee": payees[note.contract_id],
                "budget_line": contract.budget_line,
                "lot": None,
                "description": note.description,
                "date": note.issue,
                "amount": amount,
                "retention": 0.0,
                "paid_date": paid if paid <= status else None,
            }
        )
    rows.extend(_equipment_rows(status, settings))
    frame = pd.DataFrame(rows, columns=DECOMPTE_KEYS)
    frame = frame.sort_values(["date", "contract_id", "budget_line"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["paid_date"] = pd.to_datetime(frame["paid_date"].astype(object))
    return frame


def _equipment_rows(status: dt.date, settings: Settings) -> list[dict[str, Any]]:
    """The equipment invoices issued by ``status`` (paid when their payment date has come)."""
    contracts = {c.contract_id: c for c in EQUIPMENT_CONTRACTS}
    rows = []
    for contract_id, reference, description, issue, share, days in EQUIPMENT_INVOICES:
        if issue > status:
            continue
        contract = contracts[contract_id]
        paid = next_working_day(issue + dt.timedelta(days=days), settings)
        rows.append(
            {
                "reference": reference,
                "contract_id": contract_id,
                "payee": contract.payee,
                "budget_line": contract.budget_line,
                "lot": None,
                "description": description,
                "date": issue,
                "amount": round(contract.amount * share, 2),
                "retention": 0.0,
                "paid_date": paid if paid <= status else None,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------
# Floor areas
# --------------------------------------------------------------------------------------------

CATEGORY_OF_TYPE = {
    "Bureau start-up": "Surfaces utiles",
    "Espace coworking": "Surfaces utiles",
    "Salle de réunion": "Surfaces utiles",
    "Local de services": "Surfaces utiles",
    "Accueil": "Locaux d'appui",
    "Administration": "Locaux d'appui",
    "Kitchenette": "Locaux d'appui",
    "Cabine téléphonique": "Locaux d'appui",
    "Local technique": "Locaux d'appui",
    "Sanitaires": "Locaux d'appui",
    "Stockage": "Locaux d'appui",
    "Circulation": "Circulations",
    "Circulation verticale": "Circulations",
    "Structure et gaines": "Structure",
}

#: offices per level: (level, areas of the offices in order)
OFFICES = (
    ("RDC", (15, 15)),
    ("R+1", (15,) * 12 + (22,) * 4),
    ("R+2", (15,) * 10 + (22,) * 4 + (32,) * 2),
)

#: other spaces per level: (type, designation, area, seats)
OTHER_SPACES: dict[str, tuple[tuple[str, str, float, int | None], ...]] = {
    "RDC": (
        ("Accueil", "Hall d'accueil et attente", 80, None),
        ("Administration", "Bureau du directeur", 20, None),
        ("Administration", "Bureau administratif et comptabilité", 25, None),
        ("Administration", "Secrétariat et archives courantes", 25, None),
        ("Espace coworking", "Espace coworking A (22 postes)", 120, 9),
        ("Local de services", "Espace services partagés (reprographie, courrier)", 50, None),
        ("Local de services", "Showroom et démonstration", 40, None),
        ("Kitchenette", "Kitchenette RDC", 15, None),
        ("Cabine téléphonique", "Cabines téléphoniques RDC (2)", 5, None),
        ("Local technique", "Local TGBT", 15, None),
        ("Local technique", "Local technique plomberie et CVC", 20, None),
        ("Sanitaires", "Sanitaires hommes RDC", 15, None),
        ("Sanitaires", "Sanitaires femmes et PMR RDC", 15, None),
        ("Stockage", "Réserve RDC", 12, None),
        ("Circulation", "Circulations RDC", 110, None),
        ("Circulation verticale", "Escalier, ascenseur et palier RDC", 40, None),
        ("Structure et gaines", "Murs, poteaux et gaines RDC", 38, None),
    ),
    "R+1": (
        ("Espace coworking", "Espace coworking B (20 postes)", 110, 8),
        ("Salle de réunion", "Salle de réunion et formation", 50, None),
        ("Kitchenette", "Kitchenette R+1", 15, None),
        ("Cabine téléphonique", "Cabines téléphoniques R+1 (3)", 7.5, None),
        ("Local technique", "Salle serveurs", 25, None),
        ("Sanitaires", "Sanitaires hommes R+1", 15, None),
        ("Sanitaires", "Sanitaires femmes R+1", 15, None),
        ("Stockage", "Réserve R+1", 9, None),
        ("Circulation", "Circulations R+1", 110, None),
        ("Circulation verticale", "Escalier, ascenseur et palier R+1", 40, None),
        ("Structure et gaines", "Murs, poteaux et gaines R+1", 37, None),
    ),
    "R+2": (
        ("Espace coworking", "Espace coworking C (18 postes)", 100, 7),
        ("Kitchenette", "Kitchenette R+2", 15, None),
        ("Cabine téléphonique", "Cabines téléphoniques R+2 (3)", 7.5, None),
        ("Sanitaires", "Sanitaires hommes R+2", 15, None),
        ("Sanitaires", "Sanitaires femmes R+2", 15, None),
        ("Stockage", "Réserve R+2", 9, None),
        ("Circulation", "Circulations R+2", 110, None),
        ("Circulation verticale", "Escalier, ascenseur et palier R+2", 40, None),
        ("Structure et gaines", "Murs, poteaux et gaines R+2", 37, None),
    ),
}

#: start-ups of the first selection wave, by office number (1-34)
OCCUPANTS = {
    1: "AgriSense Maroc",
    2: "Zaër Data Lab",
    3: "Irrigo Tech",
    4: "Olivéa AgriTech",
    5: "CodeAtlas",
    7: "SmartFarm RSK",
    8: "Tifawin Labs",
    9: "Maamora Digital",
    11: "GreenDrip Solutions",
    12: "Khémisset Apps",
    14: "DroneAgri Services",
    16: "Souk Connect",
    17: "HydroSol Innov",
    19: "Amlal EdTech",
    21: "Nomad Cloud Maroc",
    23: "BioCompost Zemmour",
    26: "FinDar Pay",
    28: "Tadart 3D",
    30: "MedLink Santé",
    33: "Argan Analytics",
}

_LEVEL_CODE = {"RDC": "R0", "R+1": "R1", "R+2": "R2"}


def build_floor_areas() -> pd.DataFrame:
    """The room schedule (programme des surfaces), 2 027 m² in total."""
    rows = []
    office_no = 0
    for level, office_areas in OFFICES:
        n = 0
        for area in office_areas:
            office_no += 1
            n += 1
            rows.append(
                (level, n, f"Bureau start-up {office_no}", "Bureau start-up", area, 1, office_no)
            )
        for space_type, name, area, seats in OTHER_SPACES[level]:
            n += 1
            rows.append((level, n, name, space_type, area, seats, None))
    frame = pd.DataFrame(
        [
            {
                "space_id": f"{_LEVEL_CODE[level]}-{n:02d}",
                "level": level,
                "name": name,
                "space_type": space_type,
                "category": CATEGORY_OF_TYPE[space_type],
                "area_m2": float(area),
                "seats": seats,
                "occupant": OCCUPANTS.get(office) if office else None,
            }
            for level, n, name, space_type, area, seats, office in rows
        ]
    )
    frame["seats"] = frame["seats"].astype("Int64")
    return frame


# --------------------------------------------------------------------------------------------
# Writing formatted workbooks
# --------------------------------------------------------------------------------------------

FMT_DATE = "dd/mm/yyyy"
FMT_MONEY = '#,##0.00 "DH"'
FMT_PERCENT = "0%"
FMT_AREA = "#,##0.00"
FMT_INT = "0"

HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
TOTAL_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ROW = 5


@dataclass(frozen=True)
class Col:
    key: str  # canonical column name in the frame
    header: str  # French header
    kind: str  # text, date, money, percent, area, int, bool
    width: float


SCHEDULE_COLUMNS = (
    Col("task_id", "N°", "text", 6),
    Col("lot", "Lot", "text", 24),
    Col("name", "Tâche", "text", 46),
    Col("baseline_start", "Début de référence", "date", 12),
    Col("baseline_finish", "Fin de référence", "date", 12),
    Col("start", "Début prévu", "date", 12),
    Col("finish", "Fin prévue", "date", 12),
    Col("actual_start", "Début réel", "date", 12),
    Col("actual_finish", "Fin réelle", "date", 12),
    Col("percent_complete", "% réalisé", "percent", 9),
    Col("predecessors", "Prédécesseurs", "text", 18),
    Col("milestone", "Jalon", "bool", 7),
    Col("budget_line", "Ligne budgétaire", "text", 11),
    Col("comment", "Observations", "text", 44),
)

BUDGET_COLUMNS = (
    Col("line_id", "Code", "text", 8),
    Col("name", "Poste budgétaire", "text", 44),
    Col("category", "Catégorie", "text", 13),
    Col("lot", "Lot", "text", 24),
    Col("amount", "Budget TTC (DH)", "money", 18),
)

CONTRACT_COLUMNS = (
    Col("contract_id", "N° marché", "text", 22),
    Col("kind", "Type", "text", 16),
    Col("parent_id", "Marché initial", "text", 18),
    Col("payee", "Titulaire", "text", 34),
    Col("budget_line", "Ligne budgétaire", "text", 11),
    Col("object", "Objet", "text", 60),
    Col("amount", "Montant TTC (DH)", "money", 18),
    Col("signed_date", "Date d'approbation", "date", 13),
)

DECOMPTE_COLUMNS = (
    Col("reference", "N° décompte", "text", 20),
    Col("contract_id", "N° marché", "text", 20),
    Col("payee", "Titulaire", "text", 32),
    Col("budget_line", "Ligne budgétaire", "text", 11),
    Col("lot", "Lot", "text", 24),
    Col("description", "Objet", "text", 52),
    Col("date", "Date d'émission", "date", 12),
    Col("amount", "Montant TTC (DH)", "money", 17),
    Col("retention", "Retenue de garantie (DH)", "money", 16),
    Col("paid_date", "Date de paiement", "date", 12),
)

FLOOR_AREA_COLUMNS = (
    Col("space_id", "N° local", "text", 9),
    Col("level", "Niveau", "text", 8),
    Col("name", "Désignation", "text", 46),
    Col("space_type", "Type de local", "text", 20),
    Col("category", "Catégorie", "text", 16),
    Col("area_m2", "Surface (m²)", "area", 12),
    Col("seats", "Postes de travail", "int", 10),
    Col("occupant", "Occupant", "text", 22),
)

_NUMBER_FORMATS = {
    "date": FMT_DATE,
    "money": FMT_MONEY,
    "percent": FMT_PERCENT,
    "area": FMT_AREA,
    "int": FMT_INT,
}


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell_value(value: Any, kind: str) -> Any:
    if _is_blank(value):
        return None
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind in ("money", "area"):
        return round(float(value), 2)
    if kind == "percent":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return "Oui" if bool(value) else "Non"
    return str(value)


def _write_table(
    ws: Worksheet,
    title: str,
    status: dt.date,
    columns: Sequence[Col],
    frame: pd.DataFrame,
    totals: Iterable[str] = (),
) -> None:
    """Title block, header on row 5, data from row 6, optional totals row (numbers, no formula)."""
    settings = load_settings()
    ncols = len(columns)
    last_col = get_column_letter(ncols)
    ws["A1"] = f"{settings.name} — {title}"
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 24
    ws["A2"] = f"Maître d'ouvrage délégué : {settings.owner}"
    ws["A2"].font = Font(italic=True)
    ws["A3"] = f"Situation au {status:%d/%m/%Y}"
    ws["A3"].font = Font(bold=True)

    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=col.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.row_dimensions[HEADER_ROW].height = 32

    row = HEADER_ROW
    for record in frame.to_dict("records"):
        row += 1
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row=row, column=j, value=_cell_value(record.get(col.key), col.kind))
            cell.border = BORDER
            if col.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[col.kind]
            if col.kind in ("date", "bool", "percent"):
                cell.alignment = Alignment(horizontal="center")
    last_data_row = row
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(last_data_row, HEADER_ROW + 1)}"

    totals = list(totals)
    if totals and len(frame):  # a header-only table ("nothing yet") has no totals row
        row += 1
        for j, col in enumerate(columns, start=1):
            value: Any = None
            if j == 1:
                value = "Total"
            elif col.key in totals:
                value = _cell_value(frame[col.key].sum(), col.kind)
            cell = ws.cell(row=row, column=j, value=value)
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
            cell.border = BORDER
            if col.kind in _NUMBER_FORMATS and col.kind != "date":
                cell.number_format = _NUMBER_FORMATS[col.kind]
    ws.sheet_view.zoomScale = 90
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _write_notes(wb: Workbook, title: str, lines: Sequence[str]) -> None:
    ws = wb.create_sheet("Notes")
    ws["A1"] = f"{load_settings().name} — {title}"
    ws["A1"].font = Font(bold=True, size=14, color="1F4E78")
    for i, line in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120


def write_schedule(frame: pd.DataFrame, path: Path, status_date: DateLike) -> Path:
    status = as_date(status_date)
    settings = load_settings()
    wb = Workbook()
    ws = wb.active
    ws.title = "Planning"
    _write_table(ws, "Planning des travaux", status, SCHEDULE_COLUMNS, frame)
    _write_notes(
        wb,
        "Notes sur le planning",
        [
            "Planning des travaux du marché unique, tenu par l'AREP à chaque réunion de chantier.",
            "Dates de référence : planning contractuel approuvé à l'OS de commencement du "
            f"{settings.works_start:%d/%m/%Y} (délai de {settings.duration_months} mois, fin "
            f"contractuelle le {settings.contractual_end:%d/%m/%Y}).",
            "Début et fin prévus : dates actualisées (réel pour les tâches commencées, prévision "
            "pour les autres) ; jours ouvrés du lundi au vendredi, jours fériés exclus.",
            "Prédécesseurs : N° de tâche suivi du type de lien (FS par défaut, SS, FF, SF) et d'un "
            "décalage en jours ouvrés, séparés par « ; » (ex. T05;T07SS+5).",
            "Ligne budgétaire : code du poste du budget (classeur suivi_financier.xlsx) ; vide pour "
            "les jalons et les opérations de réception, non rémunérées.",
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_spending(
    budget: pd.DataFrame,
    contracts: pd.DataFrame,
    decomptes: pd.DataFrame,
    path: Path,
    status_date: DateLike,
    extra_notes: Sequence[str] = (),
) -> Path:
    """The finance workbook (budget, contracts, décomptes, notes); ``extra_notes`` are added
    at the end of the notes (what a stage of the works has that the others have not)."""
    status = as_date(status_date)
    settings = load_settings()
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget"
    _write_table(ws, "Budget de l'opération", status, BUDGET_COLUMNS, budget, ["amount"])
    _write_table(
        wb.create_sheet("Marchés"),
        "Marchés et engagements",
        status,
        CONTRACT_COLUMNS,
        contracts,
        ["amount"],
    )
    _write_table(
        wb.create_sheet("Décomptes"),
        "Décomptes et paiements",
        status,
        DECOMPTE_COLUMNS,
        decomptes,
        ["amount", "retention"],
    )
    _write_notes(
        wb,
        "Notes sur le suivi financier",
        [
            f"Budget : enveloppe de la convention spécifique, {fr_money(settings.envelope)} TTC, "
            "répartie par poste ; les postes de travaux correspondent aux chapitres du BPDE.",
            "Marchés : engagements approuvés à la date de situation. Le marché de travaux (lot "
            "unique) figure sur une ligne par chapitre ; les avenants renvoient au marché initial.",
            "Décomptes : décomptes provisoires mensuels (DP) établis sur attachement de fin de mois, "
            "une ligne par chapitre ayant progressé ; notes d'honoraires et factures des études.",
            "Montants TTC avant retenue de garantie : 10 % de chaque décompte de travaux, plafonnée "
            "à 7 % du montant du marché et de ses avenants, libérée après la réception définitive.",
            "Date de paiement vide : décompte non encore payé (délai réglementaire de 60 jours).",
            *extra_notes,
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_floor_areas(frame: pd.DataFrame, path: Path, status_date: DateLike) -> Path:
    status = as_date(status_date)
    wb = Workbook()
    ws = wb.active
    ws.title = "Surfaces"
    _write_table(
        ws, "Programme des surfaces", status, FLOOR_AREA_COLUMNS, frame, ["area_m2", "seats"]
    )
    _write_notes(
        wb,
        "Notes sur le programme des surfaces",
        [
            "Programme des surfaces du bâtiment (RDC, R+1, R+2), surfaces hors œuvre par local.",
            "Catégories : surfaces utiles (bureaux, coworking, réunion, services), locaux d'appui, "
            "circulations et structure (murs, poteaux, gaines).",
            "Postes de travail : une start-up par bureau ; pour les espaces de coworking, places "
            "réservées aux start-up (24 sur une soixantaine de postes au total).",
            "Occupant : start-up retenues lors de la première vague de sélection ; bureaux vides "
            "encore à attribuer.",
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# --------------------------------------------------------------------------------------------
# Stages of the works: the launch and the completion, beside the current sample
# --------------------------------------------------------------------------------------------

STAGES_OUT = ROOT / "data" / "stages"
#: status date of each stage: four days after the OS de commencement (16/02/2026), before the
#: first progress report; a month after the réception provisoire (18/01/2027), when the last
#: works décompte is issued and not yet paid
STAGE_STATUS = {"launch": dt.date(2026, 2, 20), "completion": dt.date(2027, 2, 19)}
STAGES = tuple(STAGE_STATUS)
#: the site set-up, started on the day of the OS de commencement
SITE_SETUP_TASK = "T02"
SETTINGS_FILE = "project.toml"
_STATUS_LINE = re.compile(r"^#?[ \t]*status_date[ \t]*=.*$", re.MULTILINE)
_CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def build_launch_schedule(status_date: DateLike = STAGE_STATUS["launch"]) -> pd.DataFrame:
    """The schedule a few days after the OS de commencement, before the first progress report:
    the OS milestone reached on its date, the site set-up started that day (progress not
    measured yet), every task at 0 % and at its baseline dates."""
    frame = build_schedule(status_date)
    milestone = frame["milestone"].astype(bool)
    reached = milestone & (frame["percent_complete"] >= 1)
    setup = frame["task_id"] == SITE_SETUP_TASK
    comment = pd.Series(None, index=frame.index, dtype=object)
    start = frame.loc[setup, "actual_start"].iloc[0]
    comment[setup] = f"Commencée le {start:%d/%m/%Y} ; avancement mesuré au premier attachement"
    return frame.assign(
        start=frame["baseline_start"],
        finish=frame["baseline_finish"],
        percent_complete=frame["percent_complete"].where(reached, 0.0),
        actual_start=frame["actual_start"].where(reached | setup),
        actual_finish=frame["actual_finish"].where(reached),
        comment=comment,
    )


def build_completion_schedule(status_date: DateLike = STAGE_STATUS["completion"]) -> pd.DataFrame:
    """The schedule after the réception provisoire: every task at 100 % with its actual dates,
    the réception noted on its milestone."""
    frame = build_schedule(status_date)
    if (frame["percent_complete"] < 1).any():
        raise ValueError(f"works not finished at {status_date}")
    final = frame["task_id"] == FINAL_MILESTONE
    day = frame.loc[final, "actual_finish"].iloc[0]
    comment = frame["comment"].astype(object)
    comment[final] = f"Réception provisoire prononcée le {day:%d/%m/%Y}, réserves levées"
    return frame.assign(comment=comment)


def empty_decomptes() -> pd.DataFrame:
    """The décomptes ledger with its columns and no row (nothing issued yet)."""
    frame = pd.DataFrame({key: pd.Series(dtype=object) for key in DECOMPTE_KEYS})
    return frame.assign(
        date=pd.Series(dtype="datetime64[us]"), paid_date=pd.Series(dtype="datetime64[us]")
    )


def build_stage(stage: str) -> dict[str, Any]:
    """The tables of one stage (``launch`` or ``completion``) and its status date.

    - launch: the schedule of ``build_launch_schedule``, only the studies contracts signed
      (the works contract is still being approved), no décompte at all;
    - completion: every task done, every contract signed, the décomptes issued by the
      status date (the last works DP and two equipment invoices not paid yet).
    """
    status = STAGE_STATUS[stage]
    if stage == "launch":
        studies = {c.contract_id for c in STUDY_CONTRACTS}
        contracts = build_contracts(status)
        contracts = contracts[contracts["contract_id"].isin(studies)].reset_index(drop=True)
        schedule, decomptes = build_launch_schedule(status), empty_decomptes()
        notes = [
            "Lancement des travaux : marché de travaux en cours d'approbation, aucun décompte "
            "émis à la date de situation."
        ]
    else:
        schedule, contracts = build_completion_schedule(status), build_contracts(status)
        decomptes = build_decomptes(status)
        notes = [
            "Achèvement : réception provisoire prononcée ; retenue de garantie à libérer après la "
            "réception définitive (fin du délai de garantie)."
        ]
    return {
        "status": status,
        "schedule": schedule,
        "budget": build_budget_lines(),
        "contracts": contracts,
        "decomptes": decomptes,
        "floor_areas": build_floor_areas(),
        "notes": notes,
    }


#: the ``[data] registers`` entry of the settings, with its comment line
_REGISTERS_LINES = re.compile(r"(?m)^#[^\n]*registers[^\n]*\n^registers = [^\n]*\n")


def stage_settings_text(stage: str, source: Path = PROJECT_TOML) -> str:
    """``data/project.toml`` with the stage's ``schedule.status_date`` set; the ``[data]`` file
    names are the same, relative to the stage's folder where its workbooks are written. A
    stage keeps no steering register (the ``registers`` file and its comment are left out):
    the pages show what a project without one shows."""
    status = STAGE_STATUS[stage]
    source_text = _REGISTERS_LINES.sub("", source.read_text())
    text, count = _STATUS_LINE.subn(f"status_date = {status.isoformat()}", source_text, 1)
    if count != 1:
        raise ValueError(f"no schedule.status_date line in {source}")
    banner = (
        f"# Stage « {stage} » of the works, situation at {status:%d/%m/%Y}: written by\n"
        f"# scripts/make_sample_data.py --stage {stage} from data/project.toml (do not edit).\n"
    )
    return banner + text


def make_reproducible(path: Path, moment: dt.datetime) -> None:
    """Rewrite an xlsx with fixed zip entry times and document dates (openpyxl stamps both with
    the time of saving), so the same content always gives the same bytes."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == _CORE:
                data = _STAMP.sub(rf"\g<1>{stamp}\g<2>", data.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            archive.writestr(fixed, data)


def generate_stage(stage: str, out: Path | None = None) -> list[Path]:
    """Write the stage's three workbooks and its ``project.toml`` into ``out``
    (``data/stages/<stage>``), byte for byte reproducible."""
    out = Path(out) if out is not None else STAGES_OUT / stage
    tables = build_stage(stage)
    status = tables["status"]
    paths = [
        write_schedule(tables["schedule"], out / SCHEDULE_FILE, status),
        write_spending(
            tables["budget"],
            tables["contracts"],
            tables["decomptes"],
            out / SPENDING_FILE,
            status,
            extra_notes=tables["notes"],
        ),
        write_floor_areas(tables["floor_areas"], out / FLOOR_AREAS_FILE, status),
    ]
    for path in paths:
        make_reproducible(path, dt.datetime.combine(status, dt.time(17, 0)))
    settings = out / SETTINGS_FILE
    settings.write_text(stage_settings_text(stage), encoding="utf-8")
    return [*paths, settings]


def generate(out: Path = DEFAULT_OUT, status_date: DateLike = DEFAULT_STATUS_DATE) -> list[Path]:
    """Write the three workbooks into ``out`` for ``status_date``."""
    status = as_date(status_date)
    out = Path(out)
    return [
        write_schedule(build_schedule(status), out / SCHEDULE_FILE, status),
        write_spending(
            build_budget_lines(),
            build_contracts(status),
            build_decomptes(status),
            out / SPENDING_FILE,
            status,
        ),
        write_floor_areas(build_floor_areas(), out / FLOOR_AREAS_FILE, status),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="output folder (data/)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--status-date",
        type=dt.date.fromisoformat,
        default=DEFAULT_STATUS_DATE,
        help="date de situation, YYYY-MM-DD (2026-11-20)",
    )
    when.add_argument(
        "--stage",
        choices=[*STAGES, "all"],
        help="write a stage of the works (into data/stages/<stage>/) instead of the sample",
    )
    args = parser.parse_args(argv)
    if args.stage is None:
        paths = generate(args.out or DEFAULT_OUT, args.status_date)
    elif args.stage == "all":
        if args.out is not None:
            parser.error("--out needs a single --stage")
        paths = [path for stage in STAGES for path in generate_stage(stage)]
    else:
        paths = generate_stage(args.stage, args.out)
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
