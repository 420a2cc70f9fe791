"""Configuration and proof agree: whatever an environment file may say, verify proves on what it
synthesizes, or the configuration refuses it with the usual one-line error.

Every setting of the tfvars schema is walked through its documented values (from the same
constants the docs and the validation use). Accepted variants are synthesized together, in one
App, and verified; refused ones must raise ConfigError naming the setting.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from modules.checks.verify import load_model, verify_model
from modules.facts.facts import shipped
from modules.kernel.errors import ConfigError
from modules.network.config import (
    CLOUDWATCH_RETENTION_DAYS,
    FLOW_LOG_AGGREGATION_INTERVALS,
    FLOW_LOG_TRAFFIC_TYPES,
    MINIMUM_RETENTION_DAYS,
)
from modules.stack.environment import PROJECT_ROOT, TFVARS_SCHEMA, load_environment
from tests import tfvars

DEV = tfvars.shipped("dev")
DEFAULTS = shipped().flows.defaults()
OPT_IN = sorted(set(shipped().flows.flows) - set(DEFAULTS))


def _with(**changes: Any) -> dict[str, Any]:
    values = copy.deepcopy(DEV)
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return values


def _flows(flows: list[str]) -> dict[str, Any]:
    """Another selection of flows, endpoints following them (and a code bucket if one reads
    code)."""
    needs_code = any(shipped().flows.flows[f].needs_code_buckets for f in flows)
    return _with(
        flows=flows, endpoints=None, code_buckets=["acme-agent-code"] if needs_code else None
    )


EU = {
    "agents": {"cidr": "172.20.0.0/24", "az": "eu-central-1a"},
    "tools": {"cidr": "172.20.1.0/24", "az": "eu-central-1b"},
}

# setting -> {variant: values} that the configuration accepts
ACCEPTED: dict[str, dict[str, dict[str, Any]]] = {
    "name": {"short": _with(name="ac")},
    "region": {
        "eu-central-1": _with(region="eu-central-1", vpc_cidr="172.20.0.0/20", subnets=EU),
        "us-gov-west-1": _with(
            region="us-gov-west-1",
            subnets={
                "agents": {"cidr": "10.0.3.0/24", "az": "us-gov-west-1a"},
                "tools": {"cidr": "10.0.4.0/24", "az": "us-gov-west-1b"},
            },
        ),
    },
    "vpc_cidr": {
        "/24": _with(
            vpc_cidr="10.0.3.0/24",
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/25", "az": "us-west-2a"},
                "data": {"cidr": "10.0.3.128/25", "az": "us-west-2b"},
            },
        )
    },
    "subnets": {
        "one AZ": _with(subnets={"agent_runtime": DEV["subnets"]["agent_runtime"]}),
        "by AZ ID": _with(
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/24", "az_id": "usw2-az1"},
                "data": {"cidr": "10.0.4.0/24", "az_id": "usw2-az4"},
                "mcp_runtime": {"cidr": "10.0.1.0/24", "az_id": "usw2-az3"},
            }
        ),
    },
    "flows": {
        **{f"with {f}": _flows([*DEFAULTS, f]) for f in OPT_IN},
        **{f"without {f}": _flows([d for d in DEFAULTS if d != f]) for f in DEFAULTS},
        "only the AWS sample's four": _flows(
            [k for k, f in shipped().flows.flows.items() if f.seed]
        ),
    },
    "code_buckets": {
        "two": _with(
            flows=[*DEFAULTS, "runtime_loads_code_from_s3"], code_buckets=["code-a", "code.b"]
        )
    },
    "endpoints": {"unset": _with(endpoints=None), "listed": _with()},
    "flow_log_retention_days": {
        str(d): _with(flow_log_retention_days=d)
        for d in CLOUDWATCH_RETENTION_DAYS
        if d == 0 or d >= MINIMUM_RETENTION_DAYS
    },
    "flow_log_traffic_type": {t: _with(flow_log_traffic_type=t) for t in FLOW_LOG_TRAFFIC_TYPES},
    "flow_log_max_aggregation_interval": {
        str(i): _with(flow_log_max_aggregation_interval=i) for i in FLOW_LOG_AGGREGATION_INTERVALS
    },
    "kms_key_deletion_window_days": {
        str(d): _with(kms_key_deletion_window_days=d) for d in (7, 30)
    },
    "prevent_destroy": {str(b): _with(prevent_destroy=b) for b in (True, False)},
    "tags": {
        "none": _with(tags=None),
        "some": _with(tags={"CostCenter": "4711", "team:owner": "ml"}),
    },
    "state_backend": {"s3": _with(state_backend={"type": "s3", "bucket": "acme-terraform-state"})},
    "principal_scope": {scope: _with(principal_scope=scope) for scope in ("any", "account")},
    # (organization: below, with organization_id)
    "endpoint_ingress": {
        ingress: _with(endpoint_ingress=ingress) for ingress in ("vpc", "workloads")
    },
    "subnet_sharing": {
        "runtime roles to an account": _with(subnet_sharing={"principals": ["111122223333"]}),
        "to two accounts, no identity perimeter": _with(
            subnet_sharing={"principals": ["111122223333", "444455556666"]},
            principal_scope="any",
        ),
        "data role to an OU, external principals allowed": _with(
            subnet_sharing={
                "principals": [
                    "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-a1b2-f6g7h8i9"
                ],
                "roles": ["data"],
                "allow_external_principals": True,
                "workloads": 3,
            },
            principal_scope="organization",
            organization_id="o-a1b2c3d4e5",
        ),
    },
    "extends": {"a layer below": _with(extends="_base")},
    "organization_id": {
        "organization": _with(
            principal_scope="organization",
            organization_id="o-abcdefghij",
            flows=[*DEFAULTS, "cloudformation_responses"],
            endpoints=None,
        )
    },
}

# (setting, variant, values): each refused with an error naming that setting
REFUSED = [
    *(
        ("flow_log_retention_days", str(d), _with(flow_log_retention_days=d))
        for d in CLOUDWATCH_RETENTION_DAYS
        if 0 < d < MINIMUM_RETENTION_DAYS
    ),
    ("flow_log_traffic_type", "ACCEPT", _with(flow_log_traffic_type="ACCEPT")),
    ("flow_log_max_aggregation_interval", "300", _with(flow_log_max_aggregation_interval=300)),
    *(
        ("kms_key_deletion_window_days", str(d), _with(kms_key_deletion_window_days=d))
        for d in (6, 31)
    ),
    ("flows", "an opt-in flow's endpoint not listed", _with(flows=[*DEFAULTS, "ec2_api"])),
    (
        "code_buckets",
        "direct code without a bucket",
        _with(flows=[*DEFAULTS, "runtime_loads_code_from_s3"]),
    ),
    ("endpoints", "one endpoint too many", _with(endpoints=[*DEV["endpoints"], "sts"])),
    ("principal_scope", "unknown", _with(principal_scope="vpc")),
    ("extends", "a layer that is not there", _with(extends="missing")),
    (
        "principal_scope",
        "account scope on a network shared with an OU",
        _with(
            principal_scope="account",
            subnet_sharing={
                "principals": [
                    "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-a1b2-f6g7h8i9"
                ]
            },
        ),
    ),
    (
        "endpoint_ingress",
        "workloads only on a shared network",
        _with(endpoint_ingress="workloads", subnet_sharing={"principals": ["111122223333"]}),
    ),
    (
        "subnet_sharing.roles",
        "a role no subnet has",
        _with(subnet_sharing={"principals": ["111122223333"], "roles": ["tools"]}),
    ),
    (
        "subnet_sharing.principals[0]",
        "an account id of 11 digits",
        _with(subnet_sharing={"principals": ["11112222333"]}),
    ),
    ("endpoint_ingress", "unknown", _with(endpoint_ingress="everyone")),
    ("organization_id", "organization without its id", _with(principal_scope="organization")),
    (
        "organization_id",
        "an id without the organization scope",
        _with(organization_id="o-abcdefghij"),
    ),
    (
        "organization_id",
        "not an organization id",
        _with(principal_scope="organization", organization_id="r-abcd"),
    ),
]
VARIANTS = [
    (setting, variant, values)
    for setting, cases in ACCEPTED.items()
    for variant, values in cases.items()
]


def test_every_setting_is_walked() -> None:
    assert set(ACCEPTED) == set(TFVARS_SCHEMA)


@pytest.fixture(scope="module")
def synthesized_variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every accepted variant, synthesized in one App: variant index -> its cdk.tf.json."""
    from modules.runner.synth import synthesize
    from modules.runner.workspace import Workspace

    directory = tmp_path_factory.mktemp("variants")
    envs = []
    tfvars.write(directory, "_base", {"flow_log_retention_days": 731})  # what "extends" names
    for index, (_, _, values) in enumerate(VARIANTS):
        tfvars.write(directory, f"v{index:02d}", values)
        envs.append(load_environment(f"v{index:02d}", directory))
    workspace = Workspace(outdir=directory / "out", state_root=PROJECT_ROOT / ".state")
    return synthesize(envs, workspace, use_cache=False).files


@pytest.mark.parametrize("index", range(len(VARIANTS)), ids=[f"{s}={v}" for s, v, _ in VARIANTS])
def test_what_the_configuration_accepts_verify_proves(
    index: int, synthesized_variants: dict[str, Path]
) -> None:
    model = load_model(synthesized_variants[f"v{index:02d}"])
    assert [(f.rule, f.address, f.problem) for f in verify_model(model)] == []
    assert json.loads(synthesized_variants[f"v{index:02d}"].read_text())["output"]["flows"][
        "value"
    ] == list(model.flows)


@pytest.mark.parametrize(
    ("setting", "values"), [(s, v) for s, _, v in REFUSED], ids=[f"{s}={v}" for s, v, _ in REFUSED]
)
def test_what_verify_would_refute_the_configuration_refuses(
    setting: str, values: dict[str, Any], tmp_path: Path
) -> None:
    tfvars.write(tmp_path, "refused", values)
    with pytest.raises(ConfigError) as raised:
        load_environment("refused", tmp_path)
    assert f"refused.tfvars: {'endpoints' if setting == 'flows' else setting}:" in str(raised.value)
