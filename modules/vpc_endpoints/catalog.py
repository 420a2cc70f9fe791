"""Loads catalog.json into typed entries and renders endpoint policies from it."""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from modules.policy import policy_json

CATALOG_PATH = Path(__file__).with_name("catalog.json")
PLACEHOLDERS = ("partition", "region", "account_id")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")

EndpointType = Literal["Interface", "Gateway"]


@dataclass(frozen=True)
class EndpointService:
    """One AWS service reached through a VPC endpoint."""

    key: str
    service: str
    type: EndpointType
    private_dns: bool
    flows: tuple[str, ...]
    statements: tuple[Mapping[str, Any], ...]
    #: Not selected unless an environment lists it (e.g. ec2, for Security Hub EC2.10).
    optional: bool = False

    def service_name(self, region: str) -> str:
        """``com.amazonaws.<region>.<service>``: built, never looked up (CDK's rule)."""
        return f"com.amazonaws.{region}.{self.service}"

    def policy_document(self, *, partition: str, region: str, account_id: str) -> str:
        """The endpoint policy as compact JSON with sorted keys, like Terraform's jsonencode."""
        document = policy_json(self.statements)
        values = {"partition": partition, "region": region, "account_id": account_id}
        return _PLACEHOLDER.sub(lambda match: values[match.group(1)], document)


@dataclass(frozen=True)
class Catalog:
    """The endpoint catalog: services by key, and the seed flows they serve."""

    endpoints: Mapping[str, EndpointService]
    flows: Mapping[str, str]

    def of_type(self, endpoint_type: EndpointType, keys: tuple[str, ...]) -> dict[str, EndpointService]:
        """The selected entries of one type, in catalog order."""
        return {k: e for k, e in self.endpoints.items() if k in keys and e.type == endpoint_type}


class CatalogError(ValueError):
    """catalog.json itself is malformed: a bug in this repository, not a user mistake."""


def _entry(key: str, raw: Mapping[str, Any], flows: Mapping[str, str]) -> EndpointService:
    def fail(problem: str) -> CatalogError:
        return CatalogError(f"{CATALOG_PATH.name}: endpoints.{key}: {problem}")

    if not _KEY.match(key):
        raise fail("keys are lower-case identifiers (ecr_api for ecr.api)")
    unknown_fields = set(raw) - {"service", "type", "private_dns", "flows", "policy", "optional"}
    if unknown_fields:
        raise fail(f"unknown fields {sorted(unknown_fields)}")
    if raw.get("type") not in ("Interface", "Gateway"):
        raise fail(f"type must be Interface or Gateway, got {raw.get('type')!r}")
    if raw["type"] == "Gateway" and "private_dns" in raw:
        raise fail("gateway endpoints have no private DNS")
    unknown_flows = [f for f in raw.get("flows", []) if f not in flows]
    if unknown_flows or not raw.get("flows"):
        raise fail(f"flows must name entries of 'flows', got {raw.get('flows')!r}")
    statements = raw.get("policy")
    if not statements:
        raise fail("every endpoint carries a policy (a list of statements)")
    names = set(_PLACEHOLDER.findall(json.dumps(statements)))
    if not names <= set(PLACEHOLDERS):
        raise fail(f"policy placeholders must be among {PLACEHOLDERS}, got {sorted(names)}")
    return EndpointService(
        key=key,
        service=raw["service"],
        type=raw["type"],
        private_dns=bool(raw.get("private_dns", False)),
        flows=tuple(raw["flows"]),
        statements=tuple(statements),
        optional=bool(raw.get("optional", False)),
    )


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Read and check a catalog file."""
    raw = json.loads(path.read_text())
    flows = dict(raw["flows"])
    endpoints = {key: _entry(key, entry, flows) for key, entry in raw["endpoints"].items()}
    return Catalog(endpoints=endpoints, flows=flows)


@functools.cache
def catalog() -> Catalog:
    """The shipped catalog, read once per process."""
    return load_catalog()
