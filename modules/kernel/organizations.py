"""AWS Organizations identifiers: accounts, the organization, its OUs (no cdktf import)."""

from __future__ import annotations

import re

#: RAM principals a subnet can be shared with (AssociateResourceShare): an account, the
#: organization, or an organizational unit. The HCL twins' variable validations use the same.
PRINCIPAL_PATTERN = re.compile(
    r"^([0-9]{12}"
    r"|arn:aws(-us-gov)?:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}"
    r"|arn:aws(-us-gov)?:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}"
    r"/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$"
)
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
ORGANIZATION_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
_ORGANIZATION_OF = re.compile(r":(?:organization|ou)/(o-[a-z0-9]{10,32})")


def is_account(principal: str) -> bool:
    """A 12-digit account id (not an organization or OU ARN)."""
    return bool(ACCOUNT_ID.match(principal))


def organization_of(principal: str) -> str | None:
    """The organization id an organization or OU ARN names; None for an account id."""
    match = _ORGANIZATION_OF.search(principal)
    return match.group(1) if match else None
