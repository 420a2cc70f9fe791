"""Endpoint policies and security group rules derived from the selected flows.

An endpoint's policy allows exactly the calls that the selected flows make through it, one
statement per call (its Sid); a workload group's egress rules are those its flows need. The HCL
twins compute the same from the same files (modules/vpc_endpoints/terraform/main.tf,
modules/security_groups/terraform/main.tf); tests compare the two.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from modules.flows.model import CODE_BUCKET, Call, flow_catalog, peer_of
from modules.policy import policy_json
from modules.security_groups.rules import PeerKind, Rule, rule_set

_PLACEHOLDER = re.compile(r"\$\{(partition|region|account_id)\}")
#: AWS's limit on the size of an endpoint policy (facts §5 [PLQ]).
MAX_POLICY_CHARACTERS = 20480


def calls_through(endpoint: str, flows: Iterable[str]) -> list[Call]:
    """The calls the given flows make through one endpoint, flows sorted (as Terraform sorts)."""
    return [c for f in sorted(flows) for c in flow_catalog().flows[f].calls if c.endpoint == endpoint]


def expand_resources(resources: Iterable[str], code_buckets: Iterable[str]) -> list[str]:
    """Resource templates with ``${code_bucket}`` repeated for each bucket."""
    buckets = list(code_buckets)
    return [r.replace(CODE_BUCKET, b) for r in resources for b in (buckets if CODE_BUCKET in r else [""])]


def statement(call: Call, code_buckets: Iterable[str]) -> dict[str, Any]:
    """The endpoint policy statement that allows one call (placeholders still in)."""
    allow: dict[str, Any] = {
        "Sid": call.sid,
        "Effect": "Allow",
        # Gateway endpoints take no other principal, and OAuth callers are anonymous to IAM
        # (facts §4, §5): the statement is scoped by action and resource instead.
        "Principal": "*",
        "Action": list(call.actions),
        "Resource": expand_resources(call.resources, code_buckets),
    }
    if call.condition:
        allow["Condition"] = {op: dict(keys) for op, keys in call.condition.items()}
    return allow


def render(template: str, *, partition: str, region: str, account_id: str) -> str:
    """Fill ``${partition}``, ``${region}`` and ``${account_id}`` into a template."""
    values = {"partition": partition, "region": region, "account_id": account_id}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def policy_document(
    endpoint: str, flows: Iterable[str], code_buckets: Iterable[str], *, partition: str, region: str, account_id: str
) -> str:
    """The endpoint policy as compact JSON with sorted keys, like Terraform's jsonencode."""
    statements = [statement(call, code_buckets) for call in calls_through(endpoint, flows)]
    return render(policy_json(statements), partition=partition, region=region, account_id=account_id)


def needed_egress(flows: Iterable[str]) -> dict[tuple[str, PeerKind, str], list[str]]:
    """(group, peer kind, peer) -> the flows that need a workload group to send there."""
    needed: dict[tuple[str, PeerKind, str], list[str]] = {}
    for key in sorted(flows):
        flow = flow_catalog().flows[key]
        for source in flow.sources:
            group = flow_catalog().workloads[source].security_group
            for endpoint in flow.endpoints:
                needed.setdefault((group, *peer_of(endpoint)), []).append(key)
    return needed


def rules_in_use(flows: Iterable[str]) -> dict[str, Rule]:
    """The rules of rules.json a network with these flows carries: every ingress rule (the
    receiving side), and the egress rules some selected flow needs."""
    needed = needed_egress(flows)
    return {
        key: rule for key, rule in rule_set().rules.items()
        if rule.direction == "ingress" or (rule.group, rule.peer_kind, rule.peer) in needed
    }
