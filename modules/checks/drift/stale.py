"""Stale drift: the network is as deployed, but AWS changed what it was built from.

The network ACL copies the CIDRs of the S3 and DynamoDB prefix lists at apply time
(modules/checks/acl_freshness.py); a refresh-only plan cannot see AWS change a list, because
nothing in AWS drifted from Terraform's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modules.checks.acl_freshness import stale_entries
from modules.checks.drift import severity
from modules.checks.finding import Finding
from modules.checks.snapshot import Snapshot


def stale_acl(snapshot: Snapshot, outputs: Mapping[str, Any], heal: str) -> list[Finding]:
    """One finding per CIDR where the network ACL and the gateway prefix lists disagree."""
    acl, lists = outputs.get("network_acl_id"), outputs.get("prefix_list_ids") or {}
    if not acl or not lists:
        return []
    findings = []
    for entry in stale_entries(snapshot, str(acl), lists):
        level, why = severity.stale(entry.change)
        findings.append(
            Finding(
                "drift.stale",
                f"network ACL {acl}",
                "egress" if entry.change == "missing" else "ingress",
                why,
                fix=f"{heal} (the ACL is rebuilt from the prefix lists as AWS serves them)",
                expected=f"{entry.cidr} ({entry.service} prefix list)"
                if entry.service
                else "absent",
                actual="absent" if entry.change == "missing" else entry.cidr,
                level=level,
            )
        )
    return findings
