"""deploy --local -> read back with boto3 -> plan --local (exit 0) -> destroy --local -> nothing
left.

Runs the real command line in a subprocess, against its own emulator and state directory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from modules.checks.compare import compare_rules
from modules.checks.live import LiveNetwork, check_network
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests.cli_json import envelope
from tests.integration.cli import Cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = Cli(tmp_path_factory.mktemp("lifecycle"))
    try:
        yield cli
    finally:
        cli("local", "down")


@pytest.fixture(scope="module")
def deployed(cli: Cli) -> dict[str, Any]:
    result = cli("deploy", "--local")
    assert result.returncode == 0, result.stdout + result.stderr
    return {"stdout": result.stdout, "outputs": cli.outputs("dev"), "emulator": cli.emulator()}


def test_deploy_reports_progress_and_verifies_itself(deployed: dict[str, Any]) -> None:
    stdout = deployed["stdout"]
    assert "[1/7] Checking Terraform and the emulator..." in stdout
    assert "Apply complete! Resources: 42 added, 0 changed, 0 destroyed." in stdout
    assert "no changes: the configuration and the deployed network agree" in stdout
    assert " FAIL " not in stdout
    assert (
        max(len(line) for line in stdout.splitlines()) <= 100
    )  # wrapped for people, Terraform's lines too
    assert "reading the network back from the local emulator" in stdout  # not "from AWS"
    assert "['" not in stdout  # lists printed as text, not as Python reprs
    assert f"vpc_id = {deployed['outputs']['vpc_id']}" in stdout
    assert "subnet_share_arn = (none)" in stdout  # an optional part not configured, said so


def test_every_live_check_passes(cli: Cli, deployed: dict[str, Any]) -> None:
    env = load_environment("dev")
    checks = check_network(env, deployed["outputs"], cli.client, configured=cli.configured("dev"))
    assert [c for c in checks if not c.ok] == []
    assert len(checks) >= 25


def test_security_group_rules_read_back_exactly(cli: Cli, deployed: dict[str, Any]) -> None:
    outputs = deployed["outputs"]
    live = LiveNetwork.read(
        load_environment("dev"), outputs, cli.client, configured=cli.configured("dev")
    )
    rules = compare_rules(live.configured, live.view)
    found = rules.found
    assert found == rules.configured and not rules.missing and not rules.unexpected
    # in ids, as AWS shows them: the endpoint group admits the VPC's CIDR
    endpoints = outputs["security_group_ids"]["vpc_endpoints"]
    assert (endpoints, "ingress", "tcp", 443, 443, outputs["vpc_cidr_block"]) in found
    assert len(found) == 8
    # no allow-all egress survived on any group (Terraform removed AWS's default rule)
    assert not [r for r in found if r[1] == "egress" and r[5] == "0.0.0.0/0"]


def test_interface_endpoints_read_back_with_private_dns(cli: Cli, deployed: dict[str, Any]) -> None:
    outputs = deployed["outputs"]
    ec2 = cli.client("ec2")
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=list(outputs["endpoint_ids"].values()))[
        "VpcEndpoints"
    ]
    interface = [e for e in endpoints if e["VpcEndpointType"] == "Interface"]
    assert len(interface) == 12 and len(endpoints) == 14
    for endpoint in interface:
        assert endpoint["PrivateDnsEnabled"] is True
        assert endpoint["DnsEntries"], endpoint["ServiceName"]
        assert sorted(endpoint["SubnetIds"]) == sorted(outputs["subnet_ids"].values())
    assert set(outputs["endpoint_dns_names"]) == {
        k
        for k, v in outputs["endpoint_ids"].items()
        if v in {e["VpcEndpointId"] for e in interface}
    }


def test_route_table_carries_only_local_and_gateway_routes(
    cli: Cli, deployed: dict[str, Any]
) -> None:
    outputs = deployed["outputs"]
    ec2 = cli.client("ec2")
    (table,) = ec2.describe_route_tables(RouteTableIds=[outputs["route_table_id"]])["RouteTables"]
    routes = {
        (r.get("DestinationCidrBlock") or r.get("DestinationPrefixListId"), r["GatewayId"])
        for r in table["Routes"]
    }
    assert routes == {
        ("10.0.0.0/16", "local"),
        (outputs["prefix_list_ids"]["s3"], outputs["endpoint_ids"]["s3"]),
        (outputs["prefix_list_ids"]["dynamodb"], outputs["endpoint_ids"]["dynamodb"]),
    }


def test_plan_right_after_deploy_exits_0(cli: Cli, deployed: dict[str, Any]) -> None:
    result = cli("plan", "--local")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes" in result.stdout


def test_destroy_leaves_nothing_behind(cli: Cli, deployed: dict[str, Any]) -> None:
    result = cli("destroy", "--local")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Destroy complete! Resources: 42 destroyed." in result.stdout
    outputs = deployed["outputs"]
    ec2, logs, iam, kms = (cli.client(s) for s in ("ec2", "logs", "iam", "kms"))
    assert not [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] == outputs["vpc_id"]]
    # Deleted endpoints stay listed for a while, as on AWS, in state "deleted".
    assert {e["State"] for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]} <= {"deleted"}
    assert not [
        g
        for g in ec2.describe_security_groups()["SecurityGroups"]
        if g["GroupName"].startswith("agentcore-dev-")
    ]
    assert ec2.describe_flow_logs()["FlowLogs"] == []
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/vpc-flow-logs/")["logGroups"] == []
    assert not [
        r for r in iam.list_roles()["Roles"] if r["RoleName"] == "agentcore-dev-flow-logs-us-west-2"
    ]
    key_id = outputs["flow_log_kms_key_arn"].rsplit("/", 1)[1]
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert cli("plan", "--local").returncode == 2  # everything would be created again


def _deploy_report(stdout: str) -> dict[str, Any]:
    """deploy --json: the envelope alone on stdout (what was applied, outputs, verification,
    timings); the progress and Terraform's lines went to stderr."""
    report = envelope(stdout)
    assert (report["result"], report["stack"], report["target"]) == (
        "ok",
        "network-prod",
        "emulator",
    )
    deployed: dict[str, Any] = report["payload"]
    assert deployed["applied"]["added"] > 40 and deployed["review"] is None
    assert deployed["verification"]["replan"] == "no changes"
    assert deployed["verification"]["checks"] and all(
        c["ok"] for c in deployed["verification"]["checks"]
    )
    assert deployed["outputs"]["vpc_id"].startswith("vpc-") and deployed["seconds"]["total"] > 0
    return deployed


def test_prod_deploys_refuses_destroy_and_destroys_clean_once_lifted(cli: Cli) -> None:
    result = cli("deploy", "--local", "--env", "prod", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    deployed = _deploy_report(result.stdout)
    assert "no changes: the configuration and the deployed network agree" in result.stderr
    # Highly available: every runtime role has subnets in at least two AZs.
    out, ec2 = cli.outputs("prod"), cli.client("ec2")
    for role in ("agent_runtime", "mcp_runtime"):
        subnets = ec2.describe_subnets(SubnetIds=out["role_subnet_ids"][role])["Subnets"]
        assert len({s["AvailabilityZoneId"] for s in subnets}) >= 2, role
        assert {t["Value"] for s in subnets for t in s["Tags"] if t["Key"] == "Role"} == {role}
    # Every subnet on the adopted default network ACL, which has no entry for anywhere but the final
    # deny.
    (acl,) = ec2.describe_network_acls(NetworkAclIds=[out["network_acl_id"]])["NetworkAcls"]
    assert acl["IsDefault"] and {a["SubnetId"] for a in acl["Associations"]} == set(
        out["subnet_ids"].values()
    )
    anywhere = [
        e
        for e in acl["Entries"]
        if e.get("CidrBlock") == "0.0.0.0/0" or e.get("Ipv6CidrBlock") == "::/0"
    ]
    assert anywhere and all(
        e["RuleAction"] == "deny" and e["RuleNumber"] == 32767 for e in anywhere
    )
    gateway = {
        e["CidrBlock"]
        for e in acl["Entries"]
        if e["Egress"] and e.get("PortRange") == {"From": 443, "To": 443}
    }
    s3, dynamodb = (
        ec2.get_managed_prefix_list_entries(PrefixListId=out["prefix_list_ids"][k])["Entries"]
        for k in ("s3", "dynamodb")
    )
    assert gateway == {e["Cidr"] for e in s3 + dynamodb}
    refused = cli("destroy", "--local", "--env", "prod")
    assert refused.returncode == 1 and "prod is protected" in refused.stderr
    assert cli("plan", "--local", "--env", "prod").returncode == 0  # still all there
    # Lifted on purpose (prevent_destroy = false, as the refusal says): destroy leaves nothing
    # behind.
    lifted = cli.state.parent / "lifted"
    lifted.mkdir()
    shipped = (PROJECT_ROOT / "environments" / "prod.tfvars").read_text()
    (lifted / "prod.tfvars").write_text(
        shipped.replace("prevent_destroy = true", "prevent_destroy = false")
    )
    unprotected = Cli(cli.state.parent, lifted)
    result = unprotected("destroy", "--local", "--env", "prod", "--auto-approve", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert envelope(result.stdout)["payload"]["destroyed"] == deployed["applied"]["added"]
    assert not [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] == out["vpc_id"]]
    assert not [
        g
        for g in ec2.describe_security_groups()["SecurityGroups"]
        if g["GroupName"].startswith("agentcore-prod-")
    ]
    assert (
        unprotected("plan", "--local", "--env", "prod").returncode == 2
    )  # everything would be created again
