"""Security group rules as data: the AWS sample's groups and every rule they may carry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.facts.facts import shipped
from modules.facts.rules import RULES_PATH, RulesError, load_rules
from modules.flows.policies import groups_in_use, rules_in_use


def test_the_four_groups_of_the_seed_and_the_opt_in_data_tier() -> None:
    assert set(shipped().rules.groups) == {
        "vpc_endpoints",
        "agent_runtime",
        "mcp_runtime",
        "gateway_lambda",
        "data_tier",
    }
    assert "data_tier" not in groups_in_use(shipped().flows.defaults(), shipped())
    assert "data_tier" in groups_in_use(("agent_queries_database",), shipped())


def test_the_seeds_rules_and_s3_for_the_image_layers() -> None:
    rules = {
        (r.group, r.direction, r.port, r.peer_kind, r.peer) for r in shipped().rules.rules.values()
    }
    assert rules == {
        ("vpc_endpoints", "ingress", 443, "cidr", "vpc"),
        ("vpc_endpoints", "ingress", 443, "security_group", "agent_runtime"),
        ("vpc_endpoints", "ingress", 443, "security_group", "mcp_runtime"),
        ("vpc_endpoints", "ingress", 443, "security_group", "gateway_lambda"),
        ("agent_runtime", "egress", 443, "security_group", "vpc_endpoints"),
        ("agent_runtime", "egress", 443, "prefix_list", "s3"),
        ("mcp_runtime", "egress", 443, "security_group", "vpc_endpoints"),
        ("mcp_runtime", "egress", 443, "prefix_list", "dynamodb"),
        ("mcp_runtime", "egress", 443, "prefix_list", "s3"),
        ("gateway_lambda", "egress", 443, "security_group", "vpc_endpoints"),
        ("gateway_lambda", "egress", 443, "prefix_list", "dynamodb"),
        ("gateway_lambda", "egress", 443, "prefix_list", "s3"),
        # The opt-in data tier: PostgreSQL, not the sample's 3306 (help/sources.md#aws-sample).
        ("data_tier", "ingress", 5432, "security_group", "agent_runtime"),
        ("data_tier", "ingress", 5432, "security_group", "mcp_runtime"),
        ("data_tier", "ingress", 5432, "security_group", "gateway_lambda"),
        ("agent_runtime", "egress", 5432, "security_group", "data_tier"),
        ("mcp_runtime", "egress", 5432, "security_group", "data_tier"),
        ("gateway_lambda", "egress", 5432, "security_group", "data_tier"),
    }


def test_every_rule_has_a_description() -> None:
    assert all(r.description for r in shipped().rules.rules.values())


def test_the_default_flows_use_every_rule_but_the_lambdas_s3() -> None:
    # The gateway Lambda reaches S3 only for CloudFormation responses, an opt-in flow.
    unused = set(shipped().rules.rules) - set(
        rules_in_use(shipped().flows.defaults(), "vpc", shipped())
    )
    assert unused == (
        {"gateway_lambda_to_s3"}
        | {
            k
            for k in shipped().rules.rules
            if k.startswith("vpc_endpoints_https_from_") and k != "vpc_endpoints_https_from_vpc"
        }
        | {k for k, r in shipped().rules.rules.items() if "data_tier" in (r.group, r.peer)}
    )
    workloads = set(rules_in_use(shipped().flows.defaults(), "workloads", shipped()))
    assert (
        "vpc_endpoints_https_from_vpc" not in workloads
        and "vpc_endpoints_https_from_mcp_runtime" in workloads
    )
    assert "gateway_lambda_to_s3" in rules_in_use(("cloudformation_responses",), "vpc", shipped())


def test_the_data_tier_admits_postgres_only_from_the_workloads_whose_flows_query_it() -> None:
    agent = rules_in_use(("agent_queries_database",), "vpc", shipped())
    assert {k for k in agent if "data_tier" in k} == {
        "agent_runtime_to_data_tier",
        "data_tier_postgres_from_agent_runtime",
    }
    tools = rules_in_use(("tools_query_database",), "vpc", shipped())
    assert {k for k in tools if "data_tier" in k} == {
        "mcp_runtime_to_data_tier",
        "gateway_lambda_to_data_tier",
        "data_tier_postgres_from_mcp_runtime",
        "data_tier_postgres_from_gateway_lambda",
    }


def test_egress_follows_the_flows() -> None:
    assert set(rules_in_use(("agent_calls_bedrock",), "vpc", shipped())) == {
        "vpc_endpoints_https_from_vpc",
        "agent_runtime_to_vpc_endpoints",
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cidr": "0.0.0.0/0"}, "the only CIDR peer is 'vpc'"),
        ({"cidr": "vpc", "security_group": "agent_runtime"}, "exactly one peer"),
        ({"group": "database"}, "group must be one of"),
        ({"port": 70000}, "port must be a TCP port"),
        ({"description": ""}, "every rule has a description"),
        ({"direction": "sideways"}, "direction must be ingress or egress"),
    ],
)
def test_malformed_rules_are_refused(tmp_path: Path, changes: dict, message: str) -> None:
    raw = json.loads(RULES_PATH.read_text())
    raw["rules"]["vpc_endpoints_https_from_vpc"].update(changes)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(RulesError, match=message):
        load_rules(path)
