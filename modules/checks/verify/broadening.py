"""The changes of a plan that widen access: what the network lets through after it and did not
before, in the spirit of `cdk diff`'s security table.

Computed on the two networks a plan relates (its refreshed prior state and its planned values)
by the flow proof and the policy evaluator, never by reading Terraform's text:

- ``flow``: a flow that gets through after the change and did not before;
- ``perimeter``: something a stranger can do after the change (foreign credentials, foreign
  resources; modules.flows.perimeter) and could not before;
- ``policy``: a statement of an endpoint, key or role policy that allows what no statement of the
  same policy allowed before, a Deny that is gone, or an endpoint left with AWS's full-access
  default;
- ``rule``: a security-group rule that no rule of the group covered before;
- ``acl``: a network ACL entry that allows what a subnet's ACL did not, a Deny that is gone, or a
  subnet left with AWS's default ACL (which allows everything);
- ``endpoint``: an endpoint added, or reachable from new subnets, groups or route tables;
- ``route``: a route a subnet did not have;
- ``sharing``: a participant account, or a wider principal_scope;
- ``internet``: a way to or from the internet (verify refutes these as well).

Conservative by design: a listed change may not widen in effect (an allow behind a deny), but
nothing the proof sees widen goes unlisted. A value known only after apply is listed as such.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from modules.checks.verify.checks import ROUTE_DESTINATIONS, ROUTE_TARGETS, internet_findings
from modules.checks.verify.model import Model, Ref, model_of, normalize_account, prior_model
from modules.checks.verify.reachability import view_of
from modules.flows.iam import covers, statements_of
from modules.flows.perimeter import stranger_access
from modules.flows.proof import prove
from modules.flows.view import UNKNOWN, NetworkView, RuleView
from modules.network.nacl import SYMBOLIC, NaclEntry

#: Attributes that hold an IAM policy document (a resource, key, endpoint or trust policy).
POLICY_ATTRIBUTES = ("policy", "assume_role_policy")
#: principal_scope values, narrowest first.
SCOPES = ("account", "organization", "any")
AFTER_APPLY = "known only after apply: review it in Terraform's text below"


@dataclass(frozen=True)
class Widening:
    """One change that lets more through."""

    kind: str
    #: The resource that changes (None for a property of the whole network: a flow, a scope).
    address: str | None
    change: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def plan_widenings(plan: dict[str, Any], source: str) -> list[Widening]:
    """What the plan (`terraform show -json`) widens, from its prior state to its planned values."""
    after = model_of(plan, source)
    return widenings(prior_model(plan, source, after.facts), after)


def widenings(before: Model, after: Model) -> list[Widening]:
    """What ``after`` lets through that ``before`` did not (both: configurations, plans, states)."""
    old, new = view_of(before), view_of(after)
    found = [
        *_flows(old, new),
        *_perimeter(old, new),
        *_policies(before, after),
        *_rules(old, new),
        *_acls(old, new),
        *_endpoints(old, new),
        *_routes(before, after, old, new),
        *_sharing(old, new),
        *_internet(before, after),
    ]
    return list(dict.fromkeys(found))


# ---- what the proof sees get through ------------------------------------------------------


def _flows(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    before = {result.flow.key: result.status for result in prove(old)}
    for result in prove(new):
        key = result.flow.key
        if result.status == "blocked" or before.get(key) == "reachable":
            continue
        known = "" if result.status == "reachable" else " (as far as the plan knows before apply)"
        yield Widening("flow", None, f"flow {key} gets through{known}: {result.flow.title}")


def _perimeter(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    open_before = {(a.endpoint, a.sid, a.who, a.on, a.actions) for a in stranger_access(old)}
    for access in stranger_access(new):
        if (access.endpoint, access.sid, access.who, access.on, access.actions) in open_before:
            continue
        yield Widening(
            "perimeter",
            new.endpoints[access.endpoint].address,
            f"{access.who} can {', '.join(access.actions)} on {access.on} (statement "
            f"{access.sid}, flow {access.flow}): {access.why}",
        )


# ---- policy documents -----------------------------------------------------------------------


def _policies(before: Model, after: Model) -> Iterator[Widening]:
    for instance in after.instances:
        for attribute in POLICY_ATTRIBUTES:
            if attribute not in instance.values and attribute not in instance.unknown:
                continue
            value = instance.get(attribute)
            if value is UNKNOWN:
                yield Widening("policy", instance.address, f"{attribute} {AFTER_APPLY}")
                continue
            prior = before.by_address.get(instance.address)
            old = prior.get(attribute) if prior is not None else _NOTHING
            yield from _policy_change(instance.address, instance.type, attribute, old, value)


#: What a resource that does not exist yet allows: nothing.
_NOTHING: Any = object()


def _statements(resource_type: str, policy: Any) -> list[Mapping[str, Any]] | None:
    """A policy's statements (None: AWS's full-access default, for an endpoint without one)."""
    if policy is _NOTHING:
        return []
    if policy in (None, "") and resource_type != "aws_vpc_endpoint":
        return []
    text = normalize_account(policy) if isinstance(policy, str) else policy
    try:
        return statements_of(text)
    except (ValueError, AttributeError):
        raise _Unreadable from None


class _Unreadable(Exception):
    """A policy that is not a JSON document (an expression a configuration leaves to
    Terraform)."""


def _policy_change(
    address: str, resource_type: str, attribute: str, old: Any, new: Any
) -> Iterator[Widening]:
    try:
        before, after = _statements(resource_type, old), _statements(resource_type, new)
    except _Unreadable:
        yield Widening("policy", address, f"{attribute} is not a JSON document: review it")
        return
    if after is None:
        if before is not None:
            yield Widening(
                "policy",
                address,
                f"{attribute} removed: AWS's default endpoint policy allows every action of "
                "every account",
            )
        return
    if before is None:  # AWS's full-access default allowed everything
        return
    for statement in after:
        if statement.get("Effect") == "Allow" and not any(
            _subsumes(wide, statement) for wide in before if wide.get("Effect") == "Allow"
        ):
            yield Widening("policy", address, f"{attribute}: {_describe(statement)}")
    remaining = [_canonical(s) for s in after if s.get("Effect") == "Deny"]
    for statement in before:
        if statement.get("Effect") == "Deny" and _canonical(statement) not in remaining:
            yield Widening(
                "policy",
                address,
                f"{attribute}: Deny statement {statement.get('Sid') or '(no Sid)'} removed",
            )


def _canonical(statement: Mapping[str, Any]) -> str:
    return json.dumps(statement, sort_keys=True)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _describe(statement: Mapping[str, Any]) -> str:
    actions = ", ".join(map(str, _as_list(statement.get("Action", "*"))))
    resources = ", ".join(map(str, _as_list(statement.get("Resource", "*"))))
    who = statement.get("Principal")
    conditions = [
        f"{key} ({operator})"
        for operator, keys in (statement.get("Condition") or {}).items()
        for key in keys
    ]
    return (
        f"statement {statement.get('Sid') or '(no Sid)'} allows {actions} on {resources}"
        + (f" to {json.dumps(who, sort_keys=True)}" if who is not None else "")
        + (f" when {', '.join(conditions)}" if conditions else " without conditions")
    )


def _subsumes(wide: Mapping[str, Any], narrow: Mapping[str, Any]) -> bool:
    """Every request ``narrow`` allows, ``wide`` allows (sound: never a false yes)."""
    if _canonical(wide) == _canonical(narrow):
        return True
    if any(
        key in statement
        for key in ("NotAction", "NotResource", "NotPrincipal")
        for statement in (wide, narrow)
    ):
        return False
    return (
        _patterns_cover(wide.get("Action", []), narrow.get("Action", []), fold=True)
        and _patterns_cover(wide.get("Resource", "*"), narrow.get("Resource", "*"))
        and _principal_covers(wide.get("Principal"), narrow.get("Principal"))
        and _conditions_cover(wide.get("Condition") or {}, narrow.get("Condition") or {})
    )


def _patterns_cover(wide: Any, narrow: Any, *, fold: bool = False) -> bool:
    def norm(value: Any) -> str:
        return str(value).lower() if fold else str(value)

    return all(
        any(covers(norm(pattern), norm(item)) for pattern in _as_list(wide))
        for item in _as_list(narrow)
    )


def _principals(principal: Any) -> dict[str, set[str]] | None:
    """Principal type -> values; None for anyone (``*``)."""
    if principal == "*" or principal is None:
        return None if principal == "*" else {}
    entries = {kind: {str(v) for v in _as_list(values)} for kind, values in principal.items()}
    return None if "*" in entries.get("AWS", set()) else entries


def _principal_covers(wide: Any, narrow: Any) -> bool:
    if wide is None or narrow is None:  # identity policies name no principal
        return wide is None and narrow is None
    wider, narrower = _principals(wide), _principals(narrow)
    if wider is None:
        return True
    if narrower is None:
        return False
    return all(values <= wider.get(kind, set()) for kind, values in narrower.items())


def _conditions_cover(wide: Mapping[str, Any], narrow: Mapping[str, Any]) -> bool:
    """Every condition of ``wide`` holds wherever ``narrow``'s hold: ``narrow`` has each of
    them, with the same or fewer values."""
    for operator, keys in wide.items():
        for key, values in keys.items():
            narrower = (narrow.get(operator) or {}).get(key)
            if narrower is None:
                return False
            like = "Like" in operator
            if not all(
                any(covers(str(v), str(n)) if like else str(v) == str(n) for v in _as_list(values))
                for n in _as_list(narrower)
            ):
                return False
    return True


# ---- security groups, network ACLs, endpoints, routes --------------------------------------


def _rules(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    if new.rules is UNKNOWN:
        yield Widening("rule", None, f"security-group rules {AFTER_APPLY}")
        return
    before = [] if old.rules is UNKNOWN else old.rules
    for rule in new.rules:
        if not any(_rule_covers(wide, rule, old, new) for wide in before):
            yield Widening("rule", rule.address, _rule_words(rule))


def _same_protocol(wide: str, narrow: str) -> bool:
    names = {"6": "tcp", "17": "udp", "1": "icmp", "all": "-1"}
    return names.get(wide, wide) in ("-1", names.get(narrow, narrow))


def _rule_covers(wide: RuleView, rule: RuleView, old: NetworkView, new: NetworkView) -> bool:
    if (wide.group, wide.direction, wide.peer_kind) != (rule.group, rule.direction, rule.peer_kind):
        return False
    if not _same_protocol(wide.protocol, rule.protocol):
        return False
    if wide.protocol not in ("-1", "all") and not (
        wide.from_port <= rule.from_port and rule.to_port <= wide.to_port
    ):
        return False
    if wide.peer == rule.peer:
        return True
    return rule.peer_kind == "cidr" and _cidr_within(
        new.vpc_cidr if rule.peer == "vpc" else rule.peer,
        old.vpc_cidr if wide.peer == "vpc" else wide.peer,
    )


def _rule_words(rule: RuleView) -> str:
    ports = (
        "all traffic"
        if rule.protocol in ("-1", "all")
        else f"{rule.protocol}/{rule.from_port}"
        + (f"-{rule.to_port}" if rule.to_port != rule.from_port else "")
    )
    towards = "to" if rule.direction == "egress" else "from"
    peer = {"security_group": "group ", "prefix_list": "the prefix list of "}.get(
        rule.peer_kind, ""
    )
    return f"{rule.group}: {rule.direction} {ports} {towards} {peer}{rule.peer}"


def _cidr_within(inner: Any, outer: Any) -> bool:
    if str(inner).startswith(SYMBOLIC) or str(outer).startswith(SYMBOLIC):
        return str(inner) == str(outer)
    try:
        first, second = ipaddress.ip_network(str(inner)), ipaddress.ip_network(str(outer))
    except ValueError:
        return False
    return first.version == second.version and first.subnet_of(second)  # type: ignore[arg-type]


def _entry_covers(wide: NaclEntry, entry: NaclEntry) -> bool:
    return (
        wide.action == "allow"
        and wide.egress == entry.egress
        and (
            wide.covers_ports(entry.from_port, entry.to_port)
            if entry.protocol in ("tcp", "6")
            else wide.protocol in ("-1", "all") or wide.protocol == entry.protocol
        )
        and _cidr_within(entry.cidr, wide.cidr)
    )


def _acls(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    if new.nacls is UNKNOWN:
        yield Widening("acl", None, f"network ACL entries {AFTER_APPLY}")
        return
    opened: dict[tuple[str, NaclEntry], list[str]] = {}
    for subnet in sorted(new.subnets):
        if subnet not in new.nacls:
            if subnet not in old.subnets or (old.nacls is not UNKNOWN and subnet in old.nacls):
                yield Widening(
                    "acl",
                    new.subnets[subnet].address,
                    f"subnet {subnet} has no network ACL of its own: AWS's default ACL allows all "
                    "traffic",
                )
            continue
        address, entries = new.nacls[subnet]
        if entries is UNKNOWN:
            yield Widening("acl", address, f"the entries for subnet {subnet} are {AFTER_APPLY}")
            continue
        if subnet in old.subnets and (old.nacls is UNKNOWN or subnet not in old.nacls):
            continue  # it allowed everything before
        before = old.nacls[subnet][1] if subnet in old.subnets else []
        for entry in entries:
            if entry.action == "allow" and not any(_entry_covers(w, entry) for w in before):
                opened.setdefault((address, entry), []).append(subnet)
        for entry in before:
            if entry.action == "deny" and entry not in entries:
                opened.setdefault((address, entry), []).append(subnet)
    for (address, entry), subnets in opened.items():
        yield Widening("acl", address, _entry_words(entry, subnets))


def _entry_words(entry: NaclEntry, subnets: list[str]) -> str:
    ports = (
        "all traffic"
        if entry.protocol in ("-1", "all")
        else f"{entry.protocol}/{entry.from_port}"
        + (f"-{entry.to_port}" if entry.to_port != entry.from_port else "")
    )
    peer = (
        f"the prefix list of {entry.cidr.removeprefix(SYMBOLIC)}"
        if entry.cidr.startswith(SYMBOLIC)
        else entry.cidr
    )
    what = (
        f"deny rule {entry.rule_no} removed"
        if entry.action == "deny"
        else f"rule {entry.rule_no} allows {'egress' if entry.egress else 'ingress'} {ports} "
        f"{'to' if entry.egress else 'from'} {peer}"
    )
    return f"{what} (subnets {', '.join(subnets)})"


def _more(old: Any, new: Any) -> Any:
    """The members ``new`` has and ``old`` had not; UNKNOWN where ``new`` is not known yet."""
    if new is UNKNOWN:
        return UNKNOWN
    return sorted(set(new or ()) - (set() if old is UNKNOWN else set(old or ())))


def _endpoints(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    for key, endpoint in sorted(new.endpoints.items()):
        service = new.facts.catalog.endpoints[key].service
        prior = old.endpoints.get(key)
        # What makes an endpoint reachable: an interface endpoint's subnets and groups, a
        # gateway endpoint's route tables.
        members = (
            (("route tables", "route_tables"),)
            if endpoint.type == "Gateway"
            else (("subnets", "subnets"), ("security groups", "groups"))
        )
        if prior is None:
            known = [
                f"{what} {', '.join(map(str, sorted(getattr(endpoint, attribute))))}"
                for what, attribute in members
                if getattr(endpoint, attribute) is not UNKNOWN
            ]
            yield Widening(
                "endpoint",
                endpoint.address,
                f"{key} added: {service} is reachable"
                + (f" through {'; '.join(known)}" if known else ""),
            )
            continue
        for what, attribute in members:
            more = _more(getattr(prior, attribute), getattr(endpoint, attribute))
            if more is UNKNOWN:
                yield Widening("endpoint", endpoint.address, f"{key}: its {what} are {AFTER_APPLY}")
            elif more:
                yield Widening(
                    "endpoint",
                    endpoint.address,
                    f"{key}: reachable through {what} {', '.join(map(str, more))}",
                )


def _routes_by_subnet(model: Model, view: NetworkView) -> dict[str, set[tuple[str, str, str]]]:
    """Subnet -> (route table, destination, target) of every route it has (no local route)."""
    tables: dict[str, list[Mapping[str, Any]]] = {}
    for table in model.of_type("aws_route_table", "aws_default_route_table"):
        routes = table.get("route")
        tables[table.address] = [{"?": AFTER_APPLY}] if routes is UNKNOWN else list(routes or [])
    for route in model.of_type("aws_route"):
        owner = model.resolve(route.get("route_table_id"))
        if isinstance(owner, Ref):
            tables.setdefault(owner.address, []).append(route.values)
    found: dict[str, set[tuple[str, str, str]]] = {}
    for name, subnet in view.subnets.items():
        table = subnet.route_table
        found[name] = {
            (str(table), *_route_words(model, route)) for route in tables.get(str(table), [])
        }
    return found


def _route_words(model: Model, route: Mapping[str, Any]) -> tuple[str, str]:
    if "?" in route:
        return "routes", AFTER_APPLY
    destination = next(
        (
            str(route[key])
            for key in (*ROUTE_DESTINATIONS, "destination_prefix_list_id")
            if route.get(key)
        ),
        "?",
    )
    target = next(
        (
            f"{key} {_named(model, route[key])}"
            for key in ROUTE_TARGETS
            if route.get(key) and route.get(key) != "local"
        ),
        "local",
    )
    return destination, target


def _named(model: Model, value: Any) -> str:
    resolved = model.resolve(value)
    return resolved.address if isinstance(resolved, Ref) else str(value)


def _routes(before: Model, after: Model, old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    had, has = _routes_by_subnet(before, old), _routes_by_subnet(after, new)
    opened: dict[tuple[str, str, str], list[str]] = {}
    for subnet, routes in sorted(has.items()):
        for table, destination, target in sorted(routes):
            if target == "local":
                continue
            if not any((d, t) == (destination, target) for _, d, t in had.get(subnet, ())):
                opened.setdefault((table, destination, target), []).append(subnet)
    for (table, destination, target), subnets in opened.items():
        yield Widening("route", table, f"{destination} via {target} (subnets {', '.join(subnets)})")


# ---- who the network serves; the internet -------------------------------------------------


def _sharing(old: NetworkView, new: NetworkView) -> Iterator[Widening]:
    for participant in sorted(set(new.participants) - set(old.participants)):
        yield Widening(
            "sharing",
            None,
            f"participant {participant}: its workloads use the subnets, and its roles pass the "
            "identity perimeter",
        )
    if old.vpc_address.endswith("(none)"):
        return  # a new network: its scope widens nothing that was
    if _rank(new.principal_scope) > _rank(old.principal_scope):
        yield Widening(
            "sharing",
            None,
            f"principal_scope {old.principal_scope} -> {new.principal_scope}: the endpoint "
            "policies admit more accounts' credentials",
        )


def _rank(scope: str) -> int:
    return SCOPES.index(scope) if scope in SCOPES else len(SCOPES)


def _internet(before: Model, after: Model) -> Iterator[Widening]:
    had = {(f.address, f.problem) for f in internet_findings(before)}
    for finding in internet_findings(after):
        if (finding.address, finding.problem) not in had:
            yield Widening("internet", finding.address, finding.problem)
