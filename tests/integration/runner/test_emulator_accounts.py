"""One emulator, many accounts: a request signed with a twelve-digit access key id is served by
that account, so command lines deploying the same names can share a worker's emulator."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import boto3
import pytest

from modules.runner.emulator import DEFAULT_ACCOUNT
from tests.integration.cli import Cli, WorkerEmulator

pytestmark = pytest.mark.integration


def test_two_accounts_hold_the_same_names_apart(worker: WorkerEmulator) -> None:
    accounts = [worker.new_account(), worker.new_account()]
    for account in accounts:
        seen_from = replace(worker.server, account_id=account)
        assert seen_from.client("sts", "us-west-2").get_caller_identity()["Account"] == account
        role = seen_from.client("iam", "us-west-2").create_role(
            RoleName="agentcore-accounts-flow-logs", AssumeRolePolicyDocument="{}"
        )["Role"]
        assert role["Arn"] == f"arn:aws:iam::{account}:role/agentcore-accounts-flow-logs"
        kms = seen_from.client("kms", "us-west-2")
        key = kms.create_key()["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName="alias/agentcore-accounts", TargetKeyId=key)
    default = worker.server.client("iam", "us-west-2").list_roles()["Roles"]
    assert "agentcore-accounts-flow-logs" not in {r["RoleName"] for r in default}


def test_a_key_that_is_no_account_number_is_served_by_the_default_account(
    worker: WorkerEmulator,
) -> None:
    sts = boto3.client(
        "sts",
        region_name="us-west-2",
        endpoint_url=worker.server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    assert sts.get_caller_identity()["Account"] == DEFAULT_ACCOUNT


def test_the_command_line_says_which_account_it_uses(
    tmp_path: Path, worker: WorkerEmulator
) -> None:
    cli = Cli(tmp_path, on=worker)
    status = cli("local", "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"account {cli.account}" in status.stdout and worker.server.url in status.stdout
    up = cli("local", "up")
    assert f"export AWS_ACCESS_KEY_ID={cli.account}" in up.stdout
    assert cli.client("sts").get_caller_identity()["Account"] == cli.account


@pytest.mark.parametrize(
    ("recorded", "fix"),
    [
        (" 210987654321", "Set AGENTCORE_EMULATOR_ACCOUNT=210987654321"),
        ("", "Unset AGENTCORE_EMULATOR_ACCOUNT (the default account)"),  # as 0.7.0 recorded it
    ],
)
def test_a_state_of_one_account_is_not_planned_from_another(
    tmp_path: Path, worker: WorkerEmulator, recorded: str, fix: str
) -> None:
    cli = Cli(tmp_path, on=worker)
    target = cli.state / "emulator" / "dev"
    target.mkdir(parents=True)
    vpc = {"mode": "managed", "type": "aws_vpc", "name": "network_this", "instances": [{}]}
    (target / "terraform.tfstate").write_text(json.dumps({"version": 4, "resources": [vpc]}))
    (target / "emulator-instance").write_text(worker.server.instance_id + recorded)
    refused = cli("plan", "--local")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    account = recorded.strip() or DEFAULT_ACCOUNT
    assert (
        f"lists 1 resources in the emulator's account {account}, and this command works in "
        f"account {cli.account}" in refused.stderr
    )
    assert fix in refused.stderr and "Traceback" not in refused.stderr
