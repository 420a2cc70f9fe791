"""Unmanaged additions: what is in our VPC that Terraform's state does not know about.

Terraform only looks at what it manages: an internet gateway attached by hand, or a rule added
to a security group whose rules are separate resources, never shows in a plan. This inventory
lists the VPC with boto3 and compares it with the ids in state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from modules.checks.drift import severity
from modules.checks.finding import Finding
from modules.checks.snapshot import Snapshot


@dataclass
class Managed:
    """Ids recorded in Terraform state, by kind."""

    vpc_id: str = ""
    ids: set[str] = field(default_factory=set)
    gateway_prefix_lists: set[str] = field(default_factory=set)
    default_security_group: str = ""
    #: Subnet ARNs, and the AWS RAM share of them with what it is meant to carry.
    subnet_arns: set[str] = field(default_factory=set)
    share_arn: str = ""
    shared: set[str] = field(default_factory=set)

    @classmethod
    def from_state(cls, resources: list[dict[str, Any]]) -> Managed:
        managed = cls()
        for resource in resources:
            values = resource.get("values") or {}
            managed.ids.update(
                str(values[k]) for k in ("id", "security_group_rule_id") if values.get(k)
            )
            if resource["type"] == "aws_vpc":
                managed.vpc_id = values["id"]
            if resource["type"] == "aws_vpc_endpoint" and values.get("prefix_list_id"):
                managed.gateway_prefix_lists.add(values["prefix_list_id"])
            if resource["type"] == "aws_default_security_group":
                managed.default_security_group = values["id"]
            if resource["type"] == "aws_subnet" and values.get("arn"):
                managed.subnet_arns.add(values["arn"])
            if resource["type"] == "aws_ram_resource_share":
                managed.share_arn = values["arn"]
            if resource["type"] in (
                "aws_ram_resource_association",
                "aws_ram_principal_association",
            ):
                managed.shared.add(values.get("resource_arn") or values.get("principal") or "")
        return managed


def rule_peer(rule: dict[str, Any]) -> str:
    """What a live security group rule points at: a CIDR, a prefix list or another group."""
    return str(
        rule.get("CidrIpv4")
        or rule.get("CidrIpv6")
        or rule.get("PrefixListId")
        or rule.get("ReferencedGroupInfo", {}).get("GroupId", "?")
    )


def _finding(kind: str, resource_id: str, detail: str, fix: str) -> Finding:
    level, why = severity.unmanaged(kind)
    return Finding(
        "drift.unmanaged",
        resource_id,
        kind,
        why,
        fix=fix,
        expected="absent",
        actual=detail,
        level=level,
    )


def unmanaged_additions(snapshot: Snapshot, managed: Managed, ram: Any = None) -> list[Finding]:
    """What is in the VPC (``managed.vpc_id``, the snapshot's) and not in state; with ``ram``,
    also who the subnets are shared with."""
    if not managed.vpc_id:
        return []
    return list(_scan(snapshot, managed)) + (list(_scan_sharing(ram, managed)) if ram else [])


def _associations(ram: Any, kind: str, **where: Any) -> list[dict[str, Any]]:
    found = ram.get_resource_share_associations(associationType=kind, **where)
    return [
        a
        for a in found["resourceShareAssociations"]
        if a.get("status") in ("ASSOCIATING", "ASSOCIATED")
    ]


def _scan_sharing(ram: Any, managed: Managed) -> Iterator[Finding]:
    """Principals or resources added to our share, and our subnets in a share we do not manage:
    each lets another account place workloads in the VPC (or reach what else is shared)."""
    share = managed.share_arn
    kinds = (
        ("PRINCIPAL", "ram_principal_association", "--principals"),
        ("RESOURCE", "ram_resource_association", "--resource-arns"),
    )
    for kind, attribute, option in kinds if share else ():
        for association in _associations(ram, kind, resourceShareArns=[share]):
            entity = association["associatedEntity"]
            if entity not in managed.shared:
                yield _finding(
                    attribute,
                    entity,
                    f"added to the subnet share {share}",
                    f"aws ram disassociate-resource-share --resource-share-arn {share} "
                    f"{option} {entity}",
                )
    for subnet in sorted(managed.subnet_arns):
        for association in _associations(ram, "RESOURCE", resourceArn=subnet):
            other = association["resourceShareArn"]
            if other != share:
                yield _finding(
                    "ram_resource_share",
                    other,
                    f"shares {subnet.rsplit('/', 1)[-1]} outside Terraform",
                    f"aws ram disassociate-resource-share --resource-share-arn {other} "
                    f"--resource-arns {subnet}",
                )


def connecting_resources(snapshot: Snapshot) -> Iterator[Finding]:
    """Everything that connects the VPC to the internet or another network, managed or not."""
    vpc = snapshot.vpc_id
    for igw in snapshot.internet_gateways:
        gateway = igw["InternetGatewayId"]
        yield _finding(
            "internet_gateway",
            gateway,
            f"attached to {vpc}",
            f"aws ec2 detach-internet-gateway --internet-gateway-id {gateway} --vpc-id {vpc} && "
            f"aws ec2 delete-internet-gateway --internet-gateway-id {gateway}",
        )
    for eigw in snapshot.egress_only_internet_gateways:
        gateway = eigw["EgressOnlyInternetGatewayId"]
        yield _finding(
            "egress_only_internet_gateway",
            gateway,
            f"attached to {vpc}",
            "aws ec2 delete-egress-only-internet-gateway "
            f"--egress-only-internet-gateway-id {gateway}",
        )
    for nat in snapshot.nat_gateways:
        yield _finding(
            "nat_gateway",
            nat["NatGatewayId"],
            f"in subnet {nat.get('SubnetId')}",
            f"aws ec2 delete-nat-gateway --nat-gateway-id {nat['NatGatewayId']}",
        )
    yield from _links_to_other_networks(snapshot)


def _links_to_other_networks(snapshot: Snapshot) -> Iterator[Finding]:
    """Peering connections, transit gateway attachments and VPN gateways of the VPC."""
    vpc = snapshot.vpc_id
    for peering in snapshot.vpc_peering_connections:
        sides = {
            peering.get("RequesterVpcInfo", {}).get("VpcId"),
            peering.get("AccepterVpcInfo", {}).get("VpcId"),
        }
        peering_id = peering["VpcPeeringConnectionId"]
        yield _finding(
            "vpc_peering_connection",
            peering_id,
            f"{peering['Status']['Code']}, with {sorted(s for s in sides if s and s != vpc)}",
            f"aws ec2 delete-vpc-peering-connection --vpc-peering-connection-id {peering_id}",
        )
    for attachment in snapshot.transit_gateway_attachments:
        attachment_id = attachment["TransitGatewayAttachmentId"]
        yield _finding(
            "transit_gateway_attachment",
            attachment_id,
            f"to {attachment['TransitGatewayId']}",
            "aws ec2 delete-transit-gateway-vpc-attachment "
            f"--transit-gateway-attachment-id {attachment_id}",
        )
    for vgw in snapshot.vpn_gateways:
        yield _finding(
            "vpn_gateway",
            vgw["VpnGatewayId"],
            f"attached to {vpc}",
            f"aws ec2 detach-vpn-gateway --vpn-gateway-id {vgw['VpnGatewayId']} --vpc-id {vpc}",
        )


def _scan(snapshot: Snapshot, managed: Managed) -> Iterator[Finding]:
    # None of these is ours: everything connecting the VPC elsewhere is an unmanaged addition.
    yield from connecting_resources(snapshot)
    yield from _scan_subnets_and_routes(snapshot, managed)
    yield from _scan_security_groups(snapshot, managed)
    for endpoint in snapshot.vpc_endpoints:  # those being deleted left out
        if endpoint["VpcEndpointId"] not in managed.ids:
            yield _finding(
                "vpc_endpoint",
                endpoint["VpcEndpointId"],
                endpoint["ServiceName"],
                f"aws ec2 delete-vpc-endpoints --vpc-endpoint-ids {endpoint['VpcEndpointId']}",
            )
    for acl in snapshot.network_acls:
        if not acl["IsDefault"] and acl["NetworkAclId"] not in managed.ids:
            yield _finding(
                "network_acl",
                acl["NetworkAclId"],
                f"{len(acl.get('Associations', []))} subnet(s)",
                f"aws ec2 delete-network-acl --network-acl-id {acl['NetworkAclId']}",
            )


def _scan_subnets_and_routes(snapshot: Snapshot, managed: Managed) -> Iterator[Finding]:
    for subnet in snapshot.subnets:
        if subnet["SubnetId"] not in managed.ids:
            yield _finding(
                "subnet",
                subnet["SubnetId"],
                f"{subnet['CidrBlock']} in {subnet['AvailabilityZone']}",
                f"aws ec2 delete-subnet --subnet-id {subnet['SubnetId']}",
            )
    for table in snapshot.route_tables:
        table_id = table["RouteTableId"]
        main = any(a.get("Main") for a in table.get("Associations", []))
        if table_id in managed.ids:
            continue  # its routes are managed exclusively (route = []): drift shows them
        if not main:
            yield _finding(
                "route_table",
                table_id,
                f"{len(table.get('Associations', []))} association(s)",
                f"aws ec2 delete-route-table --route-table-id {table_id}",
            )
            continue
        for route in table["Routes"]:
            destination = (
                route.get("DestinationCidrBlock")
                or route.get("DestinationIpv6CidrBlock")
                or route.get("DestinationPrefixListId")
            )
            if (
                route.get("GatewayId") == "local"
                or route.get("DestinationPrefixListId") in managed.gateway_prefix_lists
            ):
                continue
            target = (
                route.get("GatewayId")
                or route.get("NatGatewayId")
                or route.get("TransitGatewayId")
                or route.get("VpcPeeringConnectionId")
                or "?"
            )
            flag = (
                "--destination-cidr-block"
                if route.get("DestinationCidrBlock")
                else "--destination-ipv6-cidr-block"
            )
            yield _finding(
                "route",
                f"{table_id}:{destination}",
                f"{destination} -> {target} (main route table)",
                f"aws ec2 delete-route --route-table-id {table_id} {flag} {destination}",
            )


def _scan_security_groups(snapshot: Snapshot, managed: Managed) -> Iterator[Finding]:
    groups = snapshot.security_groups
    ours = [
        g["GroupId"]
        for g in groups
        if g["GroupId"] in managed.ids and g["GroupId"] != managed.default_security_group
    ]
    for group in groups:
        if group["GroupId"] not in managed.ids and group["GroupName"] != "default":
            yield _finding(
                "security_group",
                group["GroupId"],
                group["GroupName"],
                f"aws ec2 delete-security-group --group-id {group['GroupId']}",
            )
    if not ours:
        return
    for rule in snapshot.rules_of(ours):
        if rule["SecurityGroupRuleId"] in managed.ids:
            continue
        direction = "egress" if rule["IsEgress"] else "ingress"
        ports = (
            "all"
            if rule["IpProtocol"] == "-1"
            else f"{rule['IpProtocol']} {rule.get('FromPort')}-{rule.get('ToPort')}"
        )
        yield _finding(
            "security_group_rule",
            rule["SecurityGroupRuleId"],
            f"{direction} {ports} {rule_peer(rule)} on {rule['GroupId']}",
            f"aws ec2 revoke-security-group-{direction} --group-id {rule['GroupId']} "
            f"--security-group-rule-ids {rule['SecurityGroupRuleId']}",
        )
