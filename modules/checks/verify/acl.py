"""The entries of a network ACL as a configuration or a plan holds them (the static entries, and
the dynamic ones the network module writes per CIDR of a gateway service's prefix list)."""

from __future__ import annotations

import re
from typing import Any

from modules.checks.verify.model import Instance, Model
from modules.flows.view import UNKNOWN
from modules.network.nacl import SYMBOLIC, NaclEntry

#: A configuration's dynamic ACL entries: one per CIDR of a gateway service's prefix list.
_PREFIX_LIST = re.compile(r'data\.aws_ec2_managed_prefix_list\.\w+\["([^"]+)"\]')
_RULE_BASE = re.compile(r"^\$\{(\d+) \+ \w+\.key\}$")


def acl_entries(model: Model, acl: Instance) -> Any:
    """The entries of a network ACL; UNKNOWN where one is known only after apply (or is an
    expression this reading does not follow)."""
    entries = []
    for direction in ("ingress", "egress"):
        blocks = acl.get(direction)
        if blocks is UNKNOWN:
            return UNKNOWN
        for block in blocks or []:
            cidr = model.resolve(block.get("cidr_block")) or model.resolve(
                block.get("ipv6_cidr_block")
            )
            rule_no = block.get("rule_no")
            if not isinstance(cidr, str) or "${" in cidr or not isinstance(rule_no, int):
                return UNKNOWN
            entries.append(
                NaclEntry(
                    rule_no,
                    direction == "egress",
                    str(block.get("protocol")),
                    int(block.get("from_port") or 0),
                    int(block.get("to_port") or 0),
                    cidr,
                    block.get("action", "allow"),
                )
            )
        dynamic = (acl.get("dynamic") or {}).get(direction) or []
        for block in dynamic if isinstance(dynamic, list) else [dynamic]:
            source, content = (
                _PREFIX_LIST.search(str(block.get("for_each"))),
                block.get("content") or {},
            )
            base = _RULE_BASE.match(str(content.get("rule_no")))
            if source is None or base is None:
                return UNKNOWN
            entries.append(
                NaclEntry(
                    int(base.group(1)),
                    direction == "egress",
                    str(content.get("protocol")),
                    int(content.get("from_port") or 0),
                    int(content.get("to_port") or 0),
                    f"{SYMBOLIC}{source.group(1)}",
                    content.get("action", "allow"),
                )
            )
    return entries
