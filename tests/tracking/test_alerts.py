"""Spending alerts: each threshold of the settings, on both sides of it, and the message."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.project import AlertThresholds
from tracking.alerts import (
    Alert,
    eac_alert,
    engaged_share_alert,
    line_alerts,
    overdue_alerts,
    retention_alerts,
    spending_alerts,
)
from tracking.budget import budget_chain, chain_totals
from tracking.contract_rules import contract_rules_table, overdue_payments
from views.spending import alert_message

T = pd.Timestamp
THRESHOLDS = AlertThresholds(
    engaged_share_amber=0.95,
    engaged_share_red=1.00,
    eac_over_envelope_amber=0.00,
    eac_over_envelope_red=0.05,
)


def totals(engaged: float, envelope: float = 1000.0):
    budget = pd.DataFrame(
        {"line_id": ["A"], "name": ["Travaux"], "category": ["Travaux"], "amount": [envelope]}
    ).astype({"line_id": "str", "name": "str", "category": "str"})
    contracts = pd.DataFrame(
        {
            "contract_id": ["M1"],
            "contract_type": ["Marché"],
            "parent_id": [None],
            "payee": ["Atlas"],
            "budget_line": ["A"],
            "amount": [engaged],
            "signed_date": [T("2026-01-01")],
            "source_row": [6],
            "is_amendment": [False],
        }
    ).astype({"contract_id": "str", "parent_id": "str", "payee": "str", "budget_line": "str"})
    chain = budget_chain(budget, contracts, None, T("2026-06-30"))
    return chain, chain_totals(chain, envelope)


@pytest.mark.parametrize(
    ("engaged", "level"), [(940.0, None), (950.0, "amber"), (990.0, "amber"), (1000.0, "red")]
)
def test_engaged_share(engaged, level):
    _chain, chain_totals_ = totals(engaged)
    alert = engaged_share_alert(chain_totals_, THRESHOLDS)
    assert (alert.level if alert else None) == level


def test_the_default_thresholds_apply_when_the_settings_set_none():
    """No ``[alerts]`` section: the one set of defaults (engaged red above 100 % of the
    envelope, forecast red 5 % over it)."""
    _chain, chain_totals_ = totals(1200.0)
    assert engaged_share_alert(chain_totals_, AlertThresholds()).level == "red"
    assert eac_alert(1060.0, 1000.0, AlertThresholds()).level == "red"
    assert eac_alert(1040.0, 1000.0, AlertThresholds()).level == "amber"


@pytest.mark.parametrize(
    ("forecast", "level"),
    [(1000.0, None), (1000.5, "amber"), (1050.0, "amber"), (1051.0, "red"), (float("nan"), None)],
)
def test_forecast_over_the_envelope(forecast, level):
    alert = eac_alert(forecast, 1000.0, THRESHOLDS)
    assert (alert.level if alert else None) == level


def test_line_over_budget():
    chain, _totals = totals(1093.5)
    [alert] = line_alerts(chain)
    assert alert.code == "line_over_budget" and alert.level == "red"
    assert alert.values["overrun"] == pytest.approx(93.5)
    assert alert.values["share"] == pytest.approx(0.0935)


def test_all_alerts_red_first_and_the_message_in_french():
    chain, chain_totals_ = totals(960.0)
    contracts = pd.DataFrame(
        {
            "contract_id": ["M1", "M1/AV1"],
            "contract_type": ["Marché", "Avenant"],
            "parent_id": [None, "M1"],
            "payee": ["Atlas", "Atlas"],
            "budget_line": ["A", "A"],
            "amount": [800.0, 160.0],
            "signed_date": [T("2026-01-01"), T("2026-03-01")],
            "source_row": [6, 7],
            "is_amendment": [False, True],
        }
    ).astype({"contract_id": "str", "parent_id": "str", "payee": "str", "budget_line": "str"})
    spending = pd.DataFrame(
        {
            "date": [T("2026-04-01")],
            "amount": [1_993_790.34],
            "retention": [0.0],
            "paid_date": [pd.NaT],
            "contract_id": ["M1"],
            "reference": ["DP6"],
            "payee": ["Atlas"],
            "budget_line": ["A"],
            "source_row": [52],
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})
    status = T("2026-06-30")
    rules = contract_rules_table(
        contracts, spending, status, retention_cap=0.07, amendment_threshold=0.1,
        payment_delay_days=60,
    )  # fmt: skip
    overdue = overdue_payments(spending, status, 60)
    alerts = spending_alerts(
        chain_totals_,
        chain,
        1100.0,
        rules,
        overdue,
        thresholds=THRESHOLDS,
        amendment_threshold=0.1,
        payment_delay_days=60,
    )
    codes = [(a.code, a.level) for a in alerts]
    assert codes == [
        ("eac_over_envelope", "red"),
        ("overdue_payment", "red"),
        ("engaged_share", "amber"),
        ("amendment_over_threshold", "amber"),
    ]
    overdue_alert = alerts[1]
    assert overdue_alert.source_rows == (52,)
    text = alert_message(overdue_alert, "fr").replace("\u202f", " ").replace("\u00a0", " ")
    assert "DP6" in text and "1 993 790,34 MAD" in text and "01/04/2026" in text
    assert "90 jours" in text and "30 jours au-delà du délai de 60 jours" in text
    assert "Lignes Excel 52" in text
    amendment = alert_message(alerts[3], "en")
    assert "20.0" in amendment and "M1" in amendment


def test_message_of_an_alert_without_rows():
    alert = Alert("eac_over_envelope", "red", {"forecast": 1.0, "envelope": 1.0, "gap": 0.0,
                                               "share": 0.0, "threshold": 0.05})  # fmt: skip
    assert "5,0" in alert_message(alert, "fr")


def test_plural_of_days_in_the_overdue_message():
    alert = Alert(
        "overdue_payment",
        "red",
        {"reference": "DP9", "contract": "M1", "payee": "Atlas", "date": T("2026-01-01"),
         "amount": 10.0, "days": 61, "late": 1, "delay": 60, "lines": ("A",)},
        source_rows=(7,),
    )  # fmt: skip
    assert "depuis 61 jours, 1 jour au-delà" in alert_message(alert, "fr")
    assert "for 61 days, 1 day past" in alert_message(alert, "en")


def test_an_overdue_decompte_over_several_lines_says_so():
    """DP6 is 1 993 790,34 MAD over nine budget lines: the alert gives the whole amount and
    says it spans them (a line's drill-down shows only that line's share)."""
    alert = Alert(
        "overdue_payment",
        "red",
        {"reference": "DP6", "contract": "M1", "payee": "Atlas", "date": T("2026-09-14"),
         "amount": 1_993_790.34, "days": 67, "late": 7, "delay": 60,
         "lines": ("TR-01", "TR-02", "TR-03")},
        source_rows=(52, 53, 54),
    )  # fmt: skip
    text = alert_message(alert, "fr").replace("\u202f", " ").replace("\u00a0", " ")
    assert "1 993 790,34 MAD impayés sur 3 lignes budgétaires (TR-01, TR-02, TR-03)" in text
    assert "Lignes Excel 52–54" in text
    assert "over 3 budget lines (TR-01, TR-02, TR-03)" in alert_message(alert, "en")


def test_a_decompte_short_of_retention_is_an_amber_alert():
    retention = pd.DataFrame(
        {
            "contract_id": ["M1", "M1"],
            "reference": ["DP1", "DP2"],
            "date": [T("2026-04-13"), T("2026-05-12")],
            "amount": [1000.0, 400.0],
            "retention_due": [100.0, 40.0],
            "retention": [100.0, 25.0],
            "shortfall": [0.0, 15.0],
            "is_short": [False, True],
            "source_rows": [(13,), (21, 22)],
        }
    )
    (alert,) = retention_alerts(retention)
    assert (alert.code, alert.level, alert.subject, alert.source_rows) == (
        "retention_short", "amber", "DP2", (21, 22),
    )  # fmt: skip
    text = alert_message(alert, "fr").replace("\u202f", " ").replace("\u00a0", " ")
    assert "retenue de garantie de 25,00 MAD pour 40,00 MAD dus sur 400,00 MAD" in text
    assert "15,00 MAD à retenir" in text and "Lignes Excel 21–22" in text


def test_the_overdue_alert_counts_from_the_service_date_and_gives_the_interest():
    """DP3: service fait 01/09/2026, issued 10/09, unpaid at 20/11: 80 days since the
    constatation, 20 past the 60-day delay; 900 000 × 3,5 % × 20 / 365 = 1 726,03 MAD."""
    spending = pd.DataFrame(
        {
            "date": [T("2026-09-10")],
            "amount": [1_000_000.0],
            "retention": [100_000.0],
            "service_date": [T("2026-09-01")],
            "paid_date": [pd.NaT],
            "contract_id": ["M1"],
            "reference": ["DP3"],
            "payee": ["Atlas"],
            "budget_line": ["A"],
            "source_row": [52],
        }
    ).astype({"contract_id": "str", "reference": "str", "payee": "str", "budget_line": "str"})
    overdue = overdue_payments(spending, T("2026-11-20"), 60, 0.035)
    (alert,) = overdue_alerts(overdue, 60)
    assert alert.values["interest"] == 1726.03 and alert.values["clock_from"] == "service"
    fr = alert_message(alert, "fr").replace("\u202f", " ").replace("\u00a0", " ")
    assert "émis le 10/09/2026" in fr
    assert "depuis 80 jours (comptés depuis la constatation du service fait du 01/09/2026)" in fr
    assert "20 jours au-delà du délai de 60 jours" in fr
    assert "intérêts moratoires dus : 1 726,03 MAD à la date de situation" in fr
    en = alert_message(alert, "en").replace("\u00a0", " ")
    assert "for 80 days (counted from the service acceptance of 01/09/2026)" in en
    assert "late-payment interest due: 1,726.03 MAD at the status date" in en
