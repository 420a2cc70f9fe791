"""Faults a deploy must survive: Terraform killed, the emulator gone, credentials rejected."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict
from pathlib import Path

import pytest

from modules.checks.live import check_network
from modules.runner import emulator as emulators
from modules.runner.emulator import Emulator
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests.integration.cli import Cli

pytestmark = pytest.mark.integration


def _wait_for(process: subprocess.Popen[str], text: str, count: int = 1) -> str:
    assert process.stdout is not None
    seen = ""
    while seen.count(text) < count:
        line = process.stdout.readline()
        assert line, seen
        seen += line
    return seen


def _terraform_processes(cli: Cli) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-f", f"terraform -chdir={cli.env['CDKTF_OUTDIR']}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return [int(pid) for pid in found.stdout.split()]


def test_killed_terraform_then_deploy_converges_without_duplicates(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    try:
        first = cli.start("deploy", "--local", "--no-verify")
        _wait_for(first, "Creation complete", count=20)
        for pid in _terraform_processes(cli):
            os.kill(pid, signal.SIGKILL)  # no chance to write its state
        first.communicate(timeout=120)
        assert first.returncode != 0
        again = cli("deploy", "--local")
        assert again.returncode == 0, again.stdout + again.stderr
        assert "adopting" in again.stdout and "to import" in again.stdout
        ec2 = cli.client("ec2")
        named = [
            v
            for v in ec2.describe_vpcs()["Vpcs"]
            if {"Key": "Name", "Value": "agentcore-dev-vpc"} in v.get("Tags", [])
        ]
        assert len(named) == 1
        live = [
            e
            for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
            if e["State"].lower() != "deleted"
        ]
        assert len(live) == 14
        checks = check_network(
            load_environment("dev"),
            cli.outputs("dev"),
            cli.client,
            configured=cli.configured("dev"),
        )
        assert [c for c in checks if not c.ok] == []
    finally:
        cli("local", "down")


def test_emulator_stopping_mid_deploy_gives_a_clear_error_and_usable_state(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    try:
        first = cli.start("deploy", "--local", "--no-verify")
        _wait_for(first, "Creation complete", count=5)
        os.kill(cli.emulator().pid, signal.SIGKILL)
        rest, _ = first.communicate(timeout=300)
        assert first.returncode == 1
        assert "Terraform could not reach AWS" in rest and "python main.py local down" in rest
        assert "Traceback" not in rest
        state = json.loads(
            (cli.state / "emulator" / "dev" / "terraform.tfstate").read_text()
        )  # still valid
        assert state["resources"]
        stale = cli("plan", "--local")
        assert stale.returncode == 1 and "no longer running" in stale.stderr
        assert cli("local", "down").returncode == 0
        again = cli("deploy", "--local", "--no-verify")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        cli("local", "down")


def test_rejected_credentials_give_a_clear_error_and_change_no_state(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    directory = cli.state / "emulator-server"
    directory.mkdir(parents=True)
    port = emulators._free_port()
    # A moto that checks credentials: the test credentials are unknown to it.
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "modules.runner.emulator_server",
            "-H",
            emulators.HOST,
            "-p",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        record = emulators.Emulator(
            url=f"http://{emulators.HOST}:{port}",
            port=port,
            pid=server.pid,
            instance_id="auth",
            started_at=time.time(),
        )
        deadline = time.monotonic() + 30
        while emulators.running(directory) is None and time.monotonic() < deadline:
            (directory / "server.json").write_text(json.dumps(asdict(record)))
            time.sleep(0.2)
        refused = cli("deploy", "--local", "--no-verify")
        assert refused.returncode == 1
        assert "AWS rejected the credentials" in refused.stderr
        assert "Traceback" not in refused.stderr
        state = cli.state / "emulator" / "dev" / "terraform.tfstate"
        assert not state.exists() or not json.loads(state.read_text() or "{}").get("resources")
    finally:
        server.kill()
        server.wait()


def test_destroy_explains_a_wait_on_network_interfaces_then_finishes(tmp_path: Path) -> None:
    cli = Cli(tmp_path)
    cli.env["AGENTCORE_ENI_HINT_SECONDS"] = "5"
    try:
        deployed = cli("deploy", "--local", "--no-verify")
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        ec2, out = cli.client("ec2"), cli.outputs("dev")
        # What AgentCore Runtime leaves in a subnet for hours after a runtime is deleted.
        eni = ec2.create_network_interface(
            SubnetId=out["subnet_ids"]["agent_runtime"],
            Groups=[out["security_group_ids"]["agent_runtime"]],
            Description="AgentCore runtime (left behind)",
        )["NetworkInterface"]["NetworkInterfaceId"]
        destroy = cli.start("destroy", "--local")
        explained = _wait_for(destroy, "AgentCore runtime ENIs go away up to 8 hours")
        assert 'aws_subnet.network_private["agent_runtime"] has been deleting for' in explained
        assert f"{eni} (" in explained and "AgentCore runtime (left behind)" in explained
        ec2.delete_network_interface(NetworkInterfaceId=eni)
        rest, _ = destroy.communicate(timeout=300)
        assert destroy.returncode == 0, explained + rest
        assert "Destroy complete!" in rest
    finally:
        cli("local", "down")


def _authorize_egress(
    emulator: Emulator, group: str, invocation: str, attempt: int
) -> tuple[int, bytes]:
    """AuthorizeSecurityGroupEgress as an AWS SDK sends it (attempt N of invocation X)."""
    body = urllib.parse.urlencode(
        {
            "Action": "AuthorizeSecurityGroupEgress",
            "Version": "2016-11-15",
            "GroupId": group,
            "IpPermissions.1.IpProtocol": "tcp",
            "IpPermissions.1.FromPort": "443",
            "IpPermissions.1.ToPort": "443",
            "IpPermissions.1.PrefixListIds.1.PrefixListId": "pl-0123456789abcdef0",
        }
    ).encode()
    request = urllib.request.Request(
        emulator.url,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "AWS4-HMAC-SHA256 "
            "Credential=testing/20261130/us-west-2/ec2/aws4_request, "
            "SignedHeaders=host, Signature=0",
            "amz-sdk-invocation-id": invocation,
            "amz-sdk-request": f"attempt={attempt}; max=25",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_retried_call_gets_its_first_answer_and_a_real_duplicate_is_refused(
    emulator: Emulator,
) -> None:
    # moto's server sometimes loses an answer under load; the SDK then retries the same call.
    ec2 = emulator.client("ec2", "us-west-2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="retry", Description="retry", VpcId=vpc)["GroupId"]
    first = _authorize_egress(emulator, group, "invocation-1", 1)
    retry = _authorize_egress(emulator, group, "invocation-1", 2)
    assert first[0] == 200 and retry == first
    other_call = _authorize_egress(emulator, group, "invocation-2", 1)
    assert (
        other_call[0] == 400 and b"InvalidPermission.Duplicate" in other_call[1]
    )  # as AWS answers
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"
    ]
    assert [r["PrefixListId"] for r in rules if r.get("PrefixListId")] == ["pl-0123456789abcdef0"]
