"""Drift of managed resources, read from the JSON of a refresh-only plan."""
from __future__ import annotations

from typing import Any

from modules.drift import severity
from modules.drift.findings import Finding

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
    resources = plan.get("prior_state", {}).get("values", {}).get("root_module", {}).get("resources", [])
    return {
        (r["values"].get("role"), r["values"].get("name"))
        for r in resources
        if r["type"] == "aws_iam_role_policy" and r.get("values")
    }


def _normalised(terraform_type: str, attribute: str, values: dict[str, Any], managed: set[tuple[str, str]]) -> Any:
    value = values.get(attribute)
    if terraform_type == "aws_iam_role" and attribute == "inline_policy" and isinstance(value, list):
        # The role lists every inline policy, including those managed as aws_iam_role_policy
        # resources; only others are drift (someone added a policy to the role).
        return [p for p in value if (values.get("name"), p.get("name")) not in managed and not _empty(p)]
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
            findings.append(Finding("deleted", address, None, "exists", "deleted", level, why, heal))
            continue
        before, after = change.get("before") or {}, change.get("after") or {}
        for attribute in sorted(set(before) | set(after)):
            old = _normalised(terraform_type, attribute, before, inline_policies)
            new = _normalised(terraform_type, attribute, after, inline_policies)
            if old == new or (_empty(old) and _empty(new)) or severity.ignored(terraform_type, attribute):
                continue
            level, why = severity.classify(terraform_type, attribute)
            findings.append(Finding("changed", address, attribute, old, new, level, why, heal))
    return findings
