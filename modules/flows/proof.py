"""Proves each selected flow end to end on a view of a network, hop by hop.

The view is built from a synthesized configuration, a plan (modules/verify) or the live VPC
(modules/live): the same evaluation runs on all three. A flow is reachable when, for every
workload it comes from and every call it makes: the VPC resolves names (DNS support, and
hostnames for private DNS), the endpoint exists (with private DNS, if interface), the workload's
subnets route to it (gateway), the workload's group may send HTTPS to it, the endpoint's group
admits that (interface), and the endpoint policy allows every action on every resource for every
way the call is signed; the subnets' network ACLs let the connection and its replies through
(modules/network/nacl.py). The first hop that does not hold is where the flow is blocked.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from modules.facts.catalog import EndpointService
from modules.facts.facts import Facts
from modules.facts.flows import Call, Flow, peer_of
from modules.facts.rules import ENDPOINT_GROUP
from modules.flows.iam import evaluate
from modules.flows.perimeter import presentations
from modules.flows.view import (
    UNKNOWN,
    EndpointView,
    NetworkView,
    RuleView,
    SubnetView,
)
from modules.kernel.policy import render
from modules.network.nacl import EPHEMERAL_PORTS, SYMBOLIC, verdict

HopKind = Literal[
    "vpc_dns", "endpoint", "private_dns", "route", "nacl", "egress", "ingress", "policy"
]
HOP_KINDS: tuple[HopKind, ...] = (
    "vpc_dns",
    "endpoint",
    "private_dns",
    "route",
    "nacl",
    "egress",
    "ingress",
    "policy",
)


@dataclass(frozen=True)
class Hop:
    kind: HopKind
    workload: str
    endpoint: str
    address: str
    #: True holds, False blocks, None cannot be decided (unknown value or condition).
    ok: bool | None
    detail: str
    fix: str = ""
    attribute: str | None = None


#: Makes the Hop of one call: (kind, address, ok, detail, fix, attribute).
HopMaker = Callable[..., Hop]
#: One direction of a connection through a network ACL: (egress, (from port, to port), verb).
Leg = tuple[bool, tuple[int, int], str]


@dataclass(frozen=True)
class FlowResult:
    flow: Flow
    hops: tuple[Hop, ...]
    warnings: tuple[str, ...] = ()

    @property
    def status(self) -> Literal["reachable", "blocked", "unproven"]:
        if any(h.ok is False for h in self.hops):
            return "blocked"
        return "unproven" if any(h.ok is None for h in self.hops) else "reachable"

    @property
    def blocked_at(self) -> Hop | None:
        """The first hop that blocks the flow (or, if none does, the first undecided one)."""
        return next((h for h in self.hops if h.ok is False), None) or next(
            (h for h in self.hops if h.ok is None), None
        )

    def as_dict(self) -> dict[str, Any]:
        blocked = self.blocked_at
        return {
            "flow": self.flow.key,
            "title": self.flow.title,
            "status": self.status,
            "blocked_at": None if blocked is None else _hop_dict(blocked),
            "hops": [_hop_dict(h) for h in self.hops],
            "warnings": list(self.warnings),
        }


def _hop_dict(hop: Hop) -> dict[str, Any]:
    return {
        "hop": hop.kind,
        "workload": hop.workload,
        "endpoint": hop.endpoint,
        "address": hop.address,
        "attribute": hop.attribute,
        "ok": hop.ok,
        "detail": hop.detail,
        "fix": hop.fix,
    }


def prove(view: NetworkView) -> list[FlowResult]:
    """Every flow the view is meant to serve, evaluated hop by hop, in flow order."""
    return [_prove_flow(view, view.facts.flows.flows[key]) for key in sorted(view.flows)]


def _prove_flow(view: NetworkView, flow: Flow) -> FlowResult:
    hops: dict[tuple[Any, ...], Hop] = {}
    for source in flow.sources:
        for call in flow.calls:
            for hop in _call_hops(view, source, call):
                # The same hop for several calls or workloads is shown once.
                hops.setdefault((hop.kind, hop.address, hop.attribute, hop.detail), hop)
    warnings = tuple(f"{c.sid}: unconfirmed: {c.unconfirmed}" for c in flow.calls if c.unconfirmed)
    return FlowResult(flow, tuple(hops.values()), warnings)


def _heal(view: NetworkView, change: str) -> str:
    return f"{change}, or {view.heal}" if view.heal else change


def _source_subnets(view: NetworkView, workload: str) -> dict[str, SubnetView]:
    preferred = view.facts.flows.workloads[workload].subnets
    chosen = {name: s for name, s in view.subnets.items() if (s.role or name) in preferred}
    return chosen or dict(view.subnets)  # placed nowhere in particular: it may run in any subnet


def _call_hops(view: NetworkView, workload: str, call: Call) -> Iterator[Hop]:
    group = view.facts.flows.workloads[workload].security_group

    def hop(
        kind: HopKind,
        address: str,
        ok: bool | None,
        detail: str,
        fix: str = "",
        attribute: str | None = None,
    ) -> Hop:
        return Hop(
            kind,
            workload,
            call.endpoint or str(call.target),
            address,
            ok,
            detail,
            fix if ok is not True else "",
            attribute,
        )

    if call.target is not None:
        yield from _target_hops(view, workload, group, call, hop)
        return
    assert call.endpoint is not None
    entry = view.facts.catalog.endpoints[call.endpoint]
    yield from _dns_hops(view, entry, call, hop)
    endpoint = view.endpoints.get(call.endpoint)
    if endpoint is None:
        yield hop(
            "endpoint",
            f"endpoint {call.endpoint}",
            False,
            f"there is no {entry.service} endpoint",
            _heal(view, f"add {call.endpoint!r} to endpoints"),
        )
        return
    yield hop(
        "endpoint", endpoint.address, True, f"{entry.type.lower()} endpoint for {entry.service}"
    )
    yield from _endpoint_hops(view, workload, group, call, entry, endpoint, hop)


def _dns_hops(
    view: NetworkView, entry: EndpointService, call: Call, hop: HopMaker
) -> Iterator[Hop]:
    """The VPC resolves names (and, for an interface endpoint's private DNS, hostnames)."""
    for attribute, value in (
        ("enable_dns_support", view.dns_support),
        *((("enable_dns_hostnames", view.dns_hostnames),) if entry.type == "Interface" else ()),
    ):
        yield hop(
            "vpc_dns",
            view.vpc_address,
            None if value is UNKNOWN else value is True,
            f"{attribute} {'unknown' if value is UNKNOWN else 'on' if value is True else 'off'}: "
            f"{_render(view, call.dns)} {'resolves' if value is True else 'does not resolve'} in "
            "the VPC",
            _heal(view, f"turn {attribute} on for the VPC"),
            attribute,
        )


def _endpoint_hops(
    view: NetworkView,
    workload: str,
    group: str,
    call: Call,
    entry: EndpointService,
    endpoint: EndpointView,
    hop: HopMaker,
) -> Iterator[Hop]:
    """From the workload's subnets to an endpoint that exists: its private DNS or its route,
    the network ACLs both ways, the security groups, and the endpoint's policy."""
    if entry.type == "Interface":
        yield hop(
            "private_dns",
            endpoint.address,
            _known_true(endpoint.private_dns),
            f"private DNS {_state(endpoint.private_dns)}: {_render(view, call.dns)} "
            "resolves to "
            + ("the endpoint" if endpoint.private_dns is True else "public addresses"),
            _heal(view, "enable private DNS on the endpoint"),
            "private_dns_enabled",
        )
    else:
        yield from _route_hops(view, workload, endpoint, hop)
    destination = [f"{SYMBOLIC}{entry.service}"] if entry.type == "Gateway" else [view.vpc_cidr]
    yield from _nacl_hops(view, _source_subnets(view, workload), destination, call.port, hop)
    if entry.type == "Interface" and endpoint.subnets is not UNKNOWN:
        yield from _nacl_hops(
            view,
            {n: view.subnets[n] for n in sorted(endpoint.subnets) if n in view.subnets},
            [view.vpc_cidr],
            call.port,
            hop,
            inbound=True,
        )
    yield _egress_hop(view, group, endpoint, hop)
    if entry.type == "Interface":
        yield _ingress_hop(view, workload, group, endpoint, hop)
    yield from _policy_hops(view, call, endpoint, hop)


def _target_hops(
    view: NetworkView, workload: str, group: str, call: Call, hop: HopMaker
) -> Iterator[Hop]:
    """A call to a group inside the VPC (the data tier): the source may send, the target admit."""
    target, port = str(call.target), call.port
    yield from _nacl_hops(view, _source_subnets(view, workload), [view.vpc_cidr], port, hop)
    if view.rules is UNKNOWN:
        yield hop(
            "egress",
            view.groups.get(group, group),
            None,
            f"{group}'s rules are known only after apply",
        )
        return
    address = view.groups.get(target, f"security group {target}")
    if target not in view.groups:
        yield hop(
            "egress",
            address,
            False,
            f"there is no {target} security group",
            _heal(view, f"create the {target} group (a selected flow targets it)"),
        )
        return
    sends = _rule_between(view.rules, group, "egress", port, target)
    yield hop(
        "egress",
        sends.address if sends else view.groups.get(group, group),
        sends is not None,
        f"{group} {'may' if sends else 'may not'} send tcp/{port} to the {target} group",
        _heal(view, f"add the egress rule {group}_to_{target} of rules.json (tcp/{port})"),
    )
    admits = _rule_between(view.rules, target, "ingress", port, group)
    yield hop(
        "ingress",
        admits.address if admits else address,
        admits is not None,
        f"{target} {'admits' if admits else 'does not admit'} tcp/{port} from the {group} group",
        _heal(
            view, f"add the ingress rule {target}_postgres_from_{group} of rules.json (tcp/{port})"
        ),
    )


def _rule_between(
    rules: Sequence[RuleView], group: str, direction: str, port: int, peer: str
) -> RuleView | None:
    """The rule of ``group`` that lets tcp/``port`` go to (egress) or come from (ingress) the
    security group ``peer``, if there is one."""
    return next(
        (
            r
            for r in rules
            if r.group == group
            and r.direction == direction
            and r.allows(port)
            and (r.peer_kind, r.peer) == ("security_group", peer)
        ),
        None,
    )


def _known_true(value: Any) -> bool | None:
    return None if value is UNKNOWN else value is True


def _state(value: Any) -> str:
    return "unknown" if value is UNKNOWN else "on" if value is True else "off"


def _render(view: NetworkView, template: str) -> str:
    return render(
        template, partition=view.partition, region=view.region, account_id=view.account_id
    )


def _route_hops(
    view: NetworkView, workload: str, endpoint: EndpointView, hop: HopMaker
) -> Iterator[Hop]:
    for name, subnet in sorted(_source_subnets(view, workload).items()):
        table = subnet.route_table
        if table is UNKNOWN or endpoint.route_tables is UNKNOWN:
            yield hop(
                "route",
                subnet.address,
                None,
                f"subnet {name}'s route table is known only after apply",
            )
        elif table is None:
            yield hop(
                "route",
                subnet.address,
                False,
                f"subnet {name} has no route table association: the main route table has no "
                f"{endpoint.key} route",
                _heal(view, f"associate subnet {name} with the private route table"),
            )
        else:
            on_it = table in endpoint.route_tables
            yield hop(
                "route",
                endpoint.address,
                on_it,
                f"subnet {name}'s route table {'sends' if on_it else 'does not send'} the "
                f"{endpoint.key} prefix list to the endpoint",
                _heal(view, f"attach the {endpoint.key} endpoint to {table}"),
                "route_table_ids",
            )


def _nacl_hops(
    view: NetworkView,
    subnets: Mapping[str, SubnetView],
    destinations: list[Any],
    port: int,
    hop: HopMaker,
    *,
    inbound: bool = False,
) -> Iterator[Hop]:
    """Each subnet's network ACL lets the connection (tcp/``port``) to every destination CIDR
    through, and the replies back (1024-65535). ``inbound``: the subnet receives the connection
    (an interface endpoint's). A gateway service's destination is ``prefix_list:<service>``:
    its CIDRs where the view knows them, else the ACL must name that prefix list's entries."""
    if view.nacls is UNKNOWN:
        yield hop(
            "nacl", view.vpc_address, None, "the subnets' network ACLs are known only after apply"
        )
        return
    if any(destination is UNKNOWN for destination in destinations):
        yield hop("nacl", view.vpc_address, None, "the VPC CIDR is known only after apply")
        return
    cidrs = [cidr for destination in destinations for cidr in _cidrs_of(view, str(destination))]
    low, high = EPHEMERAL_PORTS
    legs: tuple[Leg, Leg] = (
        ((False, (port, port), "accepts"), (True, (low, high), "replies"))
        if inbound
        else ((True, (port, port), "sends"), (False, (low, high), "hears back"))
    )
    for name, subnet in sorted(subnets.items()):
        if name not in view.nacls:
            yield hop(
                "nacl",
                subnet.address,
                True,
                f"subnet {name} is on AWS's default network ACL, which allows everything",
            )
            continue
        address, entries = view.nacls[name]
        if entries is UNKNOWN:
            yield hop(
                "nacl",
                address,
                None,
                f"the entries of subnet {name}'s network ACL are known only after apply",
            )
            continue
        refusal = _nacl_refusal(view, name, address, entries, legs, cidrs, hop)
        if refusal is not None:
            yield refusal
            return
        passes = " and ".join(
            f"{verb} tcp/{low}" if low == high else f"{verb} on {low}-{high}"
            for _, (low, high), verb in legs
        )
        yield hop("nacl", address, True, f"subnet {name}'s network ACL {passes}")


def _cidrs_of(view: NetworkView, destination: str) -> list[str]:
    """A CIDR, or a gateway service's prefix list: its CIDRs where the view knows them."""
    known = view.prefix_list_cidrs.get(destination.removeprefix(SYMBOLIC))
    return known if destination.startswith(SYMBOLIC) and known else [destination]


def _nacl_refusal(
    view: NetworkView,
    name: str,
    address: str,
    entries: Any,
    legs: tuple[Leg, Leg],
    cidrs: list[str],
    hop: HopMaker,
) -> Hop | None:
    """The first leg and CIDR that subnet ``name``'s ACL entries block or cannot decide."""
    for egress, ports, _ in legs:
        for cidr in cidrs:
            ok, entry = verdict(entries, egress=egress, cidr=cidr, ports=ports)
            if ok is True:
                continue
            what = f"tcp/{ports[0]}" if ports[0] == ports[1] else f"tcp {ports[0]}-{ports[1]}"
            where = f"{'to' if egress else 'from'} {cidr.replace(SYMBOLIC, 'the prefix list of ')}"
            reason = (
                f"entry {entry.rule_no} ({entry.action} {entry.cidr})"
                if entry is not None
                else "no entry allows it (the final deny)"
            )
            detail = (
                f"subnet {name}'s network ACL cannot decide {what} {where}: {reason}"
                if ok is None
                else f"subnet {name}'s network ACL blocks {what} {where}: {reason}"
            )
            return hop(
                "nacl",
                address,
                ok,
                detail,
                _heal(
                    view,
                    f"let the network ACL allow {what} {'out' if egress else 'in'} {where} "
                    "(modules/network/nacl.py)",
                ),
                "egress" if egress else "ingress",
            )
    return None


def _egress_hop(view: NetworkView, group: str, endpoint: EndpointView, hop: HopMaker) -> Hop:
    kind, peer = peer_of(endpoint.key, view.facts.catalog)
    target = f"the {peer} prefix list" if kind == "prefix_list" else f"the {ENDPOINT_GROUP} group"
    address = view.groups.get(group, f"security group {group}")
    if group not in view.groups:
        return hop(
            "egress",
            address,
            False,
            f"there is no {group} security group",
            _heal(view, f"create the {group} group"),
        )
    if view.rules is UNKNOWN:
        return hop("egress", address, None, f"{group}'s rules are known only after apply")
    for rule in view.rules:
        if rule.group != group or rule.direction != "egress" or not rule.allows_https():
            continue
        if (rule.peer_kind, rule.peer) == (kind, peer) or _cidr_reaches(view, rule, endpoint):
            return hop("egress", rule.address, True, f"{group} may send HTTPS to {target}")
        if (
            kind == "security_group"
            and rule.peer_kind == "security_group"
            and endpoint.groups is not UNKNOWN
            and rule.peer in endpoint.groups
        ):
            return hop(
                "egress", rule.address, True, f"{group} may send HTTPS to the {rule.peer} group"
            )
    return hop(
        "egress",
        address,
        False,
        f"{group} has no egress rule for tcp/443 to {target}",
        _heal(view, f"add the egress rule {group}_to_{peer} of rules.json (tcp/443 to {target})"),
    )


def _cidr_reaches(view: NetworkView, rule: RuleView, endpoint: EndpointView) -> bool:
    """An egress rule to a CIDR reaches an interface endpoint whose subnets it contains."""
    if rule.peer_kind != "cidr" or endpoint.type != "Interface" or endpoint.subnets is UNKNOWN:
        return False
    cidr = view.vpc_cidr if rule.peer == "vpc" else rule.peer
    return bool(endpoint.subnets) and all(
        _within(view.subnets[s].cidr, cidr) for s in endpoint.subnets if s in view.subnets
    )


def _within(inner: Any, outer: Any) -> bool:
    try:
        return ipaddress.ip_network(str(inner)).subnet_of(ipaddress.ip_network(str(outer)))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False


def _ingress_hop(
    view: NetworkView, workload: str, group: str, endpoint: EndpointView, hop: HopMaker
) -> Hop:
    if endpoint.groups is UNKNOWN or view.rules is UNKNOWN:
        return hop(
            "ingress",
            endpoint.address,
            None,
            "the endpoint's groups and rules are known only after apply",
        )
    sources = _source_subnets(view, workload)
    for rule in view.rules:
        if (
            rule.group not in endpoint.groups
            or rule.direction != "ingress"
            or not rule.allows_https()
        ):
            continue
        if rule.peer_kind == "security_group" and rule.peer == group:
            return hop(
                "ingress", rule.address, True, f"{rule.group} admits HTTPS from the {group} group"
            )
        if rule.peer_kind == "cidr":
            cidr = view.vpc_cidr if rule.peer == "vpc" else rule.peer
            if sources and all(_within(s.cidr, cidr) for s in sources.values()):
                return hop(
                    "ingress",
                    rule.address,
                    True,
                    f"{rule.group} admits HTTPS from {rule.peer} ({cidr})",
                )
    groups = ", ".join(sorted(endpoint.groups)) or "no group"
    return hop(
        "ingress",
        endpoint.address,
        False,
        f"the endpoint's groups ({groups}) admit no HTTPS from {workload}",
        _heal(
            view,
            f"let {ENDPOINT_GROUP} admit tcp/443 from the VPC (rules.json: "
            "vpc_endpoints_https_from_vpc)",
        ),
        "security_group_ids",
    )


def _policy_hops(
    view: NetworkView, call: Call, endpoint: EndpointView, hop: HopMaker
) -> Iterator[Hop]:
    """The endpoint policy lets every request of the call through, for every signer and owner
    AWS presents (modules/flows/perimeter.py)."""
    if endpoint.policy is UNKNOWN:
        yield hop(
            "policy",
            endpoint.address,
            None,
            "the endpoint policy is known only after apply",
            attribute="policy",
        )
        return
    shown = presentations(view, call)
    for presentation in shown:
        for request in presentation.requests(call):
            decision = evaluate(endpoint.policy, request, view.account_id)
            if decision.allowed:
                continue
            ok = None if decision.outcome == "depends" else False
            yield hop(
                "policy",
                endpoint.address,
                ok,
                f"{request.action} on {request.resource} by {presentation.words}: "
                f"{decision.reason}",
                _heal(
                    view,
                    f"let the {endpoint.key} endpoint policy allow it for {presentation.words} "
                    f"(statement {call.sid}; help/sources.md#perimeter-examples)",
                ),
                "policy",
            )
            return
    who = "; ".join(dict.fromkeys(p.words for p in shown))
    yield hop(
        "policy",
        endpoint.address,
        True,
        f"{call.sid}: every action on every resource is allowed for {who}",
        attribute="policy",
    )


def summary_line(result: FlowResult) -> str:
    """``reachable`` or ``blocked at <hop> (<where>): <detail>``."""
    blocked = result.blocked_at
    if blocked is None:
        return "reachable"
    word = "blocked" if result.status == "blocked" else "not provable"
    return f"{word} at {blocked.kind} ({blocked.workload} -> {blocked.endpoint}): {blocked.detail}"


@dataclass(frozen=True)
class Selection:
    """What a network says it serves (its outputs), or the defaults when it says nothing."""

    flows: tuple[str, ...]
    code_buckets: tuple[str, ...]
    organization_id: str
    origin: str
    endpoint_ingress: str = "vpc"
    #: The identity perimeter the network says it has; ``any`` where it does not say (networks
    #: deployed before 0.9.0 had none by default).
    principal_scope: str = "any"
    participants: tuple[str, ...] = ()


def selection_of(outputs: Mapping[str, Any], facts: Facts) -> Selection:
    flows = outputs.get("flows")
    if isinstance(flows, list) and all(
        isinstance(f, str) and f in facts.flows.flows for f in flows
    ):
        buckets, participants = outputs.get("code_buckets"), outputs.get("participants")
        organization, ingress = outputs.get("organization_id"), outputs.get("endpoint_ingress")
        scope = outputs.get("principal_scope")
        return Selection(
            tuple(flows),
            tuple(buckets) if isinstance(buckets, list) else (),
            organization if isinstance(organization, str) else "",
            "its outputs",
            ingress if ingress in ("vpc", "workloads") else "vpc",
            scope if scope in ("any", "account", "organization") else "any",
            tuple(str(p) for p in participants) if isinstance(participants, list) else (),
        )
    return Selection(facts.flows.defaults(), (), "", "the default flows (it names none)")
