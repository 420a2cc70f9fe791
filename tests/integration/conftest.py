"""Fixtures of the integration tier."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from modules.runner import emulator as emulators
from modules.runner.emulator import Emulator
from tests.integration.cli import WorkerEmulator


@pytest.fixture(scope="session")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerEmulator]:
    """One emulator per test worker (a session is a worker). The files that run the command
    line deploy into an account of their own there (`Cli(..., on=worker)`), since each deploys
    the network named dev, whose IAM role, KMS alias and log group one account holds once.
    Only the files that stop, kill or configure an emulator start their own."""
    directory = tmp_path_factory.mktemp("emulator")
    yield WorkerEmulator(directory, emulators.start(directory))
    emulators.stop(directory)


@pytest.fixture(scope="session")
def emulator(worker: WorkerEmulator) -> Emulator:
    """The worker's emulator in moto's default account, for the tests that plan, or apply and
    destroy, against it directly: the twins' plans, the examples/ roots, checkov, the
    emulator's own answers."""
    return worker.server
