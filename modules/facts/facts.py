"""One explicit object for the data the network is made from: the endpoint catalog, the security
groups and their rules, the flows, and AWS's constraints. Whatever needs them is handed a
``Facts`` (a configuration, the stack, a view of a network): nothing reads them from a global.

``shipped()`` is the data of this repository; ``extended(...)`` is it with a library user's own
endpoints, groups, rules, workloads and flows, in the shapes of catalog.json, rules.json and
flows.json, checked exactly as the shipped files are; a key already shipped is refused:

    facts = extended(
        endpoints={"sqs": {"service": "sqs", "type": "Interface", "private_dns": True}},
        flows={"agent_sends_to_queue": {...}},
    )
    VpcEndpointsConfig(name=..., region=..., flows=(...), facts=facts)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from modules.facts.aws_constraints import Constraints, constraints
from modules.facts.catalog import CATALOG_PATH, Catalog, parse_catalog, shipped_catalog
from modules.facts.flows import FLOWS_PATH, FlowCatalog, FlowsError, parse_flows, shipped_flows
from modules.facts.rules import RULES_PATH, RuleSet, parse_rules, shipped_rule_set

#: How an addition is named in errors: ``extended(flows=...): flows.my_flow: ...``.
SOURCE = "extended({})"
Entries = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Facts:
    """The endpoint catalog, the groups and rules, the flows (checked against both) and AWS's
    constraints by region, as one value."""

    catalog: Catalog
    rules: RuleSet
    flows: FlowCatalog
    aws: Constraints


@functools.cache
def shipped() -> Facts:
    """The data of this repository, read once per process."""
    return Facts(shipped_catalog(), shipped_rule_set(), shipped_flows(), constraints())


def extended(
    *,
    endpoints: Entries | None = None,
    groups: Entries | None = None,
    rules: Entries | None = None,
    workloads: Entries | None = None,
    flows: Entries | None = None,
) -> Facts:
    """The shipped facts with these added, checked as the shipped files are (a key already
    shipped is refused)."""
    catalog_raw = json.loads(CATALOG_PATH.read_text())
    rules_raw = json.loads(RULES_PATH.read_text())
    flows_raw = json.loads(FLOWS_PATH.read_text())
    catalog = parse_catalog(
        {"endpoints": _merged(catalog_raw, "endpoints", endpoints)},
        SOURCE.format("endpoints"),
    )
    rule_set = parse_rules(
        {
            "groups": _merged(rules_raw, "groups", groups),
            "rules": _merged(rules_raw, "rules", rules),
        },
        SOURCE.format("groups, rules"),
    )
    flow_catalog = parse_flows(  # checked against the extended endpoints and rules
        {
            "workloads": _merged(flows_raw, "workloads", workloads),
            "flows": _merged(flows_raw, "flows", flows),
            "retired": flows_raw.get("retired", {}),
        },
        SOURCE.format("workloads, flows"),
        catalog=catalog,
        rules=rule_set,
    )
    return Facts(catalog, rule_set, flow_catalog, constraints())


def _merged(shipped: Mapping[str, Any], section: str, added: Entries | None) -> dict[str, Any]:
    """The shipped section plus the added entries; a key already shipped is refused."""
    entries = dict(shipped[section])
    for key, entry in (added or {}).items():
        if key in entries:
            raise FlowsError(
                f"{SOURCE.format(section)}: {section}.{key}: already shipped; "
                "choose another key (shipped entries cannot be replaced)"
            )
        entries[key] = dict(entry)
    return entries
