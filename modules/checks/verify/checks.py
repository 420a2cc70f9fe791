"""The properties verify proves; each violation is a Finding naming resource and attribute."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, cast

from modules.checks.finding import Finding
from modules.checks.verify.acl import acl_entries
from modules.checks.verify.model import (
    CONFIGURED_ACCOUNT,
    Instance,
    Model,
    Ref,
    normalize_account,
)
from modules.facts.aws_constraints import partition_of
from modules.facts.facts import Facts
from modules.facts.rules import ENDPOINT_GROUP
from modules.flows.iam import covers
from modules.flows.policies import Perimeter, policy_document, rules_in_use
from modules.flows.view import UNKNOWN
from modules.network.config import MINIMUM_RETENTION_DAYS
from modules.network.nacl import allows_everywhere

OPEN = ("0.0.0.0/0", "::/0")
#: The perimeter of a network that says nothing of its own (deployed before 0.9.0).
NO_PERIMETER = Perimeter("any")


def perimeter_of(model: Model) -> Perimeter:
    """The perimeter the configuration or plan says the network has (its outputs)."""
    selection = model.selection
    return Perimeter(
        selection.principal_scope, selection.organization_id or None, selection.participants
    )


# Resources that connect a VPC to the internet or to other networks.
CONNECTING_TYPES = {
    "aws_internet_gateway": "an internet gateway",
    "aws_internet_gateway_attachment": "an internet gateway attachment",
    "aws_egress_only_internet_gateway": "an egress-only internet gateway",
    "aws_nat_gateway": "a NAT gateway",
    "aws_eip": "an Elastic IP",
    "aws_eip_association": "an Elastic IP association",
    "aws_vpn_gateway": "a virtual private gateway",
    "aws_vpn_gateway_attachment": "a virtual private gateway attachment",
    "aws_vpn_connection": "a VPN connection",
    "aws_ec2_transit_gateway_vpc_attachment": "a transit gateway attachment",
    "aws_vpc_peering_connection": "a VPC peering connection",
    "aws_vpc_peering_connection_accepter": "a VPC peering connection",
    "aws_ec2_carrier_gateway": "a carrier gateway",
}
#: The attributes a route names its CIDR destination by (inline in a route table, or aws_route).
ROUTE_DESTINATIONS = (
    "cidr_block",
    "destination_cidr_block",
    "ipv6_cidr_block",
    "destination_ipv6_cidr_block",
)
ROUTE_TARGETS = (
    "gateway_id",
    "nat_gateway_id",
    "transit_gateway_id",
    "vpc_peering_connection_id",
    "egress_only_gateway_id",
    "carrier_gateway_id",
    "core_network_arn",
    "local_gateway_id",
    "network_interface_id",
    "vpc_endpoint_id",
)


def network_findings(model: Model) -> list[Finding]:
    """Every property of the network itself (the flows' reachability is
    modules.checks.verify.reachability)."""
    return [
        *internet_findings(model),
        *_flows(model),
        *_endpoints(model),
        *_policies(model),
        *_flow_logs(model),
        *_default_security_group(model),
        *_network_acls(model),
        *_subnet_sharing(model),
    ]


def _known(value: Any) -> bool:
    """Set to something: neither empty nor known only after apply."""
    return value is not UNKNOWN and bool(value)


UNKNOWN_PROBLEM = "known only after apply: cannot be proven from this plan"


def _unknown(check: str, instance: Instance, attribute: str) -> Finding:
    return Finding(check, instance.address, attribute, UNKNOWN_PROBLEM)


# ---- no path to or from the internet ----------------------------------------------------------


def internet_findings(model: Model) -> Iterator[Finding]:
    """Every way the network connects to the internet or other networks."""
    yield from _connecting_resources(model)
    yield from _public_addresses(model)
    yield from _routes(model)
    yield from _open_rules(model)


def _connecting_resources(model: Model) -> Iterator[Finding]:
    for instance in model.instances:
        if instance.type in CONNECTING_TYPES:
            yield Finding(
                "internet",
                instance.address,
                None,
                f"{CONNECTING_TYPES[instance.type]} connects the VPC to other networks",
            )


def _public_addresses(model: Model) -> Iterator[Finding]:
    for vpc in model.of_type("aws_vpc"):
        if vpc.get("assign_generated_ipv6_cidr_block") is True or _known(
            vpc.get("ipv6_cidr_block")
        ):
            yield Finding(
                "internet",
                vpc.address,
                "assign_generated_ipv6_cidr_block",
                "the VPC has IPv6 addresses",
            )
    for subnet in model.of_type("aws_subnet"):
        for attribute in (
            "map_public_ip_on_launch",
            "assign_ipv6_address_on_creation",
            "map_customer_owned_ip_on_launch",
        ):
            if subnet.get(attribute) is True:
                yield Finding(
                    "internet",
                    subnet.address,
                    attribute,
                    "instances get addresses reachable from outside",
                )
        if _known(subnet.get("ipv6_cidr_block")):
            yield Finding(
                "internet", subnet.address, "ipv6_cidr_block", "the subnet has IPv6 addresses"
            )
    for instance in model.of_type("aws_instance", "aws_launch_template"):
        if instance.get("associate_public_ip_address") is True:
            yield Finding(
                "internet", instance.address, "associate_public_ip_address", "a public IP"
            )


def _routes(model: Model) -> Iterator[Finding]:
    for table in model.of_type("aws_route_table", "aws_default_route_table"):
        routes = table.get("route")
        if routes is UNKNOWN:
            yield _unknown("internet", table, "route")
            continue
        for route in routes or []:
            yield from _route(table, route, "route")
    for route in model.of_type("aws_route"):
        yield from _route(route, route.values, None)


def _open_rules(model: Model) -> Iterator[Finding]:
    for rule in _rule_instances(model):
        for attribute in ("cidr_ipv4", "cidr_ipv6", "cidr_blocks", "ipv6_cidr_blocks"):
            value = rule.get(attribute)
            values = value if isinstance(value, list) else [value]
            if any(v in OPEN for v in values):
                yield Finding(
                    "internet",
                    rule.address,
                    attribute,
                    f"open to {', '.join(v for v in values if v in OPEN)}",
                )
    for group in model.of_type("aws_security_group", "aws_default_security_group"):
        # In a plan, ingress/egress also list the separate rule resources (checked above).
        if model.from_plan and group.type == "aws_security_group":
            continue
        for direction in ("ingress", "egress"):
            entries = group.get(direction)
            for entry in entries if isinstance(entries, list) else []:
                if any(
                    c in OPEN
                    for c in (entry.get("cidr_blocks") or [])
                    + (entry.get("ipv6_cidr_blocks") or [])
                ):
                    yield Finding(
                        "internet", group.address, direction, "an inline rule open to the internet"
                    )


def route_destination(route: Mapping[str, Any]) -> Any:
    """A route's CIDR destination (None for a route to a prefix list)."""
    return next((route[a] for a in ROUTE_DESTINATIONS if route.get(a)), None)


def _route(owner: Instance, route: dict[str, Any], attribute: str | None) -> Iterator[Finding]:
    destination = route_destination(route)
    where = f"{attribute} {destination}" if attribute else destination
    if destination in OPEN:
        yield Finding(
            "internet",
            owner.address,
            attribute,
            f"route {where}: a default route leads out of the VPC",
        )
        return
    targets = [t for t in ROUTE_TARGETS if route.get(t) and route.get(t) != "local"]
    if targets:
        yield Finding(
            "internet",
            owner.address,
            attribute,
            f"route {where} via {targets[0]}: traffic can leave the VPC",
        )


def _rule_instances(model: Model) -> list[Instance]:
    return model.of_type(
        "aws_vpc_security_group_ingress_rule",
        "aws_vpc_security_group_egress_rule",
        "aws_security_group_rule",
    )


# ---- the flow matrix ------------------------------------------------------------------------

Flow = tuple[str, str, str, int, int, str]  # group, direction, protocol, from, to, peer


def _peer(model: Model, rule: Instance) -> str | object:
    vpc_cidrs = {v.get("cidr_block") for v in model.of_type("aws_vpc")}
    for attribute in ("referenced_security_group_id", "prefix_list_id", "cidr_ipv4", "cidr_ipv6"):
        value = rule.get(attribute)
        if value is UNKNOWN:
            return cast(object, UNKNOWN)
        resolved = model.resolve(value)
        if isinstance(resolved, Ref):
            return resolved.key or resolved.address
        if resolved:
            return "vpc" if resolved in vpc_cidrs else str(resolved)
    return "?"


def actual_flows(model: Model) -> tuple[dict[Flow, Instance], list[Finding]]:
    flows: dict[Flow, Instance] = {}
    unknown: list[Finding] = []
    for rule in _rule_instances(model):
        if rule.type == "aws_security_group_rule":
            direction = str(rule.get("type"))
            group = model.resolve(rule.get("security_group_id"))
            peer: Any = ",".join(rule.get("cidr_blocks") or []) or model.resolve(
                rule.get("source_security_group_id")
            )
            peer = peer.key if isinstance(peer, Ref) else peer
        else:
            direction = "ingress" if rule.type.endswith("ingress_rule") else "egress"
            group = model.resolve(rule.get("security_group_id"))
            peer = _peer(model, rule)
        if rule.get("security_group_id") is UNKNOWN or peer is UNKNOWN:
            unknown.append(
                _unknown("flows", rule, "security_group_id" if peer is not UNKNOWN else "peer")
            )
            continue
        group_key = group.key if isinstance(group, Ref) else str(group)
        protocol = str(rule.get("ip_protocol") or rule.get("protocol"))
        from_port, to_port = (
            int(rule.get(p) if rule.get(p) is not None else -1) for p in ("from_port", "to_port")
        )
        flows[(str(group_key), direction, protocol, from_port, to_port, str(peer))] = rule
    return flows, unknown


def expected_flows(flows: tuple[str, ...], endpoint_ingress: str, facts: Facts) -> set[Flow]:
    """The rules a network serving these flows carries, as (group, direction, ...) tuples."""
    return {
        (r.group, r.direction, "tcp", r.port, r.port, r.peer)
        for r in rules_in_use(flows, endpoint_ingress, facts).values()
    }


def _flows(model: Model) -> Iterator[Finding]:
    flows, unknown = actual_flows(model)
    yield from unknown
    if unknown:
        return
    expected = expected_flows(model.flows, model.selection.endpoint_ingress, model.facts)
    for flow, rule in sorted(flows.items(), key=lambda item: item[1].address):
        if flow not in expected:
            yield Finding(
                "flows", rule.address, None, f"allows {_describe(flow)}: no selected flow needs it"
            )
        if flow[2] == "-1":
            yield Finding("flows", rule.address, "ip_protocol", "all protocols and ports")
    for flow in sorted(expected - set(flows)):
        yield Finding(
            "flows",
            f"rules.json: {flow[0]}",
            None,
            f"the rule {_describe(flow)} of the selected flows is missing",
        )


def ports_of(flow: Flow) -> str:
    """``tcp/443``, ``tcp/1024-2048``, or ``all`` (protocol -1)."""
    _, _, protocol, from_port, to_port, _ = flow
    if protocol == "-1":
        return "all"
    return f"{protocol}/{from_port}" + (f"-{to_port}" if to_port != from_port else "")


def _ends(flow: Flow) -> tuple[str, str]:
    """(source, destination) of a flow: an egress rule's group sends, an ingress rule's receives."""
    group, direction, _, _, _, peer = flow
    return (group, peer) if direction == "egress" else (peer, group)


def _describe(flow: Flow) -> str:
    source, destination = _ends(flow)
    ports = ports_of(flow)
    return f"{source} -> {destination} on {'all ports' if ports == 'all' else ports}"


def flow_matrix(model: Model) -> list[tuple[str, str, str, str]]:
    """(source, destination, port, why) for every allowed flow, sorted."""
    flows, _ = actual_flows(model)

    def name(end: str) -> str:
        return "VPC CIDR" if end == "vpc" else end

    rows = []
    for flow, rule in flows.items():
        source, destination = _ends(flow)
        rows.append(
            (name(source), name(destination), ports_of(flow), str(rule.get("description") or ""))
        )
    return sorted(rows)


# ---- endpoints --------------------------------------------------------------------------------


def _ref_keys(model: Model, values: Any) -> set[str] | object:
    if values is UNKNOWN:
        return cast(object, UNKNOWN)
    keys = set()
    for value in values or []:
        resolved = model.resolve(value)
        if value is UNKNOWN or not isinstance(resolved, Ref):
            return cast(object, UNKNOWN)
        keys.add(resolved.address)
    return keys


def zone_of(subnet: Instance) -> Any:
    """The subnet's AZ ID where known (the same zone in every account), else its AZ name: one
    model compares like with like, whether its subnets are placed by name or by ID."""
    zone_id = subnet.get("availability_zone_id")
    return zone_id if _known(zone_id) else subnet.get("availability_zone")


def _endpoints(model: Model) -> Iterator[Finding]:
    for vpc in model.of_type("aws_vpc"):
        for attribute in ("enable_dns_support", "enable_dns_hostnames"):
            if vpc.get(attribute) is not True:
                yield Finding(
                    "endpoints",
                    vpc.address,
                    attribute,
                    "private DNS of interface endpoints needs it on",
                )
    subnets = {s.address: s for s in model.of_type("aws_subnet")}
    table_of, undetermined = _route_tables_of_subnets(model)
    for association in undetermined:
        yield _unknown("endpoints", association, "subnet_id")
    for subnet in subnets:
        if subnet not in table_of and not undetermined:
            yield Finding(
                "endpoints",
                subnet,
                None,
                "no route table association: the subnet uses the main route table, "
                "without the gateway endpoints",
            )
    for endpoint in model.of_type("aws_vpc_endpoint"):
        kind = endpoint.get("vpc_endpoint_type")
        if kind == "Interface":
            yield from _interface_endpoint(model, endpoint, subnets)
        elif kind == "Gateway":
            yield from _gateway_endpoint(model, endpoint, set(table_of.values()))


def _route_tables_of_subnets(model: Model) -> tuple[dict[str, str], list[Instance]]:
    """Route table address by subnet address, and the associations not known before apply."""
    table_of: dict[str, str] = {}
    undetermined: list[Instance] = []
    for association in model.of_type("aws_route_table_association"):
        subnet, table = (
            model.resolve(association.get("subnet_id")),
            model.resolve(association.get("route_table_id")),
        )
        if isinstance(subnet, Ref) and isinstance(table, Ref):
            table_of[subnet.address] = table.address
        elif UNKNOWN in (subnet, table):
            undetermined.append(association)
    return table_of, undetermined


def _interface_endpoint(
    model: Model, endpoint: Instance, subnets: dict[str, Instance]
) -> Iterator[Finding]:
    """Private DNS on, a subnet in every AZ of the network, and only the endpoints' group."""
    if endpoint.get("private_dns_enabled") is not True:
        yield Finding(
            "endpoints",
            endpoint.address,
            "private_dns_enabled",
            "off: the service's public name resolves to public addresses",
        )
    members = _ref_keys(model, endpoint.get("subnet_ids"))
    if members is UNKNOWN:
        yield _unknown("endpoints", endpoint, "subnet_ids")
    elif isinstance(members, set):
        covered = {zone_of(subnets[m]) for m in members if m in subnets}
        missing = sorted(str(az) for az in {zone_of(s) for s in subnets.values()} - covered)
        if missing:
            yield Finding(
                "endpoints", endpoint.address, "subnet_ids", f"no subnet in {', '.join(missing)}"
            )
    groups = {g.key: g.address for g in model.of_type("aws_security_group") if g.key}
    groups_used = _ref_keys(model, endpoint.get("security_group_ids"))
    if groups_used is UNKNOWN:
        yield _unknown("endpoints", endpoint, "security_group_ids")
    elif groups_used != {groups.get(ENDPOINT_GROUP)}:
        yield Finding(
            "endpoints",
            endpoint.address,
            "security_group_ids",
            f"not exactly the {ENDPOINT_GROUP} security group",
        )


def _gateway_endpoint(model: Model, endpoint: Instance, used: set[str]) -> Iterator[Finding]:
    """On every route table the subnets use (``used``)."""
    tables = _ref_keys(model, endpoint.get("route_table_ids"))
    if tables is UNKNOWN:
        yield _unknown("endpoints", endpoint, "route_table_ids")
    elif isinstance(tables, set):
        missing = sorted(used - tables)
        if missing or not tables:
            yield Finding(
                "endpoints",
                endpoint.address,
                "route_table_ids",
                f"not on the route table the subnets use ({', '.join(missing) or 'none given'})",
            )


# ---- endpoint policies ------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, (str, dict)) else list(value or [])


def _covered(statement: dict[str, Any], needed: list[dict[str, Any]]) -> bool:
    """One needed statement allows at least all this statement allows: its actions and resources
    cover this one's, and this one carries every condition it has."""
    actions = [a.lower() for a in _as_list(statement.get("Action"))]
    resources = _as_list(statement.get("Resource"))
    condition = statement.get("Condition") or {}
    for candidate in needed:
        patterns = [a.lower() for a in _as_list(candidate.get("Action"))]
        if not all(any(covers(p, a) for p in patterns) for a in actions):
            continue
        if not all(
            any(covers(p, r) for p in _as_list(candidate.get("Resource"))) for r in resources
        ):
            continue
        wanted = candidate.get("Condition") or {}
        if all(
            sorted(map(str, _as_list(condition.get(op, {}).get(k))))
            == sorted(map(str, _as_list(v)))
            for op, keys in wanted.items()
            for k, v in keys.items()
        ):
            return True
    return False


def policy_problems(
    service_name: str,
    policy: str | None,
    flows: tuple[str, ...],
    code_buckets: tuple[str, ...],
    account_id: str = CONFIGURED_ACCOUNT,
    perimeter: Perimeter = NO_PERIMETER,
    *,
    facts: Facts,
) -> list[tuple[str, str]]:
    """(attribute, problem) for every way an endpoint policy allows more than the flows need.

    What they need is the policy the flows generate (modules.flows.policies) for this account,
    within the network's perimeter.
    """
    entry = facts.catalog.by_service_name(service_name)
    if entry is None:
        return [("service_name", f"{service_name} is not in the endpoint catalog")]
    if not entry.custom_policy:
        # AWS takes no other policy for it: said at every run (modules/stack/environment.py).
        return []
    if not policy:
        return [("policy", "no policy: the endpoint allows every action")]
    region = service_name.split(".")[2]
    needed = json.loads(
        policy_document(
            entry.key,
            flows,
            code_buckets,
            partition=partition_of(region),
            region=region,
            account_id=account_id,
            perimeter=perimeter,
            facts=facts,
        )
    )["Statement"]
    # A statement with more conditions than needed (a principal scope, say) is narrower: _covered.
    problems = []
    for number, statement in enumerate(
        _as_list(json.loads(normalize_account(policy)).get("Statement"))
    ):
        if not isinstance(statement, dict) or statement.get("Effect") == "Deny":
            continue  # a Deny only narrows
        if (
            "NotAction" in statement
            or "NotResource" in statement
            or not _covered(statement, needed)
        ):
            problems.append(
                (
                    f"policy.Statement[{number}]",
                    f"broader than the selected flows need for {entry.key}: "
                    f"{json.dumps(statement, sort_keys=True)[:160]}",
                )
            )
    return problems


def _policies(model: Model) -> Iterator[Finding]:
    for endpoint in model.of_type("aws_vpc_endpoint"):
        if endpoint.get("policy") is UNKNOWN:
            yield _unknown("policies", endpoint, "policy")
            continue
        problems = policy_problems(
            str(endpoint.get("service_name") or ""),
            endpoint.get("policy"),
            model.flows,
            model.code_buckets,
            model.account_id,
            perimeter_of(model),
            facts=model.facts,
        )
        for attribute, problem in problems:
            yield Finding("policies", endpoint.address, attribute, problem)


# ---- flow logs and the default security group ------------------------------------------------


def _flow_logs(model: Model) -> Iterator[Finding]:
    vpcs = {v.address for v in model.of_type("aws_vpc")}
    logged = set()
    for flow_log in model.of_type("aws_flow_log"):
        vpc = model.resolve(flow_log.get("vpc_id"))
        if vpc is UNKNOWN:
            logged |= vpcs  # which VPC is unknown; the finding below says so
            yield _unknown("flow_logs", flow_log, "vpc_id")
            continue
        if not isinstance(vpc, Ref) or vpc.address not in vpcs:
            continue
        logged.add(vpc.address)
        if flow_log.get("traffic_type") not in ("ALL", "REJECT"):
            yield Finding(
                "flow_logs", flow_log.address, "traffic_type", "rejected traffic is not recorded"
            )
        destination = model.resolve(flow_log.get("log_destination"))
        if destination is UNKNOWN:
            yield _unknown("flow_logs", flow_log, "log_destination")
            continue
        group = model.by_address.get(destination.address) if isinstance(destination, Ref) else None
        if group is None or group.type != "aws_cloudwatch_log_group":
            yield Finding(
                "flow_logs",
                flow_log.address,
                "log_destination",
                "not a log group of this configuration: retention and encryption cannot be shown",
            )
            continue
        retention = group.get("retention_in_days")
        if retention not in (0, None) and int(retention) < MINIMUM_RETENTION_DAYS:
            yield Finding(
                "flow_logs",
                group.address,
                "retention_in_days",
                f"kept {retention} days; at least {MINIMUM_RETENTION_DAYS} (a year of evidence)",
            )
        if retention is None:
            yield Finding("flow_logs", group.address, "retention_in_days", "not set")
        if group.get("kms_key_id") is UNKNOWN:
            yield _unknown("flow_logs", group, "kms_key_id")
        elif not group.get("kms_key_id"):
            yield Finding(
                "flow_logs",
                group.address,
                "kms_key_id",
                "not encrypted with a customer-managed KMS key",
            )
    for vpc in sorted(vpcs - logged):
        yield Finding("flow_logs", vpc, None, "no flow log records this VPC's traffic")


def _default_security_group(model: Model) -> Iterator[Finding]:
    defaults = model.of_type("aws_default_security_group")
    if not defaults:
        yield Finding(
            "default_security_group",
            "aws_default_security_group",
            None,
            "not managed: AWS's default group allows all traffic between its members and all "
            "egress",
        )
    for group in defaults:
        for direction in ("ingress", "egress"):
            if group.get(direction) not in ([], UNKNOWN):
                yield Finding(
                    "default_security_group",
                    group.address,
                    direction,
                    "the default security group must allow nothing",
                )


def _network_acls(model: Model) -> Iterator[Finding]:
    """The subnets' network ACL is managed, and nothing in it allows anywhere (EC2.21)."""
    defaults = model.of_type("aws_default_network_acl")
    if not defaults:
        yield Finding(
            "network_acl",
            "aws_default_network_acl",
            None,
            "not managed: AWS's default network ACL allows all traffic from and to anywhere "
            "(Security Hub EC2.21)",
            fix="deploy this version: it adopts the default network ACL (modules/network/nacl.py)",
        )
    for acl in model.of_type("aws_default_network_acl", "aws_network_acl"):
        entries = acl_entries(model, acl)
        if entries is UNKNOWN:
            continue
        for entry in allows_everywhere(entries):
            yield Finding(
                "network_acl",
                acl.address,
                "egress" if entry.egress else "ingress",
                f"entry {entry.rule_no} allows {entry.cidr}: a network ACL here admits the VPC "
                "and the gateway services' CIDRs only (Security Hub EC2.21)",
            )


def _subnet_sharing(model: Model) -> Iterator[Finding]:
    """A share adds no path out: it carries this network's subnets only, whose route table,
    network ACL and endpoints the owner keeps (participants cannot change them); and the
    participants' workloads reach the endpoints (their own groups; their own accounts and
    resources are proven by the flow proof, modules/flows/perimeter.py)."""
    associations = model.of_type("aws_ram_resource_association")
    subnets = {s.address for s in model.of_type("aws_subnet")}
    for association in associations:
        shared = model.resolve(association.get("resource_arn"))
        if shared is UNKNOWN:
            yield _unknown("subnet_sharing", association, "resource_arn")
        elif not (isinstance(shared, Ref) and shared.address in subnets):
            what = shared.address if isinstance(shared, Ref) else shared
            yield Finding(
                "subnet_sharing",
                association.address,
                "resource_arn",
                f"shares {what}, not a subnet of this network: a share here carries the "
                "network's private subnets only",
                fix="share subnets by role (subnet_sharing.roles); share anything else on its own",
            )
    if not associations:
        return
    if model.outputs.get("endpoint_ingress") == "workloads":
        yield Finding(
            "subnet_sharing",
            "output.endpoint_ingress",
            None,
            "the interface endpoints admit only this account's workload groups: participants' "
            "workloads, in groups of their own, are refused",
            fix='endpoint_ingress = "vpc"',
        )
