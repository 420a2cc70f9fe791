"""Typed, validated configuration of the subnet share (no cdktf import).

AWS's rules come from modules/facts/aws_constraints.json (``subnet_sharing``): subnets are
shared only inside the owner's organization, with accounts, OUs or the whole organization.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from modules.facts.aws_constraints import CONSTRAINTS_PATH
from modules.kernel.errors import ConfigError
from modules.kernel.organizations import PRINCIPAL_PATTERN
from modules.kernel.tags import validate_tags
from modules.network.config import validate_name

#: The endpoint setting under which participants' workloads reach the endpoints: their network
#: interfaces carry their own security groups. (Their calls, signed by their own accounts, are
#: admitted by the endpoint policies' perimeter: modules/flows/policies.py.)
SHAREABLE_ENDPOINT_INGRESS = "vpc"


@functools.cache
def sharing_facts() -> dict[str, object]:
    """aws_constraints.json's ``subnet_sharing``: what AWS allows, with sources (read once)."""
    facts: dict[str, object] = json.loads(CONSTRAINTS_PATH.read_text())["subnet_sharing"]
    return facts


@dataclass(frozen=True, kw_only=True)
class SubnetSharingConfig:
    """One RAM resource share of subnets, with the principals it admits. Which subnets: the
    construct's ``subnets`` argument (an environment picks them by ``subnet_sharing.roles``)."""

    #: Prefix of the share's name (``<name>-subnets``) and Name tag.
    name: str
    #: Who the subnets are shared with: account ids, or the ARN of the organization or of an OU.
    principals: tuple[str, ...]
    #: Whether the share may admit accounts outside the organization. AWS shares subnets only
    #: inside it, so leaving this false refuses a stray account at apply. Default: ``False``.
    allow_external_principals: bool = False

    #: Tags on every resource of this module, beside its own Name tag (the stack tags every
    #: module at once with the provider's default_tags instead). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        if not self.principals:
            raise ConfigError(
                "subnet_sharing.principals",
                "no principal to share with",
                list(self.principals),
                'Name at least one account id, OU ARN or organization ARN, e.g. ["111122223333"].',
            )
        for index, principal in enumerate(self.principals):
            if not PRINCIPAL_PATTERN.match(principal):
                raise ConfigError(
                    f"subnet_sharing.principals[{index}]",
                    "not an account id, organization ARN or OU ARN",
                    principal,
                    "Give a 12-digit account id, "
                    "arn:aws:organizations::<account>:organization/o-... "
                    "or arn:aws:organizations::<account>:ou/o-.../ou-....",
                )
        repeated = sorted({p for p in self.principals if self.principals.count(p) > 1})
        if repeated:
            raise ConfigError(
                "subnet_sharing.principals",
                "a principal is listed twice",
                repeated[0],
                "List each principal once.",
            )
