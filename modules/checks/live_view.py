"""Reads the deployed network into the flow proof's view (modules.flows.proof), with boto3."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.checks.drift.unmanaged import connecting_resources
from modules.checks.snapshot import Snapshot
from modules.facts.aws_constraints import partition_of
from modules.facts.catalog import Catalog
from modules.flows.view import EndpointView, NetworkView, RouteView, RuleView, SubnetView
from modules.network.nacl import NaclEntry
from modules.stack.environment import Environment


def _reverse(mapping: Mapping[str, str]) -> dict[str, str]:
    return {value: key for key, value in mapping.items()}


def _route_tables(snapshot: Snapshot) -> tuple[dict[str, str], str | None]:
    """Subnet id -> the route table it is associated with, and the VPC's main route table."""
    by_subnet, main = {}, None
    for table in snapshot.route_tables:
        for association in table.get("Associations", []):
            if association.get("Main"):
                main = table["RouteTableId"]
            elif association.get("SubnetId"):
                by_subnet[association["SubnetId"]] = table["RouteTableId"]
    return by_subnet, main


def _route(
    route: Mapping[str, Any], gateway_of_list: Mapping[str, str], key_of_endpoint: Mapping[str, str]
) -> RouteView:
    """A route as DescribeRouteTables gives it: the prefix list of a gateway endpoint of the
    network and an endpoint of a catalog service named by their keys, as the configuration
    names them."""
    listed = route.get("DestinationPrefixListId")
    destination = (
        route.get("DestinationCidrBlock")
        or route.get("DestinationIpv6CidrBlock")
        or route.get("DestinationPrefixListId", "?")
    )
    target = next(
        (str(v) for k, v in route.items() if k.endswith("Id") and not k.startswith("Destination")),
        "?",
    )
    return RouteView(
        gateway_of_list.get(listed, listed) if listed else str(destination),
        key_of_endpoint.get(target, target),
        f"{destination} -> {target}",
    )


def _routes(
    snapshot: Snapshot,
    gateway_of_list: Mapping[str, str],
    endpoints: Mapping[str, dict[str, Any]],
    catalog: Catalog,
) -> dict[str, frozenset[RouteView]]:
    """Route table id -> its routes."""
    key_of_endpoint = {
        endpoint_id: entry.key
        for endpoint_id, live in endpoints.items()
        if (entry := catalog.by_service_name(live["ServiceName"])) is not None
    }
    return {
        table["RouteTableId"]: frozenset(
            _route(r, gateway_of_list, key_of_endpoint) for r in table.get("Routes", [])
        )
        for table in snapshot.route_tables
    }


def _rules(
    snapshot: Snapshot,
    vpc_cidr: str,
    group_names: Mapping[str, str],
    gateway_of_list: Mapping[str, str],
) -> list[RuleView]:
    rules = []
    for rule in snapshot.security_group_rules:
        if rule.get("PrefixListId"):
            kind, peer = (
                "prefix_list",
                gateway_of_list.get(rule["PrefixListId"], rule["PrefixListId"]),
            )
        elif rule.get("ReferencedGroupInfo"):
            group = rule["ReferencedGroupInfo"]["GroupId"]
            kind, peer = "security_group", group_names.get(group, group)
        else:
            cidr = str(rule.get("CidrIpv4") or rule.get("CidrIpv6"))
            kind, peer = "cidr", "vpc" if cidr == vpc_cidr else cidr
        rules.append(
            RuleView(
                rule["SecurityGroupRuleId"],
                group_names.get(rule["GroupId"], rule["GroupId"]),
                "egress" if rule["IsEgress"] else "ingress",
                str(rule["IpProtocol"]),
                int(rule.get("FromPort", -1)),
                int(rule.get("ToPort", -1)),
                kind,
                peer,
            )
        )
    return rules


def nacl_entries(acl: Mapping[str, Any]) -> list[NaclEntry]:
    """The entries of a network ACL as DescribeNetworkAcls returns it."""
    return [
        NaclEntry(
            int(e["RuleNumber"]),
            bool(e["Egress"]),
            str(e["Protocol"]),
            int(e.get("PortRange", {}).get("From", 0)),
            int(e.get("PortRange", {}).get("To", 0)),
            str(e.get("CidrBlock") or e.get("Ipv6CidrBlock")),
            "allow" if e["RuleAction"] == "allow" else "deny",
        )
        for e in acl.get("Entries", [])
    ]


def _nacls(snapshot: Snapshot, subnet_names: Mapping[str, str]) -> dict[str, Any]:
    """Subnet name -> (ACL id, entries) of the ACL each subnet is associated with."""
    found: dict[str, Any] = {}
    for acl in snapshot.network_acls:
        entries = nacl_entries(acl)
        for association in acl.get("Associations", []):
            name = subnet_names.get(association["SubnetId"], association["SubnetId"])
            found[name] = (acl["NetworkAclId"], entries)
    return found


def _prefix_list_cidrs(
    snapshot: Snapshot, prefix_list_ids: Mapping[str, str], catalog: Catalog
) -> dict[str, list[str]]:
    """Gateway service -> the CIDRs of its prefix list, as AWS holds them now."""
    return {
        catalog.endpoints[key].service if key in catalog.endpoints else key: (
            snapshot.prefix_list_cidrs(prefix_list_id)
        )
        for key, prefix_list_id in prefix_list_ids.items()
    }


def _subnets(snapshot: Snapshot, subnet_names: Mapping[str, str]) -> dict[str, SubnetView]:
    """The VPC's subnets by name, each with its route table and role."""
    table_of, main = _route_tables(snapshot)
    subnets = {}
    for s in snapshot.subnets:
        name = subnet_names.get(s["SubnetId"], s["SubnetId"])
        role = next((t["Value"] for t in s.get("Tags", []) if t["Key"] == "Role"), name)
        subnets[name] = SubnetView(
            s["SubnetId"],
            s["CidrBlock"],
            table_of.get(s["SubnetId"], main),
            role,
            s["AvailabilityZone"],
            s["AvailabilityZoneId"],
            bool(s["MapPublicIpOnLaunch"]),
        )
    return subnets


def endpoint_view(key: str, live: Mapping[str, Any], outputs: Mapping[str, Any]) -> EndpointView:
    """One live endpoint (as DescribeVpcEndpoints gives it) of catalog key ``key``, its subnets
    and groups named as the deployment's ``outputs`` name them."""
    subnet_names, group_names = (
        _reverse(outputs["subnet_ids"]),
        _reverse(outputs["security_group_ids"]),
    )
    return EndpointView(
        key=key,
        address=f"{key} endpoint {live['VpcEndpointId']}",
        type=live["VpcEndpointType"],
        private_dns=bool(live.get("PrivateDnsEnabled")),
        subnets={subnet_names.get(s, s) for s in live.get("SubnetIds", [])},
        groups={group_names.get(g["GroupId"], g["GroupId"]) for g in live.get("Groups", [])},
        route_tables=set(live.get("RouteTableIds", [])),
        policy=live.get("PolicyDocument"),
        id=str(live["VpcEndpointId"]),
        dns_entries=bool(live.get("DnsEntries")),
    )


def _endpoints(
    endpoints: Mapping[str, dict[str, Any]], outputs: Mapping[str, Any], catalog: Catalog
) -> dict[str, EndpointView]:
    """The VPC's endpoints by catalog key (the first of a service, by id: the one a flow's DNS
    name would reach is not known where there are two)."""
    views: dict[str, EndpointView] = {}
    for _, live in sorted(endpoints.items()):
        entry = catalog.by_service_name(live["ServiceName"])
        if entry is not None and entry.key not in views:
            views[entry.key] = endpoint_view(entry.key, live, outputs)
    return views


def live_view(
    env: Environment,
    outputs: Mapping[str, Any],
    snapshot: Snapshot,
    *,
    account_id: str,
    endpoints: Mapping[str, dict[str, Any]],
    heal: str,
) -> NetworkView:
    """The deployed network as the flow proof sees it; ``endpoints`` are the VPC's by id (those
    being deleted left out: modules.checks.live)."""
    vpc_id, vpc_cidr = str(outputs["vpc_id"]), str(outputs["vpc_cidr_block"])
    dns = snapshot.dns
    subnet_names = _reverse(outputs["subnet_ids"])
    group_names = _reverse(outputs["security_group_ids"])
    return NetworkView(
        source=f"the live network {vpc_id}",
        region=env.region,
        partition=partition_of(env.region),
        account_id=account_id,
        vpc_address=vpc_id,
        dns_support=bool(dns["enableDnsSupport"]),
        dns_hostnames=bool(dns["enableDnsHostnames"]),
        vpc_cidr=vpc_cidr,
        subnets=_subnets(snapshot, subnet_names),
        groups={name: group_id for group_id, name in group_names.items()},
        rules=_rules(snapshot, vpc_cidr, group_names, _reverse(outputs["prefix_list_ids"])),
        endpoints=_endpoints(endpoints, outputs, env.facts.catalog),
        flows=env.vpc_endpoints.selected_flows,
        facts=env.facts,
        code_buckets=env.vpc_endpoints.code_buckets,
        context={"aws:SourceVpc": vpc_id},
        heal=heal,
        organization_id=env.vpc_endpoints.organization_id or "",
        principal_scope=env.vpc_endpoints.principal_scope,
        participants=env.vpc_endpoints.participants,
        nacls=_nacls(snapshot, subnet_names),
        prefix_lists=dict(outputs["prefix_list_ids"]),
        prefix_list_cidrs=_prefix_list_cidrs(
            snapshot, outputs["prefix_list_ids"], env.facts.catalog
        ),
        routes=_routes(
            snapshot, _reverse(outputs["prefix_list_ids"]), endpoints, env.facts.catalog
        ),
        connections=tuple(f.address for f in connecting_resources(snapshot)),
    )
