"""verify's claims as Network Access Analyzer scopes: documents that AWS's API model accepts,
and that state what verify proves about the deployed network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from modules.checks.verify.access_scopes import OUTSIDE, access_scopes, write_access_scopes
from modules.cli import commands
from modules.stack.environment import PROJECT_ROOT, load_environment

OUTPUTS: dict[str, Any] = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": {
        "agent_runtime": "subnet-0aaaaaaaaaaaaaaa1",
        "data": "subnet-0aaaaaaaaaaaaaaa2",
        "mcp_runtime": "subnet-0aaaaaaaaaaaaaaa3",
    },
    "role_subnet_ids": {
        "agent_runtime": ["subnet-0aaaaaaaaaaaaaaa1"],
        "data": ["subnet-0aaaaaaaaaaaaaaa2"],
        "mcp_runtime": ["subnet-0aaaaaaaaaaaaaaa3"],
    },
    "prefix_list_ids": {"dynamodb": "pl-00000000000000001", "s3": "pl-00000000000000002"},
}
DEV = load_environment("dev", PROJECT_ROOT / "environments")


def _input_shape() -> Any:
    ec2 = botocore.session.get_session().get_service_model("ec2")
    return ec2.operation_model("CreateNetworkInsightsAccessScope").input_shape


@pytest.mark.parametrize("name", ["no-internet", "runtime-subnets-reach-only-endpoints"])
def test_each_scope_is_what_create_network_insights_access_scope_takes(name: str) -> None:
    scope = access_scopes(DEV, OUTPUTS)[name]
    # The CLI and boto3 fill ClientToken in (an idempotency token).
    report = ParamValidator().validate({**scope, "ClientToken": "t"}, _input_shape())
    assert not report.has_errors(), report.generate_report()


def test_the_scopes_state_verifys_claims() -> None:
    scopes = access_scopes(DEV, OUTPUTS)
    outward, inward = scopes["no-internet"]["MatchPaths"]
    assert outward["Source"]["ResourceStatement"]["Resources"] == [OUTPUTS["vpc_id"]]
    assert outward["Destination"]["ResourceStatement"]["ResourceTypes"] == OUTSIDE
    assert inward["Destination"]["ResourceStatement"]["Resources"] == [OUTPUTS["vpc_id"]]
    runtime = scopes["runtime-subnets-reach-only-endpoints"]
    (match,) = runtime["MatchPaths"]
    assert match["Source"]["ResourceStatement"]["Resources"] == [
        "subnet-0aaaaaaaaaaaaaaa1",
        "subnet-0aaaaaaaaaaaaaaa3",
    ]  # the runtime subnets, not the data subnet
    excluded = json.dumps(runtime["ExcludePaths"])
    assert "AWS::EC2::VPCEndpoint" in excluded
    assert '"DestinationPrefixLists": ["pl-00000000000000001", "pl-00000000000000002"]' in excluded


def test_the_cloudformation_template_carries_the_same_paths(tmp_path: Path) -> None:
    written = write_access_scopes(tmp_path, DEV, OUTPUTS)
    assert [p.name for p in written] == [
        "no-internet.json",
        "runtime-subnets-reach-only-endpoints.json",
        "access-scopes.template.json",
    ]
    template = json.loads((tmp_path / "access-scopes.template.json").read_text())
    shape = _input_shape()
    for resource in template["Resources"].values():
        assert resource["Type"] == "AWS::EC2::NetworkInsightsAccessScope"
        properties = {k: v for k, v in resource["Properties"].items() if k != "Tags"}
        report = ParamValidator().validate({**properties, "ClientToken": "t"}, shape)
        assert not report.has_errors(), report.generate_report()


def test_access_scopes_need_a_deployed_network(capsys: pytest.CaptureFixture[str]) -> None:
    assert commands.run(["verify", "--access-scopes", "scopes"]) == 1
    assert "--access-scopes writes the scopes of a deployed network: add --live" in (
        capsys.readouterr().err
    )
