"""Fixtures of the integration tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from modules.runner import emulator as emulators
from modules.runner.emulator import Emulator


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One emulator per test worker (a session is a worker), for the tests that plan, or apply
    and destroy, against it directly: the twins' plans, the examples/ roots, checkov, the
    emulator's own answers. The files that run the command line (`tests/integration/cli.py`)
    start their own through `--local`: each deploys the network named dev, whose IAM role, KMS
    alias and log group names one account cannot hold twice, and some stop or kill their
    emulator on purpose."""
    directory = tmp_path_factory.mktemp("emulator")
    yield emulators.start(directory)
    emulators.stop(directory)
