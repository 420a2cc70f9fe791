"""Test helper: `python main.py` in a subprocess, with its own state, output and environments."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modules.checks.compare import configured_view
from modules.facts.facts import shipped
from modules.flows.view import NetworkView
from modules.runner import emulator as emulators
from modules.runner.emulator import DEFAULT_ACCOUNT, Emulator
from modules.runner.workspace import EMULATOR_ACCOUNT
from modules.stack.environment import PROJECT_ROOT
from tests.cli_json import payload

TIMEOUT = 600
# Accounts handed out on a worker's emulator: apart from moto's default (123456789012) and from
# the consumer accounts the sharing fixtures name (111122223333, 444455556666).
FIRST_ACCOUNT = 900_000_000_000


@dataclass
class WorkerEmulator:
    """The one emulator of a test worker, and a new account of it for each command line."""

    directory: Path
    server: Emulator
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def new_account(self) -> str:
        return str(FIRST_ACCOUNT + next(self._numbers))


class Cli:
    """The real command line, isolated under ``root`` (state, cdktf.out, optional environments).

    Given the worker's emulator (``on``), it deploys ``--local`` into an account of its own
    there, so that files deploying the same names share one emulator; without, ``--local``
    starts an emulator of its own, for the tests that stop, kill or configure theirs."""

    def __init__(
        self, root: Path, environments: Path | None = None, on: WorkerEmulator | None = None
    ) -> None:
        self.state = root / "state"
        self.env = {
            **os.environ,
            "AGENTCORE_STATE_DIR": str(self.state),
            "CDKTF_OUTDIR": str(root / "cdktf.out"),
        }
        self.env.pop("AWS_ENDPOINT_URL", None)
        if environments is not None:
            self.env["AGENTCORE_ENVIRONMENTS_DIR"] = str(environments)
        self.shared = on is not None
        self.account = on.new_account() if on is not None else DEFAULT_ACCOUNT
        self.env.pop(EMULATOR_ACCOUNT, None)
        if on is not None:  # the product finds the emulator recorded in its state directory
            self.env[EMULATOR_ACCOUNT] = self.account
            self.state.mkdir(parents=True, exist_ok=True)
            (self.state / "emulator-server").symlink_to(on.directory, target_is_directory=True)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "main.py", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Run in the background (unbuffered, so progress can be watched)."""
        return subprocess.Popen(
            [sys.executable, "-u", "main.py", *args],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def outputs(self, env: str) -> dict[str, Any]:
        """Outputs from the local emulator state of ``env``."""
        state = json.loads((self.state / "emulator" / env / "terraform.tfstate").read_text())
        return {name: output["value"] for name, output in state["outputs"].items()}

    def configured(self, env: str) -> NetworkView:
        """The network as the stack this command line synthesized for ``env`` configures it."""
        stack = Path(self.env["CDKTF_OUTDIR"]) / "stacks" / f"network-{env}" / "cdk.tf.json"
        return configured_view(stack, shipped())

    def close(self) -> None:
        """Stop the emulator this command line started; a worker's emulator stays up."""
        if not self.shared:
            self("local", "down")

    def emulator(self) -> Emulator:
        running = emulators.running(self.state / "emulator-server", self.account)
        assert running is not None, "the emulator should be running"
        return running

    def client(self, service: str, region: str = "us-west-2") -> Any:
        return self.emulator().client(service, region)

    def drift(self, env: str = "dev") -> tuple[int, dict[str, Any]]:
        result = self("drift", "--local", "--env", env, "--json")
        assert result.returncode in (0, 2), result.stdout + result.stderr
        return result.returncode, payload(result.stdout)


def deployed(root: Path, on: WorkerEmulator, environments: Path | None = None) -> Iterator[Cli]:
    """A Cli with the dev network deployed in its account of the worker's emulator (from
    ``environments`` when given). For module-scoped fixtures:
    ``yield from deployed(tmp_path_factory.mktemp(...), worker)``."""
    cli = Cli(root, environments, on=on)
    try:
        result = cli("deploy", "--local", "--no-verify")
        assert result.returncode == 0, result.stdout + result.stderr
        yield cli
    finally:
        cli.close()
