"""Withdrawing an import: the data in use goes back to the previous snapshot of its kind, the
snapshot stays in the history marked withdrawn (who, when, why), and the same file can be
imported again. Through the API and ``python -m store withdraw`` / ``list``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from store import SnapshotStore, WithdrawalError, import_bytes, open_store_at
from store.__main__ import main
from store.current import current_tables

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOV_06 = DATA / "history" / "2026-11-06"
FILES = [  # (kind, name, path) -> snapshots 1 to 4
    ("schedule", "planning_s45.xlsx", NOV_06 / "planning_travaux.xlsx"),
    ("finance", "suivi_s45.xlsx", NOV_06 / "suivi_financier.xlsx"),
    ("schedule", "planning_travaux.xlsx", DATA / "planning_travaux.xlsx"),
    ("finance", "suivi_financier.xlsx", DATA / "suivi_financier.xlsx"),
]
AT = dt.datetime(2026, 12, 2, 10, 15).astimezone()


@pytest.fixture
def store(db) -> SnapshotStore:
    """Two weeks: 06/11/2026 (snapshots 1, 2: 66 décomptes) and 20/11/2026 (3, 4: 78)."""
    history = open_store_at(db)
    for kind, name, path in FILES:
        assert import_bytes(history, kind, name, path.read_bytes(), "Nadia").stored
    return history


def in_use(store) -> dict[str, int]:
    return {kind: info.id for kind, info in current_tables(store).snapshots.items()}


def test_withdrawing_brings_the_data_back_to_the_previous_snapshot_of_that_kind(store):
    assert in_use(store) == {"schedule": 3, "finance": 4}
    assert len(current_tables(store).frames["spending"]) == 78

    withdrawn = store.withdraw(4, "Karim", "mauvais fichier : la version non validée", at=AT)
    assert (withdrawn.id, withdrawn.withdrawn) == (4, True)
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_why, withdrawn.withdrawn_at) == (
        "Karim",
        "mauvais fichier : la version non validée",
        AT,
    )
    current = current_tables(store)
    assert in_use(store) == {"schedule": 3, "finance": 2}
    assert current.status_date == dt.date(2026, 11, 20)  # the schedule still stands at 20/11
    assert len(current.frames["spending"]) == 66
    assert store.latest("finance").id == 2

    store.withdraw(3, "Karim", "planning erroné")
    current = current_tables(store)
    assert in_use(store) == {"schedule": 1, "finance": 2}
    assert current.status_date == dt.date(2026, 11, 6)
    assert [s.status_date for s in store.situations()] == [dt.date(2026, 11, 6)]


def test_a_withdrawn_snapshot_stays_in_the_history_whole(store, db):
    store.withdraw(4, "Karim", "mauvais fichier", at=AT)
    assert [(i.id, i.withdrawn) for i in store.list()] == [
        (4, True),
        (3, False),
        (2, False),
        (1, False),
    ]
    assert len(store.get(4).frames["spending"]) == 78
    assert store.file_bytes(4) == FILES[3][2].read_bytes()
    assert open_store_at(db).list()[0].withdrawn_by == "Karim"  # committed


def test_withdrawing_twice_or_an_unknown_id_or_without_a_reason_is_refused(store):
    store.withdraw(4, "Karim", "mauvais fichier", at=AT)
    with pytest.raises(WithdrawalError) as raised:
        store.withdraw(4, "Nadia", "encore")
    assert raised.value.message("fr") == (
        "L'instantané n° 4 (« suivi_financier.xlsx ») a déjà été retiré par Karim le"
        " 02/12/2026 10:15 : mauvais fichier. Rien n'a changé."
    )
    assert raised.value.message("en") == (
        "Snapshot no. 4 (“suivi_financier.xlsx”) was already withdrawn by Karim on"
        " 02/12/2026 10:15: mauvais fichier. Nothing changed."
    )
    with pytest.raises(WithdrawalError, match="Aucun instantané n° 99 dans l'historique"):
        store.withdraw(99, "Nadia", "erreur")
    with pytest.raises(WithdrawalError) as raised:
        store.withdraw(3, "Nadia", "   ")
    assert raised.value.message("en") == (
        "Give the reason for withdrawing snapshot no. 3: nothing was withdrawn."
    )
    with pytest.raises(WithdrawalError, match="Indiquez qui retire"):
        store.withdraw(3, " ", "erreur")
    assert [i.id for i in store.list() if i.withdrawn] == [4]
    assert store.get(4).withdrawn_by == "Karim"  # the first withdrawal is kept as it was


def test_the_same_file_imported_again_after_a_withdrawal_is_a_new_snapshot_in_use(store):
    data = FILES[3][2].read_bytes()
    store.withdraw(4, "Karim", "importé trop tôt")
    again = import_bytes(store, "finance", "suivi_financier.xlsx", data, "Karim")
    assert (again.status, again.snapshot_id) == ("stored", 5)
    assert in_use(store) == {"schedule": 3, "finance": 5}
    assert len(current_tables(store).frames["spending"]) == 78
    history = {i.id: i for i in store.list()}
    assert history[4].withdrawn and not history[5].withdrawn
    assert history[5].sha256 == history[4].sha256 and history[5].imported_by == "Karim"
    once_more = import_bytes(store, "finance", "suivi_financier.xlsx", data, "Nadia")
    assert (once_more.status, once_more.duplicate_of) == ("duplicate", 5)
    assert store.find("finance", history[4].sha256).id == 5
    assert store.find("finance", history[4].sha256, include_withdrawn=True).id == 5


def test_withdrawing_the_only_snapshot_of_a_kind_leaves_that_kind_without_data(db):
    history = open_store_at(db)
    kind, name, path = FILES[0]
    import_bytes(history, kind, name, path.read_bytes(), "Nadia")
    history.withdraw(1, "Nadia", "fichier d'essai")
    assert current_tables(history).empty and history.latest("schedule") is None
    assert history.find("schedule", history.list()[0].sha256) is None
    assert history.find("schedule", history.list()[0].sha256, include_withdrawn=True).id == 1


# --- the command line -----------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_withdraw_from_the_command_line_says_what_is_in_use_now(capsys, store, db):
    code, out, err = run(
        capsys, "withdraw", "4", "--why", "mauvais fichier", "--by", "Karim", "--db", str(db)
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Retiré : instantané n° 4 (« suivi_financier.xlsx », suivi financier, situation au"
        " 20/11/2026), par Karim : mauvais fichier.",
        "Données en usage pour ce type de fichier : instantané n° 2 (« suivi_s45.xlsx »,"
        " situation au 06/11/2026).",
    ]
    code, out, _ = run(capsys, "list", "--db", str(db))
    lines = out.splitlines()
    assert code == 0 and lines[1].split()[0] == "4"
    assert lines[2].strip().startswith("↳ retiré par Karim : mauvais fichier (le ")
    assert lines[3].split()[0] == "3"  # one line under the withdrawn snapshot, no more

    code, out, _ = run(capsys, "list", "--db", str(db), "--lang", "en")
    assert "↳ withdrawn by Karim: mauvais fichier (" in out

    code, out, _ = run(capsys, "list", "--db", str(db), "--json")
    listed = {s["id"]: s for s in json.loads(out)}
    assert listed[4]["withdrawn"] is True and listed[4]["withdrawn_by"] == "Karim"
    assert listed[4]["withdrawn_why"] == "mauvais fichier"
    assert dt.datetime.fromisoformat(listed[4]["withdrawn_at"]).tzinfo is not None
    assert listed[3]["withdrawn"] is False and listed[3]["withdrawn_at"] is None


def test_withdraw_json_and_english(capsys, store, db):
    code, out, _ = run(
        capsys, "withdraw", "3", "--why", "wrong file", "--by", "K", "--db", str(db), "--json"
    )
    report = json.loads(out)
    assert code == 0
    assert report["withdrawn"]["id"] == 3 and report["withdrawn"]["withdrawn_why"] == "wrong file"
    assert report["in_use"]["id"] == 1 and report["in_use"]["status_date"] == "2026-11-06"
    code, out, _ = run(capsys, "withdraw", "1", "--why", "test", "--db", str(db), "--lang", "en")
    assert code == 0 and out.splitlines()[1] == "No file of this kind is in use any more."
    assert store.get(1).withdrawn_by  # the login name by default


def test_withdraw_refusals_exit_1_and_usage_errors_exit_2(capsys, store, db):
    assert run(capsys, "withdraw", "4", "--why", "x", "--by", "K", "--db", str(db))[0] == 0
    code, out, err = run(capsys, "withdraw", "4", "--why", "y", "--by", "N", "--db", str(db))
    assert (code, out) == (1, "")
    assert err.startswith("L'instantané n° 4 (« suivi_financier.xlsx ») a déjà été retiré par K le")
    code, _, err = run(capsys, "withdraw", "42", "--why", "x", "--db", str(db), "--lang", "en")
    assert (code, err) == (1, "No snapshot no. 42 in the history: nothing was withdrawn.\n")
    code, _, err = run(capsys, "withdraw", "3", "--why", "  ", "--db", str(db))
    assert (code, err) == (
        1,
        "Indiquez la raison du retrait de l'instantané n° 3 : rien n'a été retiré.\n",
    )
    assert run(capsys, "withdraw", "3", "--db", str(db))[0] == 2  # --why is required
    assert run(capsys, "withdraw", "trois", "--why", "x", "--db", str(db))[0] == 2
    assert [i.id for i in store.list() if i.withdrawn] == [4]
