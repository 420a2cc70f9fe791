"""Test helper: `python main.py` in a subprocess, with its own state, output and environments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3

from modules.runner import emulator as emulators
from modules.runner.emulator import Emulator
from modules.stack.environment import PROJECT_ROOT
from tests.cli_json import payload

TIMEOUT = 600


class Cli:
    """The real command line, isolated under ``root`` (state, cdktf.out, optional environments)."""

    def __init__(self, root: Path, environments: Path | None = None) -> None:
        self.state = root / "state"
        self.env = {
            **os.environ,
            "AGENTCORE_STATE_DIR": str(self.state),
            "CDKTF_OUTDIR": str(root / "cdktf.out"),
        }
        self.env.pop("AWS_ENDPOINT_URL", None)
        if environments is not None:
            self.env["AGENTCORE_ENVIRONMENTS_DIR"] = str(environments)

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

    def emulator(self) -> Emulator:
        running = emulators.running(self.state / "emulator-server")
        assert running is not None, "the emulator should be running"
        return running

    def client(self, service: str, region: str = "us-west-2") -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.emulator().url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def drift(self, env: str = "dev") -> tuple[int, dict[str, Any]]:
        result = self("drift", "--local", "--env", env, "--json")
        assert result.returncode in (0, 2), result.stdout + result.stderr
        return result.returncode, payload(result.stdout)


def deployed(root: Path) -> Iterator[Cli]:
    """A Cli whose emulator holds a deployed dev network; stops the emulator afterwards.
    For module-scoped fixtures: ``yield from deployed(tmp_path_factory.mktemp(...))``."""
    cli = Cli(root)
    try:
        result = cli("deploy", "--local", "--no-verify")
        assert result.returncode == 0, result.stdout + result.stderr
        yield cli
    finally:
        cli("local", "down")
