"""Write the sample steering registers (decisions, actions, risks) of the Technopark.

Usage::

    python scripts/make_sample_registers.py [--check]

Two versions, as AREP would have kept them: ``data/history/2026-11-06/registres_copil.xlsx``
(the register after the COPIL of 16/10 and the site meetings of October) and
``data/registres_copil.xlsx`` (after the comité technique and the COPIL of 13/11, as at
20/11/2026; the extension question of D-03 is the suggestion of the delay rule, accepted). Between the two: a decision taken, two questions put to the COPIL, two actions
closed and two opened, a risk closed, one new, three re-rated. The content is plausible
sample data *(estimate)*, not AREP's register. Written through ``exports.registers_file``
(the writer of the app's own versions), byte for byte reproducible; ``--check`` exits 1 when
a committed file differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from exports.registers_file import registers_workbook  # noqa: E402

FILE_NAME = "registres_copil.xlsx"
PROJECT = "Technopark de Khémisset"
EARLIER = dt.date(2026, 11, 6)
CURRENT = dt.date(2026, 11, 20)
WORKS = "07/2026/AREP-RSK"


def _t(day: str) -> pd.Timestamp:
    return pd.Timestamp(dt.date.fromisoformat(day))


def _decisions(current: bool) -> list[dict]:
    rows = [
        dict(
            decision_id="D-01",
            meeting_date=_t("2026-09-15"),
            body="COPIL",
            question="Approbation de l'avenant n° 1 (renforcement des fondations, VRD)",
            decision="Avenant n° 1 approuvé : 571 998,02 MAD TTC (+ 6,2 % du marché initial)",
            decided_by="Gouverneur, président du COPIL",
            due_date=_t("2026-09-30"),
            status="implemented",
            dimension="cost",
            links=f"{WORKS}/AV1",
        ),
        dict(
            decision_id="D-02",
            meeting_date=_t("2026-10-16"),
            body="COPIL",
            question="Plan de rattrapage du gros œuvre (trois semaines de retard)",
            decision="Deuxième équipe de gros œuvre et travail le samedi jusqu'au 31/12/2026",
            decided_by="COPIL",
            due_date=_t("2026-10-31"),
            status="taken",
            dimension="time",
            links="Lot gros œuvre",
        ),
        dict(
            decision_id="D-05",
            meeting_date=_t("2026-10-30"),
            body="Réunion de chantier",
            question="Revêtement de sol des espaces de coworking",
            decision=("Grès cérame 60 × 60 (variante 2), sans surcoût" if current else None),
            decided_by="AREP, maître d'ouvrage délégué",
            due_date=_t("2026-11-13"),
            status="taken" if current else "pending",
            dimension="scope",
            links="Lot revêtements",
        ),
    ]
    if current:
        rows += [
            dict(
                decision_id="D-03",
                meeting_date=_t("2026-11-13"),
                body="Comité technique",
                question=(
                    "Avenant de délai de 30 jours, ou maintien du délai contractuel avec "
                    "application des pénalités ?"
                ),
                decided_by="COPIL (Gouverneur)",
                due_date=_t("2026-12-04"),
                status="pending",
                dimension="time",
                links=WORKS,
                rule="delay_extension:2026-12-16",
            ),
            dict(
                decision_id="D-04",
                meeting_date=_t("2026-11-13"),
                body="COPIL",
                question=(
                    "Équipement informatique : lancer la commande maintenant ou après la "
                    "réception provisoire ?"
                ),
                decided_by="Directeur de l'AREP RSK",
                due_date=_t("2026-11-18"),
                status="pending",
                dimension="cost",
                links="24/2026/AREP-RSK",
            ),
        ]
    return sorted(rows, key=lambda r: r["decision_id"])


def _actions(current: bool) -> list[dict]:
    rows = [
        dict(
            action_id="A-01",
            action="Mobiliser une deuxième équipe de gros œuvre",
            owner="Sté Atlas Bâtiment SARL",
            due_date=_t("2026-10-30"),
            status="done",
            origin="D-02",
            opened_date=_t("2026-10-16"),
            closed_date=_t("2026-10-28"),
        ),
        dict(
            action_id="A-02",
            action="Transmettre le planning recalé (MS Project) avec le chemin critique",
            owner="Sté Atlas Bâtiment SARL",
            due_date=_t("2026-11-06"),
            status="open",
            origin="D-02",
            opened_date=_t("2026-10-16"),
        ),
        dict(
            action_id="A-05",
            action="Commander l'ascenseur (délai de fabrication : 14 semaines)",
            owner="Sté Atlas Bâtiment SARL",
            due_date=_t("2026-10-15"),
            status="done",
            origin="Réunion de chantier du 01/10/2026",
            opened_date=_t("2026-10-01"),
            closed_date=_t("2026-10-10"),
        ),
        dict(
            action_id="A-06",
            action="Présenter l'aménagement des bureaux start-up au conseil régional",
            owner="Atelier d'architecture Tamesna",
            due_date=_t("2026-12-11"),
            status="open",
            origin="COPIL du 16/10/2026",
            opened_date=_t("2026-10-16"),
        ),
        dict(
            action_id="A-08",
            action="Faire valider les échantillons de revêtement de sol",
            owner="Contrôle Technique du Gharb SARL",
            due_date=_t("2026-11-12"),
            status="done" if current else "open",
            origin="D-05",
            opened_date=_t("2026-10-30"),
            closed_date=_t("2026-11-12") if current else None,
        ),
    ]
    if current:
        rows += [
            dict(
                action_id="A-03",
                action="Préparer la note de justification de l'avenant de délai",
                owner="AREP, chef de projet",
                due_date=_t("2026-11-27"),
                status="open",
                origin="D-03",
                opened_date=_t("2026-11-13"),
            ),
            dict(
                action_id="A-04",
                action="Relancer le comptable public pour le paiement du décompte en retard",
                owner="AREP, service financier",
                due_date=_t("2026-11-17"),
                status="open",
                origin="Revue hebdomadaire du 13/11/2026",
                opened_date=_t("2026-11-13"),
            ),
            dict(
                action_id="A-07",
                action="Valider les échantillons de menuiserie aluminium",
                owner="Contrôle Technique du Gharb SARL",
                due_date=_t("2026-11-20"),
                status="open",
                origin="Réunion de chantier du 13/11/2026",
                opened_date=_t("2026-11-13"),
            ),
        ]
    return sorted(rows, key=lambda r: r["action_id"])


def _risk(rid, title, cause, event, effect, p, i, days, mad, owner, response, status, dim):
    return dict(
        risk_id=rid,
        title=title,
        cause=cause,
        event=event,
        effect=effect,
        probability=p,
        impact=i,
        impact_days=days,
        impact_mad=mad,
        owner=owner,
        response=response,
        status=status,
        dimension=dim,
        raised_date=_t("2026-02-16") if rid <= "R-09" else _t("2026-11-13"),
    )


def _risks(current: bool) -> list[dict]:
    c = current
    works = "Sté Atlas Bâtiment SARL"
    rows = [
        _risk("R-01", "Le retard du gros œuvre se reporte sur le second œuvre",
              "Rendement de l'équipe de gros œuvre", "Dalle haute livrée après le 15/12",
              "Réception provisoire reportée", 4 if c else 3, 4, 21, None, works, "reduce",
              "open", "time"),
        _risk("R-02", "Livraison tardive de l'ascenseur", "Délai du fabricant",
              "Ascenseur livré après la fin des finitions", "Réception sans ascenseur",
              3, 3, 14, None, works, "reduce", "open", "time"),
        _risk("R-03", "Pluies d'hiver sur l'étanchéité de la toiture", "Saison des pluies",
              "Étanchéité posée sous la pluie ou reportée", "Infiltrations, reprise",
              3 if c else 4, 3, 10, 60_000, works, "reduce", "open", "time"),
        _risk("R-04", "Retards de paiement qui ralentissent l'entreprise",
              "Décomptes payés au-delà de 60 jours", "Trésorerie de l'entreprise tendue",
              "Effectifs réduits sur le chantier", 3, 4, 15, None, "AREP, service financier",
              "reduce", "open", "cost"),
        _risk("R-05", "Révision des prix au-delà de la provision", "Hausse de l'acier et du ciment",
              "Révision supérieure à 456 000 MAD", "Dépassement de l'enveloppe",
              2, 4, None, 300_000, "AREP, service financier", "accept", "open", "cost"),
        _risk("R-06", "Raccordement électrique tardif", "Instruction du dossier par le distributeur",
              "Poste de transformation raccordé après les essais", "Essais et réception reportés",
              3 if c else 2, 4, 30, None, "AREP, chef de projet", "reduce", "open", "time"),
        _risk("R-07", "Défaillance du sous-traitant CVC", "Sous-traitant de petite taille",
              "Abandon du chantier par le sous-traitant", "Lot CVC à réattribuer",
              2, 3, 20, None, works, "transfer", "open", "time"),
        _risk("R-08", "Changement de programme demandé par le conseil régional",
              "Demande de bureaux supplémentaires", "Plans modifiés après le gros œuvre",
              "Travaux supplémentaires et délai", 2, 3, 15, 150_000, "AREP, chef de projet",
              "avoid", "open", "scope"),
        _risk("R-09", "Réseaux enterrés non repérés", "Plans de récolement incomplets",
              "Réseau découvert pendant les VRD", "Dévoiement, surcoût", 2, 2, 5, 40_000,
              works, "accept", "closed" if c else "open", "cost"),
        _risk("R-10", "Rupture d'approvisionnement en profilés aluminium",
              "Marché des profilés tendu", "Menuiseries livrées en retard", "Clos couvert retardé",
              2, 3, 10, None, works, "reduce", "open", "time"),
        _risk("R-11", "Non-conformité du système de sécurité incendie à la réception",
              "Études SSI tardives", "Avis défavorable de la commission de sécurité",
              "Ouverture au public différée", 2, 4, 20, None, "Contrôle Technique du Gharb SARL",
              "reduce", "open", "scope"),
    ]  # fmt: skip
    if c:
        rows.append(
            _risk(
                "R-12",
                "Occupation tardive faute de start-ups sélectionnées",
                "Appel à candidatures lancé tard",
                "Moins de 20 start-ups à l'ouverture",
                "Technopark sous-occupé la première année",
                3,
                3,
                None,
                None,
                "Conseil régional",
                "reduce",
                "open",
                "other",
            )  # fmt: skip
        )
    return rows


def frames(current: bool) -> dict[str, pd.DataFrame]:
    return {
        "decisions": pd.DataFrame(_decisions(current)),
        "actions": pd.DataFrame(_actions(current)),
        "risks": pd.DataFrame(_risks(current)),
    }


def outputs() -> dict[Path, bytes]:
    return {
        ROOT / "data" / "history" / EARLIER.isoformat() / FILE_NAME: registers_workbook(
            frames(False), "fr", project=PROJECT, status_date=EARLIER
        ),
        ROOT / "data" / FILE_NAME: registers_workbook(
            frames(True), "fr", project=PROJECT, status_date=CURRENT
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file differs")
    args = parser.parse_args(argv)
    differs = False
    for path, data in outputs().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                print(f"differs: {path.relative_to(ROOT)}")
                differs = True
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")
    return 1 if differs else 0


if __name__ == "__main__":
    raise SystemExit(main())
