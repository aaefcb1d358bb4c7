"""Contracts and their amendments (avenants): the amounts the contract rules apply to."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.schema import CONTRACTS


def contract_totals(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per contract (amendments folded into their original contract): payee, initial
    amount, amendments, total, and amendments as a share of the initial amount."""
    if contracts is None or contracts.empty:
        return pd.DataFrame(
            columns=["contract_id", "payee", "initial", "amendments", "total", "amendment_share"]
        )
    is_amendment = contracts["is_amendment"].astype(bool)
    root = contracts[CONTRACTS.parent_id].where(is_amendment, contracts[CONTRACTS.contract_id])
    frame = contracts.assign(
        _root=root,
        _initial=contracts[CONTRACTS.amount].where(~is_amendment, 0.0),
        _amendment=contracts[CONTRACTS.amount].where(is_amendment, 0.0),
    )
    grouped = frame.groupby("_root", sort=False)
    totals = pd.DataFrame(
        {
            "payee": grouped[CONTRACTS.payee].first(),
            "initial": grouped["_initial"].sum(),
            "amendments": grouped["_amendment"].sum(),
        }
    )
    totals["total"] = totals["initial"] + totals["amendments"]
    totals["amendment_share"] = (
        totals["amendments"] / totals["initial"].where(totals["initial"] != 0)
    ).astype(float)
    return totals.rename_axis("contract_id").reset_index()


@dataclass(frozen=True)
class WorksContract:
    contract_id: str
    payee: str | None
    initial: float
    total: float


def works_contract(
    contracts: pd.DataFrame | None, works_lines: set[str] | None = None
) -> WorksContract | None:
    """The works contract the delay penalties apply to: the largest contract by total amount
    (initial + amendments), which on a building project is the works contract. With
    ``works_lines`` (the budget lines of the schedule's tasks), only a contract on one of those
    lines qualifies: at the launch of works, before the works contract is signed, the
    architect's contract is not the works contract (``None``: no works contract yet)."""
    if contracts is None or contracts.empty:
        return None
    if works_lines:
        lines = contracts[CONTRACTS.budget_line].astype("str").str.strip()
        roots = contracts[CONTRACTS.parent_id].where(
            contracts["is_amendment"].astype(bool), contracts[CONTRACTS.contract_id]
        )
        on_works = set(roots[lines.isin(works_lines)].dropna())
        if not on_works:
            return None
        contracts = contracts[roots.isin(on_works)]
    totals = contract_totals(contracts)
    if totals.empty:
        return None
    row = totals.loc[totals["total"].idxmax()]
    payee = None if pd.isna(row["payee"]) else str(row["payee"])
    return WorksContract(str(row["contract_id"]), payee, float(row["initial"]), float(row["total"]))
