"""The rule registry (registry.json): every check's stable id, what it holds, how serious a
finding of it is, the hop it concerns, its fix and what it reads. verify, deploy's read-back,
doctor and drift each run the rules of what they read; every finding names its rule."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

REGISTRY_PATH = Path(__file__).with_name("registry.json")

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: dict[Severity, int] = {"high": 0, "medium": 1, "low": 2}
Reads = Literal["configuration", "live", "symptom", "state"]
#: What each kind of rule reads, and the commands that run it.
READ_BY: dict[Reads, str] = {
    "configuration": "verify (a configuration, any cdk.tf.json or plan JSON, a fresh plan)",
    "live": "verify --live, deploy's read-back, doctor",
    "symptom": "doctor",
    "state": "drift",
}


@dataclass(frozen=True)
class Rule:
    id: str
    reads: Reads
    severity: Severity
    hop: str
    title: str
    fix: str
    #: False for a rule no suppression may silence (a plan that is not its configuration's
    #: proves nothing about it).
    suppressible: bool = True


@functools.cache
def rules() -> dict[str, Rule]:
    """Every rule by id, in the registry's order."""
    raw = json.loads(REGISTRY_PATH.read_text())["rules"]
    return {
        key: Rule(
            id=key,
            reads=cast(Reads, entry["reads"]),
            severity=cast(Severity, entry["severity"]),
            hop=str(entry["hop"]),
            title=str(entry["title"]),
            fix=str(entry["fix"]),
            suppressible=bool(entry.get("suppressible", True)),
        )
        for key, entry in raw.items()
    }


def rule(rule_id: str) -> Rule:
    """The rule of an id; a check that names an id the registry lacks is a bug (KeyError)."""
    return rules()[rule_id]
