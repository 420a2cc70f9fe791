"""The flow proof (modules.flows.proof) on a configuration or a plan: the model as a network
view."""

from __future__ import annotations

from typing import Any

from modules.checks.finding import Finding
from modules.checks.verify.acl import acl_entries
from modules.checks.verify.checks import (
    CONNECTING_TYPES,
    ROUTE_TARGETS,
    UNKNOWN_PROBLEM,
    actual_flows,
    route_destination,
)
from modules.checks.verify.model import Instance, Model, Ref, normalize_account
from modules.facts.aws_constraints import constraints, partition_of
from modules.flows.perimeter import StrangerAccess
from modules.flows.proof import FlowResult, prove
from modules.flows.view import (
    UNKNOWN,
    EndpointView,
    NetworkView,
    RouteView,
    RuleView,
    SubnetView,
)


def _name(model: Model, value: Any) -> Any:
    """The for_each key (or address) of the resource a reference points at; UNKNOWN if unknown."""
    if value is UNKNOWN:
        return UNKNOWN
    resolved = model.resolve(value)
    if isinstance(resolved, Ref):
        return resolved.key or resolved.address
    return UNKNOWN if model.from_plan and resolved is None else resolved


def _names(model: Model, values: Any) -> Any:
    if values is UNKNOWN:
        return UNKNOWN
    names = {_name(model, v) for v in values or []}
    return UNKNOWN if UNKNOWN in names else names


def _address_of(model: Model, value: Any) -> Any:
    resolved = model.resolve(value)
    return (
        resolved.address if isinstance(resolved, Ref) else UNKNOWN if value is UNKNOWN else resolved
    )


def _addresses(model: Model, values: Any) -> Any:
    """The addresses of referenced resources; UNKNOWN if any is (a plan before its first apply)."""
    if values is UNKNOWN:
        return UNKNOWN
    if isinstance(
        values, str
    ):  # a plan's one reference for the whole list ([x.id]): that one resource
        values = [values]
    addresses = {_address_of(model, v) for v in values or []}
    return UNKNOWN if UNKNOWN in addresses else addresses


def _region(model: Model) -> str:
    for endpoint in model.of_type("aws_vpc_endpoint"):
        parts = str(endpoint.get("service_name") or "").split(".")
        if len(parts) >= 4:
            return parts[2]
    zones = [s.get("availability_zone") for s in model.of_type("aws_subnet")]
    names = [z for z in zones if isinstance(z, str) and z]
    if names:
        return names[0][:-1]
    return next(
        (
            r
            for r, facts in constraints().regions.items()
            for s in model.of_type("aws_subnet")
            if s.get("availability_zone_id") in facts.az_ids
        ),
        "us-east-1",
    )


def _endpoint(model: Model, instance: Instance) -> EndpointView | None:
    entry = model.facts.catalog.by_service_name(str(instance.get("service_name") or ""))
    if entry is None:
        return None
    policy = instance.get("policy")
    return EndpointView(
        key=entry.key,
        address=instance.address,
        type=str(instance.get("vpc_endpoint_type") or entry.type),
        private_dns=instance.get("private_dns_enabled"),
        subnets=_names(model, instance.get("subnet_ids")),
        groups=_names(model, instance.get("security_group_ids")),
        route_tables=_addresses(model, instance.get("route_table_ids")),
        policy=normalize_account(policy) if isinstance(policy, str) else policy,
    )


def _known_bool(value: Any) -> Any:
    """A boolean attribute: its value where known (absent: false), UNKNOWN where not yet."""
    return value if value is UNKNOWN else bool(value)


def _role(subnet: Instance) -> str:
    tags = subnet.get("tags")
    role = tags.get("Role") if isinstance(tags, dict) else None
    return str(role) if isinstance(role, str) and role else str(subnet.key or "")


def _peer_kind(rule: Instance) -> str:
    if rule.get("prefix_list_id"):
        return "prefix_list"
    if rule.get("referenced_security_group_id") or rule.get("source_security_group_id"):
        return "security_group"
    return "cidr"


def _nacls(model: Model, subnets: dict[str, SubnetView]) -> Any:
    """Subnet name -> (ACL address, entries): the adopted default ACL holds every subnet that no
    other ACL of the configuration names."""
    found: dict[str, Any] = {}
    for acl in model.of_type("aws_default_network_acl"):
        found.update({name: (acl.address, acl_entries(model, acl)) for name in subnets})
    for acl in model.of_type("aws_network_acl"):
        names = _names(model, acl.get("subnet_ids"))
        if names is UNKNOWN:
            return UNKNOWN
        found.update({str(name): (acl.address, acl_entries(model, acl)) for name in names})
    return found


def _subnets(model: Model) -> dict[str, SubnetView]:
    """The subnets by name, each with the route table it is associated with."""
    tables: dict[str, Any] = {}
    for association in model.of_type("aws_route_table_association"):
        subnet, table = (
            _name(model, association.get("subnet_id")),
            _address_of(model, association.get("route_table_id")),
        )
        if subnet is not UNKNOWN:
            tables[subnet] = table
    return {
        str(s.key or s.address): SubnetView(
            s.address,
            s.get("cidr_block"),
            tables.get(s.key or s.address),
            _role(s),
            s.get("availability_zone"),
            s.get("availability_zone_id"),
            _known_bool(s.get("map_public_ip_on_launch")),
        )
        for s in model.of_type("aws_subnet")
    }


def _route(model: Model, route: dict[str, Any]) -> RouteView:
    destination = route_destination(route) or _name(model, route.get("destination_prefix_list_id"))
    target = next((_name(model, route[t]) for t in ROUTE_TARGETS if route.get(t)), "?")
    return RouteView(str(destination), str(target), f"{destination} -> {target}")


def _routes(
    model: Model, vpc_cidr: Any, endpoints: dict[str, EndpointView]
) -> dict[str, frozenset[RouteView]]:
    """Route table address -> its routes: the local one, those it lists, the aws_route resources
    on it and one to each gateway endpoint on it (a table whose routes are not known yet left
    out)."""
    local = RouteView(str(vpc_cidr), "local", f"{vpc_cidr} -> local")
    routes: dict[str, set[RouteView]] = {}
    for table in model.of_type("aws_route_table", "aws_default_route_table"):
        listed = table.get("route")
        if listed is not UNKNOWN:
            routes[table.address] = {local, *(_route(model, r) for r in listed or [])}
    for route in model.of_type("aws_route"):
        table = _address_of(model, route.get("route_table_id"))
        if table in routes:
            routes[table].add(_route(model, route.values))
    for endpoint in endpoints.values():
        for table in endpoint.route_tables if isinstance(endpoint.route_tables, set) else ():
            if table in routes:
                routes[table].add(RouteView(endpoint.key, endpoint.key, endpoint.address))
    return {table: frozenset(found) for table, found in routes.items()}


def view_of(model: Model) -> NetworkView:
    """The network a configuration or plan describes, as the flow proof sees it."""
    vpcs = model.of_type("aws_vpc")
    vpc = vpcs[0] if vpcs else Instance("aws_vpc", "aws_vpc (none)", {})
    subnets = _subnets(model)
    flows, unknown = actual_flows(model)
    rules: Any = (
        UNKNOWN
        if unknown
        else [
            RuleView(rule.address, group, direction, protocol, low, high, _peer_kind(rule), peer)
            for (group, direction, protocol, low, high, peer), rule in flows.items()
        ]
    )
    endpoints: dict[str, EndpointView] = {}
    for instance in model.of_type("aws_vpc_endpoint"):
        view = _endpoint(model, instance)
        if view is not None:
            endpoints.setdefault(view.key, view)
    region = _region(model)
    return NetworkView(
        source=model.source,
        region=region,
        partition=partition_of(region),
        account_id=model.account_id,
        vpc_address=vpc.address,
        dns_support=vpc.get("enable_dns_support"),
        dns_hostnames=vpc.get("enable_dns_hostnames"),
        vpc_cidr=vpc.get("cidr_block"),
        subnets=subnets,
        groups={str(g.key): g.address for g in model.of_type("aws_security_group") if g.key},
        rules=rules,
        endpoints=endpoints,
        flows=model.flows,
        facts=model.facts,
        code_buckets=model.code_buckets,
        organization_id=model.selection.organization_id,
        principal_scope=model.selection.principal_scope,
        participants=model.selection.participants,
        nacls=_nacls(model, subnets),
        prefix_list_cidrs=model.prefix_list_cidrs,
        routes=_routes(model, vpc.get("cidr_block"), endpoints),
        connections=tuple(i.address for i in model.instances if i.type in CONNECTING_TYPES),
    )


def flow_results(model: Model) -> list[FlowResult]:
    return prove(view_of(model))


def perimeter_findings(access: list[StrangerAccess]) -> list[Finding]:
    """One finding per way a stranger gets through that the network does not mean to leave
    open: foreign credentials on a call only the workloads sign (unless the configuration opts
    out), or this account's roles on another account's resources."""
    return [
        Finding(
            "perimeter",
            f"{a.endpoint} endpoint policy",
            a.sid,
            f"{a.why}: {', '.join(a.actions)} by {a.who}, on {a.on} (flow {a.flow})",
            flow=a.flow,
            fix=f"deploy the policy the flows generate (statement {a.sid} with the "
            f"{a.perimeter} perimeter; help/sources.md#perimeter-examples)",
        )
        for a in access
        if not a.expected
    ]


def flow_findings(results: list[FlowResult]) -> list[Finding]:
    """One finding per flow that is not reachable: the hop where it stops, and the fix."""
    findings = []
    for result in results:
        hop = result.blocked_at
        if hop is None:
            continue
        undecided = hop.ok is None and "known only after apply" in hop.detail
        problem = (
            UNKNOWN_PROBLEM
            if undecided
            else f"flow {result.flow.key} blocked at {hop.kind} "
            f"({hop.workload} -> {hop.endpoint}): {hop.detail}"
        )
        findings.append(
            Finding(
                "reachability", hop.address, hop.kind, problem, flow=result.flow.key, fix=hop.fix
            )
        )
    return findings
