"""Honest dependency floors: every floor declared in pyproject.toml is the version series the lock
installs (and CI tests), so a floor can never promise a version the code was not run on."""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]+\])?>=([0-9.]+)")


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def _declared() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + sum(project["optional-dependencies"].values(), [])


def test_every_floor_is_the_series_the_lock_installs():
    locked, problems = _locked(), []
    for requirement in _declared():
        match = REQUIREMENT.match(requirement)
        assert match, f"no floor: {requirement}"
        name, floor = match.group(1).lower().replace("_", "-"), match.group(3)
        pinned = locked[name]
        floor_parts = [int(p) for p in floor.split(".")]
        pinned_parts = [int(p) for p in re.findall(r"\d+", pinned)[: len(floor_parts)]]
        if pinned_parts != floor_parts:
            problems.append(f"{name}: floor {floor}, lock {pinned}")
    assert problems == []


def test_the_python_we_run_on_is_allowed():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    low, high = re.match(r">=(\d+\.\d+),<(\d+\.\d+)", project["requires-python"]).groups()
    version = sys.version_info[:2]
    assert tuple(map(int, low.split("."))) <= version < tuple(map(int, high.split(".")))
    assert tuple(map(int, high.split("."))) >= (3, 14)  # Debian 13's Python 3.13 is allowed
