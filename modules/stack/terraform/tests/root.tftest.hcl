# Offline tests of the root composition with the dev environment's values.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  # The provider's region, as the region guard reads it.
  mock_data "aws_region" {
    defaults = { id = "us-west-2" }
  }
  # A runtime subnet's zone, as the AZ ID guard reads it: one AgentCore Runtime supports.
  mock_data "aws_availability_zone" {
    defaults = { zone_id = "usw2-az1" }
  }
  mock_data "aws_ec2_managed_prefix_list" {
    defaults = { entries = [{ cidr = "52.216.0.0/15", description = "" }] }
  }
  mock_data "aws_vpc_endpoint_service" {
    defaults = {
      availability_zones            = ["us-west-2a", "us-west-2b", "us-west-2c"]
      vpc_endpoint_policy_supported = true
    }
  }
}

# prod's highly available layout: each runtime role in two AZs (dev's single-AZ roles would
# only add the runtimes_in_two_azs warning, which a root test cannot expect in a module).
variables {
  name   = "agentcore-prod"
  region = "us-west-2"
  subnets = {
    agent_runtime   = { cidr = "10.0.3.0/24", az = "us-west-2a" }
    agent_runtime_b = { cidr = "10.0.13.0/24", az = "us-west-2b", role = "agent_runtime" }
    data            = { cidr = "10.0.4.0/24", az = "us-west-2b" }
    mcp_runtime     = { cidr = "10.0.1.0/24", az = "us-west-2c" }
    mcp_runtime_a   = { cidr = "10.0.11.0/24", az = "us-west-2a", role = "mcp_runtime" }
  }
}

run "the_whole_network" {
  command = plan

  assert {
    condition     = length(output.subnet_ids) == 5 && length(output.role_subnet_ids["agent_runtime"]) == 2 && length(output.security_group_ids) == 4
    error_message = "Five subnets, two for each runtime role, and four security groups."
  }
}

run "the_flows_decide_endpoints_and_rules" {
  command = plan
  variables { flows = ["agent_calls_bedrock", "container_pulls_from_ecr"] }

  assert {
    condition     = output.flows == ["agent_calls_bedrock", "container_pulls_from_ecr"] && toset(keys(output.endpoint_ids)) == toset(["bedrock_runtime", "ecr_api", "ecr_dkr", "s3"])
    error_message = "The endpoints are those the flows go through."
  }
}

run "reserved_tag" {
  command = plan
  variables { tags = { Name = "x" } }
  expect_failures = [var.tags]
}
