"""A plan for review: one line per resource, Terraform's tally, and its text left intact."""

from __future__ import annotations

from typing import Any

import pytest

from modules.checks.verify.broadening import Widening
from modules.cli.plan_text import print_review
from modules.reports.plan_review import Review, resource_changes
from modules.runner.terraform import Planned, _plan_text


def _change(address: str, actions: list[str], **change: Any) -> dict[str, Any]:
    return {"address": address, "change": {"actions": actions, **change}}


PLAN = {
    "resource_changes": [
        _change("aws_vpc.this", ["no-op"], before={"a": 1}, after={"a": 1}),
        _change(
            'aws_subnet.private["a"]',
            ["update"],
            before={"tags": {"A": "1"}, "cidr_block": "10.0.0.0/24"},
            after={"tags": {"A": "2"}, "cidr_block": "10.0.0.0/24", "arn": None},
            after_unknown={"arn": True},
        ),
        _change(
            "aws_kms_key.this",
            ["delete", "create"],
            before={},
            after={},
            replace_paths=[["customer_master_key_spec"], ["policy", 0]],
        ),
        _change("aws_flow_log.this", ["create"], before=None, after={}),
        _change("aws_route.leak", ["delete"], before={}, after=None),
    ]
}


def test_every_changed_resource_has_one_line_and_terraforms_tally() -> None:
    changes = resource_changes(PLAN)
    assert [change.line for change in changes] == [
        '  ~ aws_subnet.private["a"] (changes arn, tags)',
        "-/+ aws_kms_key.this (replaced for customer_master_key_spec, policy)",
        "  + aws_flow_log.this",
        "  - aws_route.leak",
    ]
    review = Review(Planned(2, "", PLAN), changes, [])
    assert review.counts == {"add": 2, "change": 1, "destroy": 2}
    assert review.as_dict()["resource_changes"][1] == {
        "address": "aws_kms_key.this",
        "action": "replace",
        "attributes": ["customer_master_key_spec", "policy"],
    }


TERRAFORM_OUTPUT = """\
aws_vpc.this: Refreshing state... [id=vpc-1]
data.aws_region.current: Reading...

Terraform used the selected providers to generate the following execution
plan. Resource actions are indicated with the following symbols:
  ~ update in-place

Terraform will perform the following actions:

  # aws_subnet.private["a"] will be updated in-place
  ~ resource "aws_subnet" "private" {
      ~ tags                                           = {
          ~ "A" = "1" -> "2"
        }
        # (3 unchanged attributes hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.
"""


def test_terraforms_text_is_shown_whole_with_its_indentation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _plan_text(TERRAFORM_OUTPUT)
    assert text.startswith("Terraform used the selected providers") and "Refreshing" not in text
    widening = Widening("rule", "aws_vpc_security_group_egress_rule.x", "a: egress all traffic")
    print_review(Review(Planned(2, text, PLAN), resource_changes(PLAN), [widening]))
    out = capsys.readouterr().out
    assert out.index("Resources: 2 to add") < out.index("Access widens: 1 change(s)")
    assert out.index("Access widens") < out.index("Terraform's plan:")
    assert "+ rule       aws_vpc_security_group_egress_rule.x: a: egress all traffic" in out
    for line in text.splitlines():  # every line, its indentation kept
        assert f"    {line}".rstrip() in out.splitlines()
