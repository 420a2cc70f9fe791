"""An interrupted deploy resumes: Ctrl-C during the first deploy of a protected network leaves
what Terraform was creating tainted (the next plan would replace it, which prevent_destroy
refuses); the next `deploy` untaints what its own interrupted apply left and converges, with
nothing duplicated or lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modules.cli import exit_codes
from modules.stack.environment import PROJECT_ROOT
from tests.integration.cli import Cli, WorkerEmulator

pytestmark = pytest.mark.integration

#: Being created when the interrupt comes: the VPC and the KMS key, both protected in prod.
CREATING = ("aws_vpc.network_this: Creating...", "aws_kms_key.network_flow_logs: Creating...")


def _interrupt_while_creating(cli: Cli) -> subprocess.CompletedProcess[str]:
    """`deploy --local --env prod` with Ctrl-C (SIGINT to its process group, as a terminal
    sends it) once the VPC and the KMS key are being created."""
    process = subprocess.Popen(
        [sys.executable, "-u", "main.py", "deploy", "--local", "--env", "prod", "--no-verify"],
        cwd=PROJECT_ROOT,
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # A terminal's Ctrl-C: the default handler, whatever this test process inherited.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    seen = ""
    while not all(text in seen for text in CREATING):
        line = process.stdout.readline()
        assert line, seen
        seen += line
    time.sleep(1)
    os.killpg(process.pid, signal.SIGINT)
    rest, _ = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, seen + rest, "")


def test_ctrl_c_in_a_protected_first_deploy_then_deploy_resumes_and_converges(
    tmp_path: Path, worker: WorkerEmulator
) -> None:
    cli = Cli(tmp_path, on=worker)
    interrupted = _interrupt_while_creating(cli)
    assert interrupted.returncode == exit_codes.INTERRUPTED, interrupted.stdout
    assert "waiting for Terraform to save its state" in interrupted.stdout
    resumed = cli("deploy", "--local", "--env", "prod")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    text = " ".join(resumed.stdout.split())
    assert "resuming the deploy interrupted at" in text and "aws_vpc.network_this" in text
    ec2 = cli.client("ec2")
    vpcs = [
        v
        for v in ec2.describe_vpcs()["Vpcs"]
        if {"Key": "Name", "Value": "agentcore-prod-vpc"} in v.get("Tags", [])
    ]
    assert len(vpcs) == 1  # nothing duplicated
    aliases = cli.client("kms").list_aliases()["Aliases"]
    assert len([a for a in aliases if a["AliasName"].startswith("alias/agentcore-prod")]) == 1
    again = cli("plan", "--local", "--env", "prod")
    assert again.returncode == 0, again.stdout + again.stderr  # converged: nothing to change
