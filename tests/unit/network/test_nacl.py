"""The network ACL: what the network writes, and how the flow proof reads an ACL (stateless,
first matching rule decides, the final deny)."""

from __future__ import annotations

from typing import Any

import pytest

from modules.network.nacl import (
    EPHEMERAL_PORTS,
    SYMBOLIC,
    NaclEntry,
    allows_everywhere,
    verdict,
)
from tests.conftest import SHIPPED, only

VPC = NaclEntry(100, True, "-1", 0, 0, "10.0.0.0/16", "allow")
S3 = NaclEntry(300, True, "tcp", 443, 443, f"{SYMBOLIC}s3", "allow")


def test_the_first_matching_entry_decides_and_nothing_matched_is_denied() -> None:
    deny = NaclEntry(50, True, "tcp", 443, 443, "10.0.1.0/24", "deny")
    assert verdict([VPC], egress=True, cidr="10.0.1.0/24", ports=(443, 443)) == (True, VPC)
    assert verdict([VPC, deny], egress=True, cidr="10.0.1.0/24", ports=(443, 443)) == (False, deny)
    assert verdict([VPC], egress=True, cidr="52.216.0.0/15", ports=(443, 443)) == (False, None)
    assert verdict([VPC], egress=False, cidr="10.0.0.0/16", ports=(443, 443)) == (
        False,
        None,
    )  # other direction


def test_a_deny_over_part_of_the_range_blocks() -> None:
    partial = NaclEntry(90, False, "tcp", 30000, 40000, "10.0.0.0/16", "deny")
    inbound = NaclEntry(100, False, "-1", 0, 0, "10.0.0.0/16", "allow")
    assert (
        verdict([partial, inbound], egress=False, cidr="10.0.0.0/16", ports=EPHEMERAL_PORTS)[0]
        is False
    )


def test_a_prefix_list_is_matched_by_name_until_its_cidrs_are_known() -> None:
    assert verdict([VPC, S3], egress=True, cidr=f"{SYMBOLIC}s3", ports=(443, 443)) == (True, S3)
    assert verdict([VPC, S3], egress=True, cidr=f"{SYMBOLIC}dynamodb", ports=(443, 443)) == (
        False,
        None,
    )
    # A public CIDR against a prefix list whose CIDRs are unknown: cannot be decided.
    public = NaclEntry(200, True, "tcp", 443, 443, "52.216.0.0/15", "allow")
    assert verdict([public], egress=True, cidr=f"{SYMBOLIC}s3", ports=(443, 443))[0] is None
    assert (
        allows_everywhere([VPC, S3, NaclEntry(1, False, "-1", 0, 0, "0.0.0.0/0", "allow")])[
            0
        ].rule_no
        == 1
    )


@pytest.mark.parametrize("env", SHIPPED)
def test_the_network_acl_holds_every_subnet_and_nothing_from_anywhere(
    env: str, synthesized: dict[str, Any]
) -> None:
    stack = synthesized[env]
    acl = only(stack, "aws_default_network_acl")
    subnets = only(stack, "aws_subnet")["for_each"]
    assert sorted(acl["subnet_ids"]) == sorted(
        f'${{aws_subnet.network_private["{n}"].id}}' for n in subnets
    )
    for direction in ("ingress", "egress"):
        (vpc,) = acl[direction]
        assert (vpc["cidr_block"], vpc["action"], vpc["rule_no"]) == (
            "${aws_vpc.network_this.cidr_block}",
            "allow",
            100,
        )
        services = [d["for_each"] for d in acl["dynamic"][direction]]
        assert services == [
            f'${{sort(data.aws_ec2_managed_prefix_list.network_gateway["{s}"].entries[*].cidr)}}'
            for s in ("dynamodb", "s3")
        ]
        ports = {
            (d["content"]["from_port"], d["content"]["to_port"]) for d in acl["dynamic"][direction]
        }
        assert ports == ({(443, 443)} if direction == "egress" else {EPHEMERAL_PORTS})
    assert "0.0.0.0/0" not in str(acl) and "::/0" not in str(acl)
