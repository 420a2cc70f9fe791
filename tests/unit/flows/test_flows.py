"""Flows as data: what the workloads send, and the endpoint policies and rules that follow."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from modules.facts.facts import shipped
from modules.facts.flows import FLOWS_PATH, FlowsError, load_flows
from modules.facts.selection import validate_flows
from modules.flows.policies import (
    MAX_POLICY_CHARACTERS,
    Perimeter,
    calls_through,
    policy_document,
    rules_in_use,
)
from modules.kernel.errors import ConfigError

FLOWS = shipped().flows.flows
ALL = tuple(FLOWS)
DEFAULTS = shipped().flows.defaults()


def _document(
    endpoint: str,
    flows: tuple[str, ...] = DEFAULTS,
    buckets: tuple[str, ...] = (),
    region: str = "eu-west-3",
    partition: str = "aws",
) -> dict[str, Any]:
    return dict(
        json.loads(
            policy_document(
                endpoint,
                flows,
                buckets,
                partition=partition,
                region=region,
                account_id="111122223333",
                facts=shipped(),
            )
        )
    )


def _statement(endpoint: str, sid: str, **kwargs: Any) -> dict[str, Any]:
    return next(s for s in _document(endpoint, **kwargs)["Statement"] if s["Sid"] == sid)


def test_the_seeds_four_flows_are_there_and_default() -> None:
    seed = {flow.seed: key for key, flow in FLOWS.items() if flow.seed}
    assert seed == {
        1: "agent_calls_bedrock",
        2: "mcp_queries_dynamodb",
        3: "agent_queries_aurora",
        4: "container_pulls_from_ecr",
    }
    assert set(seed.values()) <= set(DEFAULTS)


@pytest.mark.parametrize("key", ALL)
def test_every_flow_names_its_sources_calls_dns_port_and_references(key: str) -> None:
    flow = FLOWS[key]
    assert flow.sources and flow.calls and flow.refs
    for call in flow.calls:
        if call.target is None:  # an AWS API call through an endpoint
            assert (
                call.dns
                and call.port == 443
                and call.actions
                and call.resources
                and call.signers
                and call.owner
            )
        else:  # a connection inside the VPC (the data tier): a port, no IAM
            assert call.dns and call.port != 443 and not call.actions and call.endpoint is None


def test_image_layers_and_code_packages_come_through_the_s3_endpoint() -> None:
    # Runtimes created since 2026-05-05 have no service-managed S3 path.
    assert _statement("s3", "EcrImageLayers")["Resource"] == [
        "arn:aws:s3:::prod-eu-west-3-starport-layer-bucket/*"
    ]
    flows = (*DEFAULTS, "runtime_loads_code_from_s3")
    assert _statement("s3", "DirectCodePackages", flows=flows, buckets=("code-a", "code-b"))[
        "Resource"
    ] == ["arn:aws:s3:::code-a/*", "arn:aws:s3:::code-b/*"]


def test_xray_lets_adot_otlp_spans_through() -> None:
    assert _statement("xray", "OtlpSpans")["Action"] == ["xray:PutSpans"]


def test_the_default_tools_are_this_accounts_and_the_aws_managed_ones_are_flows_of_their_own() -> (
    None
):
    assert _statement("bedrock_agentcore", "CodeInterpreterSessions")["Resource"] == [
        "arn:aws:bedrock-agentcore:eu-west-3:111122223333:code-interpreter-custom/*"
    ]
    assert _statement("bedrock_agentcore", "BrowserSessions")["Resource"] == [
        "arn:aws:bedrock-agentcore:eu-west-3:111122223333:browser-custom/*"
    ]
    sids = {s["Sid"] for s in _document("bedrock_agentcore")["Statement"]}
    assert not sids & {"ManagedBrowserSessions", "ManagedCodeInterpreterSessions"}
    managed = ("agent_uses_aws_browser", "agent_uses_aws_code_interpreter")
    assert not set(managed) & set(DEFAULTS)
    for key in managed:
        assert FLOWS[key].beyond_network and FLOWS[key].calls[0].owner == "aws"
    flows = (*DEFAULTS, *managed)
    assert _statement("bedrock_agentcore", "ManagedBrowserSessions", flows=flows)["Resource"] == [
        "arn:aws:bedrock-agentcore:eu-west-3:aws:browser/aws.browser.v1"
    ]
    assert _statement("bedrock_agentcore", "ManagedCodeInterpreterSessions", flows=flows)[
        "Resource"
    ] == ["arn:aws:bedrock-agentcore:eu-west-3:aws:code-interpreter/aws.codeinterpreter.v1"]


def test_a_retired_flow_is_refused_with_what_replaced_it() -> None:
    with pytest.raises(ConfigError, match="agent_uses_builtin_tools was split in 0.9.0"):
        validate_flows(("agent_uses_builtin_tools",), shipped())


def test_gateway_calls_are_invoke_gateway_on_this_accounts_gateways() -> None:
    (statement,) = _document("bedrock_agentcore_gateway")["Statement"]
    assert (statement["Action"], statement["Resource"]) == (
        ["bedrock-agentcore:InvokeGateway"],
        ["arn:aws:bedrock-agentcore:eu-west-3:111122223333:gateway/*"],
    )


def test_metrics_only_in_the_bedrock_agentcore_namespace() -> None:
    assert _statement("monitoring", "AgentCoreMetrics")["Condition"] == {
        "StringEquals": {
            "aws:PrincipalAccount": ["111122223333"],
            "cloudwatch:namespace": "bedrock-agentcore",
        }
    }


def test_ecr_pull_has_no_push_permission() -> None:
    actions = {
        a
        for key in ("ecr_api", "ecr_dkr")
        for s in _document(key)["Statement"]
        for a in s["Action"]
    }
    assert actions == {
        "ecr:GetAuthorizationToken",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    }


def test_dynamodb_writes_only_when_an_environment_selects_them() -> None:
    def actions(flows: tuple[str, ...]) -> set[str]:
        return {a for s in _document("dynamodb", flows=flows)["Statement"] for a in s["Action"]}

    assert "dynamodb:PutItem" not in actions(DEFAULTS)
    assert "dynamodb:PutItem" in actions((*DEFAULTS, "mcp_writes_dynamodb"))


@pytest.mark.parametrize("endpoint", list(shipped().catalog.endpoints))
def test_every_statement_is_principal_star_allow_with_every_placeholder_filled(
    endpoint: str,
) -> None:
    document = policy_document(
        endpoint,
        ALL,
        ("code",),
        partition="aws",
        region="eu-west-3",
        account_id="111122223333",
        facts=shipped(),
    )
    assert "${" not in document
    for statement in json.loads(document)["Statement"]:
        assert (statement["Principal"], statement["Effect"]) == ("*", "Allow")
        assert "*" not in statement["Action"]


@pytest.mark.parametrize("endpoint", list(shipped().catalog.endpoints))
def test_account_scoped_arns_carry_this_account(endpoint: str) -> None:
    for statement in _document(endpoint, flows=ALL, buckets=("code",))["Statement"]:
        for arn in statement["Resource"]:
            if (
                arn == "*"
                or arn.startswith("arn:aws:s3:::")
                or "::foundation-model/" in arn
                or ":aws:" in arn[12:]
            ):
                continue  # no account in these ARNs by AWS's design (or AWS's own: account "aws")
            assert re.search(r":(eu-west-3|):111122223333:", arn), arn


def test_govcloud_partition_reaches_the_arns() -> None:
    document = _document("kms", region="us-gov-west-1", partition="aws-us-gov")
    assert document["Statement"][0]["Resource"] == [
        "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*"
    ]


def test_the_largest_policy_stays_far_under_awss_limit() -> None:
    buckets = tuple(f"code-bucket-{i:02d}" for i in range(20))
    largest = max(
        len(
            policy_document(
                e,
                ALL,
                buckets,
                partition="aws-us-gov",
                region="us-gov-west-1",
                account_id="111122223333",
                facts=shipped(),
            )
        )
        for e in shipped().catalog.endpoints
    )
    assert largest < MAX_POLICY_CHARACTERS / 4


def test_an_endpoint_no_flow_uses_gets_no_statement() -> None:
    assert calls_through("ec2", DEFAULTS, shipped()) == []


def test_rules_json_has_a_rule_for_every_hop_of_every_flow() -> None:
    # load_flows refuses a flows file whose hops have no rule; the shipped one loads.
    in_use = set(rules_in_use(ALL, "vpc", shipped())) | set(
        rules_in_use(ALL, "workloads", shipped())
    )
    assert in_use == set(shipped().rules.rules)


def _broken(tmp_path: Path, change: Any) -> Path:
    raw = json.loads(FLOWS_PATH.read_text())
    change(raw)
    path = tmp_path / "flows.json"
    path.write_text(json.dumps(raw))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(endpoint="bedrock"),
            "endpoint must be a catalog key",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(port=8443),
            "HTTPS on 443",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(signers=["root"]),
            "signers must be among",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(
                principals=["account"]
            ),
            "principals was renamed signers in 0.9.0",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(owner="everyone"),
            "owner must be one of",
        ),
        (
            lambda raw: raw["flows"]["runtime_logs"]["calls"][0].update(owner="aws"),
            "is not an AWS-owned resource",
        ),
        (
            lambda raw: raw["flows"]["container_pulls_from_ecr"]["calls"][2].update(
                signers=["workload"]
            ),
            "is reached signed by 'presigned'",
        ),
        (
            lambda raw: raw["flows"]["container_pulls_from_ecr"]["calls"][1].update(
                signers=["presigned"]
            ),
            "signers \\['presigned'\\] alone, owner 'aws'",
        ),
        (
            lambda raw: raw["flows"]["container_pulls_from_ecr"]["calls"][0].update(
                owner="workload"
            ),
            "every resource is an ARN of",
        ),
        (
            lambda raw: raw["flows"]["runtime_logs"]["calls"][0].update(owner="signer"),
            "resources is \\['\\*'\\]",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(
                actions=["InvokeModel"]
            ),
            "service:Action",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(
                resources=["arn:${aws:username}"]
            ),
            "placeholders must be among",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(sid="Invoke-Models"),
            "letters and digits",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"].update(sources=["lambda"]),
            "sources must be workloads",
        ),
        (lambda raw: raw["flows"]["runtime_metrics"]["calls"][0].pop("context"), "does not carry"),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(
                sid="ReadTables", endpoint="dynamodb"
            ),
            "Sid ReadTables is used twice on dynamodb",
        ),
        (
            lambda raw: raw["flows"]["agent_calls_bedrock"]["calls"][0].update(
                sid="AgentReadsTables", endpoint="dynamodb"
            ),
            "no egress rule in the rule set lets agent_runtime reach dynamodb",
        ),
    ],
)
def test_malformed_flows_are_refused(tmp_path: Path, change: Any, message: str) -> None:
    with pytest.raises(FlowsError, match=message):
        load_flows(_broken(tmp_path, change))


def _conditions(endpoint: str, perimeter: Perimeter) -> dict[str, Any]:
    document = policy_document(
        endpoint,
        DEFAULTS,
        (),
        partition="aws",
        region="eu-west-3",
        account_id="111122223333",
        perimeter=perimeter,
        facts=shipped(),
    )
    return {s["Sid"]: s.get("Condition") for s in json.loads(document)["Statement"]}


def test_the_identity_perimeter_is_on_by_default_for_the_calls_only_workloads_sign() -> None:
    ours = {"StringEquals": {"aws:PrincipalAccount": ["111122223333"]}}
    assert _conditions("bedrock_runtime", Perimeter()) == {
        "InvokeFoundationModels": ours,
        "InvokeInferenceProfiles": ours,
        "ApplyGuardrails": ours,
    }
    agentcore = _conditions("bedrock_agentcore", Perimeter())
    # OAuth callers of runtimes are anonymous to IAM: scoped by action and resource only.
    assert agentcore["InvokeRuntimesOfThisAccount"] is None
    assert agentcore["MemoriesOfThisAccount"] == ours
    # ECR's layers come through URLs an ECR account signs: no principal condition can match.
    assert _conditions("s3", Perimeter())["EcrImageLayers"] is None
    assert _conditions("monitoring", Perimeter("organization", "o-abcdefghij")) == {
        "AgentCoreMetrics": {
            "StringEquals": {
                "aws:PrincipalOrgID": ["o-abcdefghij"],
                "cloudwatch:namespace": "bedrock-agentcore",
            }
        }
    }
    assert _conditions("bedrock_runtime", Perimeter("any"))["InvokeFoundationModels"] is None


def test_participants_are_inside_both_perimeters_with_their_own_resources() -> None:
    perimeter = Perimeter(participants=("444455556666",))
    document = policy_document(
        "logs",
        DEFAULTS,
        (),
        partition="aws",
        region="eu-west-3",
        account_id="111122223333",
        perimeter=perimeter,
        facts=shipped(),
    )
    events = next(s for s in json.loads(document)["Statement"] if s["Sid"] == "RuntimeLogEvents")
    accounts = ["111122223333", "444455556666"]
    assert events["Condition"] == {
        "StringEquals": {"aws:PrincipalAccount": accounts, "aws:ResourceAccount": accounts}
    }
    assert events["Resource"] == [
        "arn:aws:logs:eu-west-3:*:log-group:/aws/bedrock-agentcore/runtimes/*:log-stream:*"
    ]
    organization = Perimeter(
        "organization",
        "o-abcdefghij",
        ("arn:aws:organizations::999988887777:ou/o-abcdefghij/ou-ab12-cdefgh34",),
    )
    metrics = _conditions("monitoring", organization)["AgentCoreMetrics"]
    assert "aws:ResourceOrgID" not in metrics["StringEquals"]  # PutMetricData names no resource
    assert _conditions("ssm", organization)["ReadParameters"] == {
        "StringEquals": {
            "aws:PrincipalOrgID": ["o-abcdefghij"],
            "aws:ResourceOrgID": ["o-abcdefghij"],
        }
    }
    # AWS-owned resources never carry a resource condition: no account of ours owns them.
    assert "aws:ResourceAccount" not in str(
        _conditions("bedrock_runtime", perimeter)["InvokeFoundationModels"]
    )
