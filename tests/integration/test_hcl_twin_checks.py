"""The HCL twins' own checks for real: terraform validate and terraform test on every module,
each validation message equal to Python's for the same input, and a full-access-only service
planned without a policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.facts.catalog import CATALOG_PATH
from modules.kernel.errors import ConfigError
from modules.stack.environment import PROJECT_ROOT, load_environment
from modules.stack.twins import ROOT, TWINS
from tests import tfvars
from tests.integration.twins import copy_twins, terraform_in
from tests.unit.stack.test_environment import BAD_INPUTS

pytestmark = pytest.mark.integration

# Cases Terraform rejects with its own type-conversion or undeclared-variable messages.
TYPE_LEVEL = {
    "retention not a number",
    "bool as string",
    "subnet without az",
    "unknown tfvars key",
    "missing required key",
}


@pytest.mark.parametrize(
    "directory", [*TWINS.values(), ROOT], ids=lambda p: str(p.relative_to(PROJECT_ROOT))
)
def test_validate_and_terraform_test_pass(directory: Path, tmp_path: Path) -> None:
    tf = terraform_in(directory, tmp_path / "data")
    tf.run(["init", "-backend=false", "-input=false", "-no-color"], show="none")
    tf.run(["validate", "-no-color"], show="none")
    result = tf.run(["test", "-no-color"], show="none")
    assert "0 failed" in result.output and "Success!" in result.output


def test_hcl_validations_say_what_python_says(tmp_path: Path) -> None:
    cases = [(i, case) for i, case in enumerate(BAD_INPUTS) if case[0] not in TYPE_LEVEL]
    root = copy_twins(tmp_path / "repo")
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
    tf = terraform_in(root, tmp_path / "data")
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
    """custom_policy = false in catalog.json: the twin sends no policy for that endpoint, AWS's
    answer that it takes none no longer stops the plan, and a warning says so."""
    copy_twins(tmp_path / "repo")
    catalog_file = tmp_path / "repo" / CATALOG_PATH.relative_to(PROJECT_ROOT)
    raw = json.loads(catalog_file.read_text())
    raw["endpoints"]["xray"]["custom_policy"] = False
    catalog_file.write_text(json.dumps(raw))
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
    tf = terraform_in(module, tmp_path / "data")
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
