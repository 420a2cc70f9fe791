"""Fixtures of the integration tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from modules.runner import emulator as emulators
from modules.runner.emulator import Emulator


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """An emulator of the test file's own (files run in parallel, each against its own)."""
    directory = tmp_path_factory.mktemp("emulator")
    yield emulators.start(directory)
    emulators.stop(directory)
