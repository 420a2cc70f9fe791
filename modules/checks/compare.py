"""The configured network against the live one, both as the flow proof's NetworkView: the
configuration's (the synthesized stack, read as verify reads it) and the live network's
(live_view.py, from one snapshot). What differs is said in the live network's ids, as AWS and
its console show them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from modules.checks.verify.model import load_model
from modules.checks.verify.reachability import view_of
from modules.facts.facts import Facts
from modules.flows.view import UNKNOWN, NetworkView, RouteView, RuleView

#: A security group rule in the live network's ids: group id, direction, protocol, from port,
#: to port, and its peer (a group id, a prefix list id or a CIDR).
RuleKey = tuple[str, str, str, int, int, str]


def configured_view(stack_file: Path, facts: Facts) -> NetworkView:
    """The network as its synthesized stack configures it (what verify proves)."""
    return view_of(load_model(stack_file, facts))


def rule_key(rule: RuleView, live: NetworkView) -> RuleKey:
    """A rule of either view in the live network's ids (a name the live network does not know
    stays a name)."""
    if rule.peer_kind == "security_group":
        peer = live.groups.get(rule.peer, rule.peer)
    elif rule.peer_kind == "prefix_list":
        peer = live.prefix_lists.get(rule.peer, rule.peer)
    else:
        peer = str(live.vpc_cidr) if rule.peer == "vpc" else rule.peer
    group = live.groups.get(rule.group, rule.group)
    return (group, rule.direction, rule.protocol, rule.from_port, rule.to_port, peer)


def rules_of(view: NetworkView, live: NetworkView, groups: set[str]) -> set[RuleKey]:
    """The rules of ``view`` whose group is one of ``groups`` (names, or ids the live network
    names no group), in the live network's ids."""
    if view.rules is UNKNOWN:
        raise ValueError(f"{view.source}: its rules are not known")
    return {rule_key(r, live) for r in view.rules if r.group in groups}


T = TypeVar("T")


@dataclass(frozen=True)
class Comparison(Generic[T]):
    """What the configuration has and what the live network has, in the live network's ids."""

    configured: frozenset[T]
    found: frozenset[T]

    @property
    def missing(self) -> frozenset[T]:
        return self.configured - self.found

    @property
    def unexpected(self) -> frozenset[T]:
        return self.found - self.configured


def compare_rules(configured: NetworkView, live: NetworkView) -> Comparison[RuleKey]:
    """Every rule the configuration gives its groups against every rule of the groups the
    deployment names (a group of the configuration not deployed keeps its name)."""
    return Comparison(
        configured=frozenset(rules_of(configured, live, set(configured.groups))),
        found=frozenset(rules_of(live, live, set(live.groups))),
    )


def compare_routes(configured: NetworkView, live: NetworkView, table: str) -> Comparison[RouteView]:
    """The routes the configuration gives its route tables against those of the live route
    table ``table`` (the network configures one route table, for every subnet)."""
    return Comparison(
        configured=frozenset(r for routes in configured.routes.values() for r in routes),
        found=live.routes.get(table, frozenset()),
    )
