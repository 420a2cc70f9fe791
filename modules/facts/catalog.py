"""Loads catalog.json: the AWS services the network can reach, through which kind of endpoint,
and whether each takes a custom endpoint policy."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

CATALOG_PATH = Path(__file__).with_name("catalog.json")

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

EndpointType = Literal["Interface", "Gateway"]


@dataclass(frozen=True)
class EndpointService:
    """One AWS service reached through a VPC endpoint."""

    key: str
    service: str
    type: EndpointType
    private_dns: bool
    #: Whether the service takes a custom endpoint policy (false: AWS's full access only).
    custom_policy: bool = True
    #: Whether a source says so; an entry that does not say is taken as unconfirmed.
    policy_confirmed: bool = False
    policy_source: str = ""

    def service_name(self, region: str) -> str:
        """``com.amazonaws.<region>.<service>``: built, never looked up (CDK's rule)."""
        return f"com.amazonaws.{region}.{self.service}"


@dataclass(frozen=True)
class Catalog:
    """The endpoint catalog: services by key."""

    endpoints: Mapping[str, EndpointService]

    def of_type(
        self, endpoint_type: EndpointType, keys: tuple[str, ...]
    ) -> dict[str, EndpointService]:
        """The selected entries of one type, in catalog order."""
        return {k: e for k, e in self.endpoints.items() if k in keys and e.type == endpoint_type}

    def by_service_name(self, service_name: str) -> EndpointService | None:
        """The entry of ``com.amazonaws.<region>.<service>``, if the catalog has it."""
        parts = service_name.split(".", 3)
        service = parts[3] if len(parts) == 4 else ""
        return next((e for e in self.endpoints.values() if e.service == service), None)


class CatalogError(ValueError):
    """catalog.json itself is malformed: a bug in this repository, not a user mistake."""


def _entry(key: str, raw: Mapping[str, Any], source: str) -> EndpointService:
    def fail(problem: str) -> CatalogError:
        return CatalogError(f"{source}: endpoints.{key}: {problem}")

    if not _KEY.match(key):
        raise fail("keys are lower-case identifiers (ecr_api for ecr.api)")
    unknown_fields = set(raw) - {
        "service",
        "type",
        "private_dns",
        "custom_policy",
        "policy_unconfirmed",
        "policy_source",
    }
    if unknown_fields:
        raise fail(f"unknown fields {sorted(unknown_fields)}")
    if raw.get("type") not in ("Interface", "Gateway"):
        raise fail(f"type must be Interface or Gateway, got {raw.get('type')!r}")
    if raw["type"] == "Gateway" and "private_dns" in raw:
        raise fail("gateway endpoints have no private DNS")
    if "custom_policy" in raw and not raw.get("policy_source"):
        raise fail("custom_policy needs its policy_source (help/sources.md#endpoint-policies)")
    return EndpointService(
        key=key,
        service=raw["service"],
        type=raw["type"],
        private_dns=bool(raw.get("private_dns", False)),
        custom_policy=bool(raw.get("custom_policy", True)),
        policy_confirmed="custom_policy" in raw and not raw.get("policy_unconfirmed", False),
        policy_source=str(raw.get("policy_source", "")),
    )


def parse_catalog(raw: Mapping[str, Any], source: str = CATALOG_PATH.name) -> Catalog:
    """Check a catalog in catalog.json's shape; ``source`` names it in errors."""
    endpoints = raw["endpoints"]
    return Catalog(endpoints={key: _entry(key, e, source) for key, e in endpoints.items()})


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Read and check a catalog file."""
    return parse_catalog(json.loads(path.read_text()), path.name)


@functools.cache
def shipped_catalog() -> Catalog:
    """catalog.json, read once per process."""
    return load_catalog()
