"""Subnet sharing: what an environment may share, what the stack synthesizes, what verify proves."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from modules.checks.verify import flow_results, model_of, verify_model
from modules.kernel.errors import ConfigError
from modules.stack.environment import load_environment
from modules.subnet_sharing.config import SubnetSharingConfig
from tests import tfvars
from tests.conftest import FIXTURE_ENVIRONMENTS, resources

Stack = dict[str, Any]
DEV = tfvars.shipped("dev")
OU = "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-a1b2-f6g7h8i9"
#: The account id token of the synthesized endpoint policies.
ACCOUNT_TOKEN = "${data.aws_caller_identity.vpc_endpoints_current.account_id}"


def test_the_shared_fixture_shares_the_runtime_roles_with_two_accounts() -> None:
    env = load_environment("shared", FIXTURE_ENVIRONMENTS)
    assert env.shared_roles == ("agent_runtime", "mcp_runtime")
    assert env.shared_subnets == {
        "agent_runtime": "agent_runtime",
        "agent_runtime_b": "agent_runtime",
        "mcp_runtime": "mcp_runtime",
        "mcp_runtime_a": "mcp_runtime",
    }
    assert env.subnet_sharing == SubnetSharingConfig(
        name="agentcore-shared", principals=("111122223333", "444455556666")
    )
    assert env.workloads == 6
    assert any("AgentCore Runtime accepts subnets shared" in w for w in env.warnings)


def test_the_stack_shares_those_subnets_and_nothing_else(synthesized: dict[str, Stack]) -> None:
    stack = synthesized["shared"]
    share = resources(stack, "aws_ram_resource_share")["subnet_sharing_this"]
    assert share["name"] == "agentcore-shared-subnets"
    assert share["allow_external_principals"] is False
    association = resources(stack, "aws_ram_resource_association")["subnet_sharing_subnet"]
    assert sorted(association["for_each"]) == [
        "agent_runtime",
        "agent_runtime_b",
        "mcp_runtime",
        "mcp_runtime_a",
    ]
    assert association["for_each"]["agent_runtime"]["arn"] == (
        '${aws_subnet.network_private["agent_runtime"].arn}'
    )
    principals = resources(stack, "aws_ram_principal_association")["subnet_sharing_principal"]
    assert sorted(principals["for_each"]) == ["111122223333", "444455556666"]
    outputs = stack["output"]
    assert (
        outputs["subnet_share_arn"]["value"] == "${aws_ram_resource_share.subnet_sharing_this.arn}"
    )
    assert outputs["shared_subnet_ids"]["value"]["mcp_runtime"] == [
        '${aws_subnet.network_private["mcp_runtime"].id}',
        '${aws_subnet.network_private["mcp_runtime_a"].id}',
    ]
    assert "aws_ram_resource_share" not in synthesized["dev"]["resource"]
    assert synthesized["dev"]["output"]["subnet_share_arn"]["value"] == ""


def test_verify_proves_the_shared_network(synthesized: dict[str, Stack]) -> None:
    assert verify_model(model_of(synthesized["shared"], "shared")) == []


def _findings(stack: Stack) -> list[tuple[str, str, str | None]]:
    return [
        (f.rule, f.address, f.attribute)
        for f in verify_model(model_of(stack, "test"))
        if f.rule == "subnet_sharing"
    ]


def test_verify_refutes_a_share_of_anything_but_the_networks_subnets(
    synthesized: dict[str, Stack],
) -> None:
    stack = copy.deepcopy(synthesized["shared"])
    association = stack["resource"]["aws_ram_resource_association"]["subnet_sharing_subnet"]
    association["for_each"]["agent_runtime"]["arn"] = (
        "arn:aws:ec2:us-west-2:123456789012:transit-gateway/tgw-0123456789abcdef0"
    )
    assert _findings(stack) == [
        (
            "subnet_sharing",
            'aws_ram_resource_association.subnet_sharing_subnet["agent_runtime"]',
            "resource_arn",
        )
    ]


def test_verify_refutes_endpoints_that_participants_cannot_reach(
    synthesized: dict[str, Stack],
) -> None:
    stack = copy.deepcopy(synthesized["shared"])
    stack["output"]["endpoint_ingress"]["value"] = "workloads"
    assert _findings(stack) == [("subnet_sharing", "output.endpoint_ingress", None)]


@pytest.mark.parametrize("env", ["shared", "shared-accounts"])
def test_verify_proves_every_participant_on_its_own_resources(
    env: str, synthesized: dict[str, Stack]
) -> None:
    results = flow_results(model_of(synthesized[env], env))
    (logs,) = [r for r in results if r.flow.key == "runtime_logs"]
    policy = " ".join(h.detail for h in logs.hops if h.kind == "policy")
    for participant in ("111122223333", "444455556666"):
        assert f"a role of participant {participant}, on its own resources" in policy
    assert {r.flow.key: r.status for r in results if r.status != "reachable"} == {}


def test_verify_refutes_arns_pinned_to_the_owner_when_participants_need_their_own(
    synthesized: dict[str, Stack],
) -> None:
    stack = copy.deepcopy(synthesized["shared-accounts"])
    endpoints = stack["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]["for_each"]
    policy = json.loads(endpoints["logs"]["policy"])
    for statement in policy["Statement"]:
        statement["Resource"] = [
            r.replace(":*:log-group", f":{ACCOUNT_TOKEN}:log-group") for r in statement["Resource"]
        ]
    endpoints["logs"]["policy"] = json.dumps(policy)
    (blocked,) = [f for f in verify_model(model_of(stack, "test")) if f.rule == "reachability"]
    assert blocked.flow == "runtime_logs" and blocked.attribute == "policy"
    assert "by a role of participant 111122223333, on its own resources" in blocked.problem


@pytest.mark.parametrize(
    ("sharing", "others", "message"),
    [
        ({"principals": []}, {}, "subnet_sharing.principals: no principal to share with"),
        (
            {"principals": [OU.replace("ou-a1b2", "ou")]},
            {},
            "subnet_sharing.principals[0]: not an account id, organization ARN or OU ARN",
        ),
        (
            {"principals": ["111122223333", "111122223333"]},
            {},
            "subnet_sharing.principals: a principal is listed twice",
        ),
        ({"principals": ["111122223333"], "roles": []}, {}, "subnet_sharing.roles: no subnet role"),
        (
            {"principals": ["111122223333"], "roles": ["tools"]},
            {},
            "subnet_sharing.roles: no subnet has this role; got 'tools'. Use one of agent_runtime, "
            "data, mcp_runtime.",
        ),
        (
            {"principals": ["111122223333"]},
            {"subnets": {"db": {"cidr": "10.0.4.0/24", "az": "us-west-2b"}}},
            "subnet_sharing.roles: no subnet has a runtime role to share by default",
        ),
        (
            {"principals": ["111122223333"], "workloads": 0},
            {},
            "subnet_sharing.workloads: must be 1 or more",
        ),
        ({"principal": ["111122223333"]}, {}, "subnet_sharing: unknown keys ['principal']"),
        (
            {"principals": [OU]},
            {"principal_scope": "account"},
            "principal_scope: participant arn:aws:organizations::",
        ),
        (
            {"principals": ["111122223333"]},
            {"endpoint_ingress": "workloads"},
            "endpoint_ingress: participants' workloads carry their own security groups",
        ),
    ],
)
def test_a_share_that_could_not_work_is_refused_naming_the_setting(
    sharing: dict[str, Any], others: dict[str, Any], message: str, tmp_path: Path
) -> None:
    values = {**DEV, **others, "subnet_sharing": sharing}
    if "subnets" in others:
        values.pop("endpoints")
    tfvars.write(tmp_path, "refused", values)
    with pytest.raises(ConfigError) as raised:
        load_environment("refused", tmp_path)
    assert f"refused.tfvars: {message}" in str(raised.value)
