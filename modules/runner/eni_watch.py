"""Explains a destroy that waits: network interfaces (AgentCore runtime ENIs) still in the VPC."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from modules.kernel.timeouts import LONG_DELETE_TIMEOUT

HINT_AFTER_ENV = "AGENTCORE_ENI_HINT_SECONDS"
_WAITING = re.compile(
    r"^(?P<address>aws_(?:subnet|security_group)\.\S+): Still destroying\.\.\. "
    r"\[(?:id=[^,\]]+, )?(?:(?P<minutes>\d+)m)?(?P<seconds>\d+)s elapsed\]"
)


class EniWatch:
    """Terraform line watcher: after ``after_seconds`` of deleting a subnet or security group,
    say which network interfaces hold it and what to expect."""

    def __init__(
        self, vpc_id: str, client: Callable[[str], Any], say: Callable[[str], None]
    ) -> None:
        self.vpc_id, self.client, self.say = vpc_id, client, say
        self.after_seconds = int(os.environ.get(HINT_AFTER_ENV, "120"))
        self.explained: set[str] = set()

    def __call__(self, line: str) -> None:
        match = _WAITING.match(line.strip())
        if not match or match["address"] in self.explained:
            return
        elapsed = int(match["minutes"] or 0) * 60 + int(match["seconds"])
        if elapsed < self.after_seconds:
            return
        self.explained.add(match["address"])
        interfaces = self.client("ec2").describe_network_interfaces(
            Filters=[{"Name": "vpc-id", "Values": [self.vpc_id]}]
        )["NetworkInterfaces"]
        self.say(
            f"{match['address']} has been deleting for {elapsed}s: AWS does not delete a subnet "
            f"or security group while network interfaces use it. In this VPC:"
        )
        for eni in interfaces:
            groups = ",".join(g["GroupId"] for g in eni.get("Groups", []))
            self.say(
                f"  {eni['NetworkInterfaceId']} ({eni.get('InterfaceType', 'interface')}, "
                f"{eni['Status']}, subnet {eni['SubnetId']}, groups {groups}): "
                f"{eni.get('Description') or 'no description'}"
            )
        self.say(
            f"AgentCore runtime ENIs go away up to 8 hours after their runtime is deleted. Destroy "
            f"keeps waiting up to {LONG_DELETE_TIMEOUT}; Ctrl-C stops it safely (the state keeps "
            "what is left) and destroy can run again later."
        )
