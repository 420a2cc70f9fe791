"""The suite's schedule: every integration file has a measured weight, so none starts last by
accident and holds one worker alone at the end of a CI run."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SECONDS_BY_FILE

TESTS = Path(__file__).parents[1]


def test_every_integration_file_has_a_measured_weight() -> None:
    integration = {
        p.relative_to(TESTS).as_posix() for p in (TESTS / "integration").rglob("test_*.py")
    }
    assert sorted(integration - set(SECONDS_BY_FILE)) == []


def test_every_weighed_file_exists() -> None:
    files = {p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")}
    assert sorted(set(SECONDS_BY_FILE) - files) == []
