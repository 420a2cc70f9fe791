"""verify proves the shipped environments, and catches every leak injected into a copy."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modules.checks.verify import flow_matrix, model_of, verify_model
from modules.cli import commands
from modules.kernel.errors import CommandError
from tests.cli_json import payload
from tests.conftest import SHIPPED

Stack = dict[str, Any]
VPC = "${aws_vpc.network_this.id}"


def _findings(stack: Stack) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.address, f.attribute) for f in verify_model(model_of(stack, "test"))]


@pytest.mark.parametrize("env", [*SHIPPED, "eu"])
def test_every_environment_is_proven(env: str, synthesized: dict[str, Stack]) -> None:
    assert verify_model(model_of(synthesized[env], env)) == []


def test_the_rule_matrix_is_the_seeds_plus_s3_for_the_runtimes(dev: Stack) -> None:
    assert flow_matrix(model_of(dev, "dev")) == [
        (
            "VPC CIDR",
            "vpc_endpoints",
            "tcp/443",
            "HTTPS from anywhere in the VPC to the interface endpoints",
        ),
        ("agent_runtime", "s3", "tcp/443", "HTTPS to S3 through the gateway endpoint"),
        ("agent_runtime", "vpc_endpoints", "tcp/443", "HTTPS to the interface VPC endpoints"),
        ("gateway_lambda", "dynamodb", "tcp/443", "HTTPS to DynamoDB through the gateway endpoint"),
        ("gateway_lambda", "vpc_endpoints", "tcp/443", "HTTPS to the interface VPC endpoints"),
        ("mcp_runtime", "dynamodb", "tcp/443", "HTTPS to DynamoDB through the gateway endpoint"),
        ("mcp_runtime", "s3", "tcp/443", "HTTPS to S3 through the gateway endpoint"),
        ("mcp_runtime", "vpc_endpoints", "tcp/443", "HTTPS to the interface VPC endpoints"),
    ]


def _add(terraform_type: str, body: dict[str, Any]) -> Callable[[Stack], None]:
    return lambda s: s["resource"].setdefault(terraform_type, {}).__setitem__("leak", body)


def _resource(s: Stack, terraform_type: str, name: str) -> dict[str, Any]:
    return s["resource"][terraform_type][name]


def _set(terraform_type: str, name: str, **values: Any) -> Callable[[Stack], None]:
    return lambda s: _resource(s, terraform_type, name).update(values)


def _instance(terraform_type: str, name: str, key: str, **values: Any) -> Callable[[Stack], None]:
    return lambda s: _resource(s, terraform_type, name)["for_each"][key].update(values)


EGRESS = ("aws_vpc_security_group_egress_rule", "security_groups_egress")
INGRESS = ("aws_vpc_security_group_ingress_rule", "security_groups_ingress")
INTERFACE = ("aws_vpc_endpoint", "vpc_endpoints_interface")
GATEWAY = ("aws_vpc_endpoint", "vpc_endpoints_gateway")
OPEN_RULE = {
    "cidr_ipv4": "0.0.0.0/0",
    "description": "leak",
    "port": 443,
    "prefix_list_id": None,
    "referenced_security_group_id": None,
    "security_group_id": '${aws_security_group.security_groups_this["agent_runtime"].id}',
}
SSH_FROM_VPC = {
    **OPEN_RULE,
    "cidr_ipv4": "${aws_vpc.network_this.cidr_block}",
    "port": 22,
    "security_group_id": '${aws_security_group.security_groups_this["mcp_runtime"].id}',
}

# leak -> (mutation, the finding it must produce: check, address, attribute)
LEAKS: dict[str, tuple[Callable[[Stack], None], tuple[str, str, str | None]]] = {
    "internet gateway": (
        _add("aws_internet_gateway", {"vpc_id": VPC}),
        ("internet", "aws_internet_gateway.leak", None),
    ),
    "NAT gateway": (
        _add("aws_nat_gateway", {"subnet_id": "x"}),
        ("internet", "aws_nat_gateway.leak", None),
    ),
    "egress-only gateway": (
        _add("aws_egress_only_internet_gateway", {"vpc_id": VPC}),
        ("internet", "aws_egress_only_internet_gateway.leak", None),
    ),
    "VPN gateway": (
        _add("aws_vpn_gateway", {"vpc_id": VPC}),
        ("internet", "aws_vpn_gateway.leak", None),
    ),
    "transit gateway": (
        _add("aws_ec2_transit_gateway_vpc_attachment", {"vpc_id": VPC}),
        ("internet", "aws_ec2_transit_gateway_vpc_attachment.leak", None),
    ),
    "peering": (
        _add("aws_vpc_peering_connection", {"vpc_id": VPC, "peer_vpc_id": "vpc-other"}),
        ("internet", "aws_vpc_peering_connection.leak", None),
    ),
    "elastic IP": (_add("aws_eip", {"domain": "vpc"}), ("internet", "aws_eip.leak", None)),
    "public IPs on launch": (
        _set("aws_subnet", "network_private", map_public_ip_on_launch=True),
        ("internet", 'aws_subnet.network_private["data"]', "map_public_ip_on_launch"),
    ),
    "IPv6 on the VPC": (
        _set("aws_vpc", "network_this", assign_generated_ipv6_cidr_block=True),
        ("internet", "aws_vpc.network_this", "assign_generated_ipv6_cidr_block"),
    ),
    "default route": (
        _set(
            "aws_route_table",
            "network_private",
            route=[{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}],
        ),
        ("internet", "aws_route_table.network_private", "route"),
    ),
    "standalone default route": (
        _add("aws_route", {"route_table_id": "x", "destination_cidr_block": "::/0"}),
        ("internet", "aws_route.leak", None),
    ),
    "egress open to the internet": (
        lambda s: _resource(s, *EGRESS)["for_each"].__setitem__("leak", OPEN_RULE),
        (
            "internet",
            'aws_vpc_security_group_egress_rule.security_groups_egress["leak"]',
            "cidr_ipv4",
        ),
    ),
    "a flow not in the matrix": (
        lambda s: _resource(s, *INGRESS)["for_each"].__setitem__("ssh", SSH_FROM_VPC),
        ("flows", 'aws_vpc_security_group_ingress_rule.security_groups_ingress["ssh"]', None),
    ),
    "a flow of the matrix removed": (
        lambda s: _resource(s, *EGRESS)["for_each"].pop("mcp_runtime_to_dynamodb"),
        ("flows", "rules.json: mcp_runtime", None),
    ),
    "legacy rule open to the internet": (
        _add(
            "aws_security_group_rule",
            {
                "type": "ingress",
                "cidr_blocks": ["0.0.0.0/0"],
                "from_port": 22,
                "to_port": 22,
                "protocol": "tcp",
                "security_group_id": "x",
            },
        ),
        ("internet", "aws_security_group_rule.leak", "cidr_blocks"),
    ),
    "private DNS off": (
        _instance(*INTERFACE, "ssm", private_dns=False),
        ("endpoints", 'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]', "private_dns_enabled"),
    ),
    "endpoint missing an AZ": (
        lambda s: _resource(s, *INTERFACE)["subnet_ids"].pop(),
        ("endpoints", 'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]', "subnet_ids"),
    ),
    "endpoint behind another group": (
        _set(
            *INTERFACE,
            security_group_ids=['${aws_security_group.security_groups_this["agent_runtime"].id}'],
        ),
        ("endpoints", 'aws_vpc_endpoint.vpc_endpoints_interface["kms"]', "security_group_ids"),
    ),
    "gateway endpoint off the route table": (
        _set(*GATEWAY, route_table_ids=[]),
        ("endpoints", 'aws_vpc_endpoint.vpc_endpoints_gateway["s3"]', "route_table_ids"),
    ),
    "VPC DNS hostnames off": (
        _set("aws_vpc", "network_this", enable_dns_hostnames=False),
        ("endpoints", "aws_vpc.network_this", "enable_dns_hostnames"),
    ),
    "endpoint policy widened": (
        _instance(
            *INTERFACE,
            "secretsmanager",
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
                    ],
                }
            ),
        ),
        (
            "policies",
            'aws_vpc_endpoint.vpc_endpoints_interface["secretsmanager"]',
            "policy.Statement[0]",
        ),
    ),
    "endpoint policy on every resource": (
        _instance(
            *GATEWAY,
            "dynamodb",
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "dynamodb:GetItem",
                            "Resource": "*",
                        }
                    ],
                }
            ),
        ),
        ("policies", 'aws_vpc_endpoint.vpc_endpoints_gateway["dynamodb"]', "policy.Statement[0]"),
    ),
    "endpoint without a policy": (
        _instance(*INTERFACE, "logs", policy=None),
        ("policies", 'aws_vpc_endpoint.vpc_endpoints_interface["logs"]', "policy"),
    ),
    "flow log removed": (
        lambda s: s["resource"].pop("aws_flow_log"),
        ("flow_logs", "aws_vpc.network_this", None),
    ),
    "flow logs kept a week": (
        _set("aws_cloudwatch_log_group", "network_flow_logs", retention_in_days=7),
        ("flow_logs", "aws_cloudwatch_log_group.network_flow_logs", "retention_in_days"),
    ),
    "flow logs unencrypted": (
        lambda s: _resource(s, "aws_cloudwatch_log_group", "network_flow_logs").pop("kms_key_id"),
        ("flow_logs", "aws_cloudwatch_log_group.network_flow_logs", "kms_key_id"),
    ),
    "default group opened": (
        _set(
            "aws_default_security_group", "network_this", ingress=[{"protocol": "-1", "self": True}]
        ),
        ("default_security_group", "aws_default_security_group.network_this", "ingress"),
    ),
    "network ACL open to anywhere": (
        lambda s: _resource(s, "aws_default_network_acl", "network_this")["ingress"].append(
            {
                "rule_no": 900,
                "action": "allow",
                "protocol": "tcp",
                "from_port": 22,
                "to_port": 22,
                "cidr_block": "0.0.0.0/0",
            }
        ),
        ("network_acl", "aws_default_network_acl.network_this", "ingress"),
    ),
    "network ACL left to AWS's default (allow all)": (
        lambda s: s["resource"].pop("aws_default_network_acl"),
        ("network_acl", "aws_default_network_acl", None),
    ),
}


@pytest.mark.parametrize("leak", LEAKS)
def test_an_injected_leak_is_caught_with_its_finding(leak: str, dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    mutate, expected = LEAKS[leak]
    mutate(stack)
    assert expected in _findings(stack)


def test_there_are_at_least_twelve_kinds_of_leak() -> None:
    assert len(LEAKS) >= 12


def _write(path: Path, document: Stack) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_verify_file_exits_0_proven_2_refuted_1_error(
    dev: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proven = commands.run(["verify", "--file", str(_write(tmp_path / "ok.json", dev))])
    assert proven == 0 and "PROVEN" in capsys.readouterr().out
    leaky = copy.deepcopy(dev)
    LEAKS["internet gateway"][0](leaky)
    assert commands.run(["verify", "--file", str(_write(tmp_path / "leak.json", leaky))]) == 2
    out = capsys.readouterr().out
    assert "REFUTED: 1 finding(s)" in out and "[internet] aws_internet_gateway.leak" in out
    assert commands.run(["verify", "--file", str(tmp_path / "missing.json")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_verify_json_lists_findings_and_flows(
    dev: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaky = copy.deepcopy(dev)
    LEAKS["private DNS off"][0](leaky)
    assert (
        commands.run(["verify", "--file", str(_write(tmp_path / "leak.json", leaky)), "--json"])
        == 2
    )
    report = payload(capsys.readouterr().out)
    assert report["proven"] is False
    (source,) = report["inputs"]
    # The endpoint property, then the flow it blocks (ssm serves reads_configuration).
    assert [(f["rule"], f["attribute"], f["flow"]) for f in source["findings"]] == [
        ("endpoints", "private_dns_enabled", None),
        ("reachability", "private_dns", "reads_configuration"),
    ]
    assert len(source["matrix"]) == 8 and source["flows_from"] == "its outputs"
    statuses = {f["flow"]: f["status"] for f in source["flows"]}
    assert statuses.pop("reads_configuration") == "blocked" and set(statuses.values()) == {
        "reachable"
    }


def test_a_prefix_list_id_resolves_to_its_endpoint_whatever_comes_first_in_the_plan() -> None:
    # The HCL root's plan lists module.security_groups before module.vpc_endpoints: a rule's
    # prefix_list_id must still name the gateway endpoint, not the rule that refers to it.
    rule = {
        "mode": "managed",
        "type": "aws_vpc_security_group_egress_rule",
        "address": 'module.sg.rule["x"]',
        "values": {"prefix_list_id": "pl-1", "id": "sgr-1"},
    }
    endpoint = {
        "mode": "managed",
        "type": "aws_vpc_endpoint",
        "address": 'module.vpce.aws_vpc_endpoint.gateway["s3"]',
        "values": {"prefix_list_id": "pl-1", "id": "vpce-1"},
    }
    plan = {
        "planned_values": {"root_module": {"resources": [rule, endpoint]}},
        "resource_changes": [],
    }
    resolved = model_of(plan, "plan").resolve("pl-1")
    assert (resolved.address, resolved.key) == ('module.vpce.aws_vpc_endpoint.gateway["s3"]', "s3")


def test_a_plan_carries_the_configuration_it_was_made_from_and_an_edit_is_refused(
    dev: dict[str, Any],
) -> None:
    import hashlib

    text = json.dumps(dev)
    record = {
        "configuration": text,
        "configuration_sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    plan = {"planned_values": {"root_module": {"resources": []}}, "resource_changes": []}
    assert model_of({**plan, "agentcore_plan": record}, "plan").configuration == dev
    assert model_of(plan, "plan").configuration is None
    edited = {**record, "configuration": text.replace("10.0.0.0/16", "0.0.0.0/0")}
    with pytest.raises(CommandError, match="does not match the hash recorded beside it"):
        model_of({**plan, "agentcore_plan": edited}, "plan")
