from __future__ import annotations

import pandas as pd
import pytest

from tracking.contracts import contract_totals, works_contract


def contracts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "contract_id": ["07/2026", "07/2026", "AV1-07/2026", "03/2025"],
            "contract_type": ["Marché", "Marché", "Avenant", "Marché"],
            "parent_id": [None, None, "07/2026", None],
            "payee": ["Atlas", "Atlas", "Atlas", "Archi"],
            "budget_line": ["TR-01", "TR-02", "TR-01", "ET-02"],
            "amount": [4_000_000.0, 1_000_000.0, 300_000.0, 552_000.0],
            "is_amendment": [False, False, True, False],
        }
    )


def test_amendments_fold_into_their_contract():
    totals = contract_totals(contracts()).set_index("contract_id")
    assert totals.loc["07/2026", "initial"] == 5_000_000
    assert totals.loc["07/2026", "amendments"] == 300_000
    assert totals.loc["07/2026", "total"] == 5_300_000
    assert totals.loc["07/2026", "amendment_share"] == pytest.approx(0.06)
    assert totals.loc["03/2025", "amendments"] == 0


def test_works_contract_is_the_largest():
    contract = works_contract(contracts())
    assert (contract.contract_id, contract.total, contract.initial) == (
        "07/2026",
        5_300_000,
        5_000_000,
    )


def test_no_contracts():
    assert works_contract(contracts().iloc[0:0]) is None
