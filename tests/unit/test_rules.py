"""Security group rules as data: the seed's groups and exactly its rules."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.security_groups.rules import RULES_PATH, RulesError, load_rules, rule_set


def test_the_four_groups_of_the_seed() -> None:
    assert set(rule_set().groups) == {"vpc_endpoints", "agent_runtime", "mcp_runtime", "gateway_lambda"}


def test_exactly_the_rules_of_the_seed() -> None:
    rules = {(r.group, r.direction, r.port, r.peer_kind, r.peer) for r in rule_set().rules.values()}
    assert rules == {
        ("vpc_endpoints", "ingress", 443, "cidr", "vpc"),
        ("agent_runtime", "egress", 443, "security_group", "vpc_endpoints"),
        ("mcp_runtime", "egress", 443, "security_group", "vpc_endpoints"),
        ("mcp_runtime", "egress", 443, "prefix_list", "dynamodb"),
        ("gateway_lambda", "egress", 443, "security_group", "vpc_endpoints"),
        ("gateway_lambda", "egress", 443, "prefix_list", "dynamodb"),
    }


def test_every_rule_has_a_description() -> None:
    assert all(r.description for r in rule_set().rules.values())


def test_prefix_lists_needed_by_rules() -> None:
    assert rule_set().prefix_lists_needed() == {
        "dynamodb": ["gateway_lambda_to_dynamodb", "mcp_runtime_to_dynamodb"]
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
