"""Typed, validated configuration of the VPC endpoints (no cdktf import)."""
from __future__ import annotations

from dataclasses import dataclass

from modules.errors import ConfigError
from modules.network.config import validate_name
from modules.region import validate_region
from modules.vpc_endpoints.catalog import catalog


def all_endpoint_keys() -> tuple[str, ...]:
    """Every catalog entry but the optional ones, in catalog order: the default selection."""
    return tuple(key for key, entry in catalog().endpoints.items() if not entry.optional)


@dataclass(frozen=True, kw_only=True)
class VpcEndpointsConfig:
    """Which catalog services get an endpoint.

    Interface endpoints get private DNS, one subnet per AZ and the endpoint security group;
    gateway endpoints attach to the private route table.
    """

    #: Prefix for Name tags.
    name: str
    region: str
    #: Catalog keys (``ecr_api``, ``s3``, ...). Default: ``None``, every entry not marked optional.
    endpoints: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        validate_name("name", self.name)
        validate_region("region", self.region)
        if self.endpoints is None:
            object.__setattr__(self, "endpoints", all_endpoint_keys())
        known = catalog().endpoints
        for key in self.selected:
            if key not in known:
                raise ConfigError(
                    "endpoints",
                    f"unknown endpoint {key!r}",
                    list(self.selected),
                    f"Known endpoints: {', '.join(sorted(known))}.",
                )
        duplicates = sorted({k for k in self.selected if self.selected.count(k) > 1})
        if duplicates:
            raise ConfigError(
                "endpoints",
                f"{', '.join(duplicates)} listed more than once",
                list(self.selected),
                "List each endpoint once.",
            )

    @property
    def selected(self) -> tuple[str, ...]:
        """The chosen catalog keys (``endpoints`` after the default is applied)."""
        assert self.endpoints is not None
        return self.endpoints
