"""Terraform's failures, said the way our users read errors: one line per thing to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from modules.runner import recovery
from modules.runner.terraform import _failure_message

PRECONDITION = """\
data.aws_vpc_endpoint_service.vpc_endpoints_this["xray"]: Read complete after 1s
╷
│ Error: Resource precondition failed
│
│   on cdk.tf.json line 745, in resource.aws_vpc_endpoint.vpc_endpoints_interface.lifecycle.precondition[0]:
│  745:               "condition": "${length(setsubtract([\\"us-west-2a\\"], data.x[each.key].availability_zones)) == 0}",
│     ├────────────────
│     │ each.key is "bedrock_agentcore"
│
│ endpoints: bedrock_agentcore: AWS does not offer
│ com.amazonaws.us-west-2.bedrock-agentcore in us-west-2d (only in us-west-2a,
│ us-west-2b, us-west-2c). Move those subnets.
╵
╷
│ Error: Resource precondition failed
│
│   on cdk.tf.json line 750, in resource.aws_vpc_endpoint.vpc_endpoints_interface.lifecycle.precondition[1]:
│     │ each.key is "xray"
│
│ endpoints: xray: com.amazonaws.us-west-2.xray only supports the full-access
│ endpoint policy in us-west-2.
╵
"""  # noqa: E501 - Terraform's output, quoted as it prints it


def test_our_precondition_sentences_come_out_one_a_line() -> None:
    assert _failure_message("terraform plan", 1, PRECONDITION).splitlines() == [
        "terraform plan refused before changing anything:",
        "endpoints: bedrock_agentcore: AWS does not offer "
        "com.amazonaws.us-west-2.bedrock-agentcore in us-west-2d (only in us-west-2a, "
        "us-west-2b, us-west-2c). Move those subnets.",
        "endpoints: xray: com.amazonaws.us-west-2.xray only supports the full-access endpoint "
        "policy in us-west-2.",
    ]


def test_other_failures_keep_terraforms_own_words() -> None:
    message = _failure_message("terraform apply", 1, "╷\n│ Error: creating EC2 VPC: boom\n╵\n")
    assert (
        message.startswith("terraform apply failed (exit 1).")
        and "creating EC2 VPC: boom" in message
    )


def test_an_endpoint_service_the_region_lacks_is_named_by_its_catalog_key() -> None:
    output = (
        "╷\n│ Error: reading EC2 VPC Endpoint Services: couldn't find resource\n│\n"
        '│   with data.aws_vpc_endpoint_service.vpc_endpoints_this["rds_data"],\n╵\n'
    )
    assert (
        _failure_message("terraform plan", 1, output)
        .splitlines()[1]
        .startswith("endpoints: rds_data: AWS offers no such endpoint service in this region")
    )


POSTCONDITION = """\
╷
│ Error: Resource postcondition failed
│
│   on cdk.tf.json line 67, in data.aws_availability_zone.network_runtime.lifecycle.postcondition[0]:
│   67:               "condition": "${contains([\\"usw2-az1\\"], self.zone_id)}",
│     ├────────────────
│     │ self.zone_id is "usw2-az4"
│
│ subnets.mcp_runtime.az: AgentCore Runtime does not run in usw2-az4 (VPC
│ mode), the zone us-west-2d is in this account.
╵
"""  # noqa: E501 - Terraform's output, quoted as it prints it


def test_a_postcondition_of_a_data_source_comes_out_as_our_sentence_too() -> None:
    assert _failure_message("terraform plan", 1, POSTCONDITION).splitlines() == [
        "terraform plan refused before changing anything:",
        "subnets.mcp_runtime.az: AgentCore Runtime does not run in usw2-az4 (VPC mode), the zone "
        "us-west-2d is in this account.",
    ]


PROTECTED = """\
╷
│ Error: Instance cannot be destroyed
│
│   on cdk.tf.json line 1126:
│ 1126:       "aws_vpc": {
│
│ Resource aws_vpc.network_this has lifecycle.prevent_destroy set, but the
│ plan calls for this resource to be destroyed. To avoid this error and
│ continue with the plan, either disable lifecycle.prevent_destroy or reduce
│ the scope of the plan using the -target option.
╵
"""


def test_a_protected_replacement_names_the_resources_and_the_ways_out() -> None:
    message = _failure_message("terraform apply", 1, PROTECTED)
    assert message.startswith(
        "terraform apply refused: aws_vpc.network_this would be replaced, and prevent_destroy "
        "protects them. Nothing was changed."
    )
    assert "`deploy` resumes it by itself" in message and "untaint ADDRESS" in message


def test_an_apply_that_ends_on_its_own_leaves_no_mark_and_an_interrupted_one_does(
    tmp_path: Path,
) -> None:
    assert not recovery.unfinished(tmp_path)  # no apply yet: nothing to look for
    with recovery.applying(tmp_path, "network-dev"):
        assert recovery.interrupted(tmp_path) is not None  # in progress
    assert recovery.interrupted(tmp_path) is None and not recovery.unfinished(tmp_path)
    with pytest.raises(RuntimeError), recovery.applying(tmp_path, "network-dev"):
        raise RuntimeError("terraform apply failed")
    assert recovery.interrupted(tmp_path) is None  # failed, but ended on its own: no resume,
    assert recovery.unfinished(tmp_path)  # but what it created may be unrecorded: adopt it
    with recovery.applying(tmp_path, "network-dev"):
        pass
    assert not recovery.unfinished(tmp_path)  # a success clears both
    with pytest.raises(KeyboardInterrupt), recovery.applying(tmp_path, "network-dev"):
        raise KeyboardInterrupt
    assert recovery.interrupted(tmp_path) and recovery.unfinished(tmp_path)  # Ctrl-C: resume
    state = {  # as `terraform state pull` gives it (format 4)
        "version": 4,
        "resources": [
            {
                "mode": "managed",
                "type": "aws_vpc",
                "name": "network_this",
                "instances": [{"status": "tainted", "attributes": {"id": "vpc-1"}}],
            },
            {
                "mode": "managed",
                "type": "aws_subnet",
                "name": "network_private",
                "instances": [{"index_key": "data", "attributes": {"id": "subnet-1"}}],
            },
            {
                "module": "module.network",
                "mode": "managed",
                "type": "aws_flow_log",
                "name": "this",
                "instances": [{"index_key": 0, "attributes": {"id": "fl-1"}}],
            },
            {"mode": "data", "type": "aws_region", "name": "here", "instances": [{}]},
        ],
    }
    assert recovery.tainted(state) == ["aws_vpc.network_this"]
    assert recovery.state_ids(state) == {
        "aws_vpc.network_this": "vpc-1",
        'aws_subnet.network_private["data"]': "subnet-1",
        "module.network.aws_flow_log.this[0]": "fl-1",
    }


def test_credentials_the_providers_own_check_refuses_are_said_as_such() -> None:
    output = (
        "Error: Retrieving AWS account details: validating provider credentials: retrieving "
        "caller identity from STS: operation error STS: GetCallerIdentity, https response error "
        "StatusCode: 403, RequestID: 6uGw, api error UnknownError: UnknownError\n"
    )
    message = _failure_message("terraform apply", 1, output)
    assert message.startswith("AWS rejected the credentials (STS GetCallerIdentity answered 403)")
    assert "Nothing was changed" in message


REGISTRY_UNREACHABLE = """\
Initializing provider plugins...
- Finding hashicorp/aws versions matching "6.69.1"...
╷
│ Error: Failed to query available provider packages
│
│ Could not retrieve the list of available versions for provider hashicorp/aws: could not
│ connect to registry.terraform.io: failed to request discovery document: Get
│ "https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup
│ registry.terraform.io: no such host
╵
"""


def test_a_provider_the_registry_cannot_give_names_the_version_the_engine_and_the_fixes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("modules.runner.provider_mirror.find_provider_mirror", lambda: None)
    monkeypatch.setenv("AGENTCORE_ENGINE", "cdktn")
    message = _failure_message("terraform init", 1, REGISTRY_UNREACHABLE)
    # Not "could not reach AWS": it is the registry that is out of reach.
    assert "could not reach AWS" not in message
    assert message.startswith(
        "terraform init could not install hashicorp/aws 6.69.1 (what the cdktn bindings require)"
        " from the registry (no provider mirror on this machine holds it): Failed to query "
        "available provider packages."
    )
    assert message.endswith(
        "or set TF_PROVIDER_MIRROR to a mirror that holds it, or unset AGENTCORE_ENGINE (cdktf "
        "binds hashicorp/aws 5.100.0)."
    )


def test_the_lock_file_names_the_provider_version_terraform_installed(tmp_path: Path) -> None:
    from modules.runner.provider_mirror import locked_version

    assert locked_version(tmp_path) is None
    (tmp_path / ".terraform.lock.hcl").write_text(
        '# This file is maintained automatically by "terraform init".\n\n'
        'provider "registry.terraform.io/hashicorp/aws" {\n'
        '  version     = "5.100.0"\n  constraints = "5.100.0"\n  hashes = []\n}\n'
    )
    assert locked_version(tmp_path) == "5.100.0"
