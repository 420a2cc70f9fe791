"""No resource address moves unless on purpose: a moved address is a destroy and a create (or a
`moved` block) for every deployed network. The fixtures were written before the package
restructure; update one only together with the `moved` blocks that carry state across."""

from __future__ import annotations

from typing import Any

import pytest

from modules.stack.environment import PROJECT_ROOT
from tests.addresses import stack_addresses

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "addresses"


@pytest.mark.parametrize("env", sorted(p.stem for p in FIXTURES.glob("*.txt")))
def test_the_synthesized_addresses_are_those_state_records(
    env: str, synthesized: dict[str, dict[str, Any]]
) -> None:
    assert stack_addresses(synthesized[env]) == (FIXTURES / f"{env}.txt").read_text().split()
