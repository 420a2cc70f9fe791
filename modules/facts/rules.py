"""Loads rules.json: the security groups and the only traffic they allow."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

RULES_PATH = Path(__file__).with_name("rules.json")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
#: The group of the interface endpoints' network interfaces.
ENDPOINT_GROUP = "vpc_endpoints"

Direction = Literal["ingress", "egress"]
PeerKind = Literal["cidr", "security_group", "prefix_list"]
PEER_KINDS: tuple[PeerKind, ...] = ("cidr", "security_group", "prefix_list")


@dataclass(frozen=True)
class Rule:
    """One allowed TCP flow: group, direction, port and exactly one peer."""

    key: str
    group: str
    direction: Direction
    port: int
    peer_kind: PeerKind
    peer: str
    description: str


@dataclass(frozen=True)
class RuleSet:
    """Security groups by key (with their descriptions) and the rules between them."""

    groups: Mapping[str, str]
    rules: Mapping[str, Rule]


class RulesError(ValueError):
    """rules.json itself is malformed: a bug in this repository, not a user mistake."""


def _rule(key: str, raw: Mapping[str, object], groups: Mapping[str, str], source: str) -> Rule:
    def fail(problem: str) -> RulesError:
        return RulesError(f"{source}: rules.{key}: {problem}")

    if not _KEY.match(key):
        raise fail("keys are lower-case identifiers")
    peers = [kind for kind in PEER_KINDS if kind in raw]
    if len(peers) != 1:
        raise fail(f"give exactly one peer of {PEER_KINDS}, got {peers}")
    kind = peers[0]
    peer = raw[kind]
    if raw.get("group") not in groups:
        raise fail(f"group must be one of {sorted(groups)}")
    if raw.get("direction") not in ("ingress", "egress"):
        raise fail("direction must be ingress or egress")
    if kind == "cidr" and peer != "vpc":
        raise fail("the only CIDR peer is 'vpc': nothing here may reach outside the VPC")
    if kind == "security_group" and peer not in groups:
        raise fail(f"security_group must be one of {sorted(groups)}")
    port = raw.get("port")
    if not isinstance(port, int) or not 0 < port < 65536:
        raise fail("port must be a TCP port number")
    if not raw.get("description"):
        raise fail("every rule has a description")
    return Rule(
        key=key,
        group=str(raw["group"]),
        direction=raw["direction"],  # type: ignore[arg-type]
        port=port,
        peer_kind=kind,
        peer=str(peer),
        description=str(raw["description"]),
    )


def parse_rules(raw: Mapping[str, Any], source: str = RULES_PATH.name) -> RuleSet:
    """Check a rule set in rules.json's shape; ``source`` names it in errors."""
    groups = {key: str(group["description"]) for key, group in raw["groups"].items()}
    for key in groups:
        if not _KEY.match(key):
            raise RulesError(f"{source}: groups.{key}: keys are lower-case identifiers")
    rules = {key: _rule(key, rule, groups, source) for key, rule in raw["rules"].items()}
    return RuleSet(groups=groups, rules=rules)


def load_rules(path: Path = RULES_PATH) -> RuleSet:
    """Read and check a rules file."""
    return parse_rules(json.loads(path.read_text()), path.name)


@functools.cache
def shipped_rule_set() -> RuleSet:
    """rules.json, read once per process."""
    return load_rules()
