"""`npx cdktf synth` (the cdktf CLI running main.py) writes what `python main.py synth` writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modules.stack.environment import PROJECT_ROOT
from tests.conftest import SHIPPED
from tests.integration.cli import Cli, WorkerEmulator

pytestmark = pytest.mark.integration


def test_cdktf_cli_synth_matches_python_main(tmp_path: Path) -> None:
    """A bare `npx cdktf synth`, outside the virtual environment: cdktf.json's `python3 main.py`
    starts without the packages, and main.py runs itself again in .venv."""
    if not (PROJECT_ROOT / "node_modules" / ".bin" / "cdktf").exists():
        pytest.fail("cdktf-cli is not installed: run `npm ci` (make setup does)")
    venv_bin = Path(sys.prefix) / "bin"
    outside = [p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != venv_bin]
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "PATH": os.pathsep.join(outside)}
    env.pop("VIRTUAL_ENV", None)
    env.pop("TF_CLI_CONFIG_FILE", None)
    cli_out, python_out = tmp_path / "cli", tmp_path / "python"
    subprocess.run(
        [shutil.which("npx") or "npx", "cdktf", "synth", "--output", str(cli_out)],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [sys.executable, "main.py", "synth", "--all"],
        cwd=PROJECT_ROOT,
        env={**env, "CDKTF_OUTDIR": str(python_out)},
        check=True,
        capture_output=True,
    )
    stacks = sorted(p.relative_to(cli_out) for p in cli_out.glob("stacks/*/cdk.tf.json"))
    assert [s.parent.name for s in stacks] == [f"network-{env}" for env in SHIPPED]
    for stack in stacks:
        assert (cli_out / stack).read_bytes() == (python_out / stack).read_bytes(), stack


def test_cdktf_cli_and_python_main_share_one_state(tmp_path: Path, worker: WorkerEmulator) -> None:
    cli = Cli(tmp_path, on=worker)
    out = str(tmp_path / "cdktf-cli.out")

    def in_env_shell(command: str) -> subprocess.CompletedProcess[str]:
        """``command`` in a shell that evaluated `env --local`, as README shows."""
        script = f'eval "$({sys.executable} main.py env --local)" && {command}'
        return subprocess.run(
            ["bash", "-c", script],
            cwd=PROJECT_ROOT,
            env=cli.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    def cdktf(*args: str) -> subprocess.CompletedProcess[str]:
        return in_env_shell(f"npx cdktf {' '.join(args)} --output {out}")

    try:
        exports = cli("env", "--local").stdout
        assert "unset AWS_PROFILE" in exports and "AWS_PROFILE=" not in exports
        deployed = cdktf("deploy", "network-dev", "--auto-approve", "--skip-provider-lock")
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert cli("plan", "--local").returncode == 0  # python main.py reads what cdktf wrote
        # Every command in the shell README's `eval "$(python main.py env --local)"` leaves
        # (drift there also shows that python main.py reads the state cdktf wrote).
        for command in ("drift --local", "verify --live --local", "output --local --json"):
            ran = in_env_shell(f"python3 main.py {command}")
            assert ran.returncode == 0 and "Traceback" not in ran.stderr, ran.stdout + ran.stderr
        # The stack cdktf deploy synthesized, not a new synthesis (the test above compares those).
        diff = cdktf("diff", "network-dev", "--skip-provider-lock", "--skip-synth")
        assert diff.returncode == 0 and "No changes" in diff.stdout, diff.stdout + diff.stderr
        destroyed = cli("destroy", "--local")  # and cdktf reads what python main.py wrote
        assert destroyed.returncode == 0, destroyed.stdout + destroyed.stderr
        again = cdktf("diff", "network-dev", "--skip-provider-lock", "--skip-synth")
        assert "42 to add" in again.stdout, again.stdout + again.stderr
    finally:
        cli.close()
