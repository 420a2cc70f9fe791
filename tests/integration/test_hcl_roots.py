"""The HCL roots run for real, apart from the twins' checks so that the two halves share the
test workers: the examples/ roots applied on the emulator, and state moved from the CDKTF stack
to the HCL root composition and back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from modules.checks.verify import flow_results, judge, model_of
from modules.facts.facts import shipped
from modules.flows.proof import summary_line
from modules.runner.emulator import Emulator
from modules.stack.environment import PROJECT_ROOT
from modules.stack.twins import ROOT, cdktf_address, state_mv_commands
from tests.cli_json import envelope
from tests.integration.cli import Cli, WorkerEmulator
from tests.integration.twins import TFVARS, plan_in, terraform_in

pytestmark = pytest.mark.integration

EXAMPLES = PROJECT_ROOT / "examples"


@pytest.mark.parametrize(("example", "endpoints"), [("minimal", 7), ("full-network", 14)])
def test_an_example_root_deploys_on_the_emulator_and_plans_clean(
    example: str, endpoints: int, emulator: Emulator, tmp_path: Path
) -> None:
    """examples/ as a Terraform team starts from them: init, validate, plan, apply, a clean
    re-plan, destroy; against the emulator (the same configuration goes to AWS)."""
    tf = terraform_in(EXAMPLES / example, tmp_path / "data", emulator)
    plan = plan_in(tf, tmp_path / f"{example}.tfstate")
    tf.run(["validate", "-no-color"], show="none")
    created = [c for c in plan["resource_changes"] if c["change"]["actions"] == ["create"]]
    assert len([c for c in created if c["type"] == "aws_vpc_endpoint"]) == endpoints
    if example == "full-network":
        # Its rules' groups come from the module's inputs, which a plan does not show until
        # apply: unprovable, neither refuted nor proven on trust; in CI's JSON, exit 3.
        assert judge(model_of(plan, example)).status == "unprovable"
        (tmp_path / "plan.json").write_text(json.dumps(plan))
        verified = subprocess.run(
            [sys.executable, "main.py", "verify", "--file", str(tmp_path / "plan.json"), "--json"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        document = envelope(verified.stdout)
        assert (verified.returncode, document["result"]) == (3, "unprovable"), verified.stderr
    if example == "minimal":  # the network module's tags, merged with the provider's defaults
        (vpc,) = [c["change"]["after"] for c in created if c["type"] == "aws_vpc"]
        assert vpc["tags_all"]["Component"] == "network" and vpc["tags_all"]["Team"]
    tf.run(["apply", "-auto-approve", "-input=false", "-no-color"], show="none")
    replan = tf.run(
        ["plan", "-detailed-exitcode", "-input=false", "-no-color"], show="none", ok_codes=(0, 2)
    )
    assert replan.exit_code == 0, replan.output
    outputs = tf.output_json()
    if example == "minimal":
        assert len(outputs["agent_subnet_ids"]) == 1 and str(
            outputs["agent_security_group_id"]
        ).startswith("sg-")
    else:
        assert set(outputs["role_subnet_ids"]) == {"agent_runtime", "data", "mcp_runtime"}
        assert len(outputs["endpoint_ids"]) == endpoints
    tf.run(["destroy", "-auto-approve", "-input=false", "-no-color"], show="none")


def test_state_moves_from_the_stack_to_the_hcl_root_and_back(
    tmp_path: Path, worker: WorkerEmulator
) -> None:
    cli = Cli(tmp_path, on=worker)
    state_dir, outdir = cli.state, tmp_path / "cdktf.out"
    deployed = cli("deploy", "--local", "--no-verify")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    try:
        emulator = cli.emulator()
        # CDKTF state -> HCL root: moved_from_cdktf.tf turns every address into a move.
        hcl_state = tmp_path / "hcl.tfstate"
        shutil.copy(state_dir / "emulator" / "dev" / "terraform.tfstate", hcl_state)
        hcl = terraform_in(ROOT, tmp_path / "hcl-data", emulator)
        plan = plan_in(hcl, hcl_state, f"-var-file={TFVARS['dev']}")
        managed = [c for c in plan["resource_changes"] if c["mode"] == "managed"]
        assert {tuple(c["change"]["actions"]) for c in managed} == {("no-op",)}
        assert len([c for c in managed if c.get("previous_address")]) == 42
        # The HCL root's plan of the deployed network proves every flow, as the stack's does.
        results = flow_results(model_of(plan, "HCL root plan"))
        assert {r.flow.key: r.status for r in results} == {
            flow: "reachable" for flow in shipped().flows.defaults()
        }, [summary_line(r) for r in results if r.status != "reachable"]
        hcl.run(
            ["apply", "-auto-approve", "-input=false", "-no-color", f"-var-file={TFVARS['dev']}"],
            show="none",
        )
        again = hcl.run(
            [
                "plan",
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
                f"-var-file={TFVARS['dev']}",
            ],
            show="none",
            ok_codes=(0, 2),
        )
        assert again.exit_code == 0, again.output
        # HCL root -> CDKTF stack: the generated `terraform state mv` commands.
        _move_back_to_the_stack(hcl_state, outdir / "stacks" / "network-dev", managed, emulator)
    finally:
        cli.close()


def _move_back_to_the_stack(
    hcl_state: Path, stack_dir: Path, managed: list[dict[str, Any]], emulator: Emulator
) -> None:
    """A copy of the HCL root's state, moved to the stack's addresses, plans no change there."""
    back_state = hcl_state.parent / "back.tfstate"
    shutil.copy(hcl_state, back_state)
    stack = terraform_in(stack_dir, hcl_state.parent / "back-data", emulator)
    stack.run(
        [
            "init",
            "-input=false",
            "-no-color",
            "-reconfigure",
            f"-backend-config=path={back_state}",
        ],
        show="none",
    )
    addresses = sorted({cdktf_address(c["address"]).split("[")[0] for c in managed})
    for command in state_mv_commands(addresses).splitlines():
        source, target = (part.strip("'") for part in command.split()[-2:])
        stack.run(["state", "mv", "-lock=false", source, target], show="none")
    back = stack.run(
        ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
        show="none",
        ok_codes=(0, 2),
    )
    assert back.exit_code == 0, back.output
