"""What was reviewed is what is applied: `plan --out` and `deploy --plan`, against the emulator,
and the shipped CI example's steps (plan, prove, apply the artifact) run as a runner would."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.runner.saved_plan import sidecar
from tests import tfvars
from tests.cli_json import payload
from tests.integration.cli import Cli, WorkerEmulator
from tests.workflow import run_step

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, worker: WorkerEmulator) -> Iterator[Cli]:
    root = tmp_path_factory.mktemp("saved-plans")
    environments = root / "environments"
    tfvars.write(environments, "dev", tfvars.shipped("dev"))
    tfvars.write(environments, "other", {**tfvars.shipped("dev"), "name": "agentcore-other"})
    cli = Cli(root, environments, on=worker)
    try:
        yield cli
    finally:
        cli.close()


def _retention(cli: Cli, days: int) -> None:
    tfvars.write(
        cli.state.parent / "environments",
        "dev",
        {**tfvars.shipped("dev"), "flow_log_retention_days": days},
    )


def test_a_saved_plan_is_applied_exactly_and_refused_once_it_no_longer_fits(
    cli: Cli, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.tfplan", tmp_path / "second.tfplan"
    for plan in (first, second):  # both from the same empty state
        made = cli("plan", "--local", "--out", str(plan))
        assert made.returncode == 2, made.stdout + made.stderr
    record = json.loads(sidecar(first).read_text())
    assert (record["agentcore_plan"]["stack"], record["agentcore_plan"]["target"]) == (
        "network-dev",
        "emulator",
    )
    assert record["resource_changes"]  # terraform show -json, for review and verify --file

    other = cli("deploy", "--local", "--env", "other", "--plan", str(first))
    assert (
        other.returncode == 1
        and "was made for network-dev on the emulator, not network-other" in other.stderr
    )

    applied = cli("deploy", "--local", "--plan", str(first))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "Apply complete! Resources: 42 added" in applied.stdout
    assert "no changes: the configuration and the deployed network agree" in applied.stdout

    stale = cli("deploy", "--local", "--plan", str(second))
    assert stale.returncode == 1 and "The saved plan is stale" in stale.stderr, (
        stale.stdout + stale.stderr
    )

    unchanged = tmp_path / "unchanged.tfplan"
    assert cli("plan", "--local", "--out", str(unchanged)).returncode == 0
    _retention(cli, 731)
    try:
        edited = cli("deploy", "--local", "--plan", str(unchanged))
        assert (
            edited.returncode == 1
            and "the configuration of network-dev changed since" in edited.stderr
        )
    finally:
        _retention(cli, 365)
    sidecar(unchanged).unlink()
    alone = cli("deploy", "--local", "--plan", str(unchanged))
    assert alone.returncode == 1 and "Keep FILE and FILE.json together" in alone.stderr


def _without(plan: dict[str, Any], address: str) -> dict[str, Any]:
    """The plan with one resource instance left out, as a broken configuration would plan it."""
    broken = json.loads(json.dumps(plan))
    root = broken["planned_values"]["root_module"]
    root["resources"] = [r for r in root["resources"] if r["address"] != address]
    broken["resource_changes"] = [c for c in broken["resource_changes"] if c["address"] != address]
    return broken


def test_the_ci_example_proves_a_first_deploy_and_fails_a_broken_one(
    cli: Cli, tmp_path: Path
) -> None:
    """A first deploy's plan knows its ids only after apply, but its configuration names what
    each id will be (this subnet, that group): the Prove step proves it from the plan itself; a
    broken plan still fails."""
    env = {**cli.env, "ENVIRONMENT": "other"}  # never deployed
    planned = run_step("Plan", tmp_path, env, local=True)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    proven = run_step("Prove the plan", tmp_path, env, local=True)
    assert proven.returncode == 0, proven.stdout + proven.stderr
    assert "PROVEN: every flow (13) reachable end to end" in " ".join(proven.stdout.split())
    plan_json = tmp_path / "plan.tfplan.json"
    document = json.loads(plan_json.read_text())
    plan_json.write_text(
        json.dumps(
            _without(
                document,
                'aws_vpc_security_group_egress_rule.security_groups_egress["agent_runtime_to_s3"]',
            )
        )
    )
    broken = run_step("Prove the plan", tmp_path, env, local=True)
    assert broken.returncode != 0 and "REFUTED" in broken.stdout, broken.stdout + broken.stderr
    assert "missing from the plan" in " ".join(broken.stdout.split())
    # The same rule missing from the configuration too (recorded with its hash): the flow that
    # needs it is refuted in the configuration the plan was made from.
    record = document["agentcore_plan"]
    configuration = json.loads(record["configuration"])
    egress = configuration["resource"]["aws_vpc_security_group_egress_rule"]
    del egress["security_groups_egress"]["for_each"]["agent_runtime_to_s3"]
    text = json.dumps(configuration)
    record.update(
        configuration=text, configuration_sha256=hashlib.sha256(text.encode()).hexdigest()
    )
    rule = 'aws_vpc_security_group_egress_rule.security_groups_egress["agent_runtime_to_s3"]'
    plan_json.write_text(json.dumps(_without(document, rule)))
    refuted = run_step("Prove the plan", tmp_path, env, local=True)
    assert refuted.returncode != 0, refuted.stdout + refuted.stderr
    assert "container_pulls_from_ecr blocked at egress" in " ".join(refuted.stdout.split())


def test_the_ci_example_plans_proves_and_applies_the_reviewed_artifact(
    cli: Cli, tmp_path: Path
) -> None:
    """After the deploy above: a reviewed change (flow-log retention), step by step as the
    example's plan and deploy jobs run it, against the emulator (--local)."""
    _retention(cli, 731)
    try:
        env = {**cli.env, "ENVIRONMENT": "dev"}
        planned = run_step("Plan", tmp_path, env, local=True)
        assert planned.returncode == 0, (
            planned.stdout + planned.stderr
        )  # 2 (changes) passes the job
        assert (tmp_path / "plan.tfplan").is_file() and "1 to change" in (
            tmp_path / "plan.txt"
        ).read_text()
        proven = run_step("Prove the plan", tmp_path, env, local=True)
        assert proven.returncode == 0, proven.stdout + proven.stderr
        applied = run_step("Apply the reviewed plan", tmp_path, env, local=True)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert "Apply complete! Resources: 0 added, 1 changed, 0 destroyed." in applied.stdout
        again = run_step(
            "Apply the reviewed plan", tmp_path, env, local=True
        )  # the same artifact twice
        assert again.returncode == 1 and "The saved plan is stale" in again.stderr
        logs = cli.client("logs").describe_log_groups(
            logGroupNamePrefix="/aws/vpc-flow-logs/agentcore-dev"
        )
        assert [g["retentionInDays"] for g in logs["logGroups"]] == [731]
    finally:
        _retention(cli, 365)


def _serial(cli: Cli) -> int:
    """The serial of the emulator state of dev: Terraform raises it on every write."""
    state = cli.state / "emulator" / "dev" / "terraform.tfstate"
    return int(json.loads(state.read_text())["serial"])


def _variant(cli: Cli, **values: Any) -> None:
    tfvars.write(cli.state.parent / "environments", "dev", {**tfvars.shipped("dev"), **values})


def test_the_review_lists_what_widens_access_and_deploy_asks_for_it(cli: Cli) -> None:
    """After the deploys above: the plan's review computes what widens access (not from
    Terraform's text), plan --json carries it, and deploy --require-approval broadening stops
    for it without a terminal while a change that widens nothing goes through."""
    _variant(cli, principal_scope="any")
    try:
        reviewed = cli("plan", "--local", "--json")
        assert reviewed.returncode == 2, reviewed.stdout + reviewed.stderr
        (environment,) = payload(reviewed.stdout)["environments"]
        details = environment["details"]
        endpoints = [
            c for c in details["resource_changes"] if c["address"].startswith("aws_vpc_endpoint")
        ]
        # Every endpoint's policy loses its identity condition but s3's (ECR's layers) and the
        # gateway's (OAuth callers), which never carry one.
        assert len(endpoints) == 12 and all(
            (c["action"], c["attributes"]) == ("update", ["policy"]) for c in endpoints
        ), details["resource_changes"]
        kinds = {w["kind"] for w in details["broadening"]}
        assert kinds == {"policy", "perimeter", "sharing"}, details["broadening"]
        assert "principal_scope account -> any" in json.dumps(details["broadening"])

        shown = cli("plan", "--local")
        assert shown.returncode == 2
        lines = shown.stdout.splitlines()
        assert any(line.startswith("  Access widens: ") for line in lines), shown.stdout
        # Terraform's nested diff keeps its indentation (a policy's statements, a line each).
        assert any(re.match(r"^ {20,}Sid +=", line) for line in lines), shown.stdout

        serial = _serial(cli)
        asked = cli("deploy", "--local", "--require-approval", "broadening")
        assert asked.returncode == 1, asked.stdout + asked.stderr
        assert "Refusing to change the network without confirmation: " in asked.stderr
        assert "change(s) widen access (" in asked.stderr and "--require-approval never" in (
            asked.stderr
        )
        assert _serial(cli) == serial  # nothing was applied: the state was not written
    finally:
        _variant(cli)

    _variant(cli, tags={**tfvars.shipped("dev")["tags"], "Owner": "team-a"})
    try:
        everything = cli("deploy", "--local", "--require-approval", "any-change", "--no-verify")
        assert everything.returncode == 1 and "--require-approval any-change" in (
            everything.stderr
        ), everything.stdout + everything.stderr
        retagged = cli("deploy", "--local", "--require-approval", "broadening", "--no-verify")
        assert retagged.returncode == 0, retagged.stdout + retagged.stderr
        assert "Nothing in this plan widens access: applying without asking" in " ".join(
            retagged.stdout.split()
        )
        assert "Apply complete!" in retagged.stdout
    finally:
        _variant(cli)  # the file's last test: the network goes with the account
