"""The HCL twins for real: validate, terraform test, plans equal to the stack's, same messages,
a consumer's root, and state moved from the CDKTF stack to the HCL root and back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from modules.kernel.errors import ConfigError
from modules.kernel.region import CONSTRAINTS_PATH
from modules.runner.emulator import Emulator
from modules.runner.terraform import Terraform
from modules.stack.environment import PROJECT_ROOT, load_environment
from modules.stack.twins import (
    ROOT,
    TWINS,
    cdktf_address,
    data_files,
)
from tests import tfvars
from tests.conftest import FIXTURE_ENVIRONMENTS, SHIPPED
from tests.unit.stack.test_environment import BAD_INPUTS

pytestmark = pytest.mark.integration

TFVARS = {name: PROJECT_ROOT / "environments" / f"{name}.tfvars" for name in SHIPPED}
TFVARS.update({p.stem: p for p in FIXTURE_ENVIRONMENTS.glob("*.tfvars")})
# The environments whose stack and HCL plans are compared value by value: every shipped one,
# eu (a subset of flows, the data tier, no identity perimeter) and shared-accounts (subnet
# sharing with the account perimeter, every kind of signer and owner). shared, organization-
# scoped, is compared by structure (tests/hcl) and by the vpc_endpoints module's terraform test,
# and deployed by the sharing tests: one plan pair less on the slowest file of the suite.
PLANNED = {name: path for name, path in TFVARS.items() if name != "shared"}
# Cases Terraform rejects with its own type-conversion or undeclared-variable messages.
TYPE_LEVEL = {
    "retention not a number",
    "bool as string",
    "subnet without az",
    "unknown tfvars key",
    "missing required key",
}


def _terraform(workdir: Path, data_dir: Path, emulator: Emulator | None = None) -> Terraform:
    return Terraform(
        workdir,
        data_dir=data_dir,
        extra_env=emulator.aws_env() if emulator else {},
        cli_config_dir=data_dir,
    )


def _plan(tf: Terraform, state: Path, *args: str) -> dict[str, Any]:
    tf.run(
        ["init", "-input=false", "-no-color", "-reconfigure", f"-backend-config=path={state}"],
        show="none",
    )
    return tf.plan_json(["-input=false", "-no-color", *args], state.with_suffix(".tfplan"))


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
        python = _plan(
            _terraform(synth_outdir / "stacks" / f"network-{env}", work / f"py-{env}", emulator),
            work / f"py-{env}.tfstate",
        )
        layers = load_environment(env, tfvars_file.parent).var_files  # base first, as Terraform
        hcl = _plan(
            _terraform(ROOT, work / f"hcl-{env}", emulator),
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


@pytest.mark.parametrize(
    "directory", [*TWINS.values(), ROOT], ids=lambda p: str(p.relative_to(PROJECT_ROOT))
)
def test_validate_and_terraform_test_pass(directory: Path, tmp_path: Path) -> None:
    tf = _terraform(directory, tmp_path / "data")
    tf.run(["init", "-backend=false", "-input=false", "-no-color"], show="none")
    tf.run(["validate", "-no-color"], show="none")
    result = tf.run(["test", "-no-color"], show="none")
    assert "0 failed" in result.output and "Success!" in result.output


def _copy_twins(destination: Path) -> Path:
    for directory in [*TWINS.values(), ROOT]:
        target = destination / directory.relative_to(PROJECT_ROOT)
        target.mkdir(parents=True, exist_ok=True)
        for path in directory.glob("*.tf"):
            shutil.copy(path, target / path.name)
    for data in data_files():
        target = destination / data.relative_to(PROJECT_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data, target)
    return destination / ROOT.relative_to(PROJECT_ROOT)


def test_hcl_validations_say_what_python_says(tmp_path: Path) -> None:
    cases = [(i, case) for i, case in enumerate(BAD_INPUTS) if case[0] not in TYPE_LEVEL]
    root = _copy_twins(tmp_path / "repo")
    (root / "tests").mkdir(exist_ok=True)
    mock = (
        'mock_provider "aws" {\n  mock_data "aws_caller_identity" {\n'
        '    defaults = { account_id = "123456789012" }\n  }\n}\n'
    )
    for i, (_, values, _, _) in cases:
        # One file per case: terraform test skips the remaining runs of a file after a failure.
        variables = "".join(
            f"    {key} = {tfvars.render(value)}\n" for key, value in values.items()
        )
        (root / "tests" / f"case_{i}.tftest.hcl").write_text(
            f'{mock}\nrun "case_{i}" {{\n  command = plan\n  variables {{\n{variables}  }}\n}}\n'
        )
    tf = _terraform(root, tmp_path / "data")
    tf.run(["init", "-backend=false", "-input=false", "-no-color"], show="none")
    output = tf.run(["test", "-json"], show="none", ok_codes=(0, 1)).output
    details: dict[str, list[str]] = {}
    for line in output.splitlines():
        event = json.loads(line)
        if event.get("type") == "diagnostic" and "@testrun" in event:
            # Terraform appends "This was checked by the validation rule at ..." to the message.
            message = event["diagnostic"].get("detail", "").split("\n\n")[0]
            details.setdefault(event["@testrun"], []).append(message)
    for i, (name, values, _, _) in cases:
        tfvars.write(tmp_path / "envs", f"case{i}", values)
        with pytest.raises(ConfigError) as raised:
            load_environment(f"case{i}", tmp_path / "envs")
        python_message = str(raised.value).split(": ", 1)[1]  # without the file name
        assert python_message in details.get(f"case_{i}", []), (
            name,
            python_message,
            details.get(f"case_{i}"),
        )


def test_a_full_access_only_service_gets_no_policy_and_says_so(tmp_path: Path) -> None:
    """custom_policy = false in aws_constraints.json: the twin sends no policy for that endpoint,
    AWS's answer that it takes none no longer stops the plan, and a warning says so."""
    _copy_twins(tmp_path / "repo")
    constraints_file = tmp_path / "repo" / CONSTRAINTS_PATH.relative_to(PROJECT_ROOT)
    raw = json.loads(constraints_file.read_text())
    raw["endpoint_services"]["xray"] = {"custom_policy": False, "source": "test"}
    constraints_file.write_text(json.dumps(raw))
    module = tmp_path / "repo" / TWINS["vpc_endpoints"].relative_to(PROJECT_ROOT)
    shipped = (TWINS["vpc_endpoints"] / "tests" / "vpc_endpoints.tftest.hcl").read_text()
    (module / "tests").mkdir()
    (module / "tests" / "full_access.tftest.hcl").write_text(
        shipped.split("\nrun ")[0]
        + """
run "xray_takes_only_full_access" {
  command = plan
  override_data {
    target = data.aws_vpc_endpoint_service.this["xray"]
    values = { availability_zones = ["eu-central-1a"], vpc_endpoint_policy_supported = false }
  }
  assert {
    condition = (
      local.policies["xray"] == null && aws_vpc_endpoint.interface["logs"].policy != null
    )
    error_message = "xray has no policy; every other endpoint keeps its own."
  }
  expect_failures = [check.endpoint_policies_narrowed]
}
"""
    )
    tf = _terraform(module, tmp_path / "data")
    tf.run(["init", "-backend=false", "-input=false", "-no-color"], show="none")
    output = tf.run(["test", "-json"], show="none", ok_codes=(0, 1)).output
    events = [json.loads(line) for line in output.splitlines()]
    assert [
        e["test_run"]["status"]
        for e in events
        if e.get("type") == "test_run"
        and "test_run" in e
        and e["test_run"].get("progress") == "complete"
    ] == ["pass"], output[-3000:]
