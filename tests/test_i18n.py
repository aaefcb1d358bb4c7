"""Translations are complete in both languages, and figures are formatted the French way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from i18n import catalogue, catalogue_files, translate
from i18n.format import format_date, format_millions, format_money, format_percent
from loaders.schema import SCHEMAS, TableSchema

ROOT = Path(__file__).resolve().parents[1]


def test_french_and_english_hold_the_same_keys():
    assert set(catalogue("fr")) == set(catalogue("en"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_key_is_defined_in_two_files(lang):
    seen: dict[str, str] = {}
    for file_name, keys in catalogue_files(lang).items():
        for key in keys:
            assert key not in seen, f"{key} in {file_name} and {seen[key]}"
            seen[key] = file_name


def test_every_problem_code_raised_in_code_has_a_message():
    used: set[str] = set()
    for path in (ROOT / "loaders").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'make_problem\(\s*"(?:error|warning)",\s*"(\w+)"', text))
        used |= set(re.findall(r'\.add\(\s*"(?:error|warning)",\s*"(\w+)"', text))
        used |= set(re.findall(r'check\.order\([^)]*"(\w+)"\)', text))
    assert len(used) > 20
    missing = sorted(code for code in used if f"problem.{code}" not in catalogue("fr"))
    assert missing == []


def test_every_canonical_column_has_a_label():
    for schema in SCHEMAS.values():
        for column in schema.columns:
            assert f"column.{column.name}" in catalogue("fr"), column.name


def test_column_names_do_not_shadow_schema_attributes():
    reserved = {name for name in dir(TableSchema) if not name.startswith("_")} | {"kind"}
    for schema in SCHEMAS.values():
        assert not reserved & set(schema.names), schema.kind


def test_money_numbers_and_dates_in_french():
    assert (
        format_money(15_200_000).replace("\u202f", " ").replace("\u00a0", " ")
        == "15 200 000,00 MAD"
    )
    assert format_millions(15_200_000) == "15,2 MDH"
    assert format_percent(0.456).replace("\u00a0", " ") == "45,6 %"
    assert format_date(dt.date(2026, 11, 20)) == "20/11/2026"


def test_money_and_dates_in_english():
    assert format_money(15_200_000, "en").replace("\u00a0", " ") == "15,200,000.00 MAD"
    assert (
        format_millions(15_200_000, "en") == "15.2 M MAD"
    )  # the code after the amount, as in 15,200,000.00 MAD
    assert format_date(dt.date(2026, 11, 20), "en") == "20/11/2026"


def test_missing_values_show_a_dash_not_nan():
    assert format_money(None) == "—" and format_date(None) == "—"


def test_unknown_language_falls_back_to_french():
    assert translate("kind.schedule", "de") == "planning"
