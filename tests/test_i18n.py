"""Translations are complete in French and English, Arabic (the documents' third language)
holds a subset of the French keys with the same placeholders, and figures are formatted the
French, English and Moroccan Arabic way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from i18n import (
    SUPPORTED_LANGS,
    _closing_brace,
    bidi_isolate,
    catalogue,
    catalogue_files,
    normalise_lang,
    strip_bidi,
    text_direction,
    translate,
)
from i18n.format import (
    format_date,
    format_millions,
    format_money,
    format_number,
    format_percent,
    number_separators,
)
from loaders.schema import SCHEMAS, TableSchema

ROOT = Path(__file__).resolve().parents[1]


def test_french_and_english_hold_the_same_keys():
    assert set(catalogue("fr")) == set(catalogue("en"))


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
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


# --- Arabic ---------------------------------------------------------------------------------

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
PLACEHOLDER = re.compile(r"\{(\w+)(?=[,}])", re.ASCII)
PLURAL_START = re.compile(r"\{(\w+),\s*plural,")
ARABIC_FORMS = {"zero", "one", "two", "few", "many", "other"}


def test_arabic_is_a_document_language_written_right_to_left():
    assert "ar" in SUPPORTED_LANGS and normalise_lang("ar_MA") == "ar"
    assert text_direction("ar") == "rtl"
    assert text_direction("fr") == text_direction("en") == "ltr"
    assert text_direction(None) == "ltr"


def test_every_arabic_key_is_a_french_key_of_the_same_file():
    french = catalogue_files("fr")
    for file_name, keys in catalogue_files("ar").items():
        assert file_name in french, file_name
        strays = sorted(set(keys) - set(french[file_name]))
        assert strays == [], f"{file_name}: {strays}"


def test_arabic_messages_take_the_placeholders_of_the_french_ones():
    french = catalogue("fr")
    for key, text in catalogue("ar").items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(french[key])), key


def test_arabic_messages_are_written_in_arabic():
    french = catalogue("fr")
    for key, text in catalogue("ar").items():
        assert ARABIC_LETTER.search(PLACEHOLDER.sub("", text)), key
        assert text != french[key], key


def test_arabic_plural_blocks_give_the_six_arabic_forms():
    blocks = 0
    for key, text in catalogue("ar").items():
        for match in PLURAL_START.finditer(text):
            body = text[match.end() : _closing_brace(text, match.end())]
            forms = set(re.findall(r"(?:^|\})\s*(zero|one|two|few|many|other)\s*\{", body))
            assert forms == ARABIC_FORMS, f"{key}: {match.group(1)} has {sorted(forms)}"
            blocks += 1
    assert blocks >= 8


@pytest.mark.parametrize(
    ("count", "days"),
    [(0, "0 يوم"), (1, "1 يوم"), (2, "2 يومان"), (3, "3 أيام"), (11, "11 يومًا"), (100, "100 يوم")],
)
def test_arabic_days_by_count(count, days):
    """CLDR's Arabic unit forms (``يومان``, ``3 أيام``, ``11 يومًا``, ``100 يوم``) with the
    number always written, as a signed delay needs it (``+33 يومًا``)."""
    assert translate("format.days", "ar", count=count) == days


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "لا يوجد أي تنبيه أحمر يستوجب المعالجة"),
        (1, "يوجد تنبيه أحمر واحد يستوجب المعالجة"),
        (2, "يوجد تنبيهان أحمران يستوجبان المعالجة"),
        (3, "توجد 3 تنبيهات حمراء تستوجب المعالجة"),
        (11, "يوجد 11 تنبيهًا أحمر يستوجب المعالجة"),
        (100, "يوجد 100 تنبيه أحمر يستوجب المعالجة"),
    ],
)
def test_arabic_red_alerts_by_count(count, words):
    text = translate(
        "rag.reason.cost_alerts", "ar", forecast="f", gap="g", envelope="e", alerts=count
    )
    assert words in text and "#" not in text and "{" not in text


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "بعد يوم واحد من"),
        (2, "بعد يومين من"),
        (3, "بعد 3 أيام من"),
        (33, "بعد 33 يومًا من"),
        (100, "بعد 100 يوم من"),
    ],
)
def test_arabic_delay_in_a_sentence_by_count(days, words):
    params = {"finish": "18/01/2027", "end": "16/12/2026", "actual": "a", "planned": "p"}
    assert words in translate("rag.reason.time_late", "ar", days=days, **params)


def test_money_numbers_and_dates_in_moroccan_arabic():
    """CLDR ar_MA: Latin digits (as Moroccan administrations write them), a full stop for
    thousands, a comma for decimals; the currency code after the amount, as in French."""
    assert format_money(15_200_000, "ar") == "15.200.000,00\u00a0MAD"
    assert format_money(1_234.5, "ar", decimals=0) == "1.234\u00a0MAD"
    assert format_number(2027, "ar") == "2.027"
    assert format_number(87.24, "ar", 1) == "87,2"
    assert format_millions(15_200_000, "ar") == "15,2 مليون درهم"
    assert format_millions(14_289_823.42, "ar", 2) == "14,29 مليون درهم"
    assert format_percent(0.456, "ar") == "45,6\u00a0%"
    assert format_date(dt.date(2026, 11, 20), "ar") == "20/11/2026"
    assert not re.search("[\u0660-\u0669\u06f0-\u06f9\u200e\u200f\u061c]", format_money(1e6, "ar"))


def test_a_contract_number_keeps_its_order_in_an_arabic_sentence():
    """``07/2026/AREP-RSK`` starts with digits and ends with letters: in a right-to-left
    paragraph the bidi algorithm would show ``AREP-RSK/07/2026`` unless it is isolated; runs
    that start with a letter, amounts and dates are left alone, and so is French."""
    text = "كشف الحساب DP6 للصفقة 07/2026/AREP-RSK، في 14/09/2026: 1.993.790,34\u00a0MAD (TR-01)"
    isolated = bidi_isolate(text, "ar")
    assert "\u206607/2026/AREP-RSK\u2069" in isolated
    assert isolated.count("\u2066") == isolated.count("\u2069") == 1
    assert strip_bidi(isolated) == text
    assert bidi_isolate(text, "fr") == text and bidi_isolate("", "ar") == ""


def test_chart_separators_are_the_formatters_own():
    assert number_separators("fr") == ",\u202f"
    assert number_separators("en") == ".,"
    assert number_separators("ar") == ",."
    for lang in SUPPORTED_LANGS:
        decimal, group = number_separators(lang)
        assert format_number(1234.5, lang, 1) == f"1{group}234{decimal}5"
