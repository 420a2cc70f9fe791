"""dev against the AWS sample (help/sources.md#aws-sample), resource by resource.

Every resource of the sample's VPC stack (36 resources) has its counterpart in the
synthesized dev stack, and each known defect of the sample is fixed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import only, resources

# The sample's template: logical id -> (CIDR, AZ index) ; our roles name what runs in each subnet.
SAMPLE_SUBNETS = {
    "PrivateSubnet1": ("agent_runtime", "10.0.3.0/24", "us-west-2a"),
    "PrivateSubnet2": ("data", "10.0.4.0/24", "us-west-2b"),
    "PrivateSubnet3": ("mcp_runtime", "10.0.1.0/24", "us-west-2c"),
}
# The sample's template: logical id -> (our catalog key, ServiceName suffix, type)
SAMPLE_ENDPOINTS = {
    "CloudWatchLogsVPCEndpoint": ("logs", "logs", "Interface"),
    "CloudWatchMonitoringVPCEndpoint": ("monitoring", "monitoring", "Interface"),
    "ECRDockerVPCEndpoint": ("ecr_dkr", "ecr.dkr", "Interface"),
    "ECRAPIVPCEndpoint": ("ecr_api", "ecr.api", "Interface"),
    "DynamoDBGatewayEndpoint": ("dynamodb", "dynamodb", "Gateway"),
    "SSMVPCEndpoint": ("ssm", "ssm", "Interface"),
    "KMSVPCEndpoint": ("kms", "kms", "Interface"),
    "SecretsManagerVPCEndpoint": ("secretsmanager", "secretsmanager", "Interface"),
    "RDSDataVPCEndpoint": ("rds_data", "rds-data", "Interface"),
    "S3VPCEndpoint": ("s3", "s3", "Gateway"),
    "XRayVPCEndpoint": ("xray", "xray", "Interface"),
    "BedrockRuntimeVPCEndpoint": ("bedrock_runtime", "bedrock-runtime", "Interface"),
    "BedrockAgentCoreVPCEndpoint": ("bedrock_agentcore", "bedrock-agentcore", "Interface"),
    "BedrockAgentCoreGatewayVPCEndpoint": (
        "bedrock_agentcore_gateway",
        "bedrock-agentcore.gateway",
        "Interface",
    ),
}
# The sample's template: security group logical id -> our group key
SAMPLE_GROUPS = {
    "VPCEndpointSecurityGroup": "vpc_endpoints",
    "AgentRuntimeSecurityGroup": "agent_runtime",
    "MCPRuntimeSecurityGroup": "mcp_runtime",
    "GatewayLambdaSecurityGroup": "gateway_lambda",
}
# The sample's template: standalone egress rules -> our rule keys (all tcp 443)
SAMPLE_EGRESS = {
    "AgentRuntimeToVPCEndpointRule": "agent_runtime_to_vpc_endpoints",
    "MCPRuntimeToVPCEndpointRule": "mcp_runtime_to_vpc_endpoints",
    "MCPRuntimeToDynamoDBRule": "mcp_runtime_to_dynamodb",
    "GatewayLambdaToVPCEndpointRule": "gateway_lambda_to_vpc_endpoints",
    "GatewayLambdaToDynamoDBRule": "gateway_lambda_to_dynamodb",
}


def _instances(stack: dict[str, Any], terraform_type: str) -> dict[str, Any]:
    return only(stack, terraform_type)["for_each"]


def test_vpc_matches(dev: dict[str, Any]) -> None:
    vpc = only(dev, "aws_vpc")
    assert (vpc["cidr_block"], vpc["enable_dns_hostnames"], vpc["enable_dns_support"]) == (
        "10.0.0.0/16",
        True,
        True,
    )


@pytest.mark.parametrize("sample_id", SAMPLE_SUBNETS)
def test_subnet_matches(dev: dict[str, Any], sample_id: str) -> None:
    role, cidr, az = SAMPLE_SUBNETS[sample_id]
    subnet = _instances(dev, "aws_subnet")[role]
    assert (subnet["cidr"], subnet["az"]) == (cidr, az)


def test_one_route_table_associated_with_all_three_subnets(dev: dict[str, Any]) -> None:
    assert len(resources(dev, "aws_route_table")) == 1
    assert only(dev, "aws_route_table_association")["for_each"] == "${aws_subnet.network_private}"
    assert len(_instances(dev, "aws_subnet")) == 3


@pytest.mark.parametrize("sample_id", SAMPLE_ENDPOINTS)
def test_endpoint_matches(dev: dict[str, Any], sample_id: str) -> None:
    key, suffix, endpoint_type = SAMPLE_ENDPOINTS[sample_id]
    endpoint = resources(dev, "aws_vpc_endpoint")[f"vpc_endpoints_{endpoint_type.lower()}"]
    assert endpoint["vpc_endpoint_type"] == endpoint_type
    assert endpoint["for_each"][key]["service_name"] == f"com.amazonaws.us-west-2.{suffix}"
    assert json.loads(endpoint["for_each"][key]["policy"])[
        "Statement"
    ]  # every endpoint has a policy


def test_fourteen_endpoints_not_thirteen(dev: dict[str, Any]) -> None:
    # The sample's reference says 13 (11 + 2); its template has 12 interface + 2 gateway
    # (help/sources.md#aws-sample).
    endpoints = resources(dev, "aws_vpc_endpoint")
    counts = {name: len(body["for_each"]) for name, body in endpoints.items()}
    assert counts == {"vpc_endpoints_interface": 12, "vpc_endpoints_gateway": 2}


@pytest.mark.parametrize("sample_id", SAMPLE_GROUPS)
def test_security_group_matches(dev: dict[str, Any], sample_id: str) -> None:
    assert SAMPLE_GROUPS[sample_id] in _instances(dev, "aws_security_group")


def test_endpoint_group_ingress_matches(dev: dict[str, Any]) -> None:
    (rule,) = _instances(dev, "aws_vpc_security_group_ingress_rule").values()
    assert (rule["port"], rule["cidr_ipv4"]) == (443, "${aws_vpc.network_this.cidr_block}")


@pytest.mark.parametrize("sample_id", SAMPLE_EGRESS)
def test_egress_rule_matches(dev: dict[str, Any], sample_id: str) -> None:
    rule = _instances(dev, "aws_vpc_security_group_egress_rule")[SAMPLE_EGRESS[sample_id]]
    assert rule["port"] == 443


def test_the_sample_egress_rules_and_s3_for_the_runtimes(dev: dict[str, Any]) -> None:
    # The sample's runtimes reach S3 only through the allow-all egress of defect 4; with that
    # closed, image layers need an explicit rule to the S3 prefix list
    # (help/sources.md#runtime-s3-access).
    added = {"agent_runtime_to_s3", "mcp_runtime_to_s3"}
    assert (
        set(_instances(dev, "aws_vpc_security_group_egress_rule"))
        == set(SAMPLE_EGRESS.values()) | added
    )


def test_flow_log_chain_matches(dev: dict[str, Any]) -> None:
    # VPCFlowLog, VPCFlowLogGroup, VPCFlowLogRole, VPCFlowLogKMSKey, VPCFlowLogKMSKeyAlias
    flow_log = only(dev, "aws_flow_log")
    assert (flow_log["traffic_type"], flow_log["log_destination_type"]) == (
        "ALL",
        "cloud-watch-logs",
    )
    for terraform_type in (
        "aws_cloudwatch_log_group",
        "aws_iam_role",
        "aws_kms_key",
        "aws_kms_alias",
    ):
        only(dev, terraform_type)
    assert only(dev, "aws_kms_key")["enable_key_rotation"] is True


# ---- the sample's defects (spec "Known defects"), fixed -------------------------------------


def test_defect_1_prefix_list_is_looked_up_by_name(dev: dict[str, Any]) -> None:
    """The sample hard-codes pl-00a54069; the rule names the AWS-managed list read by its name
    in the network's region, which the DynamoDB gateway endpoint routes to."""
    rule = _instances(dev, "aws_vpc_security_group_egress_rule")["mcp_runtime_to_dynamodb"]
    lists = '${data.aws_ec2_managed_prefix_list.network_gateway["dynamodb"].id}'
    assert rule["prefix_list_id"] == lists
    read = dev["data"]["aws_ec2_managed_prefix_list"]["network_gateway"]
    assert read["name"] == "com.amazonaws.us-west-2.${each.value}"
    assert '"dynamodb"' in read["for_each"]
    assert "dynamodb" in resources(dev, "aws_vpc_endpoint")["vpc_endpoints_gateway"]["for_each"]
    assert "pl-00a54069" not in json.dumps(dev)


def test_defect_2_s3_policy_admits_ecr_layers(dev: dict[str, Any]) -> None:
    policy = resources(dev, "aws_vpc_endpoint")["vpc_endpoints_gateway"]["for_each"]["s3"]["policy"]
    assert "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*" in policy


def test_defect_3_agentcore_gateway_arn_has_the_account(dev: dict[str, Any]) -> None:
    policy = resources(dev, "aws_vpc_endpoint")["vpc_endpoints_interface"]["for_each"][
        "bedrock_agentcore_gateway"
    ]["policy"]
    assert (
        "arn:aws:bedrock-agentcore:us-west-2:${data.aws_caller_identity.vpc_endpoints_current.account_id}:gateway/*"
        in policy
    )
    assert "us-west-2::gateway" not in policy


def test_defect_4_workload_groups_keep_no_allow_all_egress(dev: dict[str, Any]) -> None:
    groups = only(dev, "aws_security_group")
    assert "egress" not in groups  # no inline rules: Terraform removes AWS's default egress rule


def test_defect_5_flow_logs_kept_a_year(dev: dict[str, Any]) -> None:
    assert only(dev, "aws_cloudwatch_log_group")["retention_in_days"] == 365


def test_defect_6_flow_log_role_is_not_on_every_resource(dev: dict[str, Any]) -> None:
    (statement,) = json.loads(only(dev, "aws_iam_role_policy")["policy"])["Statement"]
    assert "*" not in statement["Resource"]
    assert "logs:CreateLogGroup" not in statement["Action"]


def test_defect_8_default_security_group_is_closed(dev: dict[str, Any]) -> None:
    default = only(dev, "aws_default_security_group")
    assert (default["ingress"], default["egress"]) == ([], [])
