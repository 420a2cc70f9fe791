"""verify proves every selected flow end to end, and names the flow and the hop of any break."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modules.checks.verify import flow_results, model_of, verify_model
from modules.cli import commands
from modules.facts.facts import shipped
from modules.flows.proof import HOP_KINDS
from tests.conftest import SHIPPED

Stack = dict[str, Any]
INTERFACE = ("aws_vpc_endpoint", "vpc_endpoints_interface")
GATEWAY = ("aws_vpc_endpoint", "vpc_endpoints_gateway")
EGRESS = ("aws_vpc_security_group_egress_rule", "security_groups_egress")
INGRESS = ("aws_vpc_security_group_ingress_rule", "security_groups_ingress")
ACL = ("aws_default_network_acl", "network_this")
#: The account id token of the synthesized endpoint policies.
ACCOUNT = "${data.aws_caller_identity.vpc_endpoints_current.account_id}"


@pytest.mark.parametrize("env", [*SHIPPED, "eu"])
def test_every_selected_flow_is_reachable_on_every_environment(
    env: str, synthesized: dict[str, Stack]
) -> None:
    results = flow_results(model_of(synthesized[env], env))
    assert [r.flow.key for r in results] == sorted(synthesized[env]["output"]["flows"]["value"])
    assert {r.flow.key: r.status for r in results if r.status != "reachable"} == {}


def test_the_shipped_environments_serve_the_default_flows(synthesized: dict[str, Stack]) -> None:
    for env in SHIPPED:
        assert tuple(synthesized[env]["output"]["flows"]["value"]) == shipped().flows.defaults()


def _for_each(stack: Stack, kind: tuple[str, str]) -> dict[str, Any]:
    return dict(stack["resource"][kind[0]][kind[1]]["for_each"])


def _policy(
    stack: Stack, kind: tuple[str, str], key: str, change: Callable[[list[dict[str, Any]]], None]
) -> None:
    instance = stack["resource"][kind[0]][kind[1]]["for_each"][key]
    document = json.loads(instance["policy"])
    change(document["Statement"])
    instance["policy"] = json.dumps(document)


def _statement(statements: list[dict[str, Any]], sid: str) -> dict[str, Any]:
    return next(s for s in statements if s["Sid"] == sid)


def _set(kind: tuple[str, str], **values: Any) -> Callable[[Stack], None]:
    return lambda s: s["resource"][kind[0]][kind[1]].update(values)


DENY_ORG = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "*",
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}},
}

# break -> (mutation of dev's cdk.tf.json, (flow, hop) it must block)
BREAKS: dict[str, tuple[Callable[[Stack], None], tuple[str, str]]] = {
    "VPC DNS support off": (
        _set(("aws_vpc", "network_this"), enable_dns_support=False),
        ("mcp_queries_dynamodb", "vpc_dns"),
    ),
    "VPC DNS hostnames off": (
        _set(("aws_vpc", "network_this"), enable_dns_hostnames=False),
        ("agent_calls_bedrock", "vpc_dns"),
    ),
    "s3 endpoint removed": (
        lambda s: s["resource"]["aws_vpc_endpoint"]["vpc_endpoints_gateway"]["for_each"].pop("s3"),
        ("container_pulls_from_ecr", "endpoint"),
    ),
    "telemetry endpoint removed": (
        lambda s: s["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]["for_each"].pop(
            "xray"
        ),
        ("runtime_traces", "endpoint"),
    ),
    "private DNS off": (
        lambda s: s["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]["for_each"][
            "ecr_dkr"
        ].update(private_dns=False),
        ("container_pulls_from_ecr", "private_dns"),
    ),
    "gateway endpoint off the route table": (
        _set(GATEWAY, route_table_ids=[]),
        ("mcp_queries_dynamodb", "route"),
    ),
    "subnets on another route table": (
        lambda s: s["resource"]["aws_route_table_association"]["network_private"].update(
            route_table_id="${aws_route_table.other.id}"
        ),
        ("mcp_queries_dynamodb", "route"),
    ),
    "no S3 egress for the agent (the shipped defect)": (
        lambda s: s["resource"][EGRESS[0]][EGRESS[1]]["for_each"].pop("agent_runtime_to_s3"),
        ("container_pulls_from_ecr", "egress"),
    ),
    "no egress to the endpoints": (
        lambda s: s["resource"][EGRESS[0]][EGRESS[1]]["for_each"].pop(
            "agent_runtime_to_vpc_endpoints"
        ),
        ("agent_calls_bedrock", "egress"),
    ),
    "endpoints admit nothing": (
        lambda s: s["resource"][INGRESS[0]].pop(INGRESS[1]),
        ("agent_calls_bedrock", "ingress"),
    ),
    "network ACL without the gateway services (stateless: S3 replies dropped)": (
        lambda s: s["resource"][ACL[0]][ACL[1]].pop("dynamic"),
        ("container_pulls_from_ecr", "nacl"),
    ),
    "network ACL denies the VPC before allowing it": (
        lambda s: s["resource"][ACL[0]][ACL[1]]["ingress"].insert(
            0,
            {
                "rule_no": 50,
                "action": "deny",
                "protocol": "tcp",
                "from_port": 443,
                "to_port": 443,
                "cidr_block": "${aws_vpc.network_this.cidr_block}",
            },
        ),
        ("agent_calls_bedrock", "nacl"),
    ),
    "policy: action missing (no OTLP spans)": (
        lambda s: _policy(s, INTERFACE, "xray", lambda st: st.remove(_statement(st, "OtlpSpans"))),
        ("runtime_traces", "policy"),
    ),
    "policy: an explicit Deny wins": (
        lambda s: _policy(
            s,
            INTERFACE,
            "ssm",
            lambda st: st.append(
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "ssm:GetParametersByPath",
                    "Resource": "*",
                }
            ),
        ),
        ("reads_configuration", "policy"),
    ),
    "policy: NotAction that leaves the needed action out": (
        lambda s: _policy(
            s,
            INTERFACE,
            "logs",
            lambda st: _statement(st, "RuntimeLogEvents").update(
                NotAction="logs:Put*", Action=None
            ),
        ),
        ("runtime_logs", "policy"),
    ),
    "policy: resource narrowed to another bucket": (
        lambda s: _policy(
            s,
            GATEWAY,
            "s3",
            lambda st: _statement(st, "EcrImageLayers").update(
                Resource="arn:aws:s3:::my-private-mirror/*"
            ),
        ),
        ("container_pulls_from_ecr", "policy"),
    ),
    "policy: NotResource that excludes the layer bucket": (
        lambda s: _policy(
            s,
            GATEWAY,
            "s3",
            lambda st: _statement(st, "EcrImageLayers").update(
                Resource=None, NotResource="arn:aws:s3:::prod-*"
            ),
        ),
        ("container_pulls_from_ecr", "policy"),
    ),
    "policy: custom tools narrowed to one": (
        lambda s: _policy(
            s,
            INTERFACE,
            "bedrock_agentcore",
            lambda st: _statement(st, "CodeInterpreterSessions").update(
                Resource=[
                    f"arn:aws:bedrock-agentcore:us-west-2:{ACCOUNT}:code-interpreter-custom/one"
                ]
            ),
        ),
        ("agent_uses_custom_tools", "policy"),
    ),
    "policy: only this account's principals (OAuth callers blocked)": (
        lambda s: _policy(
            s,
            INTERFACE,
            "bedrock_agentcore_gateway",
            lambda st: st[0].update(Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        ),
        ("agent_calls_gateway", "policy"),
    ),
    "policy: OAuth callers scoped to this account's principals": (
        lambda s: _policy(
            s,
            INTERFACE,
            "bedrock_agentcore_gateway",
            lambda st: st[0].update(Condition={"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}),
        ),
        ("agent_calls_gateway", "policy"),
    ),
    "policy: a condition it cannot decide": (
        lambda s: _policy(s, INTERFACE, "bedrock_runtime", lambda st: st.append(DENY_ORG)),
        ("agent_calls_bedrock", "policy"),
    ),
}


def _blocked(stack: Stack) -> set[tuple[str | None, str | None]]:
    return {
        (f.flow, f.attribute)
        for f in verify_model(model_of(stack, "test"))
        if f.rule == "reachability"
    }


@pytest.mark.parametrize("name", BREAKS)
def test_a_break_of_one_hop_blocks_its_flow_at_that_hop(name: str, dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    mutate, expected = BREAKS[name]
    mutate(stack)
    assert expected in _blocked(stack)


def test_the_breaks_cover_every_hop_kind() -> None:
    assert {hop for _, (_, hop) in BREAKS.values()} == set(HOP_KINDS)


def test_an_undecidable_condition_says_what_it_depends_on(dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    BREAKS["policy: a condition it cannot decide"][0](stack)
    (result,) = [
        r for r in flow_results(model_of(stack, "test")) if r.flow.key == "agent_calls_bedrock"
    ]
    assert (
        result.status == "unproven"
        and "depending on aws:PrincipalOrgID" in result.blocked_at.detail
    )


def test_without_a_flows_output_the_default_flows_are_proven(dev: Stack) -> None:
    stack = copy.deepcopy(dev)
    del stack["output"]["flows"]
    model = model_of(stack, "test")
    assert model.flows == shipped().flows.defaults() and "default" in model.flows_origin
    assert verify_model(model) == []


def test_verify_file_names_the_flow_the_hop_and_the_fix(
    dev: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = copy.deepcopy(dev)
    BREAKS["no S3 egress for the agent (the shipped defect)"][0](stack)
    path = tmp_path / "cdk.tf.json"
    path.write_text(json.dumps(stack))
    assert commands.run(["verify", "--file", str(path)]) == 2
    out = capsys.readouterr().out
    assert "FAIL container_pulls_from_ecr" in out
    assert "blocked at egress (agent_runtime -> s3)" in out
    assert "fix: add the egress rule agent_runtime_to_s3 of rules.json" in out
    assert "ok   agent_calls_bedrock" in out


# break of the data tier (on the eu fixture, whose MCP tools query a database) -> hop it must block
DATA_TIER_BREAKS: dict[str, tuple[Callable[[Stack], None], str]] = {
    "the tools may not send PostgreSQL": (
        lambda s: s["resource"][EGRESS[0]][EGRESS[1]]["for_each"].pop("mcp_runtime_to_data_tier"),
        "egress",
    ),
    "the database does not admit the tools": (
        lambda s: s["resource"][INGRESS[0]][INGRESS[1]]["for_each"].pop(
            "data_tier_postgres_from_mcp_runtime"
        ),
        "ingress",
    ),
    "the database admits MySQL, not PostgreSQL (the sample's 3306)": (
        lambda s: s["resource"][INGRESS[0]][INGRESS[1]]["for_each"][
            "data_tier_postgres_from_mcp_runtime"
        ].update(port=3306),
        "ingress",
    ),
}


@pytest.mark.parametrize("name", DATA_TIER_BREAKS)
def test_a_break_of_the_data_tier_blocks_the_database_flow(
    name: str, synthesized: dict[str, Stack]
) -> None:
    stack = copy.deepcopy(synthesized["eu"])
    assert ("tools_query_database", DATA_TIER_BREAKS[name][1]) not in _blocked(stack)
    DATA_TIER_BREAKS[name][0](stack)
    assert ("tools_query_database", DATA_TIER_BREAKS[name][1]) in _blocked(stack)


def test_a_full_access_only_service_gets_no_policy_said_and_still_proven(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """custom_policy = false (catalog.json): the endpoint is sent no policy, a warning says it
    lets every call through, and verify proves its flows without calling it too broad."""
    import dataclasses

    from modules.runner.synth import synthesize
    from modules.runner.workspace import Workspace
    from modules.stack.environment import PROJECT_ROOT, load_environment

    xray = shipped().catalog.endpoints["xray"]
    monkeypatch.setitem(
        shipped().catalog.endpoints,  # type: ignore[arg-type]
        "xray",
        dataclasses.replace(xray, custom_policy=False, policy_confirmed=True),
    )
    env = load_environment("dev", PROJECT_ROOT / "environments")
    assert (
        "endpoints: xray: xray takes only AWS's full-access endpoint policy "
        "(modules/facts/catalog.json): the endpoint lets every call through; IAM "
        "policies alone narrow it." in env.warnings
    )
    assert not [w for w in env.warnings if "custom endpoint policy for" in w and "xray" in w]
    files = synthesize(
        [env], Workspace(outdir=tmp_path, state_root=PROJECT_ROOT / ".state"), use_cache=False
    ).files
    stack = json.loads(files["dev"].read_text())
    policies = {key: value["policy"] for key, value in _for_each(stack, INTERFACE).items()}
    assert policies["xray"] is None and all(
        policy for key, policy in policies.items() if key != "xray"
    )
    model = model_of(stack, "dev")
    assert verify_model(model) == []
    (traced,) = [r for r in flow_results(model) if r.flow.key == "runtime_traces"]
    assert traced.status == "reachable"
