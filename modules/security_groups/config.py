"""Typed, validated configuration of the security groups (no cdktf import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from modules.facts.facts import Facts, shipped
from modules.facts.selection import ENDPOINT_INGRESS, validate_flows
from modules.kernel.errors import ConfigError
from modules.kernel.tags import validate_tags
from modules.network.config import validate_name


@dataclass(frozen=True, kw_only=True)
class SecurityGroupsConfig:
    """The security groups of rules.json, named after the environment, with the rules the
    selected flows need."""

    #: Prefix of the group names (``<name>-<group>-``) and Name tags.
    name: str
    #: Flow keys of flows.json: a workload group's egress rules are those its flows need.
    #: Default: ``None``, the flows marked default.
    flows: tuple[str, ...] | None = None
    #: Where the interface endpoints admit HTTPS from: ``vpc`` (its CIDR) or ``workloads`` (the
    #: groups whose flows reach them, nothing else in the VPC). Default: ``vpc``.
    endpoint_ingress: str = "vpc"

    #: Tags on every resource of this module, beside its own Name tag (the stack tags every
    #: module at once with the provider's default_tags instead). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)
    #: The rules and flows these keys name (modules/facts/facts.py): the shipped ones, or a
    #: library user's ``extended(...)``. Default: ``shipped()``.
    facts: Facts = field(default_factory=shipped, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        object.__setattr__(self, "flows", validate_flows(self.flows, self.facts))
        if self.endpoint_ingress not in ENDPOINT_INGRESS:
            raise ConfigError(
                "endpoint_ingress",
                "not a kind of endpoint ingress",
                self.endpoint_ingress,
                f"Use one of {', '.join(ENDPOINT_INGRESS)}.",
            )

    @property
    def selected_flows(self) -> tuple[str, ...]:
        assert self.flows is not None
        return self.flows
