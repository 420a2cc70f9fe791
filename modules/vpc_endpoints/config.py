"""Typed, validated configuration of the VPC endpoints (no cdktf import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from modules.facts.aws_constraints import validate_agentcore_region
from modules.facts.facts import Facts, shipped
from modules.facts.selection import (
    DEFAULT_PRINCIPAL_SCOPE,
    validate_code_buckets,
    validate_endpoints,
    validate_flow_features,
    validate_flows,
    validate_principal_scope,
)
from modules.kernel.tags import validate_tags
from modules.network.config import validate_name


@dataclass(frozen=True, kw_only=True)
class VpcEndpointsConfig:
    """Which catalog services get an endpoint, and the flows their policies let through.

    Interface endpoints get private DNS, one subnet per AZ and the endpoint security group;
    gateway endpoints attach to the private route table. Each endpoint's policy allows exactly
    the calls the selected flows make through it (modules/facts/flows.json).
    """

    #: Prefix for Name tags.
    name: str
    region: str
    #: Flow keys of flows.json. Default: ``None``, the flows marked default (the AWS sample's
    #: workloads).
    flows: tuple[str, ...] | None = None
    #: S3 buckets of direct code packages; given exactly when a selected flow reads them. Default:
    #: none.
    code_buckets: tuple[str, ...] = ()
    #: Catalog keys (``ecr_api``, ``s3``, ...). Default: ``None``, exactly those the flows go
    #: through.
    endpoints: tuple[str, ...] | None = None
    #: The identity perimeter: whose credentials may make the calls only the workloads sign:
    #: this ``account`` and the participants' (aws:PrincipalAccount), this ``organization``
    #: (aws:PrincipalOrgID), or ``any`` principal (no identity perimeter: an explicit opt-out
    #: that verify reports). OAuth callers and presigned URLs are never scoped
    #: (help/sources.md#perimeter-examples). Default: ``account``.
    principal_scope: str = DEFAULT_PRINCIPAL_SCOPE
    #: The AWS Organizations id for ``principal_scope = "organization"``. Default: ``None``.
    organization_id: str | None = None
    #: Other accounts whose workloads use these endpoints (the subnet-sharing principals):
    #: 12-digit account ids, or the ARN of the organization or of an OU (organization scope
    #: only). Their credentials and their own resources are inside the perimeter. Default: none.
    participants: tuple[str, ...] = ()

    #: Tags on every resource of this module, beside its own Name tag (the stack tags every
    #: module at once with the provider's default_tags instead). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)
    #: The catalog, rules and flows these keys name (modules/facts/facts.py): the shipped ones,
    #: or a library user's ``extended(...)``. Default: ``shipped()``.
    facts: Facts = field(default_factory=shipped, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        validate_agentcore_region("region", self.region)
        object.__setattr__(self, "flows", validate_flows(self.flows, self.facts))
        validate_flow_features(self.selected_flows, self.region, self.facts)
        validate_code_buckets(self.code_buckets, self.selected_flows, self.facts)
        object.__setattr__(
            self, "endpoints", validate_endpoints(self.endpoints, self.selected_flows, self.facts)
        )
        object.__setattr__(self, "participants", tuple(self.participants))
        validate_principal_scope(self.principal_scope, self.organization_id, self.participants)

    @property
    def selected(self) -> tuple[str, ...]:
        """The chosen catalog keys (``endpoints`` after the default is applied)."""
        assert self.endpoints is not None
        return self.endpoints

    @property
    def selected_flows(self) -> tuple[str, ...]:
        """The chosen flow keys (``flows`` after the default is applied)."""
        assert self.flows is not None
        return self.flows
