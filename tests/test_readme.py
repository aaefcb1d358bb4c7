"""The README tells the truth: its header tables are generated from the schema, its commands
exist, every setting it names is in the sample settings file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from scripts.readme_formats import updated_readme

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_accepted_headers_section_matches_the_schema():
    assert updated_readme(README) == README, "run python scripts/readme_formats.py"


def test_the_two_commands_exist_and_ci_calls_the_test_command():
    assert "./scripts/run_app.sh" in README and "./scripts/run_tests.sh" in README
    assert (ROOT / "scripts/run_app.sh").exists() and (ROOT / "scripts/run_tests.sh").exists()
    assert "./scripts/run_tests.sh" in (ROOT / ".ci/run").read_text()


def test_every_setting_named_in_the_readme_is_in_project_toml():
    settings = tomllib.loads((ROOT / "data/project.toml").read_text(encoding="utf-8"))
    section = README.split("## Settings", 1)[1].split("\n## ", 1)[0]
    for key in re.findall(r"`([a-z_]+\.[a-z_]+)`", section):
        table, name = key.split(".")
        assert table in settings, key
        assert name in settings[table] or name == "status_date", key


def test_screenshots_in_the_readme_exist():
    for path in re.findall(r"\]\((docs/screenshots/[^)]+)\)", README):
        assert (ROOT / path).exists(), path
