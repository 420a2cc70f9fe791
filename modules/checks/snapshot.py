"""The deployed VPC as EC2 describes it, each part read once per command.

Every reader of the live network takes a Snapshot instead of an EC2 client: the live checks
(live.py), the flow proof's view of the live network (live_view.py), drift's scan for what
Terraform does not manage (drift/unmanaged.py) and the network ACL's freshness
(acl_freshness.py). A part is read from AWS the first time one of them asks for it; the others
get the same answer. Reads are VPC-wide and filtered here, so that two readers asking for
different slices (one route table, all of them) share one call. A snapshot belongs to one
reading: a command that changes the network and reads it again takes a new one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any


class Snapshot:
    def __init__(self, ec2: Any, vpc_id: str) -> None:
        #: The client, for what the snapshot does not read (flow logs).
        self.ec2 = ec2
        self.vpc_id = vpc_id
        self._prefix_lists: dict[str, list[str]] = {}

    @property
    def in_vpc(self) -> list[dict[str, Any]]:
        return [{"Name": "vpc-id", "Values": [self.vpc_id]}]

    @property
    def attached_to_vpc(self) -> list[dict[str, Any]]:
        return [{"Name": "attachment.vpc-id", "Values": [self.vpc_id]}]

    @functools.cached_property
    def subnets(self) -> list[dict[str, Any]]:
        return list(self.ec2.describe_subnets(Filters=self.in_vpc)["Subnets"])

    @functools.cached_property
    def route_tables(self) -> list[dict[str, Any]]:
        return list(self.ec2.describe_route_tables(Filters=self.in_vpc)["RouteTables"])

    def route_table(self, table_id: str) -> dict[str, Any] | None:
        return next((t for t in self.route_tables if t["RouteTableId"] == table_id), None)

    @functools.cached_property
    def network_acls(self) -> list[dict[str, Any]]:
        return list(self.ec2.describe_network_acls(Filters=self.in_vpc)["NetworkAcls"])

    def network_acl(self, acl_id: str) -> dict[str, Any] | None:
        return next((a for a in self.network_acls if a["NetworkAclId"] == acl_id), None)

    @functools.cached_property
    def security_groups(self) -> list[dict[str, Any]]:
        return list(self.ec2.describe_security_groups(Filters=self.in_vpc)["SecurityGroups"])

    @functools.cached_property
    def security_group_rules(self) -> list[dict[str, Any]]:
        """Every rule of every security group in the VPC."""
        group_ids = [g["GroupId"] for g in self.security_groups]
        if not group_ids:
            return []
        found = self.ec2.describe_security_group_rules(
            Filters=[{"Name": "group-id", "Values": group_ids}]
        )
        return list(found["SecurityGroupRules"])

    def rules_of(self, group_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The rules of the given groups (of this VPC)."""
        wanted = set(group_ids)
        return [r for r in self.security_group_rules if r["GroupId"] in wanted]

    @functools.cached_property
    def vpc_endpoints(self) -> list[dict[str, Any]]:
        """The endpoints of the VPC, those deleted or being deleted left out."""
        found = self.ec2.describe_vpc_endpoints(Filters=self.in_vpc)["VpcEndpoints"]
        return [e for e in found if e["State"].lower() not in ("deleted", "deleting")]

    @functools.cached_property
    def dns(self) -> dict[str, bool]:
        """enableDnsSupport and enableDnsHostnames of the VPC."""
        found = {}
        for attribute in ("enableDnsSupport", "enableDnsHostnames"):
            value = self.ec2.describe_vpc_attribute(VpcId=self.vpc_id, Attribute=attribute)
            found[attribute] = bool(value[attribute[0].upper() + attribute[1:]]["Value"])
        return found

    @functools.cached_property
    def internet_gateways(self) -> list[dict[str, Any]]:
        """The internet gateways attached to the VPC."""
        found = self.ec2.describe_internet_gateways(Filters=self.attached_to_vpc)
        return list(found["InternetGateways"])

    @functools.cached_property
    def egress_only_internet_gateways(self) -> list[dict[str, Any]]:
        """The egress-only internet gateways attached to the VPC."""
        found = self.ec2.describe_egress_only_internet_gateways()
        return [
            g
            for g in found.get("EgressOnlyInternetGateways", [])
            if any(a.get("VpcId") == self.vpc_id for a in g.get("Attachments", []))
        ]

    @functools.cached_property
    def nat_gateways(self) -> list[dict[str, Any]]:
        """The NAT gateways of the VPC, pending or available."""
        found = self.ec2.describe_nat_gateways(Filters=self.in_vpc)["NatGateways"]
        return [n for n in found if n["State"] in ("pending", "available")]

    @functools.cached_property
    def vpc_peering_connections(self) -> list[dict[str, Any]]:
        """The peering connections with the VPC on either side, active or on their way."""
        found = self.ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]
        return [
            p
            for p in found
            if self.vpc_id
            in (
                p.get("RequesterVpcInfo", {}).get("VpcId"),
                p.get("AccepterVpcInfo", {}).get("VpcId"),
            )
            and p["Status"]["Code"] in ("active", "pending-acceptance", "provisioning")
        ]

    @functools.cached_property
    def transit_gateway_attachments(self) -> list[dict[str, Any]]:
        """The VPC's transit gateway attachments, those deleted or being deleted left out."""
        found = self.ec2.describe_transit_gateway_vpc_attachments(Filters=self.in_vpc)
        return [
            a
            for a in found.get("TransitGatewayVpcAttachments", [])
            if a["State"] not in ("deleted", "deleting")
        ]

    @functools.cached_property
    def vpn_gateways(self) -> list[dict[str, Any]]:
        """The virtual private gateways attached (or attaching) to the VPC."""
        found = self.ec2.describe_vpn_gateways(Filters=self.attached_to_vpc)
        return [
            g
            for g in found["VpnGateways"]
            if any(a.get("State") in ("attached", "attaching") for a in g.get("VpcAttachments", []))
        ]

    def prefix_list_cidrs(self, prefix_list_id: str) -> list[str]:
        """The CIDRs of an AWS-managed prefix list, sorted, as AWS serves them now."""
        if prefix_list_id not in self._prefix_lists:
            found = self.ec2.get_managed_prefix_list_entries(PrefixListId=prefix_list_id)
            self._prefix_lists[prefix_list_id] = sorted(e["Cidr"] for e in found["Entries"])
        return list(self._prefix_lists[prefix_list_id])
