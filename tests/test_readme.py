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


def _names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        name = re.split(r"[\[<>=!~ ;]", line, maxsplit=1)[0]
        names.add(name.lower().replace("_", "-"))
    return names


def test_the_lock_pins_every_requirement_and_the_commands_install_from_it():
    lock = ROOT / "requirements.lock"
    pinned = {
        line.split("==", 1)[0].lower().replace("_", "-")
        for line in lock.read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }
    wanted = _names(ROOT / "requirements.txt") | _names(ROOT / "requirements-dev.txt")
    assert wanted <= pinned, sorted(wanted - pinned)
    for script in ("scripts/run_app.sh", "scripts/run_tests.sh"):
        assert "pip install -q -r requirements.lock" in (ROOT / script).read_text(), script
    assert "./scripts/lock.sh" in README
