"""An interrupted deploy resumes: Ctrl-C during the first deploy of a protected network leaves
what Terraform was creating tainted (the next plan would replace it, which prevent_destroy
refuses); the next `deploy` untaints what its own interrupted apply left and converges, with
nothing duplicated or lost. An update killed outright (SIGKILL) leaves what AWS created
unrecorded: the next deploy adopts it. (tests/integration/runner/test_faults.py kills Terraform
alone during an unprotected first deploy.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modules.console import exit_codes
from modules.stack.environment import PROJECT_ROOT
from tests.integration.cli import Cli, WorkerEmulator

pytestmark = pytest.mark.integration

#: Being created when the interrupt comes: the VPC and the KMS key, both protected in prod.
CREATING = ("aws_vpc.network_this: Creating...", "aws_kms_key.network_flow_logs: Creating...")


def _deploy_prod_until(cli: Cli, *texts: str) -> tuple[subprocess.Popen[str], str]:
    """`deploy --local --env prod` in a session of its own, read until every one of ``texts``
    was printed: the process, and what it printed so far."""
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
    while not all(text in seen for text in texts):
        line = process.stdout.readline()
        assert line, seen
        seen += line
    return process, seen


def _interrupt_while_creating(cli: Cli) -> subprocess.CompletedProcess[str]:
    """`deploy --local --env prod` with Ctrl-C (SIGINT to its process group, as a terminal
    sends it) once the VPC and the KMS key are being created."""
    process, seen = _deploy_prod_until(cli, *CREATING)
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


def test_a_killed_update_of_a_protected_network_then_deploy_adopts_and_converges(
    tmp_path: Path, worker: WorkerEmulator
) -> None:
    """An update this time, killed outright (SIGKILL to deploy and its Terraform: a lost CI
    runner) right after AWS created a new subnet, before Terraform could save it; the next
    deploy finds it by its name, adopts it, and converges: one subnet, nothing to change."""
    environments = tmp_path / "environments"
    environments.mkdir()
    shipped = (PROJECT_ROOT / "environments" / "prod.tfvars").read_text()
    (environments / "prod.tfvars").write_text(shipped)
    cli = Cli(tmp_path, environments, on=worker)
    first = cli("deploy", "--local", "--env", "prod", "--no-verify")
    assert first.returncode == 0, first.stdout + first.stderr
    grown = shipped.replace(
        "  mcp_runtime_a   = {",
        '  agent_runtime_c = { cidr = "10.0.23.0/24", az = "us-west-2c", role = "agent_runtime" }\n'
        "  mcp_runtime_a   = {",
    )
    assert grown != shipped
    (environments / "prod.tfvars").write_text(grown)
    process, _ = _deploy_prod_until(cli, 'network_private["agent_runtime_c"]: Creation complete')
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    resumed = cli("deploy", "--local", "--env", "prod")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    ec2 = cli.client("ec2")
    vpc_id = cli.outputs("prod")["vpc_id"]
    added = ec2.describe_subnets(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "cidr-block", "Values": ["10.0.23.0/24"]},
        ]
    )["Subnets"]
    assert len(added) == 1  # adopted or recorded, never created twice
    assert cli.outputs("prod")["subnet_ids"]["agent_runtime_c"] == added[0]["SubnetId"]
    again = cli("plan", "--local", "--env", "prod")
    assert again.returncode == 0, again.stdout + again.stderr  # converged: nothing to change
