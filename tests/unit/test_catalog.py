"""The endpoint catalog: the 14 services of the sample, their flows and policies as data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.vpc_endpoints.catalog import CATALOG_PATH, CatalogError, catalog, load_catalog

SAMPLE_INTERFACE = {
    "logs", "monitoring", "ecr.dkr", "ecr.api", "ssm", "kms", "secretsmanager", "rds-data",
    "xray", "bedrock-runtime", "bedrock-agentcore", "bedrock-agentcore.gateway",
}
SAMPLE_GATEWAY = {"s3", "dynamodb"}
ENDPOINTS = list(catalog().endpoints.values())


def _statements(key: str) -> list[dict]:
    return [dict(s) for s in catalog().endpoints[key].statements]


def _rendered(key: str) -> dict:
    document = catalog().endpoints[key].policy_document(
        partition="aws", region="eu-west-3", account_id="111122223333"
    )
    return json.loads(document)


def test_catalog_has_the_14_endpoints_of_the_sample_by_default() -> None:
    default = [e for e in ENDPOINTS if not e.optional]
    by_type = {t: {e.service for e in default if e.type == t} for t in ("Interface", "Gateway")}
    assert by_type == {"Interface": SAMPLE_INTERFACE, "Gateway": SAMPLE_GATEWAY}


def test_ec2_is_an_optional_interface_endpoint() -> None:
    entry = catalog().endpoints["ec2"]
    assert (entry.optional, entry.type, entry.service_name("us-west-2")) == (True, "Interface", "com.amazonaws.us-west-2.ec2")


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_key_is_the_identifier_safe_service_name(entry) -> None:
    assert entry.key == entry.service.replace(".", "_").replace("-", "_")


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_service_name_is_built_not_looked_up(entry) -> None:
    assert entry.service_name("ap-south-2") == f"com.amazonaws.ap-south-2.{entry.service}"


@pytest.mark.parametrize("entry", [e for e in ENDPOINTS if e.type == "Interface"], ids=lambda e: e.key)
def test_interface_endpoints_use_private_dns(entry) -> None:
    assert entry.private_dns is True


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_every_endpoint_serves_a_documented_flow(entry) -> None:
    assert entry.flows and set(entry.flows) <= set(catalog().flows)


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_policy_renders_to_valid_json_with_only_known_placeholders(entry) -> None:
    document = entry.policy_document(partition="aws", region="eu-west-3", account_id="111122223333")
    parsed = json.loads(document)
    assert parsed["Version"] == "2012-10-17"
    assert "${" not in document
    for statement in parsed["Statement"]:
        assert statement["Principal"] == "*"  # endpoint policies must name a principal
        assert statement["Effect"] == "Allow"
        assert statement["Action"] not in ("*", ["*"])


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_account_scoped_arns_carry_this_account(entry) -> None:
    for statement in json.loads(entry.policy_document(partition="aws", region="eu-west-3", account_id="111122223333"))["Statement"]:
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for arn in resources:
            if arn == "*" or arn.startswith("arn:aws:s3:::") or "::foundation-model/" in arn:
                continue  # no account in these ARNs by AWS's design
            assert ":eu-west-3:111122223333:" in arn, arn


def test_s3_policy_lets_ecr_image_layers_through() -> None:
    # Sample defect 2: its S3 policy allowed only CloudFormation response buckets.
    statements = _rendered("s3")["Statement"]
    assert {"Sid": "EcrImageLayers", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::prod-eu-west-3-starport-layer-bucket/*"} in statements


@pytest.mark.parametrize("key", ["bedrock_agentcore", "bedrock_agentcore_gateway"])
def test_agentcore_arns_carry_the_account(key: str) -> None:
    # Sample defect 3: arn:aws:bedrock-agentcore:${AWS::Region}::gateway/* had no account.
    (statement,) = _rendered(key)["Statement"]
    assert statement["Resource"].startswith("arn:aws:bedrock-agentcore:eu-west-3:111122223333:")
    assert statement["Action"] == "bedrock-agentcore:*"


def test_govcloud_partition_reaches_the_arns() -> None:
    document = catalog().endpoints["kms"].policy_document(
        partition="aws-us-gov", region="us-gov-west-1", account_id="111122223333"
    )
    assert "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*" in document


def _broken_catalog(tmp_path: Path, key: str, **changes) -> Path:
    raw = json.loads(CATALOG_PATH.read_text())
    raw["endpoints"][key].update(changes)
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(raw))
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type": "Lambda"}, "type must be Interface or Gateway"),
        ({"flows": ["nobody"]}, "flows must name entries of 'flows'"),
        ({"policy": []}, "every endpoint carries a policy"),
        ({"policy": [{"Resource": "arn:aws:ssm:${aws:username}"}]}, "placeholders must be among"),
        ({"private_dns": True}, "gateway endpoints have no private DNS"),
        ({"colour": "blue"}, "unknown fields"),
    ],
)
def test_malformed_catalog_is_refused(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(_broken_catalog(tmp_path, "s3", **changes))
