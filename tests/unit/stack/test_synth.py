"""The synthesized Terraform JSON: what each environment deploys, asserted on cdk.tf.json."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from modules.facts.facts import shipped
from modules.flows.policies import Perimeter, groups_in_use, policy_document, rules_in_use
from modules.runner.provider_mirror import AWS_PROVIDER_VERSION
from tests.conftest import SHIPPED, only, resources

INTERNET_TYPES = (
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_nat_gateway",
    "aws_vpn_gateway",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_vpc_peering_connection",
    "aws_route",
    "aws_eip",
)
OUTPUTS = {
    "vpc_id",
    "vpc_cidr_block",
    "subnet_ids",
    "route_table_id",
    "default_security_group_id",
    "security_group_ids",
    "endpoint_ids",
    "endpoint_dns_names",
    "prefix_list_ids",
    "flow_log_id",
    "flow_log_group_name",
    "flow_log_kms_key_arn",
    "flows",
    "code_buckets",
    "organization_id",
    "principal_scope",
    "participants",
    "endpoint_ingress",
    "role_subnet_ids",
    "network_acl_id",
    "subnet_share_arn",
    "shared_subnet_ids",
}


@pytest.fixture(params=[*SHIPPED, "eu"])
def stack(request: pytest.FixtureRequest, synthesized: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return synthesized[request.param]


def test_vpc_has_dns_support_and_hostnames(stack: dict[str, Any]) -> None:
    vpc = only(stack, "aws_vpc")
    assert (vpc["enable_dns_support"], vpc["enable_dns_hostnames"]) == (True, True)


def test_subnets_are_private_and_say_their_role(stack: dict[str, Any]) -> None:
    subnets = only(stack, "aws_subnet")
    assert all(s["role"] for s in subnets["for_each"].values())
    assert subnets["tags"] == {"Name": "${each.value.name}", "Role": "${each.value.role}"}
    assert subnets["map_public_ip_on_launch"] is False
    assert "assign_ipv6_address_on_creation" not in subnets


def test_route_table_has_no_routes_and_serves_every_subnet(stack: dict[str, Any]) -> None:
    assert only(stack, "aws_route_table")["route"] == []
    association = only(stack, "aws_route_table_association")
    assert association["for_each"] == "${aws_subnet.network_private}"


def test_nothing_leads_to_the_internet(stack: dict[str, Any]) -> None:
    present = [t for t in INTERNET_TYPES if t in stack.get("resource", {})]
    assert present == []
    text = json.dumps(stack)
    assert "0.0.0.0/0" not in text and "::/0" not in text


def test_default_security_group_is_adopted_with_no_rules(stack: dict[str, Any]) -> None:
    default = only(stack, "aws_default_security_group")
    assert (default["ingress"], default["egress"]) == ([], [])


def test_interface_endpoints_private_dns_every_subnet_endpoint_group(stack: dict[str, Any]) -> None:
    interface = resources(stack, "aws_vpc_endpoint")["vpc_endpoints_interface"]
    assert interface["vpc_endpoint_type"] == "Interface"
    assert interface["private_dns_enabled"] == "${each.value.private_dns}"
    assert all(i["private_dns"] is True for i in interface["for_each"].values())
    # One subnet per AZ: the first by name in each.
    first: dict[str, str] = {}
    for name, subnet in sorted(only(stack, "aws_subnet")["for_each"].items()):
        first.setdefault(subnet["az"] or subnet["az_id"], name)
    assert interface["subnet_ids"] == [
        f'${{aws_subnet.network_private["{n}"].id}}' for n in sorted(first.values())
    ]
    assert interface["security_group_ids"] == [
        '${aws_security_group.security_groups_this["vpc_endpoints"].id}'
    ]


def test_gateway_endpoints_are_on_the_private_route_table(stack: dict[str, Any]) -> None:
    gateway = resources(stack, "aws_vpc_endpoint")["vpc_endpoints_gateway"]
    assert gateway["route_table_ids"] == ["${aws_route_table.network_private.id}"]
    assert set(gateway["for_each"]) <= {"s3", "dynamodb"}


def test_each_endpoint_carries_the_policy_of_its_flows(stack: dict[str, Any]) -> None:
    region = stack["provider"]["aws"][0]["region"]
    flows, buckets = stack["output"]["flows"]["value"], stack["output"]["code_buckets"]["value"]
    for name in ("vpc_endpoints_interface", "vpc_endpoints_gateway"):
        endpoint = resources(stack, "aws_vpc_endpoint")[name]
        assert endpoint["policy"] == "${each.value.policy}"
        for key, instance in endpoint["for_each"].items():
            entry = shipped().catalog.endpoints[key]
            assert instance["service_name"] == f"com.amazonaws.{region}.{entry.service}"
            account = "${data.aws_caller_identity.vpc_endpoints_current.account_id}"
            assert instance["policy"] == policy_document(
                key,
                flows,
                buckets,
                partition="aws",
                region=region,
                account_id=account,
                perimeter=Perimeter(stack["output"]["principal_scope"]["value"]),
                facts=shipped(),
            )


def test_security_groups_declare_no_inline_rules(stack: dict[str, Any]) -> None:
    groups = only(stack, "aws_security_group")
    assert set(groups["for_each"]) == set(
        groups_in_use(stack["output"]["flows"]["value"], shipped())
    )
    assert (
        "ingress" not in groups and "egress" not in groups
    )  # Terraform drops AWS's allow-all egress
    assert groups["lifecycle"] == {"create_before_destroy": True}
    assert groups["name_prefix"] == "${each.value.name_prefix}"


def test_rules_are_those_of_rules_json_the_flows_need_each_described(stack: dict[str, Any]) -> None:
    ingress = only(stack, "aws_vpc_security_group_ingress_rule")["for_each"]
    egress = only(stack, "aws_vpc_security_group_egress_rule")["for_each"]
    assert set(ingress) | set(egress) == set(
        rules_in_use(
            stack["output"]["flows"]["value"],
            stack["output"]["endpoint_ingress"]["value"],
            shipped(),
        )
    )
    for key, rule in {**ingress, **egress}.items():
        expected = shipped().rules.rules[key]
        assert rule["description"] == expected.description
        assert rule["port"] == expected.port
        assert (
            rule["security_group_id"]
            == f'${{aws_security_group.security_groups_this["{expected.group}"].id}}'
        )
        peers = [
            p
            for p in ("cidr_ipv4", "referenced_security_group_id", "prefix_list_id")
            if rule[p] is not None
        ]
        assert len(peers) == 1, key


@pytest.mark.parametrize("env", SHIPPED)
def test_runtimes_reach_the_s3_gateway_endpoint_for_image_layers(
    env: str, synthesized: dict[str, dict[str, Any]]
) -> None:
    # Runtimes created since 2026-05-05 pull image layers through the VPC
    # (help/sources.md#runtime-s3-access).
    egress = only(synthesized[env], "aws_vpc_security_group_egress_rule")["for_each"]
    s3 = '${data.aws_ec2_managed_prefix_list.network_gateway["s3"].id}'
    assert {k for k, r in egress.items() if r["prefix_list_id"] == s3} == {
        "agent_runtime_to_s3",
        "mcp_runtime_to_s3",
    }


def test_dynamodb_prefix_list_is_the_managed_one_by_name(stack: dict[str, Any]) -> None:
    """The AWS-managed list com.amazonaws.<region>.dynamodb, read by name at plan (the list the
    gateway endpoint routes to), so the rules need no endpoint to exist first."""
    egress = only(stack, "aws_vpc_security_group_egress_rule")["for_each"]
    for key in ("mcp_runtime_to_dynamodb", "gateway_lambda_to_dynamodb"):
        assert (
            egress[key]["prefix_list_id"]
            == '${data.aws_ec2_managed_prefix_list.network_gateway["dynamodb"].id}'
        )
    assert not re.search(r"pl-[0-9a-f]{8}", json.dumps(stack))  # no hard-coded prefix list


def test_endpoint_group_admits_https_from_the_vpc_only(stack: dict[str, Any]) -> None:
    ingress = only(stack, "aws_vpc_security_group_ingress_rule")
    endpoints = '${aws_security_group.security_groups_this["vpc_endpoints"].id}'
    (rule,) = [r for r in ingress["for_each"].values() if r["security_group_id"] == endpoints]
    assert rule["cidr_ipv4"] == "${aws_vpc.network_this.cidr_block}"
    assert (ingress["ip_protocol"], rule["port"]) == ("tcp", 443)
    # Any other ingress is the data tier's, from a workload group, never from a CIDR.
    others = [r for r in ingress["for_each"].values() if r is not rule]
    assert all(
        r["cidr_ipv4"] is None and r["port"] == 5432 and r["referenced_security_group_id"]
        for r in others
    )


def test_flow_logs_go_encrypted_to_their_log_group(stack: dict[str, Any]) -> None:
    flow_log = only(stack, "aws_flow_log")
    assert flow_log["vpc_id"] == "${aws_vpc.network_this.id}"
    assert flow_log["log_destination_type"] == "cloud-watch-logs"
    assert flow_log["log_destination"] == "${aws_cloudwatch_log_group.network_flow_logs.arn}"
    assert "destination_options" not in flow_log
    group = only(stack, "aws_cloudwatch_log_group")
    assert group["kms_key_id"] == "${aws_kms_key.network_flow_logs.arn}"
    assert group["retention_in_days"] >= 365


def test_kms_key_rotates_and_serves_only_this_log_group(stack: dict[str, Any]) -> None:
    key = only(stack, "aws_kms_key")
    assert key["enable_key_rotation"] is True
    statements = json.loads(key["policy"])["Statement"]
    (logs,) = [s for s in statements if "Service" in s["Principal"]]
    region = stack["provider"]["aws"][0]["region"]
    assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
    group_name = only(stack, "aws_cloudwatch_log_group")["name"]
    assert logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        f":log-group:{group_name}"
    )


def test_flow_log_role_is_trusted_by_this_accounts_flow_logs_only(stack: dict[str, Any]) -> None:
    (statement,) = json.loads(only(stack, "aws_iam_role")["assume_role_policy"])["Statement"]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert set(statement["Condition"]) == {"StringEquals", "ArnLike"}
    assert "aws:SourceAccount" in statement["Condition"]["StringEquals"]
    assert statement["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":vpc-flow-log/*")


def test_flow_log_role_may_write_to_its_log_group_only(stack: dict[str, Any]) -> None:
    (statement,) = json.loads(only(stack, "aws_iam_role_policy")["policy"])["Statement"]
    group = "${aws_cloudwatch_log_group.network_flow_logs.arn}"
    assert statement["Resource"] == [group, f"{group}:*"]
    assert "logs:CreateLogGroup" not in statement["Action"]


def test_logical_ids_are_readable_construct_paths(stack: dict[str, Any]) -> None:
    for kind in ("resource", "data"):
        for terraform_type, named in stack.get(kind, {}).items():
            for name in named:
                assert re.fullmatch(r"[a-z][a-z0-9_]*", name), (terraform_type, name)
                assert not re.search(r"_[0-9A-F]{8}$", name), (terraform_type, name)


def test_outputs_are_all_there_and_described(stack: dict[str, Any]) -> None:
    assert set(stack["output"]) == OUTPUTS
    assert all(o["description"] for o in stack["output"].values())


def test_state_backend_is_local_relative_and_outside_cdktf_out(stack: dict[str, Any]) -> None:
    path = stack["terraform"]["backend"]["local"]["path"]
    assert not path.startswith("/")
    assert path.endswith(
        "/.state/aws/"
        + stack["//"]["metadata"]["stackName"].removeprefix("network-")
        + "/terraform.tfstate"
    )


def test_provider_is_pinned_to_the_mirrored_version(stack: dict[str, Any]) -> None:
    assert stack["terraform"]["required_providers"]["aws"]["version"] == AWS_PROVIDER_VERSION


def test_no_emulator_settings_in_the_configuration(stack: dict[str, Any]) -> None:
    text = json.dumps(stack)
    assert "127.0.0.1" not in text and "localhost" not in text
    assert set(stack["provider"]["aws"][0]) <= {"region", "default_tags"}


def test_prod_protects_vpc_subnets_key_and_log_group(
    synthesized: dict[str, dict[str, Any]],
) -> None:
    def protected(env: str) -> set[str]:
        return {
            terraform_type
            for terraform_type, named in synthesized[env]["resource"].items()
            for body in named.values()
            if body.get("lifecycle", {}).get("prevent_destroy") is True
        }

    assert protected("prod") == {"aws_vpc", "aws_subnet", "aws_kms_key", "aws_cloudwatch_log_group"}
    assert protected("dev") == set()


def test_nothing_is_specific_to_us_west_2(synthesized: dict[str, dict[str, Any]]) -> None:
    eu = synthesized["eu"]
    assert "us-west-2" not in json.dumps(eu)
    assert eu["provider"]["aws"][0]["region"] == "eu-central-1"


def test_a_subset_of_endpoints_and_two_azs(synthesized: dict[str, dict[str, Any]]) -> None:
    endpoints = resources(synthesized["eu"], "aws_vpc_endpoint")
    assert set(endpoints["vpc_endpoints_interface"]["for_each"]) == {
        "bedrock_runtime",
        "ecr_api",
        "ecr_dkr",
        "logs",
        "ec2",
    }
    assert set(endpoints["vpc_endpoints_gateway"]["for_each"]) == {"s3", "dynamodb"}
    assert len(endpoints["vpc_endpoints_interface"]["subnet_ids"]) == 2


# Outputs that name instances a person can delete in the console (a subnet, an endpoint): a
# refresh (`drift`) fails on a literal index of a deleted instance, so they are for-expressions.
DELETABLE = re.compile(r'aws_(subnet|vpc_endpoint)\.\w+\["')


@pytest.mark.parametrize("env", SHIPPED)
@pytest.mark.parametrize(
    "output", ["subnet_ids", "role_subnet_ids", "endpoint_ids", "endpoint_dns_names"]
)
def test_outputs_over_deletable_instances_survive_a_deleted_one(
    env: str, output: str, synthesized: dict[str, dict[str, Any]]
) -> None:
    value = json.dumps(synthesized[env]["output"][output]["value"])
    assert DELETABLE.search(value) is None, value
    assert "for " in value  # an expression over the instances, not a literal map
