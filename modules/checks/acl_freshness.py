"""Is the network ACL current with the gateway services' prefix lists as AWS serves them now?

A network ACL cannot name a prefix list: it holds the CIDRs of the S3 and DynamoDB lists as they
were at the last apply (modules/network/nacl.py). When AWS adds a range, the security groups and
routes, which name the list, follow by themselves; the ACL drops HTTPS to the new range until the
next deploy, and nothing in AWS drifted from Terraform's state
(help/sources.md#managed-prefix-lists). This reads both and names what differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from modules.checks.live_view import nacl_entries
from modules.checks.snapshot import Snapshot
from modules.network.nacl import EPHEMERAL_PORTS, GATEWAY_RULE_BASE, HTTPS, verdict


@dataclass(frozen=True)
class StaleEntry:
    """A CIDR where the ACL and the gateway services' prefix lists disagree."""

    cidr: str
    #: ``missing``: AWS added it to a list, the ACL drops it; ``extra``: AWS removed it from the
    #: lists, the ACL still admits it.
    change: Literal["missing", "extra"]
    #: The gateway endpoint whose list holds it (``s3``, ``dynamodb``); "" for an extra CIDR.
    service: str = ""

    def words(self) -> str:
        if self.change == "missing":
            return f"{self.cidr} is in the {self.service} prefix list, not in the network ACL"
        return f"{self.cidr} is in the network ACL, no longer in a gateway prefix list"


def prefix_list_cidrs(
    snapshot: Snapshot, prefix_list_ids: Mapping[str, str]
) -> dict[str, list[str]]:
    """Gateway endpoint key -> the CIDRs of its prefix list, as AWS serves them now."""
    return {
        key: snapshot.prefix_list_cidrs(prefix_list_id)
        for key, prefix_list_id in sorted(prefix_list_ids.items())
    }


def stale_entries(
    snapshot: Snapshot, network_acl_id: str, prefix_list_ids: Mapping[str, str]
) -> list[StaleEntry]:
    """Where the network ACL of the subnets and the gateway prefix lists disagree: each CIDR
    of a list the ACL does not let HTTPS go to and the replies come back from, and each gateway
    entry of the ACL no list holds any more."""
    acl = snapshot.network_acl(network_acl_id)
    entries = nacl_entries(acl) if acl else []
    lists = prefix_list_cidrs(snapshot, prefix_list_ids)

    def admitted(cidr: str) -> bool:
        out = verdict(entries, egress=True, cidr=cidr, ports=(HTTPS, HTTPS))[0]
        back = verdict(entries, egress=False, cidr=cidr, ports=EPHEMERAL_PORTS)[0]
        return out is True and back is True

    found = [
        StaleEntry(cidr, "missing", key)
        for key, cidrs in lists.items()
        for cidr in cidrs
        if not admitted(cidr)
    ]
    listed = {cidr for cidrs in lists.values() for cidr in cidrs}
    gateway = {
        e.cidr
        for e in entries
        if e.egress and e.action == "allow" and e.rule_no >= GATEWAY_RULE_BASE
    }
    return found + [StaleEntry(cidr, "extra") for cidr in sorted(gateway - listed)]
