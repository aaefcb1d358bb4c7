"""Contracts and their amendments (avenants): the amounts the contract rules apply to."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.schema import CONTRACTS
from loaders.tables import IS_AMENDMENT

#: columns of ``contract_totals``
CONTRACT_ID = "contract_id"
PAYEE = "payee"
INITIAL = "initial"
AMENDMENTS = "amendments"
TOTAL = "total"
AMENDMENT_SHARE = "amendment_share"
TOTALS_COLUMNS = [CONTRACT_ID, PAYEE, INITIAL, AMENDMENTS, TOTAL, AMENDMENT_SHARE]


def root_contract_id(contracts: pd.DataFrame) -> pd.Series:
    """For each contract row, the contract its amounts belong to: the parent for an
    amendment, itself otherwise."""
    is_amendment = contracts[IS_AMENDMENT].astype(bool)
    return contracts[CONTRACTS.parent_id].where(is_amendment, contracts[CONTRACTS.contract_id])


def contract_totals(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per contract (amendments folded into their original contract): payee, initial
    amount, amendments, total, and amendments as a share of the initial amount."""
    if contracts is None or contracts.empty:
        return pd.DataFrame(columns=TOTALS_COLUMNS)
    is_amendment = contracts[IS_AMENDMENT].astype(bool)
    frame = contracts.assign(
        _root=root_contract_id(contracts),
        _initial=contracts[CONTRACTS.amount].where(~is_amendment, 0.0),
        _amendment=contracts[CONTRACTS.amount].where(is_amendment, 0.0),
    )
    grouped = frame.groupby("_root", sort=False)
    totals = pd.DataFrame(
        {
            PAYEE: grouped[CONTRACTS.payee].first(),
            INITIAL: grouped["_initial"].sum(),
            AMENDMENTS: grouped["_amendment"].sum(),
        }
    )
    totals[TOTAL] = totals[INITIAL] + totals[AMENDMENTS]
    totals[AMENDMENT_SHARE] = (
        totals[AMENDMENTS] / totals[INITIAL].where(totals[INITIAL] != 0)
    ).astype(float)
    return totals.rename_axis(CONTRACT_ID).reset_index()


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
        on_works = works_contract_ids(contracts, works_lines)
        if not on_works:
            return None
        contracts = contracts[root_contract_id(contracts).isin(on_works)]
    totals = contract_totals(contracts)
    if totals.empty:
        return None
    row = totals.loc[totals[TOTAL].idxmax()]
    payee = None if pd.isna(row[PAYEE]) else str(row[PAYEE])
    return WorksContract(str(row[CONTRACT_ID]), payee, float(row[INITIAL]), float(row[TOTAL]))


def works_contract_ids(contracts: pd.DataFrame | None, works_lines) -> set[str]:
    """The contracts (amendments folded in) with a row on one of ``works_lines``: the works
    contracts, to which the CCAG-Travaux rules apply."""
    if contracts is None or contracts.empty or not works_lines:
        return set()
    lines = contracts[CONTRACTS.budget_line].astype("str").str.strip()
    roots = root_contract_id(contracts)
    return {str(code) for code in roots[lines.isin(set(works_lines))].dropna()}
