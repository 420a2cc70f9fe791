"""help/library.md's example, executed: a user's own TerraformStack from configurations built in
code synthesizes, and `verify` proves every flow it selects on the result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modules.checks.verify import flow_results, load_model, verify_model
from modules.facts.facts import extended, shipped
from modules.facts.flows import FlowsError
from modules.network.policies import policy
from modules.stack.environment import PROJECT_ROOT

PAGE = PROJECT_ROOT / "help" / "library.md"


def _run_example(index: int, outdir: Path) -> tuple[dict[str, object], Path]:
    """Execute the page's ``index``-th Python example; its namespace and its synthesized stack."""
    code = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)[index]
    namespace: dict[str, object] = {"__name__": f"library_example_{index}"}
    exec(compile(code, str(PAGE), "exec"), namespace)  # noqa: S102 - the documented example itself
    namespace["synthesize"](str(outdir))  # type: ignore[operator]
    (stack,) = outdir.glob("stacks/*/cdk.tf.json")
    return namespace, stack


def test_the_page_has_the_examples_these_tests_run() -> None:
    assert len(re.findall(r"```python\n", PAGE.read_text())) == 3


def test_the_library_example_synthesizes_and_is_proven(tmp_path: Path) -> None:
    namespace, stack = _run_example(0, tmp_path)
    model = load_model(stack)
    assert verify_model(model) == []
    results = flow_results(model)
    assert {r.flow.key for r in results} == set(namespace["FLOWS"])
    assert all(r.status == "reachable" for r in results)
    tagged = [i for i in model.instances if "tags" in i.values]
    assert len(tagged) >= 15
    for instance in tagged:  # the team's tags on each, and each keeps its own Name
        tags = instance.values["tags"]
        assert tags["Team"] == "payments" and tags["Name"], instance.address


def test_flow_logs_alone_on_a_vpc_made_elsewhere(tmp_path: Path) -> None:
    _, stack = _run_example(1, tmp_path)
    synthesized = json.loads(stack.read_text())
    resources = {
        f"{kind}.{name}": body
        for kind, named in synthesized["resource"].items()
        for name, body in named.items()
    }
    assert sorted(resources) == [
        "aws_cloudwatch_log_group.flow_logs_flow_logs",
        "aws_flow_log.flow_logs_this",
        "aws_iam_role.flow_logs_flow_logs",
        "aws_iam_role_policy.flow_logs_flow_logs",
        "aws_kms_alias.flow_logs_flow_logs",
        "aws_kms_key.flow_logs_flow_logs",
    ]
    assert list(synthesized["data"]) == ["aws_caller_identity"]  # its own, none given
    flow_log = resources["aws_flow_log.flow_logs_this"]
    assert (flow_log["vpc_id"], flow_log["traffic_type"]) == ("vpc-0123456789abcdef0", "REJECT")
    account = "${data.aws_caller_identity.flow_logs_current.account_id}"
    log_group = f"arn:aws:logs:eu-central-1:{account}:log-group:/aws/vpc-flow-logs/legacy"
    key_policy = json.loads(resources["aws_kms_key.flow_logs_flow_logs"]["policy"])
    (logs,) = [s for s in key_policy["Statement"] if s["Sid"].startswith("CloudWatchLogs")]
    assert logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"] == log_group
    write = json.loads(resources["aws_iam_role_policy.flow_logs_flow_logs"]["policy"])
    arn = "${aws_cloudwatch_log_group.flow_logs_flow_logs.arn}"
    assert write["Statement"][0]["Resource"] == [arn, f"{arn}:*"]


@pytest.mark.parametrize("name", ["flow_log_key", "flow_log_trust", "flow_log_write"])
def test_every_placeholder_of_a_flow_log_policy_is_filled(name: str) -> None:
    values = {"partition": "aws", "region": "eu-west-1", "account_id": "111122223333"}
    values["log_group_arn"] = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/vpc-flow-logs/x"
    document = policy(name, **values)
    assert "${" not in document and "//" not in json.loads(document)
    assert json.loads(document)["Version"] == "2012-10-17"


def test_a_flow_log_policy_missing_a_value_says_which() -> None:
    with pytest.raises(
        KeyError, match=r"policies/flow_log_write.json needs a value for \$\{log_group_arn\}"
    ):
        policy("flow_log_write")


def test_an_endpoint_and_a_flow_of_ones_own_are_built_and_proven(tmp_path: Path) -> None:
    namespace, stack = _run_example(2, tmp_path)
    model = load_model(stack, namespace["FACTS"])  # type: ignore[arg-type]
    assert verify_model(model) == []
    results = {r.flow.key: r.status for r in flow_results(model)}
    assert results == {"agent_calls_bedrock": "reachable", "agent_sends_to_queues": "reachable"}
    synthesized = json.loads(stack.read_text())
    endpoints = synthesized["resource"]["aws_vpc_endpoint"]["vpc_endpoints_interface"]
    policies = {key: json.loads(value["policy"]) for key, value in _instances(endpoints).items()}
    assert sorted(policies) == ["bedrock_runtime", "sqs"]
    (statement,) = policies["sqs"]["Statement"]
    assert statement["Sid"] == "SendToQueues"
    assert statement["Action"] == ["sqs:GetQueueUrl", "sqs:SendMessage"]
    assert "sqs" not in shipped().catalog.endpoints  # the shipped data are left as they are


def _instances(resource: dict[str, object]) -> dict[str, dict[str, str]]:
    """The for_each map of a synthesized resource (cdktf writes it as a local-free literal)."""
    for_each = resource["for_each"]
    assert isinstance(for_each, dict)
    return for_each  # type: ignore[return-value]


def test_a_shipped_key_cannot_be_replaced() -> None:
    with pytest.raises(FlowsError, match=r"extended\(endpoints\): endpoints.s3: already shipped"):
        extended(endpoints={"s3": {"service": "s3", "type": "Gateway"}})


def test_an_addition_is_checked_as_the_shipped_files_are() -> None:
    flow = {"title": "t", "description": "d", "default": False, "sources": ["agent_runtime"]}
    flow["calls"] = [{"sid": "X", "endpoint": "sqs", "port": 443, "signers": ["workload"]}]
    with pytest.raises(FlowsError, match=r"flows.mine.calls\[0\]: endpoint must be a catalog key"):
        extended(flows={"mine": flow})
    assert "mine" not in shipped().flows.flows


def _library_stack() -> object:
    """A stack with its provider, for constructs built by hand."""
    from cdktf import App, TerraformStack

    from modules.kernel.aws import AwsProvider

    stack = TerraformStack(App(), "hand-built")
    AwsProvider(stack, "aws", region="eu-central-1")
    return stack


def test_an_endpoint_without_its_policy_is_refused_naming_it() -> None:
    """The policies are the caller's input: a selected endpoint left without one (AWS would give
    it full access) stops the construction, naming the field and the fix."""
    from modules.flows.policies import endpoint_policies
    from modules.kernel.errors import ConfigError
    from modules.vpc_endpoints.config import VpcEndpointsConfig
    from modules.vpc_endpoints.construct import VpcEndpoints

    stack = _library_stack()
    config = VpcEndpointsConfig(name="hand", region="eu-central-1", flows=("agent_calls_bedrock",))
    policies = endpoint_policies(config)
    assert set(policies) == set(config.selected) and all(policies.values())
    wiring = {"vpc_id": "vpc-1", "subnet_ids": [], "route_table_ids": [], "security_group_ids": []}
    for given, said in [
        ({}, "missing: bedrock_runtime"),
        ({**policies, "bedrock_runtime": None}, "no policy for bedrock_runtime"),
        ({**policies, "xray": "{}"}, "not selected: xray"),
    ]:
        with pytest.raises(ConfigError, match=said) as raised:
            VpcEndpoints(stack, f"endpoints{len(given)}", config=config, policies=given, **wiring)
        assert str(raised.value).startswith("policies:") and "endpoint_policies(config)" in str(
            raised.value
        )


def test_a_rule_whose_group_is_not_given_is_refused() -> None:
    from modules.facts.rules import RuleSet
    from modules.flows.policies import groups_and_rules
    from modules.kernel.errors import ConfigError
    from modules.security_groups.config import SecurityGroupsConfig
    from modules.security_groups.construct import SecurityGroups

    stack = _library_stack()
    config = SecurityGroupsConfig(name="hand", flows=("agent_calls_bedrock",))
    given = groups_and_rules(config)
    without = RuleSet(
        groups={k: v for k, v in given.groups.items() if k != "vpc_endpoints"}, rules=given.rules
    )
    with pytest.raises(ConfigError, match="^rules: rule .* names group vpc_endpoints"):
        SecurityGroups(stack, "groups", config=config, rules=without, vpc_id="vpc-1")
