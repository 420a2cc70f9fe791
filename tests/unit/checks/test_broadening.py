"""What widens access between two networks: every leak injected into a copy of a synthesized
environment is listed (by kind, where and what), and taking it out again widens nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from modules.checks.verify import model_of
from modules.checks.verify.broadening import Widening, widenings
from tests.conftest import SHIPPED
from tests.unit.checks.test_verify import OPEN_RULE

Stack = dict[str, Any]
Edit = Callable[[Stack], None]


def _widened(before: Stack, after: Stack) -> list[Widening]:
    return widenings(model_of(before, "before"), model_of(after, "after"))


def _edited(stack: Stack, edit: Edit) -> Stack:
    changed = copy.deepcopy(stack)
    edit(changed)
    return changed


@pytest.mark.parametrize("env", [*SHIPPED, "eu", "shared-accounts"])
def test_an_unchanged_network_widens_nothing(env: str, synthesized: dict[str, Stack]) -> None:
    assert _widened(synthesized[env], synthesized[env]) == []


def _retag(stack: Stack) -> None:
    for resources in stack["resource"].values():
        for body in resources.values():
            if isinstance(body.get("tags"), dict):
                body["tags"]["Owner"] = "team-a"


def test_a_tag_change_widens_nothing(dev: Stack) -> None:
    assert _widened(dev, _edited(dev, _retag)) == []


def _endpoint_policy(stack: Stack, key: str) -> dict[str, Any]:
    kind = "gateway" if key in ("s3", "dynamodb") else "interface"
    entry = stack["resource"]["aws_vpc_endpoint"][f"vpc_endpoints_{kind}"]["for_each"][key]
    return dict(json.loads(entry["policy"]))


def _set_policy(stack: Stack, key: str, policy: dict[str, Any] | None) -> None:
    kind = "gateway" if key in ("s3", "dynamodb") else "interface"
    entry = stack["resource"]["aws_vpc_endpoint"][f"vpc_endpoints_{kind}"]["for_each"][key]
    entry["policy"] = None if policy is None else json.dumps(policy)


def _unconditioned(stack: Stack) -> None:
    """InvokeFoundationModels without its aws:PrincipalAccount condition."""
    policy = _endpoint_policy(stack, "bedrock_runtime")
    for statement in policy["Statement"]:
        if statement["Sid"] == "InvokeFoundationModels":
            statement.pop("Condition")
    _set_policy(stack, "bedrock_runtime", policy)


def _any_parameter(stack: Stack) -> None:
    policy = _endpoint_policy(stack, "ssm")
    policy["Statement"][0]["Resource"] = "*"
    _set_policy(stack, "ssm", policy)


def _open_egress(stack: Stack) -> None:
    rules = stack["resource"]["aws_vpc_security_group_egress_rule"]["security_groups_egress"]
    rules["for_each"]["agent_runtime_to_anywhere"] = dict(OPEN_RULE)


def _default_route(stack: Stack) -> None:
    table = stack["resource"]["aws_route_table"]["network_private"]
    table["route"] = [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0123456789abcdef0"}]


def _acl_from_anywhere(stack: Stack) -> None:
    acl = stack["resource"]["aws_default_network_acl"]["network_this"]
    acl.setdefault("ingress", []).append(
        {
            "action": "allow",
            "cidr_block": "0.0.0.0/0",
            "from_port": 22,
            "protocol": "tcp",
            "rule_no": 90,
            "to_port": 22,
        }
    )


def _participant(stack: Stack) -> None:
    stack["output"]["participants"]["value"] = ["111122223333"]


def _scope_any(stack: Stack) -> None:
    stack["output"]["principal_scope"]["value"] = "any"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            _unconditioned,
            [
                (
                    "policy",
                    'aws_vpc_endpoint.vpc_endpoints_interface["bedrock_runtime"]',
                    "statement InvokeFoundationModels allows bedrock:InvokeModel",
                ),
                (
                    "perimeter",
                    'aws_vpc_endpoint.vpc_endpoints_interface["bedrock_runtime"]',
                    "a role of another account can bedrock:InvokeModel",
                ),
            ],
        ),
        (
            lambda s: _set_policy(s, "ecr_api", None),
            [
                (
                    "policy",
                    'aws_vpc_endpoint.vpc_endpoints_interface["ecr_api"]',
                    "policy removed: AWS's default endpoint policy allows every action",
                ),
                (
                    "perimeter",
                    'aws_vpc_endpoint.vpc_endpoints_interface["ecr_api"]',
                    "a role of another account can ecr:GetAuthorizationToken",
                ),
            ],
        ),
        (
            _any_parameter,
            [
                (
                    "policy",
                    'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]',
                    "statement ReadParameters allows ssm:GetParameter",
                ),
                (
                    "perimeter",
                    'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]',
                    "a role of this account can ssm:GetParameter, ssm:GetParameters, "
                    "ssm:GetParametersByPath on another account's resources",
                ),
            ],
        ),
        (
            _open_egress,
            [
                (
                    "rule",
                    'aws_vpc_security_group_egress_rule.security_groups_egress["agent_runtime_to_'
                    'anywhere"]',
                    "agent_runtime: egress tcp/443 to 0.0.0.0/0",
                ),
                (
                    "internet",
                    'aws_vpc_security_group_egress_rule.security_groups_egress["agent_runtime_to_'
                    'anywhere"]',
                    "open to 0.0.0.0/0",
                ),
            ],
        ),
        (
            _default_route,
            [
                (
                    "route",
                    "aws_route_table.network_private",
                    "0.0.0.0/0 via gateway_id igw-0123456789abcdef0 (subnets agent_runtime, data, "
                    "mcp_runtime)",
                ),
                ("internet", "aws_route_table.network_private", "a default route leads out"),
            ],
        ),
        (
            _acl_from_anywhere,
            [
                (
                    "acl",
                    "aws_default_network_acl.network_this",
                    "rule 90 allows ingress tcp/22 from 0.0.0.0/0 (subnets agent_runtime, data, "
                    "mcp_runtime)",
                )
            ],
        ),
        (_scope_any, [("sharing", None, "principal_scope account -> any")]),
    ],
    ids=[
        "a-condition-dropped",
        "a-policy-removed",
        "a-resource-widened",
        "an-open-egress-rule",
        "a-default-route",
        "an-acl-entry",
        "a-wider-principal-scope",
    ],
)
def test_a_change_that_widens_access_is_listed_and_its_undoing_is_not(
    dev: Stack, edit: Edit, expected: list[tuple[str, str | None, str]]
) -> None:
    widened = _edited(dev, edit)
    found = _widened(dev, widened)
    for kind, address, words in expected:
        assert any(w.kind == kind and w.address == address and words in w.change for w in found), (
            kind,
            address,
            words,
            found,
        )
    assert {w.kind for w in found} == {kind for kind, _, _ in expected}, found
    assert _widened(widened, dev) == []


def test_a_participant_is_listed(dev: Stack) -> None:
    found = _widened(dev, _edited(dev, _participant))
    assert (
        Widening(
            "sharing",
            None,
            "participant 111122223333: its workloads use the subnets, and its roles pass the "
            "identity perimeter",
        )
        in found
    )


def _without_ssm(stack: Stack) -> None:
    del stack["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]["for_each"]["ssm"]


def test_an_endpoint_added_is_listed_with_the_flows_it_lets_through(dev: Stack) -> None:
    found = _widened(_edited(dev, _without_ssm), dev)
    assert (
        Widening(
            "endpoint",
            'aws_vpc_endpoint.vpc_endpoints_interface["ssm"]',
            "ssm added: ssm is reachable through subnets agent_runtime, data, mcp_runtime; "
            "security groups vpc_endpoints",
        )
        in found
    )
    assert (
        Widening(
            "flow",
            None,
            "flow reads_configuration gets through: Workloads read their configuration",
        )
        in found
    )
    assert {w.kind for w in found} == {"endpoint", "flow", "policy"}, found


def test_a_first_deploy_lists_every_flow_and_every_endpoint(dev: Stack) -> None:
    nothing: Stack = {"resource": {}, "output": {}}
    found = _widened(nothing, dev)
    flows = {w.change.split()[1] for w in found if w.kind == "flow"}
    assert flows == set(dev["output"]["flows"]["value"])
    endpoints = [w for w in found if w.kind == "endpoint"]
    assert len(endpoints) == 14
