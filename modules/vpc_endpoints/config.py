"""Typed, validated configuration of the VPC endpoints (no cdktf import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from modules.flows.selection import (
    validate_code_buckets,
    validate_endpoints,
    validate_flow_features,
    validate_flows,
    validate_principal_scope,
)
from modules.kernel.region import validate_agentcore_region
from modules.kernel.tags import validate_tags
from modules.network.config import validate_name


@dataclass(frozen=True, kw_only=True)
class VpcEndpointsConfig:
    """Which catalog services get an endpoint, and the flows their policies let through.

    Interface endpoints get private DNS, one subnet per AZ and the endpoint security group;
    gateway endpoints attach to the private route table. Each endpoint's policy allows exactly
    the calls the selected flows make through it (modules/flows/flows.json).
    """

    #: Prefix for Name tags.
    name: str
    region: str
    #: Flow keys of flows.json. Default: ``None``, the flows marked default (the seed's workloads).
    flows: tuple[str, ...] | None = None
    #: S3 buckets of direct code packages; given exactly when a selected flow reads them. Default:
    #: none.
    code_buckets: tuple[str, ...] = ()
    #: Catalog keys (``ecr_api``, ``s3``, ...). Default: ``None``, exactly those the flows go
    #: through.
    endpoints: tuple[str, ...] | None = None
    #: Who may make the calls only this account's roles sign: ``any`` principal, this ``account``
    #: (aws:PrincipalAccount) or this ``organization`` (aws:PrincipalOrgID). OAuth callers and
    #: presigned URLs are never scoped. Default: ``any``.
    principal_scope: str = "any"
    #: The AWS Organizations id for ``principal_scope = "organization"``. Default: ``None``.
    organization_id: str | None = None

    #: Tags on every resource of this module, beside its own Name tag (the stack tags every
    #: module at once with the provider's default_tags instead). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        validate_agentcore_region("region", self.region)
        object.__setattr__(self, "flows", validate_flows(self.flows))
        validate_flow_features(self.selected_flows, self.region)
        validate_code_buckets(self.code_buckets, self.selected_flows)
        object.__setattr__(
            self, "endpoints", validate_endpoints(self.endpoints, self.selected_flows)
        )
        validate_principal_scope(self.principal_scope, self.organization_id)

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
