"""The HCL twins planned for real against the emulator: the planned values equal the stack's,
value by value, for every environment; the destroy guards exactly where the stack protects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from modules.runner.emulator import Emulator
from modules.stack.environment import load_environment
from modules.stack.twins import ROOT, cdktf_address
from tests.integration.twins import TFVARS, plan_in, terraform_in

pytestmark = pytest.mark.integration

# The environments whose stack and HCL plans are compared value by value: every shipped one,
# eu (a subset of flows, the data tier, no identity perimeter) and shared-accounts (subnet
# sharing with the account perimeter, every kind of signer and owner). shared, organization-
# scoped, is compared by structure (tests/hcl) and by the vpc_endpoints module's terraform test,
# and deployed by the sharing tests: one plan pair less on the slowest file of the suite.
PLANNED = {name: path for name, path in TFVARS.items() if name != "shared"}


def _changes(plan: dict[str, Any], *, hcl: bool) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for change in plan["resource_changes"]:
        if change["mode"] != "managed":
            continue
        address = cdktf_address(change["address"]) if hcl else change["address"]
        if address is not None:
            changes[address] = (change["change"]["after"], change["change"]["after_unknown"])
    return changes


def plan_differences(python_plan: dict[str, Any], hcl_plan: dict[str, Any]) -> list[str]:
    """Every planned value that differs, by CDKTF address (HCL addresses mapped onto them)."""
    python, hcl = _changes(python_plan, hcl=False), _changes(hcl_plan, hcl=True)
    differences = [
        f"{a}: only in {'the stack' if a in python else 'HCL'}"
        for a in sorted(set(python) ^ set(hcl))
    ]
    for address in sorted(set(python) & set(hcl)):
        (py_after, py_unknown), (hcl_after, hcl_unknown) = python[address], hcl[address]
        for key in sorted(set(py_after) | set(hcl_after)):
            if py_after.get(key) != hcl_after.get(key):
                differences.append(
                    f"{address}: {key}: stack {py_after.get(key)!r} != HCL {hcl_after.get(key)!r}"
                )
        if py_unknown != hcl_unknown:
            differences.append(f"{address}: values known after apply differ")
    return differences


@pytest.fixture(scope="module")
def plans(
    emulator: Emulator, synth_outdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict, dict]]:
    work = tmp_path_factory.mktemp("plans")
    result = {}
    for env, tfvars_file in sorted(PLANNED.items()):
        python = plan_in(
            terraform_in(synth_outdir / "stacks" / f"network-{env}", work / f"py-{env}", emulator),
            work / f"py-{env}.tfstate",
        )
        layers = load_environment(env, tfvars_file.parent).var_files  # base first, as Terraform
        hcl = plan_in(
            terraform_in(ROOT, work / f"hcl-{env}", emulator),
            work / f"hcl-{env}.tfstate",
            *(f"-var-file={layer}" for layer in layers),
        )
        result[env] = (python, hcl)
    return result


@pytest.mark.parametrize("env", sorted(PLANNED))
def test_planned_values_are_identical(env: str, plans: dict[str, tuple[dict, dict]]) -> None:
    python, hcl = plans[env]
    assert len(_changes(python, hcl=False)) >= 20
    assert plan_differences(python, hcl) == []


@pytest.mark.parametrize("env", sorted(PLANNED))
def test_hcl_guards_exactly_when_the_stack_protects(
    env: str, plans: dict[str, tuple[dict, dict]]
) -> None:
    _, hcl = plans[env]
    guards = [c["address"] for c in hcl["resource_changes"] if c["type"] == "terraform_data"]
    protected = load_environment(env, TFVARS[env].parent).network.prevent_destroy
    subnets = len(load_environment(env, TFVARS[env].parent).network.subnets)
    assert len(guards) == (3 + subnets if protected else 0)


def test_a_divergent_plan_is_caught_and_named(plans: dict[str, tuple[dict, dict]]) -> None:
    python, hcl = plans["dev"]
    diverged = json.loads(json.dumps(hcl))
    for change in diverged["resource_changes"]:
        if change["address"] == "module.network.aws_vpc.this":
            change["change"]["after"]["enable_dns_hostnames"] = False
    assert plan_differences(python, diverged) == [
        "aws_vpc.network_this: enable_dns_hostnames: stack True != HCL False"
    ]
