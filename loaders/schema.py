"""Canonical tables: the one place where column names, types and accepted headers are declared.

Every other module refers to columns through these constants (``SCHEDULE.start``…), never by
typing a header string again. Aliases are written already *normalised* (see
``loaders.headers.normalise_header``): lower case, no accents, units in brackets removed,
punctuation turned into spaces, ``%`` kept as a word. The first alias of a column wins when a
file holds several matching headers (``montant ttc`` before ``montant``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "id", "date", "number", "money", "percent", "bool"]
#: the ``ReadLimits`` bound a number column is held to (either sign)
NumberLimit = Literal["max_amount", "max_area_m2", "max_number"]
#: the bound of each numeric type when a column does not name its own
_TYPE_LIMITS: dict[str, NumberLimit] = {"money": "max_amount", "number": "max_number"}


#: the budget line a task, a contract or a décompte is charged to: the same headers in each
BUDGET_LINE_ALIASES = (
    "ligne budgetaire",
    "code budgetaire",
    "poste budgetaire",
    "code ligne",
    "budget line",
    "cost code",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    aliases: tuple[str, ...]
    required: bool = False
    #: the bound of a number column when not its type's (an area is held to ``max_area_m2``)
    limit: NumberLimit | None = None
    #: label key in the translation files (``column.<name>``) is derived from ``name``.

    @property
    def number_limit(self) -> NumberLimit | None:
        """The ``ReadLimits`` field bounding this column: money → ``max_amount``, an area →
        ``max_area_m2``, any other number (weights, seats) → ``max_number``; None for others."""
        return self.limit or _TYPE_LIMITS.get(self.type)


@dataclass(frozen=True)
class TableSchema:
    kind: str
    columns: tuple[Column, ...]
    #: columns whose text identifies a totals/subtotals or note row
    label_columns: tuple[str, ...] = field(default=())

    def __getattr__(self, item: str) -> str:  # SCHEDULE.start -> "start"
        for column in object.__getattribute__(self, "columns"):
            if column.name == item:
                return column.name
        raise AttributeError(item)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


SCHEDULE = TableSchema(
    kind="schedule",
    columns=(
        Column(
            "task_id",
            "id",
            (
                "id",
                "n",
                "no",
                "n tache",
                "num",
                "numero",
                "code",
                "code tache",
                "id tache",
                "ref",
                "reference",
                "task id",
                "activity id",
            ),
        ),
        Column(
            "name",
            "text",
            (
                "tache",
                "nom de la tache",
                "nom",
                "designation",
                "libelle",
                "intitule",
                "activite",
                "task name",
                "task",
                "name",
                "activity name",
                "description",
            ),
            required=True,
        ),
        Column(
            "lot",
            "text",
            ("lot", "corps d etat", "corps d etats", "trade", "work package", "package", "phase"),
        ),
        Column(
            "start",
            "date",
            (
                "debut",
                "debut prevu",
                "debut previsionnel",
                "debut actualise",
                "debut recale",
                "date debut",
                "date de debut",
                "start",
                "start date",
                "planned start",
                "forecast start",
            ),
            required=True,
        ),
        Column(
            "finish",
            "date",
            (
                "fin",
                "fin prevue",
                "fin previsionnelle",
                "fin actualisee",
                "fin recalee",
                "date fin",
                "date de fin",
                "finish",
                "finish date",
                "end",
                "end date",
                "planned finish",
                "forecast finish",
            ),
            required=True,
        ),
        Column(
            "percent_complete",
            "percent",
            (
                "% realise",
                "% avancement",
                "avancement",
                "% acheve",
                "% achevement",
                "pourcentage acheve",
                "taux d avancement",
                "avancement physique",
                "realise",
                "% complete",
                "percent complete",
                "% done",
                "progress",
                "activity % complete",
                "physical % complete",
                "% physique acheve",
            ),
        ),
        Column(
            "baseline_start",
            "date",
            (
                "debut de reference",
                "debut reference",
                "debut initial",
                "debut planning initial",
                "debut contractuel",
                "debut planifie",
                "baseline start",
                "bl project start",
                "bl1 start",
                "baseline1 start",
            ),
        ),
        Column(
            "baseline_finish",
            "date",
            (
                "fin de reference",
                "fin reference",
                "fin initiale",
                "fin planning initial",
                "fin contractuelle",
                "fin planifiee",
                "baseline finish",
                "bl project finish",
                "bl1 finish",
                "baseline1 finish",
            ),
        ),
        Column("actual_start", "date", ("debut reel", "date debut reel", "actual start")),
        Column(
            "actual_finish",
            "date",
            ("fin reelle", "date fin reelle", "actual finish", "actual end"),
        ),
        Column(
            "predecessors",
            "text",
            (
                "predecesseurs",
                "predecesseur",
                "antecedents",
                "liens",
                "dependances",
                "predecessors",
            ),
        ),
        Column("milestone", "bool", ("jalon", "milestone")),
        # -- the outline: planning tools' summary rows (a lot, a phase) and their children.
        # A summary row is kept for the Gantt's grouping and left out of progress weights,
        # of the critical path's tasks and of late-task lists (``loaders.outline``).
        Column("unique_id", "id", ("unique id", "id unique", "n unique", "uid")),
        Column(
            "wbs",
            "text",
            (
                "wbs",
                "edt",
                "code wbs",
                "wbs code",
                "code edt",
                "n hierarchique",
                "numero hierarchique",
                "outline number",
            ),
        ),
        Column(
            "outline_level",
            "number",
            ("niveau hierarchique", "niveau de la structure", "outline level"),
        ),
        #: the task_id of the summary row a task sits under (named ``summary_id``, not
        #: ``parent_id``: that is the contracts' column "Marché initial", labels are per name)
        Column(
            "summary_id",
            "id",
            (
                "parent",
                "id parent",
                "tache parent",
                "tache parente",
                "parent id",
                "parent task",
                "summary id",
            ),
        ),
        Column(
            "is_summary",
            "bool",
            ("recapitulative", "tache recapitulative", "summary", "summary task", "is summary"),
        ),
        # -- scheduling data of planning tools (working days of the task's calendar)
        Column("duration", "number", ("duree", "duree prevue", "duration", "original duration")),
        Column(
            "remaining_duration",
            "number",
            ("duree restante", "remaining duration"),
        ),
        Column(
            "constraint_type",
            "text",
            ("type de contrainte", "contrainte", "constraint type", "primary constraint"),
        ),
        Column(
            "constraint_date",
            "date",
            ("date de contrainte", "constraint date", "primary constraint date"),
        ),
        Column(
            "calendar",
            "text",
            ("calendrier", "calendrier de la tache", "calendar", "task calendar"),
        ),
        Column(
            "cost",
            "money",
            (
                "cout",
                "cout total",
                "cout budgete",
                "cost",
                "budgeted cost",
                "total cost",
                "budgeted total cost",
            ),
        ),
        # -- the dates and floats the planning tool itself computed, kept to compare with ours
        Column("file_early_start", "date", ("debut au plus tot", "early start")),
        Column("file_early_finish", "date", ("fin au plus tot", "early finish")),
        Column("file_late_start", "date", ("debut au plus tard", "late start")),
        Column("file_late_finish", "date", ("fin au plus tard", "late finish")),
        Column("file_total_float", "number", ("marge totale", "total slack", "total float")),
        Column("file_free_float", "number", ("marge libre", "free slack", "free float")),
        Column("weight", "number", ("poids", "ponderation", "coefficient", "weight")),
        Column("budget_line", "text", BUDGET_LINE_ALIASES),
        Column(
            "comment",
            "text",
            (
                "commentaire",
                "commentaires",
                "observations",
                "observation",
                "remarques",
                "notes",
                "comments",
            ),
        ),
    ),
    label_columns=("task_id", "name", "lot"),
)

SPENDING = TableSchema(
    kind="spending",
    columns=(
        Column(
            "date",
            "date",
            (
                "date",
                "date d emission",
                "date emission",
                "date du decompte",
                "date decompte",
                "date d ordonnancement",
                "date ordonnancement",
                "date de la facture",
                "date facture",
                "date convention",
                "issue date",
                "invoice date",
                "month",
                "mois",
            ),
            required=True,
        ),
        Column(
            "amount",
            "money",
            (
                "montant ttc",
                "montant du decompte ttc",
                "montant du decompte",
                "montant decompte",
                "montant",
                "montant net",
                "amount",
                "actual cost",
                "amount ttc",
                "amount incl vat",
            ),
            required=True,
        ),
        Column(
            "lot",
            "text",
            (
                "lot",
                "corps d etat",
                "trade",
                "chapitre",
                "work package",
            ),
        ),
        Column(
            "payee",
            "text",
            (
                "titulaire",
                "beneficiaire",
                "nom beneficiaire",
                "fournisseur",
                "prestataire",
                "entreprise",
                "attributaire",
                "payee",
                "contractor",
                "vendor",
                "supplier",
            ),
        ),
        Column(
            "reference",
            "text",
            (
                "reference",
                "ref",
                "n decompte",
                "decompte",
                "n piece",
                "piece",
                "piece ref",
                "numero",
                "invoice no",
                "invoice",
            ),
        ),
        Column(
            "contract_id",
            "text",
            (
                "n marche",
                "marche",
                "n contrat",
                "contrat",
                "contract",
                "po number",
                "bon de commande",
                "contract no",
            ),
        ),
        Column("budget_line", "text", BUDGET_LINE_ALIASES),
        Column(
            "retention",
            "money",
            ("retenue de garantie", "retenue", "rg", "retention", "retention money"),
        ),
        #: the payment-law clock (décret n° 2-16-344): the constatation du service fait (the
        #: attachement signed) starts the 60 days, the ordonnancement ends the ordonnateur's 45
        Column(
            "service_date",
            "date",
            (
                "date de constatation du service fait",
                "date de constatation",
                "constatation du service fait",
                "service fait le",
                "date du service fait",
                "date d attachement",
                "date attachement",
                "date de l attachement",
                "service date",
                "date of service",
                "acceptance date",
            ),
        ),
        Column(
            "ordered_date",
            "date",
            (
                "date d ordonnancement effectif",
                "ordonnance le",
                "date de l ordonnance",
                "date du mandat",
                "date de mandatement",
                "payment order date",
                "ordered date",
            ),
        ),
        Column(
            "paid_date",
            "date",
            (
                "date de paiement",
                "date paiement",
                "date de reglement",
                "date reglement",
                "paye le",
                "paid date",
                "payment date",
            ),
        ),
        Column(
            "description",
            "text",
            ("objet", "libelle", "designation", "description", "intitule", "observations"),
        ),
    ),
    label_columns=("reference", "payee", "lot", "description", "contract_id"),
)

BUDGET_LINES = TableSchema(
    kind="budget",
    columns=(
        Column(
            "line_id",
            "id",
            (
                "code",
                "code ligne",
                "ligne",
                "ligne budgetaire",
                "code budgetaire",
                "n",
                "cost code",
            ),
            required=True,
        ),
        Column(
            "name",
            "text",
            (
                "designation",
                "libelle",
                "intitule",
                "poste",
                "poste budgetaire",
                "description",
                "name",
            ),
            required=True,
        ),
        Column("category", "text", ("categorie", "nature", "rubrique", "famille", "category")),
        Column(
            "lot",
            "text",
            (
                "lot",
                "corps d etat",
                "trade",
                "work package",
            ),
        ),
        Column(
            "amount",
            "money",
            (
                "budget ttc",
                "montant ttc",
                "budget",
                "montant",
                "dotation",
                "enveloppe",
                "montant alloue",
                "current budget",
                "amount",
                "amount incl vat",
            ),
            required=True,
        ),
    ),
    label_columns=("line_id", "name", "category"),
)

CONTRACTS = TableSchema(
    kind="contracts",
    columns=(
        Column(
            "contract_id",
            "id",
            (
                "n marche",
                "marche",
                "n contrat",
                "contrat",
                "reference",
                "numero",
                "contract",
                "contract id",
                "contract no",
            ),
            required=True,
        ),
        Column(
            "contract_type",
            "text",
            ("type", "nature", "type d engagement", "kind", "contract type"),
        ),
        Column(
            "parent_id",
            "text",
            (
                "marche initial",
                "marche de base",
                "avenant au marche",
                "marche parent",
                "parent",
                "original contract",
            ),
        ),
        Column(
            "payee",
            "text",
            (
                "titulaire",
                "attributaire",
                "entreprise",
                "prestataire",
                "fournisseur",
                "contractor",
                "payee",
            ),
        ),
        Column("budget_line", "text", BUDGET_LINE_ALIASES, required=True),
        Column(
            "amount",
            "money",
            (
                "montant ttc",
                "montant",
                "montant engage",
                "amount",
                "amount incl vat",
            ),
            required=True,
        ),
        Column(
            "signed_date",
            "date",
            (
                "date de signature",
                "date signature",
                "date d approbation",
                "date approbation",
                "date de notification",
                "date",
                "signed date",
                "approval date",
            ),
        ),
        Column(
            "object",
            "text",
            (
                "objet",
                "designation",
                "intitule",
                "libelle",
                "object",
                "subject",
            ),
        ),
    ),
    label_columns=("contract_id", "payee", "object", "budget_line"),
)

FLOOR_AREAS = TableSchema(
    kind="floor-areas",
    columns=(
        Column(
            "space_id",
            "id",
            (
                "n",
                "no",
                "id",
                "code",
                "code local",
                "ref",
                "reference",
                "numero",
                "n local",
                "space id",
                "space no",
            ),
        ),
        Column(
            "name",
            "text",
            (
                "designation",
                "local",
                "nom",
                "libelle",
                "espace",
                "intitule",
                "name",
                "room",
                "space",
            ),
            required=True,
        ),
        Column(
            "space_type",
            "text",
            (
                "type",
                "type de local",
                "type d espace",
                "usage",
                "fonction",
                "affectation",
                "space type",
                "room type",
            ),
            required=True,
        ),
        Column("category", "text", ("categorie", "famille", "category")),
        Column(
            "area_m2",
            "number",
            (
                "surface",
                "surface m2",
                "superficie",
                "surface utile",
                "surface sdo",
                "area",
                "area m2",
            ),
            required=True,
            limit="max_area_m2",
        ),
        Column("level", "text", ("niveau", "etage", "level", "floor")),
        Column(
            "seats",
            "number",
            (
                "places",
                "postes",
                "postes de travail",
                "capacite",
                "seats",
                "workstations",
            ),
        ),
        Column(
            "occupant", "text", ("occupant", "start up", "startup", "locataire", "occupant name")
        ),
    ),
    label_columns=("space_id", "name", "space_type", "category", "level"),
)

#: the working calendars a project file declares (MS Project, P6…): not a spreadsheet kind of
#: its own, it comes with the schedule of a planning-software file. One row per calendar with
#: blank exception dates (its work week), then one row per exception (a holiday, or a worked
#: day off). Calendars are *flattened*: a calendar derived from a base calendar carries the
#: work week and exceptions it ends up with. ``SCHEDULE.calendar`` names a ``calendar_id``;
#: a task without one follows the calendar marked ``is_default``, or the project's settings.
CALENDARS = TableSchema(
    kind="calendars",
    columns=(
        Column("calendar_id", "id", ("calendar id",), required=True),
        Column("calendar_name", "text", ("calendar name",)),
        #: seven characters, Monday first: "1" a working day, "0" a day off ("1111100")
        Column("work_week", "text", ("work week",)),
        Column("hours_per_day", "number", ("hours per day",)),
        Column("is_default", "bool", ("default",)),
        Column("exception_start", "date", ("exception start",)),
        Column("exception_finish", "date", ("exception finish",)),
        #: True: days worked although the work week rests them; False: days off (holidays)
        Column("exception_working", "bool", ("exception working",)),
        #: whose scheduling rules the file's constraints follow: "primavera" (a P6 file) or
        #: "msproject" (MS Project and the other tools), the same on every row
        Column("scheduling_rules", "text", ("scheduling rules",)),
    ),
)

# --- the steering committee's registers (relevé de décisions, plan d'actions, risques) ------
# Kept in one workbook of three sheets (the ``registers`` file kind). Statuses, responses and
# stakes are stored as codes (``loaders.registers``), whatever language the file is written in.

#: what a decision or a risk bears on: the RAG dimension it can move
_DIMENSION = Column(
    "dimension", "text", ("enjeu", "axe", "dimension", "theme", "domaine", "stake", "topic")
)
#: tasks, lots, budget lines or contracts the item is about, as the file writes them
_LINKS = Column(
    "links",
    "text",
    ("liens", "lie a", "concerne", "taches lots lignes", "references liees", "links", "related"),
)

DECISIONS = TableSchema(
    kind="decisions",
    columns=(
        Column(
            "decision_id",
            "id",
            ("n decision", "n", "numero", "ref", "reference", "id", "decision id", "no"),
            required=True,
        ),
        Column(
            "meeting_date",
            "date",
            ("date de la seance", "date de la reunion", "date seance", "date", "meeting date"),
        ),
        Column(
            "body",
            "text",
            ("instance", "organe", "comite", "reunion", "body", "forum", "meeting"),
        ),
        Column(
            "question",
            "text",
            ("question", "question posee", "objet", "sujet", "point", "issue", "subject"),
            required=True,
        ),
        Column(
            "decision",
            "text",
            ("decision", "decision prise", "decision taken", "outcome"),
        ),
        Column(
            "decided_by",
            "text",
            ("qui decide", "decideur", "autorite", "arbitre", "decision maker", "decided by"),
        ),
        Column(
            "due_date",
            "date",
            ("a decider avant", "echeance", "date limite", "due date", "deadline", "decide by"),
        ),
        Column("status", "text", ("statut", "etat", "status", "state"), required=True),
        _DIMENSION,
        _LINKS,
        #: the rule a suggested decision came from (``tracking.governance``): it is not
        #: suggested again once in the register, accepted or dismissed
        Column("rule", "text", ("regle", "suggestion", "rule")),
    ),
    label_columns=("decision_id", "question"),
)

ACTIONS = TableSchema(
    kind="actions",
    columns=(
        Column(
            "action_id",
            "id",
            ("n action", "n", "numero", "ref", "reference", "id", "action id", "no"),
            required=True,
        ),
        Column(
            "action",
            "text",
            ("action", "action a mener", "quoi", "libelle", "description", "what"),
            required=True,
        ),
        Column(
            "owner",
            "text",
            ("responsable", "porteur", "pilote", "qui", "owner", "who", "assignee"),
        ),
        Column("due_date", "date", ("echeance", "date limite", "pour le", "due date", "deadline")),
        Column("status", "text", ("statut", "etat", "status", "state"), required=True),
        Column(
            "origin",
            "text",
            ("origine", "source", "decision liee", "issue de", "origin", "from"),
        ),
        Column(
            "opened_date",
            "date",
            ("date d ouverture", "ouverte le", "date", "opened", "date raised", "raised on"),
        ),
        Column(
            "closed_date",
            "date",
            ("date de cloture", "cloturee le", "faite le", "closed", "done on", "closed on"),
        ),
        _LINKS,
    ),
    label_columns=("action_id", "action"),
)

RISKS = TableSchema(
    kind="risks",
    columns=(
        Column(
            "risk_id",
            "id",
            ("n risque", "n", "numero", "ref", "reference", "id", "risk id", "no"),
            required=True,
        ),
        Column(
            "title",
            "text",
            ("risque", "intitule", "titre", "libelle", "title", "risk"),
            required=True,
        ),
        Column("cause", "text", ("cause", "causes")),
        Column("event", "text", ("evenement", "evenement redoute", "event")),
        Column("effect", "text", ("effet", "effets", "consequence", "consequences", "effect")),
        Column(
            "probability",
            "number",
            ("probabilite", "probabilite 1 5", "p", "probability", "likelihood"),
            required=True,
        ),
        Column(
            "impact", "number", ("impact", "impact 1 5", "gravite", "i", "severity"), required=True
        ),
        Column(
            "impact_days",
            "number",
            ("impact delai", "impact en jours", "jours de retard", "impact days", "delay days"),
        ),
        Column(
            "impact_mad",
            "money",
            ("impact cout", "impact financier", "impact en dh", "impact cost", "cost impact"),
        ),
        Column(
            "owner",
            "text",
            ("responsable", "proprietaire", "pilote", "porteur", "owner", "risk owner"),
        ),
        Column(
            "response",
            "text",
            ("reponse", "strategie", "traitement", "response", "strategy", "treatment"),
        ),
        Column("status", "text", ("statut", "etat", "status", "state"), required=True),
        _DIMENSION,
        _LINKS,
        Column(
            "raised_date",
            "date",
            ("date d identification", "identifie le", "date", "raised", "identified on"),
        ),
    ),
    label_columns=("risk_id", "title"),
)

#: the tables of the registers workbook, in its sheets' order
REGISTER_SCHEMAS = (DECISIONS, ACTIONS, RISKS)

SCHEMAS: dict[str, TableSchema] = {
    s.kind: s
    for s in (SCHEDULE, SPENDING, BUDGET_LINES, CONTRACTS, FLOOR_AREAS, DECISIONS, ACTIONS, RISKS)
}
