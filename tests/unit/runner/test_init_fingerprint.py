"""`terraform init` is skipped only when nothing it reads changed since the last one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.runner.deployment import init_fingerprint
from modules.runner.terraform import Terraform

INIT = ["init", "-input=false", "-reconfigure", "-backend-config=path=/state/a.tfstate"]


@pytest.fixture
def terraform(tmp_path: Path) -> Terraform:
    stack = tmp_path / "stack"
    stack.mkdir()
    (stack / "cdk.tf.json").write_text(
        json.dumps(
            {
                "terraform": {"backend": {"local": {"path": "x"}}},
                "resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16"}}},
            }
        )
    )
    return Terraform(stack, data_dir=tmp_path / "data", extra_env={}, cli_config_dir=tmp_path)


def test_the_same_inputs_give_the_same_fingerprint(terraform: Terraform) -> None:
    assert init_fingerprint(terraform, INIT) == init_fingerprint(terraform, INIT)


def test_resources_and_unrelated_variables_do_not_count(terraform: Terraform) -> None:
    before = init_fingerprint(terraform, INIT)
    stack = json.loads((terraform.workdir / "cdk.tf.json").read_text())
    stack["resource"]["aws_vpc"]["b"] = {"cidr_block": "10.1.0.0/16"}
    (terraform.workdir / "cdk.tf.json").write_text(json.dumps(stack))
    terraform.env["PYTEST_CURRENT_TEST"] = "another test"
    assert init_fingerprint(terraform, INIT) == before


@pytest.mark.parametrize(
    "change",
    ["arguments", "backend", "lock file", "endpoint", "mirror"],
)
def test_whatever_init_reads_changes_it(terraform: Terraform, change: str) -> None:
    before = init_fingerprint(terraform, INIT)
    init = list(INIT)
    stack_file = terraform.workdir / "cdk.tf.json"
    if change == "arguments":
        init[-1] = "-backend-config=path=/state/b.tfstate"
    elif change == "backend":
        stack = json.loads(stack_file.read_text())
        stack["terraform"]["backend"] = {"s3": {"bucket": "b"}}
        stack_file.write_text(json.dumps(stack))
    elif change == "lock file":
        (terraform.workdir / ".terraform.lock.hcl").write_text('provider "x" {}')
    elif change == "endpoint":
        terraform.env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000"
    else:
        config = terraform.workdir.parent / "other.tfrc"
        config.write_text("provider_installation {}")
        terraform.env["TF_CLI_CONFIG_FILE"] = str(config)
    assert init_fingerprint(terraform, init) != before
