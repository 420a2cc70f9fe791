"""One Finding type for every check (verify, deploy's read-back, doctor, drift): the rule it
breaks (modules/checks/registry.json), where, what is wrong and the fix; and, when the
environment records an accepted exception for it, the suppression with its reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from fnmatch import fnmatchcase
from typing import Any, Protocol, TypeVar

from modules.checks.registry import Severity, rule


@dataclass(frozen=True)
class Suppression:
    """An accepted exception: findings of ``rule`` at addresses matching ``address`` (a glob)
    do not count against the network until ``until`` (none: until removed). Every report still
    shows them, with the reason."""

    rule: str
    reason: str
    address: str = "*"
    until: date | None = None
    #: Where it was recorded: ``environments/dev.suppressions.json#2``.
    source: str = ""

    def matches(self, finding: Finding) -> bool:
        return finding.rule == self.rule and fnmatchcase(finding.address, self.address)

    def expired(self, today: date) -> bool:
        return self.until is not None and today > self.until

    def as_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "until": self.until.isoformat() if self.until else None,
            "source": self.source,
        }

    def words(self) -> str:
        """``suppressed (environments/dev.suppressions.json#1, until 2027-06-30): reason``"""
        until = f", until {self.until.isoformat()}" if self.until else ""
        return f"suppressed ({self.source}{until}): {self.reason}"


@dataclass(frozen=True)
class Finding:
    """One rule that does not hold (or cannot be shown to), where, and why it matters."""

    rule: str
    address: str
    attribute: str | None
    problem: str
    #: The flow that is blocked, for reachability findings.
    flow: str | None = None
    fix: str = ""
    #: What the state holds and what is live, for drift.
    expected: Any = None
    actual: Any = None
    #: None: the rule's severity (drift classifies each attribute: drift/severity.json).
    level: Severity | None = None
    suppressed: Suppression | None = None

    @property
    def severity(self) -> Severity:
        return self.level or rule(self.rule).severity

    @property
    def hop(self) -> str:
        return rule(self.rule).hop

    @property
    def counts(self) -> bool:
        """Whether it counts against the network (not an accepted exception)."""
        return self.suppressed is None

    def as_dict(self) -> dict[str, Any]:
        fields = asdict(self)
        fields.pop("level")
        return {
            "rule": self.rule,
            "severity": self.severity,
            "hop": self.hop,
            **fields,
            "suppressed": self.suppressed.as_dict() if self.suppressed else None,
        }


def suppress(
    findings: list[Finding], suppressions: tuple[Suppression, ...], today: date | None = None
) -> list[Finding]:
    """The findings, each matched by an unexpired suppression marked with it (the first that
    matches); the rules the registry marks unsuppressible are never silenced."""
    today = today or date.today()
    live = [s for s in suppressions if not s.expired(today)]
    marked = []
    for finding in findings:
        match = next((s for s in live if s.matches(finding)), None)
        if match is not None and rule(finding.rule).suppressible:
            finding = replace(finding, suppressed=match)
        marked.append(finding)
    return marked


def counting(findings: list[Finding]) -> list[Finding]:
    """The findings that count against the network (the suppressed ones left out)."""
    return [f for f in findings if f.counts]


class Checked(Protocol):
    """A check that passed or failed (a live check, a doctor result): a failure is a finding."""

    @property
    def ok(self) -> bool: ...

    def finding(self) -> Finding: ...


CheckT = TypeVar("CheckT", bound=Checked)


def suppress_failures(checks: list[CheckT], suppressions: tuple[Suppression, ...]) -> list[CheckT]:
    """The checks, each failure an unexpired suppression accepts marked with it (matched as a
    finding: its rule, and the check for address)."""
    failed = [c.finding() for c in checks if not c.ok]
    marked = iter(suppress(failed, suppressions))
    return [
        c if c.ok else replace(c, suppressed=next(marked).suppressed)  # type: ignore[type-var]
        for c in checks
    ]
