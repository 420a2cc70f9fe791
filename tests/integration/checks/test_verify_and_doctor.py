"""verify --live/--plan on a deployed network, and doctor finding each fault it is shown."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.runner import emulator as emulators
from tests.cli_json import envelope, payload
from tests.integration.cli import Cli, WorkerEmulator, deployed

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, worker: WorkerEmulator) -> Iterator[Cli]:
    yield from deployed(tmp_path_factory.mktemp("verify"), worker)


def test_verify_proves_the_deployed_network_and_its_plan(cli: Cli, tmp_path: Path) -> None:
    scopes = tmp_path / "scopes"
    live = cli("verify", "--live", "--local", "--access-scopes", str(scopes))
    assert live.returncode == 0 and "PROVEN on the live network." in live.stdout, (
        live.stdout + live.stderr
    )
    # verify's claims for Network Access Analyzer, about the deployed VPC's ids.
    no_internet = json.loads((scopes / "no-internet.json").read_text())
    vpc = cli.outputs("dev")["vpc_id"]
    assert no_internet["MatchPaths"][0]["Source"]["ResourceStatement"]["Resources"] == [vpc]
    assert (scopes / "access-scopes.template.json").is_file()
    planned = cli("verify", "--plan", "--local", "--json")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    report = payload(planned.stdout)
    assert [i["source"].startswith("plan of network-dev") for i in report["inputs"]] == [
        False,
        True,
    ]


def test_the_runtimes_reach_s3_and_verify_live_proves_every_flow(cli: Cli) -> None:
    ec2, out = cli.client("ec2"), cli.outputs("dev")
    s3_list = out["prefix_list_ids"]["s3"]
    for group in ("agent_runtime", "mcp_runtime"):
        rules = ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": [out["security_group_ids"][group]]}]
        )["SecurityGroupRules"]
        assert any(
            r["IsEgress"]
            and r.get("PrefixListId") == s3_list
            and (r["FromPort"], r["ToPort"]) == (443, 443)
            for r in rules
        ), group
    result = cli("verify", "--live", "--local", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    flows = {
        c["name"]: c["ok"] for c in payload(result.stdout)["checks"] if " reachable (" in c["name"]
    }
    assert len(flows) == len(out["flows"]) == 13 and all(flows.values()), flows


def test_verify_live_names_the_flow_a_console_change_blocks(cli: Cli) -> None:
    # The sample's S3 policy, set in the console: ECR image layers no longer get through.
    ec2, out = cli.client("ec2"), cli.outputs("dev")
    endpoint = out["endpoint_ids"]["s3"]
    original = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"][0][
        "PolicyDocument"
    ]
    sample = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": ["arn:aws:s3:::cloudformation-custom-resource-response-*/*"],
                }
            ],
        }
    )
    ec2.modify_vpc_endpoint(VpcEndpointId=endpoint, PolicyDocument=sample)
    try:
        result = cli("verify", "--live", "--local")
        assert result.returncode == 2
        assert "FAIL flow container_pulls_from_ecr reachable" in result.stdout
        text = " ".join(result.stdout.split())  # wrapped at 100 columns for people
        assert (
            "blocked at policy (agent_runtime -> s3): s3:GetObject on "
            "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*" in text
        )
        assert "ok   flow agent_calls_bedrock reachable" in result.stdout
    finally:
        ec2.modify_vpc_endpoint(VpcEndpointId=endpoint, PolicyDocument=original)


def test_verify_live_catches_a_console_leak(cli: Cli) -> None:
    ec2, out = cli.client("ec2"), cli.outputs("dev")
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=out["vpc_id"])
    group = out["security_group_ids"]["agent_runtime"]
    ec2.authorize_security_group_egress(
        GroupId=group, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    )
    try:
        result = cli("verify", "--live", "--local", "--json")
        assert result.returncode == 2
        failed = {c["name"]: c["detail"] for c in payload(result.stdout)["checks"] if not c["ok"]}
        assert {
            "no internet, NAT, egress-only, VPN or transit gateway and no peering",
            "no rule open to 0.0.0.0/0 or ::/0",
            "security group rules are exactly those the flows need (rules.json)",
        } <= set(failed)
        assert (
            failed["no rule open to 0.0.0.0/0 or ::/0"] == f"found {group} egress all to 0.0.0.0/0"
        )
        assert not [
            d for d in failed.values() if re.search(r"[\[(]'|\{'", d)
        ]  # sentences, not Python reprs
        text = cli("verify", "--live", "--local").stdout
        assert (
            f"found {group} egress all to 0.0.0.0/0" in text
            and max(map(len, text.splitlines())) <= 100
        )
    finally:
        ec2.revoke_security_group_egress(
            GroupId=group,
            IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
        )
        ec2.detach_internet_gateway(InternetGatewayId=gateway, VpcId=out["vpc_id"])
        ec2.delete_internet_gateway(InternetGatewayId=gateway)


def _doctor(cli: Cli) -> tuple[int, list[dict[str, Any]]]:
    result = cli("doctor", "--local", "--json")
    assert result.returncode in (0, 2), result.stdout + result.stderr
    return result.returncode, payload(result.stdout)["results"]


def test_output_gives_the_deployed_ids_as_terraform_does(cli: Cli) -> None:
    as_json = cli("output", "--local", "--json")
    document = envelope(as_json.stdout)
    assert as_json.returncode == 0 and (document["result"], document["stack"]) == (
        "ok",
        "network-dev",
    )
    assert document["payload"]["outputs"] == cli.outputs("dev")
    lines = cli("output", "--local").stdout.splitlines()
    assert any(line.split() == ["vpc_id", "=", cli.outputs("dev")["vpc_id"]] for line in lines), (
        lines
    )


def test_doctor_is_healthy_on_a_fresh_network(cli: Cli) -> None:
    code, results = _doctor(cli)
    assert code == 0 and all(r["ok"] for r in results) and len(results) >= 20
    assert len([r for r in results if r["symptom"] == "network"]) >= 20  # the live registry too


# fault -> (break exactly that thing, (symptom, check) that must fail, text of its fix)
def _revoke_prefix_list_rule(ec2: Any, out: dict[str, Any]) -> None:
    group = out["security_group_ids"]["mcp_runtime"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])[
        "SecurityGroupRules"
    ]
    dynamodb = out["prefix_list_ids"]["dynamodb"]
    ec2.revoke_security_group_egress(
        GroupId=group,
        SecurityGroupRuleIds=[
            next(r["SecurityGroupRuleId"] for r in rules if r.get("PrefixListId") == dynamodb)
        ],
    )


def _play_s3_range(cli: Cli) -> None:
    emulators.play_prefix_list_change(
        cli.state / "emulator-server", cli.account, "com.amazonaws.us-west-2.s3", [NEW_S3_RANGE]
    )


#: A range AWS adds to the S3 prefix list after the deploy (the emulator plays it).
NEW_S3_RANGE = "3.5.64.0/18"

FAULTS = {
    "ECR Docker endpoint deleted": (
        lambda cli, ec2, logs, out: ec2.delete_vpc_endpoints(
            VpcEndpointIds=[out["endpoint_ids"]["ecr_dkr"]]
        ),
        ("container_fails_to_start", "ecr_dkr endpoint exists and is available"),
        "recreates it",
    ),
    "VPC DNS hostnames off": (
        lambda cli, ec2, logs, out: ec2.modify_vpc_attribute(
            VpcId=out["vpc_id"], EnableDnsHostnames={"Value": False}
        ),
        ("agent_cannot_call_bedrock", "VPC DNS support and DNS hostnames are on"),
        "--enable-dns-hostnames",
    ),
    "MCP egress to DynamoDB revoked": (
        lambda cli, ec2, logs, out: _revoke_prefix_list_rule(ec2, out),
        (
            "mcp_cannot_reach_dynamodb",
            "mcp_runtime security group allows HTTPS out to the dynamodb prefix list",
        ),
        "restores the rule",
    ),
    "DynamoDB endpoint taken off the route table": (
        lambda cli, ec2, logs, out: ec2.modify_vpc_endpoint(
            VpcEndpointId=out["endpoint_ids"]["dynamodb"],
            RemoveRouteTableIds=[out["route_table_id"]],
        ),
        (
            "mcp_cannot_reach_dynamodb",
            "the route table sends dynamodb traffic to its gateway endpoint",
        ),
        "--add-route-table-ids",
    ),
    "logs endpoint private DNS off": (
        lambda cli, ec2, logs, out: ec2.modify_vpc_endpoint(
            VpcEndpointId=out["endpoint_ids"]["logs"], PrivateDnsEnabled=False
        ),
        ("logs_not_appearing", "logs endpoint resolves the service's name privately (private DNS)"),
        "--private-dns-enabled",
    ),
    "AWS added a range to the S3 prefix list": (
        lambda cli, ec2, logs, out: _play_s3_range(cli),
        (
            "container_fails_to_start",
            "the network ACL holds the gateway prefix lists' CIDRs as AWS serves them now",
        ),
        "rewrites the ACL",
    ),
    "flow log group deleted": (
        lambda cli, ec2, logs, out: logs.delete_log_group(logGroupName=out["flow_log_group_name"]),
        ("logs_not_appearing", "log group /aws/vpc-flow-logs/agentcore-dev exists"),
        "recreates it",
    ),
}


@pytest.fixture(scope="module")
def broken(cli: Cli) -> list[dict[str, Any]]:
    ec2, logs, out = cli.client("ec2"), cli.client("logs"), cli.outputs("dev")
    for fault, _, _ in FAULTS.values():
        fault(cli, ec2, logs, out)
    code, results = _doctor(cli)
    assert code == 2
    return results


@pytest.mark.parametrize("fault", FAULTS)
def test_doctor_finds_the_fault_and_names_the_fix(fault: str, broken: list[dict[str, Any]]) -> None:
    (symptom, check), fix = FAULTS[fault][1], FAULTS[fault][2]
    (result,) = [r for r in broken if (r["symptom"], r["check"]) == (symptom, check)]
    assert result["ok"] is False and fix in result["fix"]


def test_doctor_blames_nothing_else(broken: list[dict[str, Any]]) -> None:
    consequences = {
        ("logs_not_appearing", "VPC DNS support and DNS hostnames are on"),  # the same VPC setting
        (
            "mcp_cannot_reach_dynamodb",
            "the network ACL holds the gateway prefix lists' CIDRs as AWS serves them now",
        ),  # the same ACL
        (
            "container_fails_to_start",
            "ecr_dkr endpoint resolves the service's name privately (private DNS)",
        ),  # no endpoint
        # Each symptom's flow, proven end to end, stops at one of the faults above.
        *(
            (symptom, f"flow {flow} gets through end to end ({title})")
            for symptom, flow, title in (
                (
                    "container_fails_to_start",
                    "container_pulls_from_ecr",
                    "A runtime pulls its image from ECR",
                ),
                ("agent_cannot_call_bedrock", "agent_calls_bedrock", "Agent calls a Bedrock model"),
                ("mcp_cannot_reach_dynamodb", "mcp_queries_dynamodb", "MCP tools read DynamoDB"),
                ("logs_not_appearing", "runtime_logs", "Runtimes write logs"),
            )
        ),
    }
    expected = {f[1] for f in FAULTS.values()} | consequences
    symptoms = [r for r in broken if r["symptom"] != "network"]
    assert {(r["symptom"], r["check"]) for r in symptoms if not r["ok"]} == expected


def test_doctor_ends_with_every_check_verify_live_makes(
    cli: Cli, broken: list[dict[str, Any]]
) -> None:
    """One registry of live checks: doctor's last section is verify --live, check for check."""
    live = cli("verify", "--live", "--local", "--json")
    assert live.returncode == 2, live.stdout + live.stderr
    checks = [(c["name"], c["ok"], c["detail"]) for c in payload(live.stdout)["checks"]]
    network = [r for r in broken if r["symptom"] == "network"]
    assert [(r["check"], r["ok"], r["detail"]) for r in network] == checks
    assert all(r["fix"] for r in network if not r["ok"])
    failing = {name for name, ok, _ in checks if not ok}
    assert {"endpoint ecr_dkr exists", "VPC enableDnsHostnames is on"} <= failing


def test_deploy_heals_what_doctor_found(cli: Cli, broken: list[dict[str, Any]]) -> None:
    healed = cli("deploy", "--local", "--no-verify")
    assert healed.returncode == 0, healed.stdout + healed.stderr
    code, results = _doctor(cli)
    assert code == 0, [r for r in results if not r["ok"]]


def test_doctor_and_verify_live_say_when_nothing_is_deployed(
    tmp_path: Path, worker: WorkerEmulator
) -> None:
    empty = Cli(tmp_path, on=worker)
    try:
        for command in (
            ("doctor", "--local"),
            ("verify", "--live", "--local"),
            ("output", "--local"),
        ):
            result = empty(*command)
            assert result.returncode == 1, (
                result.stdout + result.stderr
            )  # nothing to check is an error
            assert "error: Nothing is deployed for network-dev" in result.stderr
            assert "python main.py deploy --env dev --local" in result.stderr
            assert "Traceback" not in result.stderr
            as_json = empty(*command, "--json")
            document = envelope(as_json.stdout)  # JSON on stdout, even so
            assert as_json.returncode == 1 and document["result"] == "error"
            assert (
                document["target"] == "emulator"
                and "Nothing is deployed" in document["payload"]["error"]
            )
    finally:
        empty.close()
