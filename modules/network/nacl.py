"""The network ACL of the private subnets, and how to read whether it lets a connection through.

NACLs are stateless and cannot name a prefix list, so the ACL the network manages (the VPC's
default one, adopted for every subnet) allows:
  - everything to and from the VPC CIDR (the security groups decide inside the VPC);
  - HTTPS out to, and the replies (TCP 1024-65535) in from, the CIDRs of the prefix list of each
    service reached through a gateway endpoint (S3, DynamoDB). AWS: "the network ACL for the
    subnet must allow traffic to and from" the service; "you can't reference a prefix list in a
    network ACL rule" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html).
Nothing from or to 0.0.0.0/0 or ::/0 (Security Hub EC2.21, help/sources.md#security-hub). The
HCL twin (modules/network/terraform/nacl.tf) writes the same entries; tests compare the two.

No cdktf import here: the flow proof reads entries through :func:`verdict`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

#: Rule number of the entries for the VPC CIDR (ingress and egress).
VPC_RULE_NUMBER = 100
#: The first rule number of the i-th gateway service (sorted by name): 200, 300, ...
GATEWAY_RULE_BASE = 200
GATEWAY_RULE_STRIDE = 100
#: Client ports of the replies: AWS's recommended ephemeral range, which covers Linux's and
#: Lambda's.
EPHEMERAL_PORTS = (1024, 65535)
HTTPS = 443
#: AWS's default quota of rules per direction of a network ACL (raisable to 40).
MAX_RULES_PER_DIRECTION = 20
#: A gateway prefix list's CIDRs, before they are read (a configuration): ``prefix_list:<service>``.
SYMBOLIC = "prefix_list:"


def prefix_list_name(region: str, service: str) -> str:
    """The AWS-managed prefix list of a gateway service: ``com.amazonaws.<region>.<service>``."""
    return f"com.amazonaws.{region}.{service}"


@dataclass(frozen=True)
class NaclEntry:
    rule_no: int
    egress: bool
    #: ``-1`` (all), ``tcp``/``6``, ``udp``/``17``...
    protocol: str
    from_port: int
    to_port: int
    #: A CIDR, or ``prefix_list:<service>`` for every CIDR of a gateway service's prefix list.
    cidr: str
    action: Literal["allow", "deny"]

    def covers_ports(self, low: int, high: int) -> bool:
        if self.protocol in ("-1", "all"):
            return True
        return self.protocol in ("tcp", "6") and self.from_port <= low and high <= self.to_port

    def touches_ports(self, low: int, high: int) -> bool:
        if self.protocol in ("-1", "all"):
            return True
        return self.protocol in ("tcp", "6") and self.from_port <= high and low <= self.to_port


def _relation(entry: str, target: str) -> Literal["contains", "overlaps", "apart"]:
    """How an entry's CIDR relates to a destination (a CIDR or a symbolic prefix list)."""
    if entry.startswith(SYMBOLIC) and target.startswith(SYMBOLIC):
        return "contains" if entry == target else "apart"
    if entry.startswith(SYMBOLIC) or target.startswith(SYMBOLIC):
        concrete = ipaddress.ip_network(
            target if entry.startswith(SYMBOLIC) else entry, strict=False
        )
        if concrete.prefixlen == 0:
            return "contains" if not entry.startswith(SYMBOLIC) else "overlaps"
        # AWS-managed prefix lists hold public addresses: never inside a private block.
        return "apart" if concrete.is_private else "overlaps"
    a, b = ipaddress.ip_network(entry, strict=False), ipaddress.ip_network(target, strict=False)
    if a.version != b.version:
        return "apart"
    if b.subnet_of(a):  # type: ignore[arg-type]
        return "contains"
    return "overlaps" if a.overlaps(b) else "apart"


def verdict(
    entries: Sequence[NaclEntry], *, egress: bool, cidr: str, ports: tuple[int, int]
) -> tuple[bool | None, NaclEntry | None]:
    """Whether the ACL lets TCP on ``ports`` through to (egress) or from (ingress) all of ``cidr``.

    Entries are read in rule-number order and the first that matches decides, as AWS does; a
    deny that covers only part of the range or of the ports blocks (some connections fail).
    None: undecidable (an entry names a prefix list whose CIDRs are not known here).
    """
    for entry in sorted((e for e in entries if e.egress == egress), key=lambda e: e.rule_no):
        if not entry.touches_ports(*ports):
            continue
        relation = _relation(entry.cidr, cidr)
        if relation == "apart":
            continue
        if entry.action == "deny":
            return False, entry
        if relation == "contains" and entry.covers_ports(*ports):
            return True, entry
        if entry.cidr.startswith(SYMBOLIC) != cidr.startswith(SYMBOLIC):
            return None, entry
    return False, None  # the implicit final deny


def allows_everywhere(entries: Iterable[NaclEntry]) -> list[NaclEntry]:
    """Allow entries from or to anywhere (0.0.0.0/0, ::/0): what Security Hub EC2.21 looks at."""
    return [
        e
        for e in entries
        if e.action == "allow"
        and not e.cidr.startswith(SYMBOLIC)
        and ipaddress.ip_network(e.cidr, strict=False).prefixlen == 0
    ]
