"""The endpoint catalog: the services the network can reach, as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.facts.catalog import (
    CATALOG_PATH,
    CatalogError,
    load_catalog,
)
from modules.facts.facts import shipped

SAMPLE_INTERFACE = {
    "logs",
    "monitoring",
    "ecr.dkr",
    "ecr.api",
    "ssm",
    "kms",
    "secretsmanager",
    "rds-data",
    "xray",
    "bedrock-runtime",
    "bedrock-agentcore",
    "bedrock-agentcore.gateway",
}
SAMPLE_GATEWAY = {"s3", "dynamodb"}
ENDPOINTS = list(shipped().catalog.endpoints.values())


def test_the_default_flows_go_through_the_14_endpoints_of_the_sample() -> None:
    default = [
        shipped().catalog.endpoints[k]
        for k in shipped().flows.endpoints_needed(shipped().flows.defaults(), shipped().catalog)
    ]
    by_type = {t: {e.service for e in default if e.type == t} for t in ("Interface", "Gateway")}
    assert by_type == {"Interface": SAMPLE_INTERFACE, "Gateway": SAMPLE_GATEWAY}


@pytest.mark.parametrize("key", ["ec2", "sts", "bedrock_agentcore_control"])
def test_opt_in_interface_endpoints_are_there_for_opt_in_flows(key: str) -> None:
    entry = shipped().catalog.endpoints[key]
    assert entry.type == "Interface" and entry.private_dns
    users = [f for f in shipped().flows.flows.values() if key in f.endpoints]
    assert users and not any(f.default for f in users)


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_key_is_the_identifier_safe_service_name(entry) -> None:
    assert entry.key == entry.service.replace(".", "_").replace("-", "_")


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_service_name_is_built_not_looked_up(entry) -> None:
    assert entry.service_name("ap-south-2") == f"com.amazonaws.ap-south-2.{entry.service}"
    assert shipped().catalog.by_service_name(entry.service_name("ap-south-2")) == entry


@pytest.mark.parametrize(
    "entry", [e for e in ENDPOINTS if e.type == "Interface"], ids=lambda e: e.key
)
def test_interface_endpoints_use_private_dns(entry) -> None:
    assert entry.private_dns is True


@pytest.mark.parametrize("entry", ENDPOINTS, ids=lambda e: e.key)
def test_every_endpoint_serves_a_flow(entry) -> None:
    assert any(entry.key in flow.endpoints for flow in shipped().flows.flows.values())


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
        ({"private_dns": True}, "gateway endpoints have no private DNS"),
        ({"policy": []}, "unknown fields"),
    ],
)
def test_malformed_catalog_is_refused(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load_catalog(_broken_catalog(tmp_path, "s3", **changes))


def test_every_catalog_service_says_whether_it_takes_a_custom_policy_and_why() -> None:
    """Each shipped service records its endpoint-policy support with its source, so a service
    added to the catalog cannot pass unexamined (a missing one would be taken as unconfirmed)."""
    listed = json.loads(CATALOG_PATH.read_text())["endpoints"]
    for key, entry in listed.items():
        assert isinstance(entry["custom_policy"], bool) and entry["policy_source"], key
        assert entry.get("policy_unconfirmed", False) in (True, False), key
    confirmed = {k for k, e in shipped().catalog.endpoints.items() if e.policy_confirmed}
    assert confirmed == {k for k, e in listed.items() if not e.get("policy_unconfirmed")}


def test_a_policy_support_without_its_source_is_refused(tmp_path: Path) -> None:
    """custom_policy is a fact about AWS: it comes with the source that says it."""
    raw = json.loads(CATALOG_PATH.read_text())
    del raw["endpoints"]["xray"]["policy_source"]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(CatalogError, match="endpoints.xray: custom_policy needs its policy_source"):
        load_catalog(path)
