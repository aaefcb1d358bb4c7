"""data/project.toml: read with the right values; a bad value is named by its key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loaders import LoadError, load_project

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "project.toml"


def test_sample_settings_hold_the_published_facts():
    settings = load_project(SAMPLE)
    assert settings.envelope == 15_200_000.0
    assert settings.amounts_basis == "TTC"
    assert settings.total_area_m2 == 2027
    assert settings.area_basis == "gross"
    assert settings.capacity_startups == 58
    assert settings.programme_required == {
        "office": 34,
        "coworking": 3,
        "meeting": 1,
        "services": 2,
    }
    assert settings.works_start == dt.date(2026, 2, 16)
    assert settings.contractual_end == dt.date(2026, 12, 16)
    assert settings.weekend == (5, 6)
    assert (settings.retention_rate, settings.retention_cap) == (0.10, 0.07)
    assert (settings.penalty_rate_per_day, settings.penalty_cap) == (0.001, 0.08)
    assert settings.amendment_threshold == 0.10
    assert dt.date(2026, 11, 18) in settings.holiday_dates
    assert any(h.approximate and h.name.startswith("Aïd al-Adha") for h in settings.holidays)
    assert settings.data_files["schedule"].name == "planning_travaux.xlsx"
    assert settings.max_upload_bytes == 20 * 1024 * 1024


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "project.toml"
    path.write_text(text, encoding="utf-8")
    return path


VALID = """
[project]
name = "Test"
[budget]
envelope = 1000
[schedule]
works_start = 2026-01-31
duration_months = 1
[areas]
total_m2 = 100
"""


def test_minimal_settings_take_the_ccag_defaults(tmp_path):
    settings = load_project(_write(tmp_path, VALID))
    assert settings.retention_cap == 0.07 and settings.payment_delay_days == 60
    assert settings.contractual_end == dt.date(2026, 2, 28)  # 31 January + 1 month, clipped
    assert settings.status_date is None


def test_every_invalid_key_is_named_at_once(tmp_path):
    text = (
        VALID.replace("envelope = 1000", 'envelope = "quinze millions"\namounts_basis = "HTVA"')
        .replace("duration_months = 1", 'duration_months = 0\nweekend = ["vendredi", "funday"]')
        .replace("total_m2 = 100", "total_m2 = 100\n[contract_rules]\nretention_cap = 7")
    )
    with pytest.raises(LoadError) as caught:
        load_project(_write(tmp_path, text))
    keys = {p.column for p in caught.value.problems}
    assert keys == {
        "budget.envelope",
        "budget.amounts_basis",
        "schedule.duration_months",
        "schedule.weekend",
        "contract_rules.retention_cap",
    }
    envelope = next(p for p in caught.value.problems if p.column == "budget.envelope")
    assert "quinze millions" in envelope.message


def test_missing_required_setting(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_project(_write(tmp_path, VALID.replace("works_start = 2026-01-31", "")))
    assert [p.column for p in caught.value.problems] == ["schedule.works_start"]
    assert caught.value.problems[0].code == "missing_setting"


def test_broken_toml_is_reported_not_raised(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_project(_write(tmp_path, "[project\nname = "))
    assert caught.value.problems[0].code == "bad_toml"


def test_fixed_status_date(tmp_path):
    text = VALID.replace("duration_months = 1", "duration_months = 1\nstatus_date = 2026-02-10")
    assert load_project(_write(tmp_path, text)).status_date == dt.date(2026, 2, 10)


def test_thresholds_are_typed_with_one_set_of_defaults(tmp_path):
    """No ``[alerts]``: every threshold is the default of ``AlertThresholds``; a key given
    overrides that one field; a misspelt key is refused by name rather than ignored."""
    settings = load_project(_write(tmp_path, VALID))
    assert settings.alerts.delay_days_red == 30 and settings.alerts.engaged_share_amber == 0.95
    assert settings.high_float_days == 44 and settings.contract_rules.penalty_cap == 0.08
    tuned = load_project(_write(tmp_path, VALID + "[alerts]\ndelay_days_red = 20\n"))
    assert tuned.alerts.delay_days_red == 20 and tuned.alerts.delay_days_amber == 10
    with pytest.raises(LoadError) as caught:
        load_project(_write(tmp_path, VALID + "[alerts]\ndelay_day_red = 20\n"))
    assert [p.column for p in caught.value.problems] == ["alerts.delay_day_red"]


def test_the_sample_names_the_project_in_arabic_for_the_arabic_documents():
    settings = load_project(SAMPLE)
    assert settings.local_name("name", "ar") == "تكنوبارك الخميسات"
    assert settings.local_name("owner", "ar").startswith("الوكالة الجهوية لتنفيذ المشاريع")
    assert "2022-2027" in settings.local_name("programme", "ar")
    assert settings.local_name("location", "ar") == "الخميسات"
    # French and English documents write the names as set
    assert settings.local_name("owner", "fr") == "AREP Rabat-Salé-Kénitra"
    assert settings.local_name("name", "en") == "Technopark de Khémisset"


@pytest.mark.parametrize("stage", ["launch", "completion"])
def test_every_stage_names_the_project_in_arabic_as_the_sample_does(stage):
    staged = load_project(SAMPLE.parent / "stages" / stage / "project.toml")
    assert staged.local_names == load_project(SAMPLE).local_names
    assert set(staged.local_names["ar"]) == {"name", "owner", "programme", "location", "contractor"}


def test_a_name_left_untranslated_is_written_as_set(tmp_path):
    text = VALID.replace('name = "Test"', 'name = "Test"\nowner = "AREP"\nname_ar = "اختبار"')
    settings = load_project(_write(tmp_path, text))
    assert settings.local_name("name", "ar") == "اختبار"
    assert settings.local_name("owner", "ar") == "AREP"  # no owner_ar: the French name
    assert settings.local_name("location", "ar") == ""  # neither: blank, as in French
    assert load_project(_write(tmp_path, VALID)).local_names == {}
    with pytest.raises(ValueError):
        settings.local_name("currency", "ar")


def test_an_arabic_name_must_be_text(tmp_path):
    text = VALID.replace('name = "Test"', 'name = "Test"\nname_ar = 12\nowner_ar = "  "')
    with pytest.raises(LoadError) as caught:
        load_project(_write(tmp_path, text))
    assert {p.column for p in caught.value.problems} == {"project.name_ar", "project.owner_ar"}


def test_the_late_payment_rate_is_an_annual_fraction_below_one(tmp_path):
    """``contract_rules.late_payment_rate``: 3,5 % by default (3-month Treasury bills + 1
    point, to confirm with the TGR), as in the sample; 0 is allowed (no interest), 1 and
    beyond are not, nor a negative rate or a text, each named by its key."""
    assert load_project(SAMPLE).late_payment_rate == 0.035
    assert load_project(_write(tmp_path, VALID)).late_payment_rate == 0.035
    assert load_project(_write(tmp_path, VALID)).contract_rules.late_payment_rate == 0.035
    zero = VALID + "[contract_rules]\nlate_payment_rate = 0\n"
    assert load_project(_write(tmp_path, zero)).late_payment_rate == 0.0
    for bad in ("1", "1.5", "-0.01", '"3,5 %"'):
        text = VALID + f"[contract_rules]\nlate_payment_rate = {bad}\n"
        with pytest.raises(LoadError) as caught:
            load_project(_write(tmp_path, text))
        assert [p.column for p in caught.value.problems] == ["contract_rules.late_payment_rate"]
        assert "< 1" in caught.value.problems[0].message


@pytest.mark.parametrize("stage", ["launch", "completion"])
def test_every_stage_takes_the_late_payment_rate_of_the_sample(stage):
    staged = load_project(SAMPLE.parent / "stages" / stage / "project.toml")
    assert staged.late_payment_rate == load_project(SAMPLE).late_payment_rate
