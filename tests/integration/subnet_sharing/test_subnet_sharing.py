"""A network shared through AWS RAM, for real on the emulator: deploy, re-plan clean, verify, the
share read back, drift when someone changes who it is shared with, destroy removes the share.

The environment is tests/fixtures/environments/shared.tfvars (the runtime roles' four subnets,
two accounts); everything runs as the real command line.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli_json import payload
from tests.conftest import FIXTURE_ENVIRONMENTS
from tests.integration.cli import Cli, WorkerEmulator

pytestmark = pytest.mark.integration

ENV = ("--local", "--env", "shared")
PRINCIPALS = ["111122223333", "444455556666"]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, worker: WorkerEmulator) -> Iterator[Cli]:
    cli = Cli(tmp_path_factory.mktemp("sharing"), environments=FIXTURE_ENVIRONMENTS, on=worker)
    try:
        deployed = cli("deploy", *ENV)  # verifies itself (plan and live read-back)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        yield cli
    finally:
        cli.close()


def _associations(cli: Cli, kind: str, share: str) -> list[str]:
    found = cli.client("ram").get_resource_share_associations(
        associationType=kind, resourceShareArns=[share]
    )["resourceShareAssociations"]
    return sorted(a["associatedEntity"] for a in found if a["status"] == "ASSOCIATED")


def test_the_share_carries_the_runtime_subnets_to_the_two_accounts(cli: Cli) -> None:
    out = cli.outputs("shared")
    share = out["subnet_share_arn"]
    assert share.startswith("arn:aws:ram:us-west-2:")
    assert sorted(out["shared_subnet_ids"]) == ["agent_runtime", "mcp_runtime"]
    assert all(len(ids) == 2 for ids in out["shared_subnet_ids"].values())
    subnets = cli.client("ec2").describe_subnets(
        SubnetIds=[i for ids in out["shared_subnet_ids"].values() for i in ids]
    )["Subnets"]
    assert _associations(cli, "RESOURCE", share) == sorted(s["SubnetArn"] for s in subnets)
    assert _associations(cli, "PRINCIPAL", share) == PRINCIPALS
    (described,) = cli.client("ram").get_resource_shares(
        resourceOwner="SELF", resourceShareArns=[share]
    )["resourceShares"]
    assert described["allowExternalPrincipals"] is False
    assert {t["key"]: t["value"] for t in described["tags"]}["Name"] == "agentcore-shared-subnets"


def test_it_plans_clean_and_verify_proves_the_deployed_plan(cli: Cli) -> None:
    plan = cli("plan", *ENV)
    assert plan.returncode == 0, plan.stdout + plan.stderr
    verified = cli("verify", "--plan", *ENV, "--json")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    report = payload(verified.stdout)
    assert [i["source"].startswith("plan of network-shared") for i in report["inputs"]] == [
        False,
        True,
    ]
    live = cli("verify", "--live", *ENV)
    assert live.returncode == 0 and "PROVEN on the live network." in live.stdout, live.stdout


def test_drift_finds_who_was_added_or_removed_outside_terraform(cli: Cli) -> None:
    assert cli.drift("shared") == (0, {**cli.drift("shared")[1], "findings": []})
    out, ram = cli.outputs("shared"), cli.client("ram")
    share = out["subnet_share_arn"]
    ram.associate_resource_share(resourceShareArn=share, principals=["777788889999"])
    ram.disassociate_resource_share(resourceShareArn=share, principals=["444455556666"])
    subnet = cli.client("ec2").describe_subnets(SubnetIds=[out["subnet_ids"]["data"]])["Subnets"]
    ram.create_resource_share(name="by-hand", resourceArns=[subnet[0]["SubnetArn"]])
    code, report = cli.drift("shared")
    assert code == 2
    found = {(f["rule"], f["attribute"], f["severity"]) for f in report["findings"]}
    assert ("drift.unmanaged", "ram_principal_association", "high") in found
    assert ("drift.unmanaged", "ram_resource_share", "high") in found
    removed = [f for f in report["findings"] if f["rule"] != "drift.unmanaged"]
    assert [f["address"] for f in removed] == [
        'aws_ram_principal_association.subnet_sharing_principal["444455556666"]'
    ]
    added = next(f for f in report["findings"] if f["attribute"] == "ram_principal_association")
    assert added["address"] == "777788889999"
    assert added["fix"] == (
        f"aws ram disassociate-resource-share --resource-share-arn {share} "
        "--principals 777788889999"
    )
    # deploy puts back what the configuration says; the additions stay reported until removed
    healed = cli("deploy", *ENV, "--no-verify")
    assert healed.returncode == 0, healed.stdout + healed.stderr
    assert _associations(cli, "PRINCIPAL", share) == sorted([*PRINCIPALS, "777788889999"])
    ram.disassociate_resource_share(resourceShareArn=share, principals=["777788889999"])
    other = next(f for f in cli.drift("shared")[1]["findings"])["address"]
    ram.delete_resource_share(resourceShareArn=other)
    assert cli.drift("shared")[0] == 0


def test_destroy_removes_the_share(cli: Cli) -> None:
    share = cli.outputs("shared")["subnet_share_arn"]
    result = cli("destroy", *ENV, "--auto-approve")
    assert result.returncode == 0, result.stdout + result.stderr
    shares = cli.client("ram").get_resource_shares(resourceOwner="SELF")["resourceShares"]
    assert [s["status"] for s in shares if s["resourceShareArn"] == share] == ["DELETED"]
    assert _associations(cli, "PRINCIPAL", share) == []
