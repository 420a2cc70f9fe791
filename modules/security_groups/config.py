"""Typed, validated configuration of the security groups (no cdktf import)."""
from __future__ import annotations

from dataclasses import dataclass

from modules.errors import ConfigError
from modules.network.config import validate_name
from modules.security_groups.rules import rule_set


@dataclass(frozen=True, kw_only=True)
class SecurityGroupsConfig:
    """The security groups of rules.json, named after the environment."""

    #: Prefix of the group names (``<name>-<group>-``) and Name tags.
    name: str

    def __post_init__(self) -> None:
        validate_name("name", self.name)

    def check_prefix_lists(self, selected_endpoints: tuple[str, ...]) -> None:
        """Every prefix list a rule sends traffic to must come from a selected gateway endpoint."""
        for endpoint, rules in rule_set().prefix_lists_needed().items():
            if endpoint not in selected_endpoints:
                raise ConfigError(
                    "endpoints",
                    f"{endpoint!r} is missing, but security group rules "
                    f"{', '.join(rules)} send traffic to its prefix list",
                    list(selected_endpoints),
                    f"Add {endpoint!r} to endpoints.",
                )
