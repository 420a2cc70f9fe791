"""The shipped data with a user's own added: endpoints, security groups and their rules,
workloads and flows, in the shapes of catalog.json, rules.json and flows.json (no cdktf import).

    with extended(endpoints={"sqs": {"service": "sqs", "type": "Interface", "private_dns": True}},
                  flows={"agent_sends_to_queue": {...}}):
        ...build the configurations and the constructs...

Inside the ``with``, everything that reads the catalog, the rules or the flows (validation,
endpoint policies, security group rules, ``verify``'s proof) reads the extended data; outside,
and in other threads, the shipped data. Additions are checked exactly as the shipped files are,
and may not replace a shipped entry (a key already taken is refused).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

from modules.facts import catalog as catalog_module
from modules.facts import flows as model
from modules.facts import rules as rule_module
from modules.facts.catalog import CATALOG_PATH, parse_catalog
from modules.facts.flows import FLOWS_PATH, FlowsError, parse_flows
from modules.facts.rules import RULES_PATH, parse_rules

#: How an addition is named in errors: ``extended(flows=...): flows.my_flow: ...``.
SOURCE = "extended({})"
Entries = Mapping[str, Mapping[str, Any]]
T = TypeVar("T")


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


@contextlib.contextmanager
def extended(
    *,
    endpoints: Entries | None = None,
    groups: Entries | None = None,
    rules: Entries | None = None,
    workloads: Entries | None = None,
    flows: Entries | None = None,
) -> Iterator[None]:
    """The shipped catalog, rules and flows with these added, for the code inside the block."""
    catalog_raw = json.loads(CATALOG_PATH.read_text())
    rules_raw = json.loads(RULES_PATH.read_text())
    flows_raw = json.loads(FLOWS_PATH.read_text())
    catalog = parse_catalog(
        {"endpoints": _merged(catalog_raw, "endpoints", endpoints)}, SOURCE.format("endpoints")
    )
    rule_set = parse_rules(
        {
            "groups": _merged(rules_raw, "groups", groups),
            "rules": _merged(rules_raw, "rules", rules),
        },
        SOURCE.format("groups, rules"),
    )
    with _active(catalog_module.ACTIVE, catalog), _active(rule_module.ACTIVE, rule_set):
        # Flows are checked against the extended endpoints and rules.
        flow_catalog = parse_flows(
            {
                "workloads": _merged(flows_raw, "workloads", workloads),
                "flows": _merged(flows_raw, "flows", flows),
                "retired": flows_raw.get("retired", {}),
            },
            SOURCE.format("workloads, flows"),
        )
        with _active(model.ACTIVE, flow_catalog):
            yield


@contextlib.contextmanager
def _active(variable: ContextVar[T | None], value: T) -> Iterator[None]:
    """``value`` in ``variable`` for the block, whatever was there before back afterwards."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
