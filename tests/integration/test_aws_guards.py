"""What AWS refuses, refused at plan: an endpoint service the region lacks, one not offered in an
AZ of the network, or one that takes only the full-access policy. The emulator plays AWS's offers
(modules/
emulator_server.py) and refuses those endpoints itself; the plan-time guard (data
"aws_vpc_endpoint_service" and preconditions) stops `plan` first, in the stack and the HCL twin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import botocore.exceptions
import pytest

from modules.kernel.errors import CommandError
from modules.runner.emulator_server import SERVICES_OVERRIDE
from modules.stack.environment import PROJECT_ROOT
from modules.stack.twins import ROOT
from tests.integration.cli import Cli
from tests.integration.twins import plan_in, terraform_in

pytestmark = pytest.mark.integration

DEV = (PROJECT_ROOT / "environments" / "dev.tfvars").read_text()
# The MCP runtime's subnet in us-west-2d: usw2-az4 in the emulator, where AgentCore Runtime
# (and so its endpoint services) is not offered. By AZ name the configuration cannot know that.
IN_AZ_4 = DEV.replace(
    'mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2c" }',
    'mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2d" }',
)
NOT_OFFERED = (
    "endpoints: bedrock_agentcore: AWS does not offer com.amazonaws.us-west-2.bedrock-agentcore in "
    "us-west-2d (only in us-west-2a, us-west-2b, us-west-2c)"
)
# ... and the plan reads that zone's AZ ID, where AgentCore Runtime does not run either.
UNSUPPORTED_AZ_ID = (
    "subnets.mcp_runtime.az: AgentCore Runtime does not run in usw2-az4 (VPC mode), the zone "
    "us-west-2d is in this account; got 'us-west-2d'. Place runtime subnets in usw2-az1, "
    "usw2-az2, usw2-az3"
)
NO_PRIVATE_DNS = (
    "endpoints: ssm: com.amazonaws.us-west-2.ssm offers no private DNS name in us-west-2, and "
    "the endpoint turns private DNS on"
)
FULL_ACCESS_ONLY = (
    "endpoints: xray: com.amazonaws.us-west-2.xray only supports the full-access endpoint policy "
    "in us-west-2"
)


def _one_line(text: str) -> str:
    """Terraform wraps and boxes error messages: the words, one space apart."""
    return re.sub(r"\s+", " ", re.sub(r"[│╷╵]", " ", text))


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """A Cli whose emulator says xray takes only the full-access policy in us-west-2."""
    root = tmp_path_factory.mktemp("guards")
    environments = root / "environments"
    environments.mkdir()
    (environments / "dev.tfvars").write_text(DEV)
    (environments / "az4.tfvars").write_text(IN_AZ_4.replace('"agentcore-dev"', '"agentcore-az4"'))
    # us-east-1 b, c, d: use1-az1, az2, az4 in the emulator, where AgentCore Runtime runs.
    east = DEV.replace('"agentcore-dev"', '"agentcore-east"').replace("us-west-2", "us-east-1")
    (environments / "east.tfvars").write_text(
        east.replace("us-east-1c", "us-east-1d")
        .replace("us-east-1b", "us-east-1c")
        .replace("us-east-1a", "us-east-1b")
    )
    override = root / "services.json"
    override.write_text(
        json.dumps(
            {
                "us-west-2": {"xray": {"policy": False}, "ssm": {"private_dns": False}},
                "us-east-1": {"rds-data": {"offered": False}},
            }
        )
    )
    cli = Cli(root, environments)
    cli.env[SERVICES_OVERRIDE] = str(override)
    try:
        yield cli
    finally:
        cli("local", "down")


def test_plan_stops_an_endpoint_in_an_az_its_service_lacks(cli: Cli) -> None:
    result = cli("plan", "--local", "--env", "az4")
    assert result.returncode == 1, result.stdout + result.stderr
    assert NOT_OFFERED in _one_line(result.stdout + result.stderr)
    assert UNSUPPORTED_AZ_ID in _one_line(result.stdout + result.stderr)


def test_plan_stops_a_custom_policy_on_a_full_access_only_service(cli: Cli) -> None:
    result = cli("plan", "--local", "--env", "dev")
    assert result.returncode == 1, result.stdout + result.stderr
    text = _one_line(result.stdout + result.stderr)
    assert (
        FULL_ACCESS_ONLY in text
        and "bedrock_runtime" not in text.split("refused before changing anything:")[-1]
    )
    # The same plan stops private DNS on a service that offers no private DNS name.
    assert NO_PRIVATE_DNS in text


def test_plan_stops_an_endpoint_service_the_region_does_not_offer(cli: Cli) -> None:
    result = cli("plan", "--local", "--env", "east")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "endpoints: rds_data: AWS offers no such endpoint service in this region" in result.stderr
    )


def test_the_emulator_refuses_what_aws_refuses(cli: Cli) -> None:
    assert cli("local", "up").returncode == 0
    ec2 = cli.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-west-2d")[
        "Subnet"
    ]["SubnetId"]
    with pytest.raises(
        botocore.exceptions.ClientError,
        match="does not support the availability zone of the subnet",
    ):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-west-2.bedrock-agentcore",
            VpcEndpointType="Interface",
            SubnetIds=[subnet],
        )
    with pytest.raises(botocore.exceptions.ClientError, match="does not provide a private DNS"):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-west-2.ssm",
            VpcEndpointType="Interface",
            PrivateDnsEnabled=True,
        )
    with pytest.raises(
        botocore.exceptions.ClientError, match="only supports the full-access endpoint policy"
    ):
        ec2.create_vpc_endpoint(
            VpcId=vpc,
            ServiceName="com.amazonaws.us-west-2.xray",
            VpcEndpointType="Interface",
            PolicyDocument=json.dumps({"Statement": []}),
        )
    offered = ec2.describe_vpc_endpoint_services(
        ServiceNames=["com.amazonaws.us-west-2.bedrock-agentcore.gateway"]
    )
    assert offered["ServiceDetails"][0]["AvailabilityZones"] == [
        "us-west-2a",
        "us-west-2b",
        "us-west-2c",
    ]


@pytest.mark.parametrize(
    "tfvars,expected",
    [("az4", (NOT_OFFERED, UNSUPPORTED_AZ_ID)), ("dev", (FULL_ACCESS_ONLY, NO_PRIVATE_DNS))],
)
def test_the_hcl_twin_stops_the_same_plans(
    cli: Cli, tfvars: str, expected: tuple[str, ...], tmp_path: Path
) -> None:
    assert cli("local", "up").returncode == 0
    with pytest.raises(CommandError) as refused:
        plan_in(
            terraform_in(ROOT, tmp_path / "data", cli.emulator()),
            tmp_path / "hcl.tfstate",
            f"-var-file={cli.env['AGENTCORE_ENVIRONMENTS_DIR']}/{tfvars}.tfvars",
        )
    for sentence in expected:
        assert sentence in _one_line(str(refused.value))
