"""deploy-role: the deploy role's policy covers every type each environment synthesizes, names
the stack's own roles, log groups and aliases, and keeps EC2 to the region."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from modules.cli import commands
from modules.reports.deploy_role import deploy_policy, missing_types, permissions
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests.cli_json import payload
from tests.conftest import FIXTURE_ENVIRONMENTS, SHIPPED

ACTION = re.compile(r"^(ec2|iam|logs|kms|ram|sts|s3|organizations):[A-Z][A-Za-z0-9]+$")


def _env(name: str) -> Any:
    directory = PROJECT_ROOT / "environments" if name in SHIPPED else FIXTURE_ENVIRONMENTS
    return load_environment(name, directory)


def _allowed(policy: dict[str, Any]) -> set[str]:
    return {action for s in policy["Statement"] for action in s["Action"]}


def test_every_type_of_every_environment_has_its_permissions(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    assert {"dev", "prod", "shared"} <= set(synthesized)
    for name, stack in synthesized.items():
        assert missing_types(stack) == [], name
        allowed = _allowed(deploy_policy(_env(name), stack))
        known = permissions()
        for kind in ("resource", "data"):
            for terraform_type in stack.get(kind, {}):
                entry = known["resources" if kind == "resource" else "data"][terraform_type]
                also = [a for actions in entry.get("also", {}).values() for a in actions]
                assert set(entry["actions"]) | set(also) <= allowed, (name, terraform_type)


def test_every_action_is_a_service_action() -> None:
    known = permissions()
    entries = [*known["resources"].values(), *known["data"].values()]
    actions = [a for e in entries for a in e["actions"]]
    actions += [a for e in entries for acts in e.get("also", {}).values() for a in acts]
    actions += [a for k, acts in known["tool"].items() if not k.startswith("/") for a in acts]
    assert actions and [a for a in actions if not ACTION.match(a)] == []


def test_the_stacks_own_names_scope_iam_logs_and_kms(synthesized: dict[str, Any]) -> None:
    stack = synthesized["prod"]
    policy = deploy_policy(_env("prod"), stack, account="123456789012")
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    (role,) = [r["name"] for r in stack["resource"]["aws_iam_role"].values()]
    assert by_sid["IamRole"]["Resource"] == f"arn:aws:iam::123456789012:role/{role}"
    assert by_sid["PassRole"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}
    }
    (group,) = [g["name"] for g in stack["resource"]["aws_cloudwatch_log_group"].values()]
    assert (
        f"arn:aws:logs:us-west-2:123456789012:log-group:{group}" in by_sid["LogGroup"]["Resource"]
    )
    assert by_sid["Ec2"]["Condition"] == {"StringEquals": {"aws:RequestedRegion": "us-west-2"}}
    for statement in policy["Statement"]:  # nothing but reads and creates on any resource
        if statement["Resource"] == "*" and statement["Sid"] not in ("Ec2", "KmsCreate"):
            assert all(
                a.split(":")[1].startswith(("Get", "List", "Describe")) for a in statement["Action"]
            ), statement
    assert "ram:CreateResourceShare" not in _allowed(policy)  # prod shares no subnet
    shared = deploy_policy(_env("shared"), synthesized["shared"])
    assert {"ram:CreateResourceShare", "ram:AssociateResourceShare"} <= _allowed(shared)


def test_an_s3_backend_adds_the_state_and_its_lock_file(synthesized: dict[str, Any]) -> None:
    stack = copy.deepcopy(synthesized["dev"])
    stack["terraform"]["backend"] = {"s3": {"bucket": "team-state", "key": "net/dev.tfstate"}}
    by_sid = {s["Sid"]: s for s in deploy_policy(_env("dev"), stack)["Statement"]}
    assert by_sid["StateBucket"]["Resource"] == "arn:aws:s3:::team-state"
    assert by_sid["State"]["Resource"] == "arn:aws:s3:::team-state/net/dev.tfstate"
    assert by_sid["StateLock"]["Resource"] == "arn:aws:s3:::team-state/net/dev.tfstate.tflock"
    assert "s3:DeleteObject" in by_sid["StateLock"]["Action"]
    assert "s3:DeleteObject" not in by_sid["State"]["Action"]  # the state itself is never deleted


def test_a_type_without_permissions_is_reported(synthesized: dict[str, Any]) -> None:
    stack = copy.deepcopy(synthesized["dev"])
    stack["resource"]["aws_nat_gateway"] = {"x": {}}
    assert missing_types(stack) == ["resource aws_nat_gateway"]


def test_the_command_prints_the_policy_alone_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "cdktf.out"))
    assert commands.run(["deploy-role", "--env", "prod", "--account", "123456789012"]) == 0
    out, err = capsys.readouterr()
    policy = json.loads(out)
    assert policy["Version"] == "2012-10-17" and "resource types" in err
    assert commands.run(["deploy-role", "--json"]) == 0
    report = payload(capsys.readouterr().out)
    assert "aws_vpc" in report["resource_types"] and report["policy"]["Statement"]
    with pytest.raises(SystemExit):
        commands.run(["deploy-role", "--account", "12345"])
    assert "not an AWS account id (twelve digits): '12345'" in capsys.readouterr().err
