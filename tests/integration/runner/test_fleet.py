"""A small fleet on the emulator: plan and drift over several environments at once, each on its
own state, one table and one JSON document, and the worst exit code.

Three environments share a layer (`_small.tfvars`, which is no environment itself): small-a is
deployed (no changes), small-b is not (changes), small-east is in a region whose emulator offers
no CloudWatch Logs endpoint service (its plan fails; the others go on). The large fleet belongs
to the benchmark (bench/fleet.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from modules.runner.emulator_server import SERVICES_OVERRIDE
from tests import tfvars
from tests.cli_json import envelope
from tests.integration.cli import Cli

pytestmark = pytest.mark.integration

SMALL = {
    "region": "us-west-2",
    "subnets": {
        "agent_runtime": {"cidr": "10.0.3.0/24", "az": "us-west-2a"},
        "agent_runtime_b": {"cidr": "10.0.13.0/24", "az": "us-west-2b", "role": "agent_runtime"},
    },
    "flows": ["agent_calls_bedrock", "runtime_logs"],
    "kms_key_deletion_window_days": 7,
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    root = tmp_path_factory.mktemp("fleet")
    environments = root / "environments"
    environments.mkdir()
    tfvars.write(environments, "_small", SMALL)
    for name in ("a", "b"):
        (environments / f"small-{name}.tfvars").write_text(
            f'extends = "_small"\nname = "agentcore-small-{name}"\n'
        )
    (environments / "small-east.tfvars").write_text(
        'extends = "_small"\nname = "agentcore-small-east"\nregion = "us-east-1"\n'
        'subnets = { agent_runtime = { cidr = "10.0.3.0/24", az = "us-east-1b" },\n'
        '  agent_runtime_b = { cidr = "10.0.13.0/24", az = "us-east-1c",\n'
        '                    role = "agent_runtime" } }\n'
    )
    override = root / "services.json"
    override.write_text(json.dumps({"us-east-1": {"logs": {"offered": False}}}))
    cli = Cli(root, environments)
    cli.env[SERVICES_OVERRIDE] = str(override)
    try:
        deployed = cli("deploy", "--local", "--env", "small-a", "--no-verify")
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        yield cli
    finally:
        cli("local", "down")


def test_plan_of_the_fleet_reports_each_and_exits_with_the_worst(cli: Cli) -> None:
    result = cli("plan", "--all", "--local", "--jobs", "3", "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    document = envelope(result.stdout)
    assert (document["command"], document["result"], document["target"]) == (
        "plan",
        "failed",
        "emulator",
    )
    by_env = {e["env"]: e for e in document["payload"]["environments"]}
    assert list(by_env) == ["small-a", "small-b", "small-east"]  # _small is a layer only
    assert (by_env["small-a"]["exit_code"], by_env["small-a"]["result"]) == (0, "no changes")
    assert (by_env["small-b"]["exit_code"], by_env["small-b"]["result"]) == (2, "changes")
    small_b = by_env["small-b"]
    assert small_b["details"]["add"] > 20 and small_b["summary"].startswith(
        f"{small_b['details']['add']} to add, 0 to change, 0 to destroy"
    )
    # A first deploy widens access (every flow becomes reachable): counted, and each listed.
    widening = len(small_b["details"]["broadening"])
    assert widening and small_b["summary"].endswith(f"; {widening} widen access")
    assert len(small_b["details"]["resource_changes"]) == small_b["details"]["add"]
    assert (by_env["small-east"]["exit_code"], by_env["small-east"]["result"]) == (1, "error")
    assert "logs" in by_env["small-east"]["details"]["error"]
    # each on its own state: small-a's holds its network, the plans wrote none for the others
    states = {p.parent.name for p in (cli.state / "emulator").glob("*/terraform.tfstate")}
    assert states == {"small-a"}


def test_the_table_for_people(cli: Cli) -> None:
    result = cli("plan", "--match", "small-[ab]", "--local")
    assert result.returncode == 2, result.stdout + result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert any(r[:3] == ["small-a", "no", "changes"] for r in rows)
    assert any(r[:2] == ["small-b", "changes"] and r[-2:] == ["widen", "access"] for r in rows)
    assert "2 environment(s): 1 changes, 1 no changes; exit 2 (the worst of them)." in " ".join(
        result.stdout.split()
    )


def test_drift_of_the_fleet(cli: Cli) -> None:
    result = cli("drift", "--all", "--local", "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    by_env = {e["env"]: e for e in envelope(result.stdout)["payload"]["environments"]}
    assert (by_env["small-a"]["result"], by_env["small-a"]["summary"]) == ("none", "no drift")
    # not deployed: said in a sentence, not as Terraform's errors about the missing resources
    assert by_env["small-b"]["summary"].startswith("Nothing is deployed for network-small-b")
    assert by_env["small-b"]["exit_code"] == 1
