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

from modules.flows.model import CODE_BUCKET, Call, call_peer, flow_catalog
from modules.kernel.policy import policy_json
from modules.security_groups.rules import ENDPOINT_GROUP, PeerKind, Rule, rule_set

_PLACEHOLDER = re.compile(r"\$\{(partition|region|account_id)\}")
#: AWS's limit on the size of an endpoint policy (facts §5 [PLQ]).
MAX_POLICY_CHARACTERS = 20480


def calls_through(endpoint: str, flows: Iterable[str]) -> list[Call]:
    """The calls the given flows make through one endpoint, flows sorted (as Terraform sorts)."""
    return [
        c for f in sorted(flows) for c in flow_catalog().flows[f].calls if c.endpoint == endpoint
    ]


def expand_resources(resources: Iterable[str], code_buckets: Iterable[str]) -> list[str]:
    """Resource templates with ``${code_bucket}`` repeated for each bucket."""
    buckets = list(code_buckets)
    return [
        r.replace(CODE_BUCKET, b)
        for r in resources
        for b in (buckets if CODE_BUCKET in r else [""])
    ]


#: principal_scope -> the condition key that scopes statements of calls only this account signs.
PRINCIPAL_SCOPES = {
    "any": None,
    "account": "aws:PrincipalAccount",
    "organization": "aws:PrincipalOrgID",
}


def principal_condition(call: Call, scope: str, organization_id: str | None) -> dict[str, str]:
    """The StringEquals entry that keeps a call's statement to this account's (or organization's)
    principals; none for a call an OAuth caller or a presigned URL makes (they are not ours)."""
    key = PRINCIPAL_SCOPES[scope]
    if key is None or set(call.principals) != {"account"}:
        return {}
    return {key: "${account_id}" if scope == "account" else str(organization_id)}


def statement(
    call: Call, code_buckets: Iterable[str], scope: str = "any", organization_id: str | None = None
) -> dict[str, Any]:
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
    condition = {op: dict(keys) for op, keys in (call.condition or {}).items()}
    scoped = principal_condition(call, scope, organization_id)
    if scoped:
        condition["StringEquals"] = {**condition.get("StringEquals", {}), **scoped}
    if condition:
        allow["Condition"] = condition
    return allow


def render(template: str, *, partition: str, region: str, account_id: str) -> str:
    """Fill ``${partition}``, ``${region}`` and ``${account_id}`` into a template."""
    values = {"partition": partition, "region": region, "account_id": account_id}
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def policy_document(
    endpoint: str,
    flows: Iterable[str],
    code_buckets: Iterable[str],
    *,
    partition: str,
    region: str,
    account_id: str,
    scope: str = "any",
    organization_id: str | None = None,
) -> str:
    """The endpoint policy as compact JSON with sorted keys, like Terraform's jsonencode."""
    statements = [
        statement(call, code_buckets, scope, organization_id)
        for call in calls_through(endpoint, flows)
    ]
    return render(
        policy_json(statements), partition=partition, region=region, account_id=account_id
    )


def needed_egress(flows: Iterable[str]) -> dict[tuple[str, PeerKind, str], list[str]]:
    """(group, peer kind, peer) -> the flows that need a workload group to send there."""
    needed: dict[tuple[str, PeerKind, str], list[str]] = {}
    for key in sorted(flows):
        flow = flow_catalog().flows[key]
        for source in flow.sources:
            group = flow_catalog().workloads[source].security_group
            for call in flow.calls:
                kind, peer, _ = call_peer(call)
                users = needed.setdefault((group, kind, peer), [])
                if key not in users:
                    users.append(key)
    return needed


#: Where the interface endpoints admit HTTPS from: anywhere in the VPC, or the workload groups.
ENDPOINT_INGRESS = ("vpc", "workloads")


def rules_in_use(flows: Iterable[str], endpoint_ingress: str = "vpc") -> dict[str, Rule]:
    """The rules of rules.json a network with these flows carries: the egress rules some selected
    flow needs; the ingress rules from the VPC CIDR (``vpc``), or from each group whose egress
    to the receiving group some flow needs (``workloads``)."""
    needed = needed_egress(flows)

    def used(rule: Rule) -> bool:
        if rule.direction == "egress":
            return (rule.group, rule.peer_kind, rule.peer) in needed
        if rule.group == ENDPOINT_GROUP and rule.peer_kind == "cidr":
            return endpoint_ingress == "vpc"
        if rule.group == ENDPOINT_GROUP and endpoint_ingress != "workloads":
            return False
        return (rule.peer, "security_group", rule.group) in needed

    return {key: rule for key, rule in rule_set().rules.items() if used(rule)}


def groups_in_use(flows: Iterable[str]) -> list[str]:
    """The groups of rules.json a network with these flows has: the endpoint group, every
    workload's group, and a group only flows target (data_tier) when a selected flow does."""
    always = {ENDPOINT_GROUP} | {w.security_group for w in flow_catalog().workloads.values()}
    targeted = {t for key in flows for t in flow_catalog().flows[key].targets}
    return [g for g in rule_set().groups if g in always or g in targeted]
