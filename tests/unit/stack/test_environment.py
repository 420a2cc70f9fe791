"""Environment files: what loads, and every mistake rejected with file, field, value and fix."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from modules.facts.facts import shipped
from modules.kernel.errors import ConfigError
from modules.stack.environment import PROJECT_ROOT, load_environment
from tests import tfvars

DEV = tfvars.shipped("dev")


def _load(tmp_path: Path, values: dict[str, Any]) -> None:
    tfvars.write(tmp_path, "case", values)
    load_environment("case", tmp_path)


def _with(**changes: Any) -> dict[str, Any]:
    values = copy.deepcopy(DEV)
    for key, value in changes.items():
        if value is None:
            values.pop(key)
        else:
            values[key] = value
    return values


def _subnets(**changes: dict[str, str]) -> dict[str, Any]:
    subnets = copy.deepcopy(DEV["subnets"])
    for role, subnet in changes.items():
        subnets[role] = subnet
    return subnets


# (case id, values, field named in the message, fix the message gives)
BAD_INPUTS = [
    (
        "malformed vpc cidr",
        _with(vpc_cidr="10.0.0.0/33"),
        "vpc_cidr",
        "Write it like '10.0.0.0/16'",
    ),
    ("vpc cidr with host bits", _with(vpc_cidr="10.0.0.1/16"), "vpc_cidr", "Write it like"),
    ("vpc cidr too big", _with(vpc_cidr="10.0.0.0/8"), "vpc_cidr", "between 16 and 28"),
    (
        "malformed subnet cidr",
        _with(subnets=_subnets(data={"cidr": "10.0.4.0", "az": "us-west-2b"})),
        "subnets.data.cidr",
        "Write it like",
    ),
    (
        "subnet outside the vpc",
        _with(subnets=_subnets(data={"cidr": "10.1.4.0/24", "az": "us-west-2b"})),
        "subnets.data.cidr",
        "Choose a block inside 10.0.0.0/16",
    ),
    (
        "overlapping subnets",
        _with(subnets=_subnets(mcp_runtime={"cidr": "10.0.3.128/25", "az": "us-west-2c"})),
        "subnets.mcp_runtime.cidr",
        "non-overlapping",
    ),
    (
        "role not a role name",
        _with(
            subnets=_subnets(data={"cidr": "10.0.4.0/24", "az": "us-west-2b", "role": "Data Tier"})
        ),
        "subnets.data.role",
        "Use lower-case letters, digits and '_'",
    ),
    (
        "az of another region",
        _with(subnets=_subnets(data={"cidr": "10.0.4.0/24", "az": "us-east-1a"})),
        "subnets.data.az",
        "Use one of us-west-2a, us-west-2b, us-west-2c, us-west-2d.",
    ),
    (
        "az letter that does not exist",
        _with(subnets=_subnets(data={"cidr": "10.0.4.0/24", "az": "us-west-2z"})),
        "subnets.data.az",
        "Use one of us-west-2a, us-west-2b, us-west-2c, us-west-2d.",
    ),
    (
        "region that does not exist",
        _with(region="us-west-9"),
        "region",
        "a newer one goes into modules/facts/aws_constraints.json",
    ),
    (
        "region without agentcore",
        _with(region="af-south-1"),
        "region",
        "Use one of ap-northeast-1, ap-northeast-2",
    ),
    (
        "memory where agentcore has none",
        _with(
            region="us-west-1",
            subnets={
                r: {"cidr": s["cidr"], "az": f"us-west-1{a}"}
                for (r, s), a in zip(sorted(DEV["subnets"].items()), "abc")
            },
        ),
        "flows",
        "Remove 'agent_uses_memory' from flows, or use a region that offers it",
    ),
    (
        "az id of another region",
        _with(
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/24", "az_id": "usw2-az1"},
                "data": {"cidr": "10.0.4.0/24", "az_id": "use1-az1"},
            }
        ),
        "subnets.data.az_id",
        "Use one of usw2-az1, usw2-az2, usw2-az3, usw2-az4.",
    ),
    (
        "runtime in an az id agentcore does not support",
        _with(
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/24", "az_id": "usw2-az1"},
                "mcp_runtime": {"cidr": "10.0.1.0/24", "az_id": "usw2-az4"},
            }
        ),
        "subnets.mcp_runtime.az_id",
        "Place runtime subnets in usw2-az1, usw2-az2, usw2-az3",
    ),
    (
        "az and az_id mixed",
        _with(subnets=_subnets(data={"cidr": "10.0.4.0/24", "az_id": "usw2-az1"})),
        "subnets.agent_runtime",
        "Use one of the two for every subnet",
    ),
    (
        "unknown endpoint",
        _with(endpoints=["ecr_api", "ecr-dkr", "dynamodb"]),
        "endpoints",
        "Known endpoints:",
    ),
    (
        "endpoint listed twice",
        _with(endpoints=["s3", "s3", "dynamodb"]),
        "endpoints",
        "List each endpoint once",
    ),
    ("malformed region", _with(region="us-west2"), "region", "Use a region such as 'us-west-2'"),
    ("china region", _with(region="cn-north-1"), "region", "commercial or GovCloud"),
    (
        "retention cloudwatch rejects",
        _with(flow_log_retention_days=42),
        "flow_log_retention_days",
        "Use one of 0, 1, 3",
    ),
    (
        "retention under a year",
        _with(flow_log_retention_days=30),
        "flow_log_retention_days",
        "Use 0 (never expire) or 365",
    ),
    (
        "accepted traffic only",
        _with(flow_log_traffic_type="ACCEPT"),
        "flow_log_traffic_type",
        "Use ALL or REJECT.",
    ),
    (
        "retention not a number",
        _with(flow_log_retention_days="a year"),
        "flow_log_retention_days",
        "unquoted",
    ),
    (
        "unknown tfvars key",
        _with(vpc_cidr_block="10.0.0.0/16"),
        "vpc_cidr_block",
        "Known variables:",
    ),
    ("missing required key", _with(region=None), "region", "Add region = ..."),
    (
        "traffic type",
        _with(flow_log_traffic_type="SOME"),
        "flow_log_traffic_type",
        "Use one of ALL, REJECT.",
    ),
    (
        "aggregation interval",
        _with(flow_log_max_aggregation_interval=300),
        "flow_log_max_aggregation_interval",
        "60 or 600",
    ),
    (
        "kms window",
        _with(kms_key_deletion_window_days=3),
        "kms_key_deletion_window_days",
        "from 7 to 30",
    ),
    ("bad name", _with(name="Agent Core"), "name", "lower-case letters"),
    ("reserved tag", _with(tags={"Name": "x"}), "tags.Name", "not 'Name'"),
    ("bool as string", _with(prevent_destroy="yes"), "prevent_destroy", "true or false"),
    (
        "subnet without az",
        _with(subnets=_subnets(data={"cidr": "10.0.4.0/24"})),
        "subnets.data",
        'Write az = "us-west-2a" or az_id = "usw2-az1".',
    ),
    (
        "unknown state backend",
        _with(state_backend={"type": "gcs"}),
        "state_backend.type",
        'Use "local" or "s3".',
    ),
    (
        "s3 state without bucket",
        _with(state_backend={"type": "s3"}),
        "state_backend.bucket",
        "Add bucket =",
    ),
    (
        "bad state bucket",
        _with(state_backend={"type": "s3", "bucket": "My_Bucket"}),
        "state_backend.bucket",
        "3-63 lower-case",
    ),
    (
        "local state with bucket",
        _with(state_backend={"type": "local", "bucket": "b"}),
        "state_backend.bucket",
        'set type = "s3"',
    ),
    (
        "dynamodb dropped but a flow needs it",
        _with(endpoints=[k for k in DEV["endpoints"] if k != "dynamodb"]),
        "endpoints",
        "Add 'dynamodb' to endpoints, or remove endpoints to get what the flows need.",
    ),
    (
        "an endpoint no flow uses",
        _with(endpoints=[*DEV["endpoints"], "ec2"]),
        "endpoints",
        "Add a flow that uses it (ec2_api) to flows, or remove 'ec2'.",
    ),
    (
        "unknown flow",
        _with(flows=["agent_calls_bedrock", "agent_calls_internet"]),
        "flows",
        "Known flows:",
    ),
    (
        "flow listed twice",
        _with(flows=["agent_calls_bedrock", "agent_calls_bedrock"], endpoints=None),
        "flows",
        "List each flow once",
    ),
    (
        "no flow at all",
        _with(flows=[], endpoints=None),
        "flows",
        "remove flows to get the default ones",
    ),
    (
        "direct code without a bucket",
        _with(flows=[*shipped().flows.defaults(), "runtime_loads_code_from_s3"]),
        "code_buckets",
        'Add code_buckets = ["<bucket of your code packages>"].',
    ),
    (
        "a bucket no flow reads",
        _with(code_buckets=["agent-code"]),
        "code_buckets",
        "Add 'runtime_loads_code_from_s3' to flows",
    ),
    (
        "not a bucket name",
        _with(
            flows=[*shipped().flows.defaults(), "runtime_loads_code_from_s3"],
            code_buckets=["Agent_Code"],
        ),
        "code_buckets",
        "3-63 lower-case letters",
    ),
    (
        "a principal that is not an account",
        _with(subnet_sharing={"principals": ["11112222333"]}),
        "subnet_sharing.principals[0]",
        "Give a 12-digit account id",
    ),
    (
        "a principal listed twice",
        _with(subnet_sharing={"principals": ["111122223333", "111122223333"]}),
        "subnet_sharing.principals",
        "List each principal once.",
    ),
    (
        "no principal to share with",
        _with(subnet_sharing={"principals": []}),
        "subnet_sharing.principals",
        "Name at least one",
    ),
    (
        "a shared role no subnet has",
        _with(subnet_sharing={"principals": ["111122223333"], "roles": ["tools"]}),
        "subnet_sharing.roles",
        "Use one of agent_runtime, data, mcp_runtime.",
    ),
    (
        "no shared role",
        _with(subnet_sharing={"principals": ["111122223333"], "roles": []}),
        "subnet_sharing.roles",
        "leave roles out",
    ),
    (
        "no runtime role to share by default",
        _with(
            subnets={"db": {"cidr": "10.0.4.0/24", "az": "us-west-2b"}},
            endpoints=None,
            subnet_sharing={"principals": ["111122223333"]},
        ),
        "subnet_sharing.roles",
        'e.g. roles = ["db"]',
    ),
    (
        "no workload",
        _with(subnet_sharing={"principals": ["111122223333"], "workloads": 0}),
        "subnet_sharing.workloads",
        "expected to use the network",
    ),
    (
        "account scope on a network shared with an OU",
        _with(
            principal_scope="account",
            subnet_sharing={
                "principals": [
                    "arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34"
                ]
            },
        ),
        "principal_scope",
        "whose accounts the endpoint policies cannot list",
    ),
    (
        "an OU of another organization",
        _with(
            principal_scope="organization",
            organization_id="o-zzzzzzzzzz",
            subnet_sharing={
                "principals": [
                    "arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34"
                ]
            },
        ),
        "organization_id",
        'Set organization_id = "o-a1b2c3d4e5"',
    ),
    (
        "workload-only endpoints on a shared network",
        _with(endpoint_ingress="workloads", subnet_sharing={"principals": ["111122223333"]}),
        "endpoint_ingress",
        "to share subnets",
    ),
]


@pytest.mark.parametrize(
    ("values", "field", "fix"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_names_file_field_value_and_fix(
    tmp_path: Path, values: dict, field: str, fix: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        _load(tmp_path, values)
    message = str(raised.value)
    # <file>: <field>: <problem>; got <value>. <fix>
    assert re.match(rf"^\S*case\.tfvars: {re.escape(field)}: [^;]+; got .+\. .+", message), message
    assert fix in message
    assert "\n" not in message


def test_missing_environment_file_lists_the_known_ones(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "dev", DEV)
    with pytest.raises(
        ConfigError,
        match=r"^--env: there is no file \S*qa\.tfvars; got 'qa'\. Known environments: dev\.",
    ):
        load_environment("qa", tmp_path)


def test_environment_name_cannot_leave_the_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="^--env: not an environment name; got '../dev'"):
        load_environment("../dev", tmp_path)


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.tfvars").write_text('name = "x"\nregion = \n')
    with pytest.raises(
        ConfigError, match=r"broken\.tfvars: syntax: not valid HCL at line 2; got 'region ='"
    ):
        load_environment("broken", tmp_path)


def test_a_key_set_twice_is_rejected_not_overwritten(tmp_path: Path) -> None:
    path = tfvars.write(tmp_path, "twice", DEV)
    path.write_text(path.read_text() + 'region = "us-east-1"\n')
    with pytest.raises(ConfigError, match=r"twice\.tfvars: region: set more than once"):
        load_environment("twice", tmp_path)


def test_expressions_are_rejected(tmp_path: Path) -> None:
    path = tfvars.write(tmp_path, "expr", DEV)
    path.write_text(path.read_text().replace('name = "agentcore-dev"', "name = var.name"))
    with pytest.raises(ConfigError, match=r"expr\.tfvars: name: tfvars files take literal values"):
        load_environment("expr", tmp_path)


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_shipped_environments_load(env: str) -> None:
    loaded = load_environment(env, PROJECT_ROOT / "environments")
    assert loaded.stack_name == f"network-{env}"
    assert len(loaded.vpc_endpoints.selected) == 14


def test_dev_is_the_seed_network() -> None:
    dev = load_environment("dev", PROJECT_ROOT / "environments")
    assert dev.region == "us-west-2"
    assert dev.network.vpc_cidr == "10.0.0.0/16"
    assert {role: (s.cidr, s.az) for role, s in dev.network.subnets.items()} == {
        "agent_runtime": ("10.0.3.0/24", "us-west-2a"),
        "data": ("10.0.4.0/24", "us-west-2b"),
        "mcp_runtime": ("10.0.1.0/24", "us-west-2c"),
    }
    assert dev.vpc_endpoints.selected_flows == shipped().flows.defaults()
    assert set(dev.vpc_endpoints.selected) == set(
        shipped().flows.endpoints_needed(shipped().flows.defaults(), shipped().catalog)
    )


def test_prod_differs_where_production_should() -> None:
    dev = load_environment("dev", PROJECT_ROOT / "environments").network
    prod = load_environment("prod", PROJECT_ROOT / "environments").network
    assert (dev.prevent_destroy, prod.prevent_destroy) == (False, True)
    assert prod.flow_log_retention_days > dev.flow_log_retention_days >= 365
    assert prod.kms_key_deletion_window_days == 30


def test_typed_strings_convert_as_terraform_converts_them(tmp_path: Path) -> None:
    tfvars.write(tmp_path, "strings", _with(flow_log_retention_days="731", prevent_destroy="true"))
    network = load_environment("strings", tmp_path).network
    assert (network.flow_log_retention_days, network.prevent_destroy) == (731, True)


def test_optional_keys_take_their_documented_defaults(tmp_path: Path) -> None:
    minimal = {key: DEV[key] for key in ("name", "region", "subnets")}
    tfvars.write(tmp_path, "minimal", minimal)
    env = load_environment("minimal", tmp_path)
    assert env.network.vpc_cidr == "10.0.0.0/16"
    assert env.network.flow_log_retention_days == 365
    assert env.network.flow_log_traffic_type == "ALL"
    assert env.network.flow_log_max_aggregation_interval == 600
    assert env.network.prevent_destroy is False
    assert env.vpc_endpoints.selected_flows == shipped().flows.defaults()
    assert env.vpc_endpoints.selected == tuple(
        shipped().flows.endpoints_needed(shipped().flows.defaults(), shipped().catalog)
    )
    assert len(env.vpc_endpoints.selected) == 14 and "ec2" not in env.vpc_endpoints.selected
    assert env.vpc_endpoints.code_buckets == ()
    assert env.tags == {}


def test_endpoints_follow_the_flows_when_not_listed(tmp_path: Path) -> None:
    tfvars.write(
        tmp_path,
        "few",
        _with(
            flows=["agent_calls_bedrock", "runtime_loads_code_from_s3"],
            code_buckets=["agent-code"],
            endpoints=None,
        ),
    )
    env = load_environment("few", tmp_path)
    assert env.vpc_endpoints.selected == ("bedrock_runtime", "s3")
    assert env.security_groups.selected_flows == (
        "agent_calls_bedrock",
        "runtime_loads_code_from_s3",
    )


def test_a_data_subnet_may_be_in_any_az_id_of_the_region(tmp_path: Path) -> None:
    # AgentCore's supported AZ IDs bind the runtimes' subnets only (flows.json workloads).
    tfvars.write(
        tmp_path,
        "ids",
        _with(
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/24", "az_id": "usw2-az1"},
                "data": {"cidr": "10.0.4.0/24", "az_id": "usw2-az4"},
                "mcp_runtime": {"cidr": "10.0.1.0/24", "az_id": "usw2-az2"},
            }
        ),
    )
    env = load_environment("ids", tmp_path)
    assert env.network.runtime_subnets == ("agent_runtime", "mcp_runtime")
    assert not [w for w in env.warnings if "az_id" in w]


def test_what_no_source_confirms_is_a_warning_not_a_silent_pass(tmp_path: Path) -> None:
    tfvars.write(
        tmp_path,
        "gov",
        _with(
            region="us-gov-west-1",
            endpoints=None,
            subnets={
                "agent_runtime": {"cidr": "10.0.3.0/24", "az_id": "usgw1-az1"},
                "mcp_runtime": {"cidr": "10.0.1.0/24", "az_id": "usgw1-az2"},
            },
        ),
    )
    warnings = load_environment("gov", tmp_path).warnings
    assert any(
        "subnets.agent_runtime.az_id: which AZ IDs AgentCore Runtime supports in us-gov-west-1 is "
        "not documented" in w
        for w in warnings
    )
    assert any(
        "whether us-gov-west-1 offers AgentCore Memory (agent_uses_memory) is unconfirmed" in w
        for w in warnings
    )
    assert any(
        "endpoint service names and FIPS endpoints of us-gov-west-1 are unconfirmed" in w
        for w in warnings
    )


def test_the_cli_prints_warnings_on_stderr_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from modules.cli import commands

    tfvars.write(
        tmp_path,
        "gov",
        _with(
            region="us-gov-west-1",
            endpoints=None,
            subnets={"agent_runtime": {"cidr": "10.0.3.0/24", "az": "us-gov-west-1a"}},
        ),
    )
    monkeypatch.setenv("AGENTCORE_ENVIRONMENTS_DIR", str(tmp_path))
    monkeypatch.setenv("CDKTF_OUTDIR", str(tmp_path / "out"))  # not the project's: the other
    monkeypatch.setenv("AGENTCORE_STATE_DIR", str(tmp_path / "state"))  # worker writes there
    assert commands.run(["verify", "--env", "gov"]) == 0
    err = capsys.readouterr().err
    assert (
        "warning: " in err
        and "gov.tfvars: flows: whether us-gov-west-1 offers AgentCore Memory" in err
    )


def test_a_role_may_have_subnets_in_several_azs_and_warns_when_a_runtime_has_one(
    tmp_path: Path,
) -> None:
    dev = load_environment("dev", PROJECT_ROOT / "environments")
    assert [w.split(";")[0] for w in dev.warnings if w.startswith("subnets")] == [
        "subnets: the agent_runtime role is in one AZ (us-west-2a)",
        "subnets: the mcp_runtime role is in one AZ (us-west-2c)",
    ]
    prod = load_environment("prod", PROJECT_ROOT / "environments")
    assert not [w for w in prod.warnings if w.startswith("subnets")]
    assert prod.network.subnets_by_role() == {
        "agent_runtime": ["agent_runtime", "agent_runtime_b"],
        "data": ["data"],
        "mcp_runtime": ["mcp_runtime", "mcp_runtime_a"],
    }
    assert prod.network.runtime_subnets == (
        "agent_runtime",
        "agent_runtime_b",
        "mcp_runtime",
        "mcp_runtime_a",
    )
    assert prod.network.endpoint_subnets() == [
        "agent_runtime",
        "agent_runtime_b",
        "mcp_runtime",
    ]  # one per AZ
