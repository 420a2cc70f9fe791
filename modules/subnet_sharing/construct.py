"""The SubnetSharing construct: one AWS RAM resource share of chosen private subnets."""

from __future__ import annotations

from collections.abc import Mapping

from constructs import Construct

from modules.kernel.aws import RamPrincipalAssociation, RamResourceAssociation, RamResourceShare
from modules.kernel.core import TerraformIterator
from modules.kernel.module import Module, each, reference
from modules.kernel.tags import with_name
from modules.subnet_sharing.config import SubnetSharingConfig


class SubnetSharing(Module):
    """Shares subnets with other accounts of the organization through AWS RAM.

    Creates aws_ram_resource_share.<id>_this (``<name>-subnets``, external principals as
    configured: off by default), aws_ram_resource_association.<id>_subnet (one per shared subnet,
    for_each by subnet name) and aws_ram_principal_association.<id>_principal (one per principal,
    for_each). The share adds no route, gateway or rule: participants' workloads reach exactly what
    the owner's route table, network ACL and endpoints let through (help/sharing.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: SubnetSharingConfig,
        subnets: Mapping[str, Mapping[str, str]],
    ) -> None:
        """``subnets``: the subnets to share, by name, each ``{"id", "arn", "role"}`` (the stack
        picks those of ``config.roles``)."""
        super().__init__(scope, construct_id)
        self.config, self.subnets = config, dict(sorted(subnets.items()))
        self.share = self.add(
            RamResourceShare,
            "this",
            name=f"{config.name}-subnets",
            allow_external_principals=config.allow_external_principals,
            tags=with_name(config.tags, f"{config.name}-subnets"),
        )
        share_arn = reference(self.share, "arn")
        self.subnet_associations = self.add(
            RamResourceAssociation,
            "subnet",
            for_each=TerraformIterator.from_map(self.subnets),
            resource_arn=each("arn"),
            resource_share_arn=share_arn,
        )
        self.principal_associations = self.add(
            RamPrincipalAssociation,
            "principal",
            # A map, not toset(): its instances (keyed by principal, as in the twin) are known
            # to verify without Terraform.
            for_each=TerraformIterator.from_map({p: {"principal": p} for p in config.principals}),
            principal=each("principal"),
            resource_share_arn=share_arn,
        )

    @property
    def share_arn(self) -> str:
        """ARN of the resource share (participants see it in their RAM console)."""
        return reference(self.share, "arn")

    @property
    def shared_subnet_ids(self) -> dict[str, list[str]]:
        """The shared subnet ids of each shared role, both in name order."""
        roles: dict[str, list[str]] = {}
        for subnet in self.subnets.values():
            roles.setdefault(subnet["role"], []).append(subnet["id"])
        return roles
