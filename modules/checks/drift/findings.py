"""Drift findings (the registry's drift.* rules, modules/checks/finding.py): sorted and counted.

drift.changed / drift.deleted: a managed resource differs from state (``deploy`` heals it);
drift.unmanaged: something in the VPC that Terraform does not manage (``fix`` removes it);
drift.stale: the network is as deployed, but AWS changed what it was built from (a gateway
service's prefix list, copied into the network ACL): ``deploy`` rebuilds it.
"""

from __future__ import annotations

from modules.checks.finding import Finding
from modules.checks.registry import SEVERITY_ORDER, Severity


def kind(finding: Finding) -> str:
    """changed, deleted, unmanaged or stale."""
    return finding.rule.removeprefix("drift.")


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER[f.severity], kind(f), f.address, f.attribute or ""),
    )


def severity_counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each severity, highest first."""
    return {level: sum(f.severity == level for f in findings) for level in SEVERITY_ORDER}
