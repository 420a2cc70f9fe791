"""One difference between what Terraform manages and what is live, and how serious it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: dict[Severity, int] = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Finding:
    """changed / deleted: a managed resource differs from state (``deploy`` heals it);
    unmanaged: something in the VPC that Terraform does not manage (``fix`` removes it);
    stale: the network is as deployed, but AWS changed what it was built from (a gateway
    service's prefix list, copied into the network ACL): ``deploy`` rebuilds it."""

    kind: Literal["changed", "deleted", "unmanaged", "stale"]
    address: str
    attribute: str | None
    expected: Any
    actual: Any
    severity: Severity
    why: str
    fix: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(
        findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind, f.address, f.attribute or "")
    )


def severity_counts(findings: list[Finding]) -> dict[Severity, int]:
    """How many findings of each severity, highest first."""
    return {level: sum(f.severity == level for f in findings) for level in SEVERITY_ORDER}
