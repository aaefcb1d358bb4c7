"""Project settings (``data/project.toml``): every number of the project, validated by key.

An invalid file raises ``LoadError`` whose problems name the key (``budget.envelope``) in the
``column`` field and say what was expected, all of them at once.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from loaders.limits import ReadLimits
from loaders.problems import LoadError, Problem, make_problem

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FRENCH_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


#: ``[limits]`` keys besides ``max_upload_mb``: (minimum, maximum, integer)
LIMIT_KEYS: dict[str, tuple[float, float, bool]] = {
    "max_rows": (1, 5_000_000, True),
    "max_columns": (1, 16_384, True),
    "max_cells": (1, 100_000_000, True),
    "max_problems": (1, 100_000, True),
    "min_year": (1900, 2200, True),
    "max_year": (1900, 2200, True),
    "max_amount": (1, 1e15, False),
    "max_area_m2": (1, 1e9, False),
    "max_number": (1, 1e15, False),
    "max_lag_days": (1, 36_500, True),
}
_INTEGER_LIMITS = {key for key, (_lo, _hi, integer) in LIMIT_KEYS.items() if integer}


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str
    approximate: bool = False


@dataclass(frozen=True)
class AlertThresholds:
    """Amber / red thresholds of the ratings and the spending alerts (``[alerts]``): the one
    set of defaults; a key of the settings file overrides its field."""

    #: forecast delay against the contractual end, in working days
    delay_days_amber: float = 10
    delay_days_red: float = 30
    #: physical progress behind plan, in points of percentage (0.05 = 5 points)
    progress_gap_amber: float = 0.05
    progress_gap_red: float = 0.10
    #: forecast final cost over the envelope, as a share of it
    eac_over_envelope_amber: float = 0.0
    eac_over_envelope_red: float = 0.05
    #: engaged (signed contracts) as a share of the envelope
    engaged_share_amber: float = 0.95
    engaged_share_red: float = 1.00
    #: total area of the room schedule against the announced area, either way
    area_gap_amber: float = 0.02
    area_gap_red: float = 0.05


@dataclass(frozen=True)
class ContractRules:
    """CCAG-Travaux defaults (``[contract_rules]``); a contract's CPS may set other values."""

    retention_rate: float = 0.10  # retenue de garantie withheld on each décompte
    retention_cap: float = 0.07  # … up to this share of the contract amount
    performance_bond_rate: float = 0.03  # cautionnement définitif
    penalty_rate_per_day: float = 0.001  # pénalités de retard, per calendar day
    penalty_cap: float = 0.08  # … capped at this share of the contract amount
    amendment_threshold: float = 0.10  # avenants above this share of the initial amount
    payment_delay_days: int = 60  # décret n° 2-16-344: payment within 60 days
    guarantee_months: int = 12  # délai de garantie after the provisional acceptance
    #: intérêts moratoires, annual rate (décret n° 2-16-344): the weighted average rate of the
    #: 3-month Treasury bills of the previous half-year + 1 point, published by the Ministry
    #: of Finance / TGR; 3,5 % is an estimate to confirm with the TGR
    late_payment_rate: float = 0.035


@dataclass(frozen=True)
class ScheduleRules:
    """Thresholds of the schedule checks (``[schedule]``), in working days."""

    long_task_days: int = 44  # a task longer than this is hard to follow (DCMA: 44 days)
    high_float_days: int = 44  # a total float above this suggests missing logic
    #: out-of-sequence progress in the critical path: "retained" (P6's default: a started task's
    #: remaining work still waits for its unfinished predecessors) or "override" (the remaining
    #: work ignores the logic that progress has broken)
    progress_logic: str = "retained"


#: the ``[project]`` names a document shows, each with an optional translation
#: ``<field>_<lang>`` (``name_ar``) for a document written in another language
NAME_FIELDS = ("name", "owner", "programme", "location", "contractor")
#: languages whose names the settings may hold (French is the names themselves)
NAME_LANGS = ("ar",)

ALERT_DEFAULTS = AlertThresholds()
RULE_DEFAULTS = ContractRules()
SCHEDULE_DEFAULTS = ScheduleRules()


@dataclass(frozen=True)
class ProjectSettings:
    name: str
    owner: str
    programme: str
    location: str
    contractor: str
    currency: str
    envelope: float
    amounts_basis: str  # "TTC" | "HT"
    vat_rate: float
    works_start: dt.date
    duration_months: int
    status_date: dt.date | None
    weekend: tuple[int, ...]  # Monday = 0
    long_task_days: int
    high_float_days: int
    holidays: tuple[Holiday, ...]
    total_area_m2: float
    area_basis: str  # "gross" | "net"
    capacity_startups: int
    programme_required: dict[str, int]
    retention_rate: float
    retention_cap: float
    performance_bond_rate: float
    penalty_rate_per_day: float
    penalty_cap: float
    amendment_threshold: float
    payment_delay_days: int
    guarantee_months: int
    alerts: AlertThresholds
    max_upload_mb: float
    #: the ``[limits]`` bounds other than the upload size (max_rows, min_year…)
    limits: dict[str, float] = field(default_factory=dict)
    data_files: dict[str, Path] = field(default_factory=dict)
    source: Path | None = None
    #: the names in other languages (``project.name_ar`` …): language -> field -> text
    local_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: ``[schedule] progress_logic``: "retained" or "override" (see :class:`ScheduleRules`)
    progress_logic: str = SCHEDULE_DEFAULTS.progress_logic
    #: ``[contract_rules] late_payment_rate``: intérêts moratoires, annual (see ContractRules)
    late_payment_rate: float = RULE_DEFAULTS.late_payment_rate

    def local_name(self, name_field: str, lang: str | None) -> str:
        """``name_field`` (``name``, ``owner``, ``programme``, ``location``, ``contractor``) as
        a document in ``lang`` writes it: the ``<field>_<lang>`` setting when there is one,
        else the name as set (French), so a missing translation never leaves a blank."""
        if name_field not in NAME_FIELDS:
            raise ValueError(f"unknown project name {name_field!r}; expected one of {NAME_FIELDS}")
        translated = self.local_names.get((lang or "").lower()[:2], {}).get(name_field)
        return translated or getattr(self, name_field)

    @property
    def contractual_end(self) -> dt.date:
        """``works_start`` plus the contract period in months (same day of month, clipped)."""
        return add_months(self.works_start, self.duration_months)

    @property
    def contract_rules(self) -> ContractRules:
        return ContractRules(
            self.retention_rate,
            self.retention_cap,
            self.performance_bond_rate,
            self.penalty_rate_per_day,
            self.penalty_cap,
            self.amendment_threshold,
            self.payment_delay_days,
            self.guarantee_months,
            self.late_payment_rate,
        )

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def read_limits(self) -> ReadLimits:
        """The bounds every loader applies to a file of this project. "Today" is today, or
        the status date the settings fix when it is later (a planned or what-if situation)."""
        values = {k: int(v) if k in _INTEGER_LIMITS else float(v) for k, v in self.limits.items()}
        today = max(dt.date.today(), self.status_date or dt.date.min)
        return ReadLimits(max_bytes=self.max_upload_bytes, today=today, **values)

    @property
    def holiday_dates(self) -> tuple[dt.date, ...]:
        return tuple(h.date for h in self.holidays)


def add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class _Reader:
    """Reads typed values out of the parsed TOML, recording one problem per bad key."""

    def __init__(self, data: dict, file: str, lang: str):
        self.data, self.file, self.lang = data, file, lang
        self.problems: list[Problem] = []

    def _get(self, key: str) -> tuple[bool, Any]:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return False, None
            node = node[part]
        return True, node

    def _bad(self, key: str, value: Any, expected: str) -> None:
        self.problems.append(
            make_problem(
                "error",
                "bad_setting",
                self.lang,
                column=key,
                value=value,
                expected=expected,
                file=self.file,
            )
        )

    def _missing(self, key: str, expected: str) -> None:
        self.problems.append(
            make_problem(
                "error", "missing_setting", self.lang, column=key, expected=expected, file=self.file
            )
        )

    def text(self, key: str, default: str | None = None, choices: tuple[str, ...] = ()) -> str:
        found, value = self._get(key)
        expected = " | ".join(choices) if choices else "texte"
        if not found:
            if default is None:
                self._missing(key, expected)
            return default or ""
        if not isinstance(value, str) or not value.strip() or (choices and value not in choices):
            self._bad(key, value, expected)
            return default or ""
        return value

    def number(
        self,
        key: str,
        default: float | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
        below_maximum: bool = False,
    ) -> float:
        """The number at ``key`` within ``minimum`` and ``maximum`` (strictly below it when
        ``below_maximum``: a rate that cannot reach 100 %)."""
        found, value = self._get(key)
        expected = (
            ("entier" if integer else "nombre")
            + (f" ≥ {minimum}" if minimum is not None else "")
            + (f" ≤ {maximum}" if maximum is not None and not below_maximum else "")
            + (f" et < {maximum}" if maximum is not None and below_maximum else "")
        )
        if not found:
            if default is None:
                self._missing(key, expected)
                return 0
            return default
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and (not integer or float(value).is_integer())
        ok = ok and (minimum is None or value >= minimum)
        ok = ok and (maximum is None or value < maximum or (value == maximum and not below_maximum))
        if not ok:
            self._bad(key, value, expected)
            return default if default is not None else 0
        return int(value) if integer else float(value)

    def date(self, key: str, required: bool = True) -> dt.date | None:
        found, value = self._get(key)
        if not found:
            if required:
                self._missing(key, "date AAAA-MM-JJ")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self._bad(key, value, "date AAAA-MM-JJ")
        return None


def _weekday_index(name: object) -> int | None:
    if not isinstance(name, str):
        return None
    key = name.strip().lower()
    for table in (WEEKDAYS, _FRENCH_WEEKDAYS):
        if key in table:
            return table.index(key)
    return None


def load_project(path: str | Path, lang: str = "fr") -> ProjectSettings:
    """Read and validate the project settings file."""
    path = Path(path)
    file = path.name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise LoadError(
            [make_problem("error", "file_not_found", lang, file=file, path=str(path))]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(
            [make_problem("error", "bad_toml", lang, file=file, detail=str(exc))]
        ) from None
    return settings_from_dict(data, source=path, lang=lang)


def settings_from_dict(data: dict, source: Path | None = None, lang: str = "fr") -> ProjectSettings:
    file = source.name if source else "project.toml"
    read = _Reader(data, file, lang)
    weekend_raw = read._get("schedule.weekend")[1]
    if weekend_raw is None:
        weekend_raw = ["saturday", "sunday"]
    weekend: list[int] = []
    if not isinstance(weekend_raw, list):
        read._bad("schedule.weekend", weekend_raw, "liste de jours : saturday, sunday…")
    else:
        for name in weekend_raw:
            index = _weekday_index(name)
            if index is None:
                read._bad("schedule.weekend", name, "monday … sunday")
            else:
                weekend.append(index)

    holidays: list[Holiday] = []
    holidays_raw = read._get("schedule.holidays")[1] or []
    for position, entry in enumerate(holidays_raw if isinstance(holidays_raw, list) else []):
        key = f"schedule.holidays[{position + 1}]"
        day = entry.get("date") if isinstance(entry, dict) else None
        if isinstance(day, dt.datetime):
            day = day.date()
        if not isinstance(day, dt.date):
            read._bad(f"{key}.date", day, "date AAAA-MM-JJ")
            continue
        holidays.append(
            Holiday(day, str(entry.get("name", "")), bool(entry.get("approximate", False)))
        )

    programme_raw = read._get("areas.programme")[1] or {}
    programme: dict[str, int] = {}
    for space_type, count in programme_raw.items():
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            programme[space_type] = count
        else:
            read._bad(f"areas.programme.{space_type}", count, "entier ≥ 0")

    alerts_raw = read._get("alerts")[1] or {}
    known_alerts = {f.name for f in fields(AlertThresholds)}
    alert_values: dict[str, float] = {}
    for key, value in alerts_raw.items():
        if key not in known_alerts:
            read._bad(f"alerts.{key}", value, ", ".join(sorted(known_alerts)))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            alert_values[key] = float(value)
        else:
            read._bad(f"alerts.{key}", value, "nombre")
    alerts = replace(ALERT_DEFAULTS, **alert_values)

    limits: dict[str, float] = {}
    for key, (minimum, maximum, integer) in LIMIT_KEYS.items():
        if read._get(f"limits.{key}")[0]:
            limits[key] = read.number(f"limits.{key}", None, minimum, maximum, integer)
    if limits.get("min_year", 1990) > limits.get("max_year", 2100):
        read._bad("limits.min_year", limits.get("min_year"), "≤ limits.max_year")

    local_names: dict[str, dict[str, str]] = {}
    for name_lang in NAME_LANGS:
        for name_field in NAME_FIELDS:
            text = read.text(f"project.{name_field}_{name_lang}", "").strip()
            if text:
                local_names.setdefault(name_lang, {})[name_field] = text

    base = source.parent if source else Path(".")
    data_files = {kind: base / str(name) for kind, name in (read._get("data")[1] or {}).items()}

    settings = ProjectSettings(
        name=read.text("project.name"),
        owner=read.text("project.owner", ""),
        programme=read.text("project.programme", ""),
        location=read.text("project.location", ""),
        contractor=read.text("project.contractor", ""),
        currency=read.text("project.currency", "MAD"),
        envelope=read.number("budget.envelope", minimum=0.01),
        amounts_basis=read.text("budget.amounts_basis", "TTC", choices=("TTC", "HT")),
        vat_rate=read.number("budget.vat_rate", 0.20, 0, 1),
        works_start=read.date("schedule.works_start") or dt.date(1970, 1, 1),
        duration_months=int(
            read.number("schedule.duration_months", minimum=1, maximum=240, integer=True)
        ),
        status_date=read.date("schedule.status_date", required=False),
        weekend=tuple(sorted(set(weekend))),
        long_task_days=int(
            read.number(
                "schedule.long_task_days", SCHEDULE_DEFAULTS.long_task_days, 1, integer=True
            )
        ),
        high_float_days=int(
            read.number(
                "schedule.high_float_days", SCHEDULE_DEFAULTS.high_float_days, 1, integer=True
            )
        ),
        holidays=tuple(sorted(holidays, key=lambda h: h.date)),
        total_area_m2=read.number("areas.total_m2", minimum=0.01),
        area_basis=read.text("areas.basis", "gross", choices=("gross", "net")),
        capacity_startups=int(read.number("areas.capacity_startups", 0, 0, integer=True)),
        programme_required=programme,
        retention_rate=read.number(
            "contract_rules.retention_rate", RULE_DEFAULTS.retention_rate, 0, 1
        ),
        retention_cap=read.number(
            "contract_rules.retention_cap", RULE_DEFAULTS.retention_cap, 0, 1
        ),
        performance_bond_rate=read.number(
            "contract_rules.performance_bond_rate", RULE_DEFAULTS.performance_bond_rate, 0, 1
        ),
        penalty_rate_per_day=read.number(
            "contract_rules.penalty_rate_per_day", RULE_DEFAULTS.penalty_rate_per_day, 0, 1
        ),
        penalty_cap=read.number("contract_rules.penalty_cap", RULE_DEFAULTS.penalty_cap, 0, 1),
        amendment_threshold=read.number(
            "contract_rules.amendment_threshold", RULE_DEFAULTS.amendment_threshold, 0, 10
        ),
        payment_delay_days=int(
            read.number(
                "contract_rules.payment_delay_days",
                RULE_DEFAULTS.payment_delay_days,
                0,
                integer=True,
            )
        ),
        guarantee_months=int(
            read.number(
                "contract_rules.guarantee_months", RULE_DEFAULTS.guarantee_months, 0, integer=True
            )
        ),
        alerts=alerts,
        max_upload_mb=read.number("limits.max_upload_mb", 20, 0.001, 2048),
        limits=limits,
        data_files=data_files,
        source=source,
        local_names=local_names,
        progress_logic=read.text(
            "schedule.progress_logic",
            SCHEDULE_DEFAULTS.progress_logic,
            choices=("retained", "override"),
        ),
        late_payment_rate=read.number(
            "contract_rules.late_payment_rate",
            RULE_DEFAULTS.late_payment_rate,
            0,
            1,
            below_maximum=True,
        ),
    )
    if len(weekend) >= 7:
        read._bad("schedule.weekend", weekend_raw, "au moins un jour travaillé")
    if read.problems:
        raise LoadError(read.problems)
    return settings
