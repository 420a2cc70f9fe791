"""Drift of managed resources, read from the JSON of a refresh-only plan."""

from __future__ import annotations

from typing import Any

from modules.checks.drift import severity
from modules.checks.finding import Finding

EMPTY: tuple[Any, ...] = (None, "", [], {})


def _empty(value: Any) -> bool:
    """Empty, or a list/map of nothing but empty values (e.g. IAM inline_policy [{name: ""}])."""
    if value in EMPTY:
        return True
    if isinstance(value, list):
        return all(_empty(item) for item in value)
    if isinstance(value, dict):
        return all(_empty(item) for item in value.values())
    return False


def _managed_inline_policies(plan: dict[str, Any]) -> set[tuple[str, str]]:
    """(role, policy name) of every aws_iam_role_policy in state."""
    resources = (
        plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", [])
    )
    return {
        (r["values"].get("role"), r["values"].get("name"))
        for r in resources
        if r["type"] == "aws_iam_role_policy" and r.get("values")
    }


#: Protocol names a network ACL entry may be written with, as AWS stores them (numbers).
_PROTOCOLS = {"tcp": "6", "udp": "17", "icmp": "1", "all": "-1"}


def _acl_entries(entries: list[Any]) -> list[Any]:
    """Network ACL entries compared as AWS means them: protocol numbers, no IPv6 block and no
    ICMP type outside ICMP, in rule order; the configuration's "tcp" and null are not drift."""

    def one(entry: Any) -> Any:
        if not isinstance(entry, dict):
            return entry
        entry = {k: (None if v == "" else v) for k, v in entry.items()}
        entry["protocol"] = _PROTOCOLS.get(str(entry.get("protocol")), entry.get("protocol"))
        if entry["protocol"] != "1":  # ICMP type and code mean nothing for other protocols
            entry.update(icmp_code=None, icmp_type=None)
        return entry

    return sorted(
        (one(e) for e in entries), key=lambda e: str(e.get("rule_no") if isinstance(e, dict) else e)
    )


def _normalised(
    terraform_type: str, attribute: str, values: dict[str, Any], managed: set[tuple[str, str]]
) -> Any:
    value = values.get(attribute)
    if (
        terraform_type in ("aws_default_network_acl", "aws_network_acl")
        and attribute in ("ingress", "egress")
        and isinstance(value, list)
    ):
        return _acl_entries(value)
    if (
        terraform_type == "aws_iam_role"
        and attribute == "inline_policy"
        and isinstance(value, list)
    ):
        # The role lists every inline policy, including those managed as aws_iam_role_policy
        # resources; only others are drift (someone added a policy to the role).
        return [
            p for p in value if (values.get("name"), p.get("name")) not in managed and not _empty(p)
        ]
    return value


def managed_drift(plan: dict[str, Any], heal: str) -> list[Finding]:
    """Every drifted attribute of ``resource_drift``; ``heal`` is the command that fixes them.

    Reading the JSON, not the exit code of `plan -refresh-only -detailed-exitcode`: that exits
    2 for cosmetic changes right after an apply (hashicorp/terraform #36403, #35117).
    """
    findings = []
    inline_policies = _managed_inline_policies(plan)
    for drift in plan.get("resource_drift", []):
        if drift.get("mode") != "managed":
            continue
        address, terraform_type = drift["address"], drift["type"]
        change = drift["change"]
        if "delete" in change["actions"] or change.get("after") is None:
            level, why = severity.deleted()
            findings.append(
                Finding(
                    "drift.deleted",
                    address,
                    None,
                    why,
                    fix=heal,
                    expected="exists",
                    actual="deleted",
                    level=level,
                )
            )
            continue
        before, after = change.get("before") or {}, change.get("after") or {}
        for attribute in sorted(set(before) | set(after)):
            old = _normalised(terraform_type, attribute, before, inline_policies)
            new = _normalised(terraform_type, attribute, after, inline_policies)
            if (
                old == new
                or (_empty(old) and _empty(new))
                or severity.ignored(terraform_type, attribute)
            ):
                continue
            level, why = severity.classify(terraform_type, attribute)
            findings.append(
                Finding(
                    "drift.changed",
                    address,
                    attribute,
                    why,
                    fix=heal,
                    expected=old,
                    actual=new,
                    level=level,
                )
            )
    return findings
