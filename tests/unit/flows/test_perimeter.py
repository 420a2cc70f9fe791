"""The data perimeter: verify presents every signer and owner AWS will, refutes a policy that
blocks any of them, and lists what a stranger (foreign credentials, foreign resources) can still
do, naming what it breaks."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from modules.checks.verify import model_of, verification
from modules.facts.facts import shipped
from modules.flows.policies import Perimeter, statement
from tests.conftest import SHIPPED

Stack = dict[str, Any]
INTERFACE = ("aws_vpc_endpoint", "vpc_endpoints_interface")
GATEWAY = ("aws_vpc_endpoint", "vpc_endpoints_gateway")
#: The account id token of the synthesized endpoint policies.
ACCOUNT = "${data.aws_caller_identity.vpc_endpoints_current.account_id}"
PROVEN_ENVIRONMENTS = [*SHIPPED, "eu", "shared", "shared-accounts"]


def _policy(stack: Stack, kind: tuple[str, str], key: str) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = json.loads(
        stack["resource"][kind[0]][kind[1]]["for_each"][key]["policy"]
    )["Statement"]
    return statements


def _change(
    stack: Stack, kind: tuple[str, str], key: str, sid: str, change: Callable[[dict[str, Any]], Any]
) -> None:
    instance = stack["resource"][kind[0]][kind[1]]["for_each"][key]
    document = json.loads(instance["policy"])
    change(next(s for s in document["Statement"] if s["Sid"] == sid))
    instance["policy"] = json.dumps(document)


@pytest.mark.parametrize("env", PROVEN_ENVIRONMENTS)
def test_every_environment_is_proven_for_every_signer_and_owner(
    env: str, synthesized: dict[str, Stack]
) -> None:
    checked = verification(model_of(synthesized[env], env))
    assert [(f.rule, f.address, f.problem) for f in checked.findings] == []
    assert {r.flow.key for r in checked.results if r.status == "reachable"} == set(
        synthesized[env]["output"]["flows"]["value"]
    )


@pytest.mark.parametrize("env", [e for e in PROVEN_ENVIRONMENTS if e != "eu"])
def test_foreign_credentials_are_refused_for_every_call_only_the_workloads_sign(
    env: str, synthesized: dict[str, Stack]
) -> None:
    """The identity perimeter is on by default: what a stranger can still do is only what AWS's
    design leaves open (OAuth callers, presigned URLs), each said with why."""
    checked = verification(model_of(synthesized[env], env))
    only_ours = {
        c.sid
        for key in checked.view.flows
        for c in shipped().flows.flows[key].calls
        if set(c.signers) == {"workload"}
    }
    assert only_ours
    assert not [a for a in checked.strangers if a.sid in only_ours]
    assert all(a.expected and a.why for a in checked.strangers)
    assert {a.sid for a in checked.strangers} <= {
        "InvokeRuntimesOfThisAccount",
        "InvokeGatewaysOfThisAccount",
        "EcrImageLayers",
        "CloudFormationResponses",
    }


def test_the_default_network_lists_exactly_what_a_stranger_can_still_do(
    dev: Stack,
) -> None:
    checked = verification(model_of(dev, "dev"))
    assert sorted((a.endpoint, a.sid, a.who) for a in checked.strangers) == [
        ("bedrock_agentcore", "InvokeRuntimesOfThisAccount", "a role of another account"),
        ("bedrock_agentcore", "InvokeRuntimesOfThisAccount", "an OAuth caller"),
        ("bedrock_agentcore_gateway", "InvokeGatewaysOfThisAccount", "a role of another account"),
        ("bedrock_agentcore_gateway", "InvokeGatewaysOfThisAccount", "an OAuth caller"),
        ("s3", "EcrImageLayers", "a presigned URL an AWS service's account signed"),
    ]
    # Only this account's runtimes and gateways: never another account's.
    assert {a.on for a in checked.strangers if a.sid.startswith("Invoke")} == {
        "this account's resources"
    }


def test_without_an_identity_perimeter_verify_lists_every_opening_and_says_so(
    synthesized: dict[str, Stack],
) -> None:
    checked = verification(model_of(synthesized["eu"], "eu"))
    assert checked.view.principal_scope == "any" and checked.findings == []
    opened = {a.sid for a in checked.strangers if "off by configuration" in a.why}
    assert {"AgentCoreMetrics", "RuntimeLogEvents"} - opened == {"AgentCoreMetrics"}
    assert {"EcrAuthorizationToken", "RuntimeLogEvents", "ReadTables"} <= opened


def _blocked(stack: Stack) -> list[tuple[str | None, str]]:
    return [
        (f.flow, f.problem)
        for f in verification(model_of(stack, "test")).findings
        if f.rule == "reachability"
    ]


def _with_managed_browser(stack: Stack) -> None:
    """dev with the AWS-managed Browser's flow selected, as the stack would generate it."""
    call = shipped().flows.flows["agent_uses_aws_browser"].calls[0]
    generated = json.dumps(statement(call, (), Perimeter())).replace("${account_id}", ACCOUNT)
    generated = generated.replace("${partition}", "aws").replace("${region}", "us-west-2")
    instance = stack["resource"][INTERFACE[0]][INTERFACE[1]]["for_each"]["bedrock_agentcore"]
    document = json.loads(instance["policy"])
    document["Statement"].append(json.loads(generated))
    instance["policy"] = json.dumps(document)
    stack["output"]["flows"]["value"] = sorted(
        [*stack["output"]["flows"]["value"], "agent_uses_aws_browser"]
    )


def _require(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def add(s: dict[str, Any]) -> None:
        s.setdefault("Condition", {}).setdefault("StringEquals", {})[key] = value

    return add


# exception -> (mutation of dev, the flow it must block, what the finding must name)
EXCEPTIONS: dict[str, tuple[Callable[[Stack], None], str, list[str]]] = {
    "presigned layers scoped to this account": (
        lambda s: _change(
            s, GATEWAY, "s3", "EcrImageLayers", _require("aws:PrincipalAccount", ACCOUNT)
        ),
        "container_pulls_from_ecr",
        ["a presigned URL an AWS service's account signed", "aws:PrincipalAccount"],
    ),
    "an AWS-owned tool scoped to this account's resources": (
        lambda s: (
            _with_managed_browser(s),
            _change(
                s,
                INTERFACE,
                "bedrock_agentcore",
                "ManagedBrowserSessions",
                _require("aws:ResourceAccount", ACCOUNT),
            ),
        ),
        "agent_uses_aws_browser",
        ["on AWS's resources", "aws:ResourceAccount"],
    ),
    "OAuth callers scoped to this account's principals": (
        lambda s: _change(
            s,
            INTERFACE,
            "bedrock_agentcore",
            "InvokeRuntimesOfThisAccount",
            _require("aws:PrincipalAccount", ACCOUNT),
        ),
        "agent_invokes_mcp_runtime",
        ["by an OAuth caller", "aws:PrincipalAccount"],
    ),
}


@pytest.mark.parametrize("name", EXCEPTIONS)
def test_a_policy_that_blocks_an_exception_refutes_naming_it(name: str, dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    mutate, flow, named = EXCEPTIONS[name]
    mutate(stack)
    problems = [problem for blocked, problem in _blocked(stack) if blocked == flow]
    assert problems, _blocked(stack)
    for words in named:
        assert words in problems[0]


def test_the_managed_browser_is_proven_and_said_to_reach_beyond_the_network(dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    _with_managed_browser(stack)
    checked = verification(model_of(stack, "test"))
    assert checked.findings == []
    from modules.checks.verify.claims import beyond_network, proven_sentence

    assert [flow for flow, _ in beyond_network(checked)] == ["agent_uses_aws_browser"]
    assert "beyond the network: agent_uses_aws_browser" in proven_sentence(checked)
    assert "public network mode" in beyond_network(checked)[0][1]


def _perimeter_findings(stack: Stack) -> list[str]:
    return [
        f"{f.attribute}: {f.problem}"
        for f in verification(model_of(stack, "test")).findings
        if f.rule == "perimeter"
    ]


def test_a_statement_open_to_foreign_resources_refutes_naming_the_resource_perimeter(
    dev: Stack,
) -> None:
    stack = copy.deepcopy(dev)
    _change(
        stack,
        INTERFACE,
        "logs",
        "RuntimeLogEvents",
        lambda s: s.update(Resource=[r.replace(ACCOUNT, "*") for r in s["Resource"]]),
    )
    (finding,) = _perimeter_findings(stack)
    assert finding.startswith("RuntimeLogEvents: the resource perimeter is missing")
    assert "by a role of this account, on another account's resources" in finding


def test_a_statement_open_to_foreign_credentials_refutes_naming_the_identity_perimeter(
    dev: Stack,
) -> None:
    stack = copy.deepcopy(dev)
    _change(
        stack,
        INTERFACE,
        "monitoring",
        "AgentCoreMetrics",
        lambda s: s["Condition"]["StringEquals"].pop("aws:PrincipalAccount"),
    )
    findings = _perimeter_findings(stack)
    assert findings and all(
        f.startswith("AgentCoreMetrics: the identity perimeter") for f in findings
    )
    assert "cloudwatch:PutMetricData by a role of another account" in findings[0]


def test_a_participants_resources_are_refused_to_a_stranger(synthesized: dict[str, Stack]) -> None:
    """With participants the ARNs name any account: aws:ResourceAccount keeps them to ours."""
    stack = copy.deepcopy(synthesized["shared-accounts"])
    _change(
        stack,
        INTERFACE,
        "logs",
        "RuntimeLogEvents",
        lambda s: s["Condition"]["StringEquals"].pop("aws:ResourceAccount"),
    )
    (finding,) = _perimeter_findings(stack)
    assert "resource perimeter is missing" in finding
