"""Drift found, classified and healed; state locked, never silently overwritten.

Console changes are made with boto3 against the emulator, as a person in the AWS console
would; `drift`, `deploy` and `plan` run as the real command line.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.runner import emulator as emulators
from tests import tfvars
from tests.integration.cli import Cli, WorkerEmulator, deployed
from tests.workflow import run_step

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, worker: WorkerEmulator) -> Iterator[Cli]:
    root = tmp_path_factory.mktemp("drift")
    tfvars.write(root / "environments", "dev", tfvars.shipped("dev"))  # beside: suppressions
    yield from deployed(root, worker, root / "environments")


def _find(findings: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    matches = [f for f in findings if all(f.get(k) == v for k, v in fields.items())]
    assert len(matches) == 1, (fields, findings)
    return matches[0]


def test_no_drift_right_after_deploy(cli: Cli) -> None:
    code, report = cli.drift()
    assert (code, report["findings"]) == (0, [])


# change name -> (what a console user does, what drift must report)
Change = Callable[[Any, dict[str, Any]], None]


def _add_rule(ec2: Any, out: dict[str, Any]) -> None:
    ec2.authorize_security_group_egress(
        GroupId=out["security_group_ids"]["agent_runtime"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )


def _remove_rule(ec2: Any, out: dict[str, Any]) -> None:
    group = out["security_group_ids"]["mcp_runtime"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"
    ]
    rule = next(r for r in rules if r.get("PrefixListId") == out["prefix_list_ids"]["dynamodb"])
    ec2.revoke_security_group_egress(
        GroupId=group, SecurityGroupRuleIds=[rule["SecurityGroupRuleId"]]
    )


def _attach_gateway_and_route(ec2: Any, out: dict[str, Any]) -> None:
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=out["vpc_id"])
    ec2.create_route(
        RouteTableId=out["route_table_id"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway
    )


OPEN_POLICY = json.dumps(
    {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
)
CHANGES: dict[str, tuple[Change, dict[str, Any]]] = {
    "security group rule added": (
        _add_rule,
        {"rule": "drift.unmanaged", "attribute": "security_group_rule", "severity": "high"},
    ),
    "security group rule removed": (
        _remove_rule,
        {
            "rule": "drift.deleted",
            "severity": "high",
            "address": "aws_vpc_security_group_egress_rule.security_groups_egress"
            '["mcp_runtime_to_dynamodb"]',
        },
    ),
    "endpoint deleted": (
        lambda ec2, out: ec2.delete_vpc_endpoints(VpcEndpointIds=[out["endpoint_ids"]["xray"]]),
        {
            "rule": "drift.deleted",
            "severity": "high",
            "address": 'aws_vpc_endpoint.vpc_endpoints_interface["xray"]',
        },
    ),
    "endpoint policy changed": (
        lambda ec2, out: ec2.modify_vpc_endpoint(
            VpcEndpointId=out["endpoint_ids"]["ssm"], PolicyDocument=OPEN_POLICY
        ),
        {
            "rule": "drift.changed",
            "severity": "high",
            "attribute": "policy",
            "address": 'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]',
        },
    ),
    "private DNS turned off": (
        lambda ec2, out: ec2.modify_vpc_endpoint(
            VpcEndpointId=out["endpoint_ids"]["logs"], PrivateDnsEnabled=False
        ),
        {
            "rule": "drift.changed",
            "severity": "high",
            "attribute": "private_dns_enabled",
            "address": 'aws_vpc_endpoint.vpc_endpoints_interface["logs"]',
            "expected": True,
            "actual": False,
        },
    ),
    "VPC DNS hostnames turned off": (
        lambda ec2, out: ec2.modify_vpc_attribute(
            VpcId=out["vpc_id"], EnableDnsHostnames={"Value": False}
        ),
        {
            "rule": "drift.changed",
            "severity": "high",
            "attribute": "enable_dns_hostnames",
            "address": "aws_vpc.network_this",
        },
    ),
    "route to 0.0.0.0/0 added (and its internet gateway)": (
        _attach_gateway_and_route,
        {
            "rule": "drift.changed",
            "severity": "high",
            "attribute": "route",
            "address": "aws_route_table.network_private",
        },
    ),
    "internet gateway attached": (
        lambda ec2, out: None,  # made together with the route above
        {"rule": "drift.unmanaged", "attribute": "internet_gateway", "severity": "high"},
    ),
    "tag changed": (
        lambda ec2, out: ec2.create_tags(
            Resources=[out["vpc_id"]], Tags=[{"Key": "Name", "Value": "renamed"}]
        ),
        {
            "rule": "drift.changed",
            "severity": "low",
            "attribute": "tags",
            "address": "aws_vpc.network_this",
        },
    ),
    "network ACL entry added (SSH from anywhere)": (
        lambda ec2, out: ec2.create_network_acl_entry(
            NetworkAclId=out["network_acl_id"],
            RuleNumber=90,
            Protocol="6",
            RuleAction="allow",
            Egress=False,
            CidrBlock="0.0.0.0/0",
            PortRange={"From": 22, "To": 22},
        ),
        {
            "rule": "drift.changed",
            "severity": "high",
            "attribute": "ingress",
            "address": "aws_default_network_acl.network_this",
        },
    ),
    "flow log deleted": (
        lambda ec2, out: ec2.delete_flow_logs(FlowLogIds=[out["flow_log_id"]]),
        {"rule": "drift.deleted", "severity": "high", "address": "aws_flow_log.network_this"},
    ),
}


#: What AWS changes on its own after the deploy (the emulator plays it): a range added to the S3
#: prefix list, which the network ACL (a copy of the list's CIDRs) drops until the next deploy.
NEW_S3_RANGE = "3.5.64.0/18"
STALE = {"rule": "drift.stale", "severity": "high", "expected": f"{NEW_S3_RANGE} (s3 prefix list)"}


@pytest.fixture(scope="module")
def drifted(cli: Cli) -> dict[str, Any]:
    ec2, out = cli.client("ec2"), cli.outputs("dev")
    for change, _ in CHANGES.values():
        change(ec2, out)
    emulators.play_prefix_list_change(
        cli.state / "emulator-server", cli.account, "com.amazonaws.us-west-2.s3", [NEW_S3_RANGE]
    )
    code, report = cli.drift()
    assert code == 2
    return report


@pytest.mark.parametrize("name", CHANGES)
def test_console_change_is_found_with_its_severity(name: str, drifted: dict[str, Any]) -> None:
    _find(drifted["findings"], **CHANGES[name][1])


def test_a_range_aws_added_to_a_prefix_list_is_found_stale_until_the_next_deploy(
    drifted: dict[str, Any],
) -> None:
    stale = _find(drifted["findings"], **STALE)
    assert stale["actual"] == "absent" and stale["fix"].startswith("python main.py deploy")


def test_the_ci_examples_daily_drift_job_fails_on_it(
    cli: Cli, drifted: dict[str, Any], tmp_path: Path
) -> None:
    job = run_step("Drift", tmp_path, {**cli.env, "ENVIRONMENT": "dev"}, local=True)
    assert job.returncode == 2, job.stdout + job.stderr  # the job fails, the artifact says why
    report = json.loads((tmp_path / "drift-dev.json").read_text())["payload"]
    _find(report["findings"], **STALE)


def test_nothing_else_is_reported(drifted: dict[str, Any]) -> None:
    assert len(drifted["findings"]) == len(CHANGES) + 1


def test_unmanaged_additions_come_with_the_command_that_removes_them(
    cli: Cli, drifted: dict[str, Any]
) -> None:
    out = cli.outputs("dev")
    gateway = _find(drifted["findings"], attribute="internet_gateway")
    assert gateway["fix"].startswith(
        f"aws ec2 detach-internet-gateway --internet-gateway-id {gateway['address']} "
        f"--vpc-id {out['vpc_id']}"
    )
    rule = _find(drifted["findings"], attribute="security_group_rule")
    assert rule["fix"] == (
        "aws ec2 revoke-security-group-egress --group-id "
        f"{out['security_group_ids']['agent_runtime']} --security-group-rule-ids {rule['address']}"
    )


def test_the_report_for_people_wraps_and_keeps_every_detail(
    cli: Cli, drifted: dict[str, Any]
) -> None:
    result = cli("drift", "--local")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100, [line for line in lines if len(line) > 100]
    gateway = _find(drifted["findings"], attribute="internet_gateway")["address"]
    text = " ".join(result.stdout.split())
    assert gateway in text  # the route's gateway_id, not cut off
    assert '"Sid": "ReadParameters"' in text  # the whole changed policy, spaced out to wrap


def test_deploy_heals_managed_drift_and_reports_what_it_does_not_manage(
    cli: Cli, drifted: dict[str, Any]
) -> None:
    healed = cli("deploy", "--local")
    # Verification fails while the unmanaged gateway and rule are there, and says so.
    assert (
        healed.returncode == 1
        and "FAIL no internet, NAT, egress-only, VPN or transit gateway and no peering"
        in healed.stdout
    )
    code, report = cli.drift()
    assert code == 2
    assert {f["rule"] for f in report["findings"]} == {"drift.unmanaged"}
    assert {f["attribute"] for f in report["findings"]} == {
        "internet_gateway",
        "security_group_rule",
    }
    _accepting_them_passes_and_still_shows_them(cli)
    # Removing them as the report says leaves no drift at all.
    ec2 = cli.client("ec2")
    for finding in report["findings"]:
        if finding["attribute"] == "internet_gateway":
            ec2.detach_internet_gateway(
                InternetGatewayId=finding["address"], VpcId=cli.outputs("dev")["vpc_id"]
            )
            ec2.delete_internet_gateway(InternetGatewayId=finding["address"])
        else:
            group = finding["fix"].split("--group-id ")[1].split()[0]
            ec2.revoke_security_group_egress(
                GroupId=group, SecurityGroupRuleIds=[finding["address"]]
            )
    assert cli.drift() == (0, {**cli.drift()[1], "findings": []})


def _accepting_them_passes_and_still_shows_them(cli: Cli) -> None:
    """The environment's suppressions accept the two additions: drift and verify --live pass,
    and both still show them with the reason; the one that accepts nothing is said."""
    reason = "reviewed by the network team: a test of accepted exceptions (NET-42)"
    accepted = [
        {"rule": "drift.unmanaged", "address": "igw-*", "reason": reason},
        {"rule": "drift.unmanaged", "address": "sgr-*", "reason": reason},
        *(
            {"rule": rule, "reason": reason}
            for rule in ("live.connections", "live.security_group_rules", "live.open_rules")
        ),
        {"rule": "live.routes", "reason": reason},  # nothing to accept: said as such
    ]
    suppressions = cli.state.parent / "environments" / "dev.suppressions.json"
    suppressions.write_text(json.dumps({"suppressions": accepted}))
    try:
        code, report = cli.drift()
        assert (code, report["drift"], report["summary"]["suppressed"]) == (0, False, 2), report
        assert all(f["suppressed"]["reason"] == reason for f in report["findings"])
        live = cli("verify", "--live", "--local")
        assert live.returncode == 0, live.stdout + live.stderr
        skipped = [line for line in live.stdout.splitlines() if line.strip().startswith("skip ")]
        assert len(skipped) == 3 and reason in " ".join(live.stdout.split()), live.stdout
        notes = " ".join(live.stderr.split()).split("note: ")
        unused = [note for note in notes if "accepted nothing" in note]
        assert len(unused) == 1 and "dev.suppressions.json#6: the" in unused[0], live.stderr
    finally:
        suppressions.unlink()


# ---- S3 state: locking and unreadable state ------------------------------------------------


@pytest.fixture(scope="module")
def s3_cli(tmp_path_factory: pytest.TempPathFactory, worker: WorkerEmulator) -> Iterator[Cli]:
    root = tmp_path_factory.mktemp("s3-state")
    values = {
        **tfvars.shipped("dev"),
        "name": "agentcore-s3",
        "state_backend": {"type": "s3", "bucket": "agentcore-state"},
    }
    tfvars.write(root / "environments", "s3", values)
    cli = Cli(root, environments=root / "environments", on=worker)
    try:
        yield cli
    finally:
        cli.close()


STATE_KEY = "agentcore-network/agentcore-s3/terraform.tfstate"


def _terraform_under(pid: int) -> list[int]:
    """The terraform processes descended from ``pid`` (read from /proc: no extra package)."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        child = int(stat.parent.name)
        parents[child], names[child] = int(rest.split()[1]), name

    def descends(child: int) -> bool:
        while child in parents and child != pid:
            child = parents[child]
        return child == pid

    return [p for p, name in names.items() if name == "terraform" and descends(p)]


def test_a_second_deploy_fails_fast_on_the_s3_lock_and_the_state_stays_intact(s3_cli: Cli) -> None:
    first = s3_cli.start("deploy", "--local", "--env", "s3", "--no-verify")
    assert first.stdout is not None
    seen = ""
    while "Creating..." not in seen:  # the first deploy holds the lock and is applying
        line = first.stdout.readline()
        assert line, seen
        seen += line
    # Paused while the second runs, so that it still holds the lock however slow the machine:
    # the second deploy's own start (synthesis, init) could otherwise outlast the first apply.
    paused = _terraform_under(first.pid)
    assert paused, "the first deploy's terraform apply should be running"
    for pid in paused:
        os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    try:
        second = s3_cli("deploy", "--local", "--env", "s3", "--no-verify")
    finally:
        for pid in paused:
            os.kill(pid, signal.SIGCONT)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "The state is locked by another Terraform run" in second.stderr
    assert "python main.py force-unlock" in second.stderr
    assert time.monotonic() - started < 60
    rest, _ = first.communicate(timeout=600)
    assert first.returncode == 0, seen + rest
    objects = s3_cli.client("s3").list_objects_v2(Bucket="agentcore-state")["Contents"]
    assert [o["Key"] for o in objects] == [STATE_KEY]  # the lock file is gone, the state is there
    plan = s3_cli("plan", "--local", "--env", "s3")
    assert plan.returncode == 0, plan.stdout + plan.stderr


def test_unreadable_s3_state_is_never_overwritten_and_an_earlier_version_restores_it(
    s3_cli: Cli,
) -> None:
    deployed = s3_cli(
        "deploy", "--local", "--env", "s3", "--no-verify"
    )  # no-op after the lock test
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    s3 = s3_cli.client("s3")
    s3.put_object(Bucket="agentcore-state", Key=STATE_KEY, Body=b'{"version": 4, "terraform_ver')
    refused = s3_cli("deploy", "--local", "--env", "s3", "--no-verify")
    assert refused.returncode == 1
    assert "Terraform cannot read this environment's state" in refused.stderr
    assert "aws s3api list-object-versions" in refused.stderr
    assert (
        s3.get_object(Bucket="agentcore-state", Key=STATE_KEY)["Body"].read()
        == b'{"version": 4, "terraform_ver'
    )
    versions = s3.list_object_versions(Bucket="agentcore-state", Prefix=STATE_KEY)["Versions"]
    good = sorted((v for v in versions if not v["IsLatest"]), key=lambda v: v["LastModified"])[-1]
    s3.copy_object(
        Bucket="agentcore-state",
        Key=STATE_KEY,
        CopySource={"Bucket": "agentcore-state", "Key": STATE_KEY, "VersionId": good["VersionId"]},
    )
    plan = s3_cli("plan", "--local", "--env", "s3")
    assert plan.returncode == 0, plan.stdout + plan.stderr
