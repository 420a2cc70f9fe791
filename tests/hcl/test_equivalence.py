"""Each synthesized environment equals the HCL twins with the same tfvars (python-hcl2)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from modules.stack.environment import PROJECT_ROOT, merge_layers, read_layers
from tests.conftest import FIXTURE_ENVIRONMENTS, SHIPPED
from tests.hcl.compare import Module, compare, load_twins

ENVIRONMENTS = {name: PROJECT_ROOT / "environments" / f"{name}.tfvars" for name in SHIPPED}
ENVIRONMENTS.update({p.stem: p for p in FIXTURE_ENVIRONMENTS.glob("*.tfvars")})


def _tfvars(env: str) -> dict[str, Any]:
    """The environment's variables as Terraform reads them: every layer, base first."""
    path = ENVIRONMENTS[env]
    return merge_layers(read_layers(path, path.parent))[0]


@pytest.fixture(scope="module")
def twins() -> tuple[Module, dict[str, Module]]:
    return load_twins()


@pytest.mark.parametrize("env", sorted(ENVIRONMENTS))
def test_stack_and_twins_are_the_same_infrastructure(
    env: str, synthesized: dict[str, dict[str, Any]], twins: tuple[Module, dict[str, Module]]
) -> None:
    assert compare(synthesized[env], _tfvars(env), *twins) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda m: (
                m["network"]
                .blocks[("managed", "aws_vpc", "this")]
                .update(enable_dns_hostnames=False)
            ),
            "network.aws_vpc.this: enable_dns_hostnames: stack True != HCL False",
        ),
        (
            lambda m: (
                m["network"]
                .blocks[("managed", "aws_flow_log", "this")]
                .update(traffic_type="REJECT")
            ),
            "network.aws_flow_log.this: traffic_type: stack 'ALL' != HCL 'REJECT'",
        ),
        (
            lambda m: m["network"].blocks[("managed", "aws_route_table", "private")].pop("route"),
            "network.aws_route_table.private: attribute route only in the stack",
        ),
        (
            lambda m: (
                m["security_groups"]
                .blocks[("managed", "aws_security_group", "this")]
                .update(lifecycle=[{}])
            ),
            "security_groups.aws_security_group.this: lifecycle",
        ),
        (
            lambda m: m["vpc_endpoints"].blocks.pop(("managed", "aws_vpc_endpoint", "gateway")),
            "vpc_endpoints.aws_vpc_endpoint.gateway: only in the stack",
        ),
        (
            lambda m: (
                m["network"].blocks[("managed", "aws_flow_log", "this")].update(depends_on=[])
            ),
            "network.aws_flow_log.this: references",
        ),
        (
            lambda m: m["network"].locals.update(log_group_name="/aws/flow-logs/${var.name}"),
            "network.aws_cloudwatch_log_group.flow_logs: name: stack "
            "'/aws/vpc-flow-logs/agentcore-dev' != HCL '/aws/flow-logs/agentcore-dev'",
        ),
    ],
    ids=["literal", "variable", "attribute", "lifecycle", "resource", "dependency", "local"],
)
def test_a_divergent_twin_is_caught_and_named(
    mutate,
    expected: str,
    synthesized: dict[str, dict[str, Any]],
    twins: tuple[Module, dict[str, Module]],
) -> None:
    root, modules = copy.deepcopy(twins)
    mutate(modules)
    differences = compare(synthesized["dev"], _tfvars("dev"), root, modules)
    assert any(d.startswith(expected) for d in differences), differences


def test_a_divergent_stack_is_caught_and_named(
    synthesized: dict[str, dict[str, Any]], twins: tuple[Module, dict[str, Module]]
) -> None:
    stack = copy.deepcopy(synthesized["dev"])
    stack["resource"]["aws_cloudwatch_log_group"]["network_flow_logs"]["retention_in_days"] = 7
    differences = compare(stack, _tfvars("dev"), *twins)
    assert differences == [
        "network.aws_cloudwatch_log_group.flow_logs: retention_in_days: stack 7 != HCL 365"
    ]


def test_the_destroy_guard_covers_exactly_what_the_stack_protects(
    synthesized: dict[str, dict[str, Any]], twins: tuple[Module, dict[str, Module]]
) -> None:
    root, modules = copy.deepcopy(twins)
    protected = modules["network"].locals["protected"]
    modules["network"].locals["protected"] = protected.replace(
        "kms_key = aws_kms_key.flow_logs.arn, ", ""
    )
    assert modules["network"].locals["protected"] != protected
    differences = compare(synthesized["prod"], _tfvars("prod"), root, modules)
    assert any(d.startswith("network.terraform_data.destroy_guard: guards") for d in differences), (
        differences
    )
