"""Endpoint policies and security group rules derived from the selected flows.

An endpoint's policy allows exactly the calls that the selected flows make through it, one
statement per call (its Sid); a workload group's egress rules are those its flows need. The HCL
twins compute the same from the same files (modules/vpc_endpoints/terraform/main.tf,
modules/security_groups/terraform/main.tf); tests compare the two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from modules.facts.facts import Facts
from modules.facts.flows import CODE_BUCKET, Call, call_peer
from modules.facts.rules import ENDPOINT_GROUP, PeerKind, Rule, RuleSet
from modules.facts.selection import DEFAULT_PRINCIPAL_SCOPE, PRINCIPAL_SCOPES
from modules.kernel.organizations import is_account
from modules.kernel.policy import policy_json, render

#: AWS's limit on the size of an endpoint policy (PrivateLink quotas).
MAX_POLICY_CHARACTERS = 20480


def calls_through(endpoint: str, flows: Iterable[str], facts: Facts) -> list[Call]:
    """The calls the given flows make through one endpoint, flows sorted (as Terraform sorts)."""
    return [c for f in sorted(flows) for c in facts.flows.flows[f].calls if c.endpoint == endpoint]


def expand_resources(resources: Iterable[str], code_buckets: Iterable[str]) -> list[str]:
    """Resource templates with ``${code_bucket}`` repeated for each bucket."""
    buckets = list(code_buckets)
    return [
        r.replace(CODE_BUCKET, b)
        for r in resources
        for b in (buckets if CODE_BUCKET in r else [""])
    ]


#: The ARN placeholder of the workload's own account.
ACCOUNT_ID = "${account_id}"


class PerimeterSettings(Protocol):
    """What says whose credentials and resources the policies admit (VpcEndpointsConfig)."""

    @property
    def principal_scope(self) -> str: ...
    @property
    def organization_id(self) -> str | None: ...
    @property
    def participants(self) -> tuple[str, ...]: ...


class EndpointSelection(PerimeterSettings, Protocol):
    """What decides the endpoint policies (VpcEndpointsConfig)."""

    @property
    def selected(self) -> tuple[str, ...]: ...
    @property
    def selected_flows(self) -> tuple[str, ...]: ...
    @property
    def code_buckets(self) -> tuple[str, ...]: ...
    @property
    def facts(self) -> Facts: ...


class GroupSelection(Protocol):
    """What decides the security groups and their rules (SecurityGroupsConfig)."""

    @property
    def selected_flows(self) -> tuple[str, ...]: ...
    @property
    def endpoint_ingress(self) -> str: ...
    @property
    def facts(self) -> Facts: ...


@dataclass(frozen=True)
class Perimeter:
    """Whose credentials and whose resources the endpoint policies admit
    (help/sources.md#perimeter-examples).

    Identity perimeter: every call only workloads sign carries ``aws:PrincipalAccount`` (this
    account and the participants' accounts) or ``aws:PrincipalOrgID``; ``scope = "any"`` opts
    out. OAuth callers and presigned URLs are not ours to scope: their statements stay
    ``"Principal": "*"``, narrowed by action and resource (AWS's examples).
    Resource perimeter: a call to the workload's own resources names this account in its ARNs;
    with participants (subnet sharing), whose workloads reach their own resources, the ARNs name
    any account and ``aws:ResourceAccount`` (the accounts) or ``aws:ResourceOrgID`` (the
    organization) keeps them to ours. AWS-owned resources carry no resource condition.
    """

    scope: str = DEFAULT_PRINCIPAL_SCOPE
    organization_id: str | None = None
    #: The subnet-sharing principals: account ids, or the ARN of the organization or of an OU.
    participants: tuple[str, ...] = ()

    @classmethod
    def of(cls, settings: PerimeterSettings) -> Perimeter:
        """The perimeter a configuration asks for."""
        return cls(settings.principal_scope, settings.organization_id, settings.participants)

    @property
    def accounts(self) -> list[str]:
        """This account (its placeholder) and each participant account, in order."""
        return [ACCOUNT_ID, *(p for p in self.participants if is_account(p))]

    def identity(self, call: Call) -> dict[str, list[str]]:
        """The identity perimeter of a call's statement: none for a call anyone but the
        workloads signs, or when the scope is ``any``."""
        key = PRINCIPAL_SCOPES[self.scope]
        if key is None or set(call.signers) != {"workload"}:
            return {}
        return {key: self.accounts if self.scope == "account" else [str(self.organization_id)]}

    def resource(self, call: Call) -> dict[str, list[str]]:
        """The resource perimeter of a call's statement: needed only where participants reach
        resources of their own (the ARNs no longer name one account)."""
        if call.owner != "workload" or not self.participants:
            return {}
        if self.scope == "organization":
            return {"aws:ResourceOrgID": [str(self.organization_id)]}
        return {"aws:ResourceAccount": self.accounts}

    def resources(self, call: Call, code_buckets: Iterable[str]) -> list[str]:
        """The call's resource ARNs (templates): any account's where participants need theirs."""
        resources = expand_resources(call.resources, code_buckets)
        if self.resource(call):
            return [r.replace(ACCOUNT_ID, "*") for r in resources]
        return resources


def statement(
    call: Call, code_buckets: Iterable[str], perimeter: Perimeter = Perimeter()
) -> dict[str, Any]:
    """The endpoint policy statement that allows one call (placeholders still in)."""
    allow: dict[str, Any] = {
        "Sid": call.sid,
        "Effect": "Allow",
        # Gateway endpoints take no other principal, and OAuth callers are anonymous to IAM
        # (help/sources.md#agentcore-oauth-callers): the perimeter is in the conditions.
        "Principal": "*",
        "Action": list(call.actions),
        "Resource": perimeter.resources(call, code_buckets),
    }
    condition: dict[str, dict[str, Any]] = {
        op: dict(keys) for op, keys in (call.condition or {}).items()
    }
    scoped = {**perimeter.identity(call), **perimeter.resource(call)}
    if scoped:
        condition["StringEquals"] = {**condition.get("StringEquals", {}), **scoped}
    if condition:
        allow["Condition"] = condition
    return allow


def policy_document(
    endpoint: str,
    flows: Iterable[str],
    code_buckets: Iterable[str],
    *,
    partition: str,
    region: str,
    account_id: str,
    perimeter: Perimeter = Perimeter(),
    facts: Facts,
) -> str:
    """The endpoint policy as compact JSON with sorted keys, like Terraform's jsonencode."""
    return render(
        policy_template(endpoint, flows, code_buckets, perimeter, facts),
        partition=partition,
        region=region,
        account_id=account_id,
    )


def policy_template(
    endpoint: str,
    flows: Iterable[str],
    code_buckets: Iterable[str],
    perimeter: Perimeter,
    facts: Facts,
) -> str:
    """The endpoint policy with its placeholders (``${partition}``, ``${region}``,
    ``${account_id}``) still in."""
    buckets = list(code_buckets)
    return policy_json(
        [statement(call, buckets, perimeter) for call in calls_through(endpoint, flows, facts)]
    )


def endpoint_policies(config: EndpointSelection) -> dict[str, str | None]:
    """The policy of each selected endpoint, for ``VpcEndpoints(policies=...)``: exactly the calls
    of the selected flows through it, placeholders still in (the construct fills them, as the HCL
    twin does); None where the service takes only AWS's full access (catalog.json)."""
    perimeter = Perimeter.of(config)
    return {
        key: policy_template(
            key, config.selected_flows, config.code_buckets, perimeter, config.facts
        )
        if config.facts.catalog.endpoints[key].custom_policy
        else None
        for key in config.selected
    }


def needed_egress(flows: Iterable[str], facts: Facts) -> dict[tuple[str, PeerKind, str], list[str]]:
    """(group, peer kind, peer) -> the flows that need a workload group to send there."""
    needed: dict[tuple[str, PeerKind, str], list[str]] = {}
    for key in sorted(flows):
        flow = facts.flows.flows[key]
        for source in flow.sources:
            group = facts.flows.workloads[source].security_group
            for call in flow.calls:
                kind, peer, _ = call_peer(call, facts.catalog)
                users = needed.setdefault((group, kind, peer), [])
                if key not in users:
                    users.append(key)
    return needed


def rules_in_use(flows: Iterable[str], endpoint_ingress: str, facts: Facts) -> dict[str, Rule]:
    """The rules of rules.json a network with these flows carries: the egress rules some selected
    flow needs; the ingress rules from the VPC CIDR (``vpc``), or from each group whose egress
    to the receiving group some flow needs (``workloads``)."""
    needed = needed_egress(flows, facts)

    def used(rule: Rule) -> bool:
        if rule.direction == "egress":
            return (rule.group, rule.peer_kind, rule.peer) in needed
        if rule.group == ENDPOINT_GROUP and rule.peer_kind == "cidr":
            return endpoint_ingress == "vpc"
        if rule.group == ENDPOINT_GROUP and endpoint_ingress != "workloads":
            return False
        return (rule.peer, "security_group", rule.group) in needed

    return {key: rule for key, rule in facts.rules.rules.items() if used(rule)}


def groups_in_use(flows: Iterable[str], facts: Facts) -> list[str]:
    """The groups of rules.json a network with these flows has: the endpoint group, every
    workload's group, and a group only flows target (data_tier) when a selected flow does."""
    always = {ENDPOINT_GROUP} | {w.security_group for w in facts.flows.workloads.values()}
    targeted = {t for key in flows for t in facts.flows.flows[key].targets}
    return [g for g in facts.rules.groups if g in always or g in targeted]


def groups_and_rules(config: GroupSelection) -> RuleSet:
    """The security groups and rules of rules.json a network with these flows has, for
    ``SecurityGroups(rules=...)``: :func:`groups_in_use` and :func:`rules_in_use`."""
    groups = groups_in_use(config.selected_flows, config.facts)
    return RuleSet(
        groups={key: config.facts.rules.groups[key] for key in groups},
        rules=rules_in_use(config.selected_flows, config.endpoint_ingress, config.facts),
    )
