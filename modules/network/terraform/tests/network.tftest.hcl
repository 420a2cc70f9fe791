# Offline tests of the network module: a mock AWS provider, plan only.
# Run: terraform init && terraform test

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
  # Realistic ARNs: the provider validates them when the flow log is applied.
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-west-2:123456789012:log-group:/aws/vpc-flow-logs/agentcore-test" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/agentcore-test-flow-logs" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-000000000000" }
  }
  # Two CIDRs per gateway prefix list (the real ones hold a handful).
  mock_data "aws_ec2_managed_prefix_list" {
    defaults = { entries = [{ cidr = "52.216.0.0/15", description = "" }, { cidr = "3.5.0.0/19", description = "" }] }
  }
}

variables {
  name   = "agentcore-test"
  region = "us-west-2"
  subnets = {
    agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2a" }
    mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2c" }
  }
}

run "private_by_default" {
  command = plan

  assert {
    condition     = aws_vpc.this.enable_dns_support && aws_vpc.this.enable_dns_hostnames
    error_message = "Private DNS of interface endpoints needs DNS support and hostnames."
  }
  assert {
    condition     = alltrue([for subnet in aws_subnet.private : subnet.map_public_ip_on_launch == false])
    error_message = "No subnet may give out public IPs."
  }
  assert {
    condition     = length(aws_route_table.private.route) == 0
    error_message = "The route table has no routes of its own."
  }
  assert {
    condition     = length(aws_default_security_group.this.ingress) == 0 && length(aws_default_security_group.this.egress) == 0
    error_message = "The default security group allows nothing."
  }
  assert {
    condition     = length(terraform_data.destroy_guard) == 0
    error_message = "Unprotected by default."
  }
}

run "flow_logs_encrypted_and_kept_a_year" {
  # apply (against the mock provider): the role policy embeds the log group's ARN.
  command = apply

  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.retention_in_days == 365 && aws_kms_key.flow_logs.enable_key_rotation
    error_message = "Flow logs are kept 365 days by default, with a rotating CMK."
  }
  assert {
    condition     = strcontains(aws_kms_key.flow_logs.policy, "kms:EncryptionContext:aws:logs:arn")
    error_message = "CloudWatch Logs may use the key for the flow-log group only."
  }
  assert {
    condition     = !strcontains(aws_iam_role_policy.flow_logs.policy, "logs:CreateLogGroup")
    error_message = "The flow-log role does not create log groups."
  }
  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination_type == "cloud-watch-logs"
    error_message = "Flow logs record ALL traffic to CloudWatch Logs."
  }
}

run "protection_guards_vpc_subnets_key_and_log_group" {
  command = plan

  variables {
    prevent_destroy = true
  }

  assert {
    condition     = toset(keys(terraform_data.destroy_guard)) == toset(["vpc", "kms_key", "log_group", "subnet_agent_runtime", "subnet_mcp_runtime"])
    error_message = "One guard per protected object."
  }
}

run "vpc_cidr_malformed" {
  command = plan
  variables { vpc_cidr = "10.0.0.0/33" }
  expect_failures = [var.vpc_cidr]
}

run "vpc_cidr_host_bits" {
  command = plan
  variables { vpc_cidr = "10.0.0.1/16" }
  expect_failures = [var.vpc_cidr]
}

run "vpc_cidr_too_big" {
  command = plan
  variables { vpc_cidr = "10.0.0.0/8" }
  expect_failures = [var.vpc_cidr]
}

run "subnet_outside_the_vpc" {
  command = plan
  variables {
    subnets = { data = { cidr = "10.1.4.0/24", az = "us-west-2b" } }
  }
  expect_failures = [var.subnets]
}

run "subnets_overlap" {
  command = plan
  variables {
    subnets = {
      agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2a" }
      mcp_runtime   = { cidr = "10.0.3.128/25", az = "us-west-2c" }
    }
  }
  expect_failures = [var.subnets]
}

run "a_role_in_two_azs" {
  command = plan
  variables {
    subnets = {
      agent_runtime   = { cidr = "10.0.3.0/24", az = "us-west-2a" }
      agent_runtime_b = { cidr = "10.0.13.0/24", az = "us-west-2b", role = "agent_runtime" }
      data            = { cidr = "10.0.4.0/24", az = "us-west-2a" }
    }
  }

  assert {
    condition     = length(output.role_subnet_ids["agent_runtime"]) == 2 && length(output.role_subnet_ids["data"]) == 1
    error_message = "Each role gets the list of its subnets."
  }
  assert {
    condition     = length(output.endpoint_subnet_ids) == 2
    error_message = "The endpoints take one subnet per AZ: two AZs, two subnets."
  }
  assert {
    condition     = aws_subnet.private["agent_runtime_b"].tags.Role == "agent_runtime"
    error_message = "Each subnet says what runs in it."
  }
}

run "runtime_subnet_in_a_zone_agentcore_does_not_support" {
  command = plan

  # us-west-2c is usw2-az4 in this account: AgentCore Runtime does not run there.
  override_data {
    target = data.aws_availability_zone.runtime["mcp_runtime"]
    values = { zone_id = "usw2-az4" }
  }
  expect_failures = [data.aws_availability_zone.runtime]
}

run "az_of_another_region" {
  command = plan
  variables {
    subnets = { data = { cidr = "10.0.4.0/24", az = "us-east-1a" } }
  }
  expect_failures = [var.subnets]
}

run "subnet_role_not_an_identifier" {
  command = plan
  variables {
    subnets = { Data = { cidr = "10.0.4.0/24", az = "us-west-2b" } }
  }
  expect_failures = [var.subnets]
}

run "no_subnets" {
  command = plan
  variables { subnets = {} }
  expect_failures = [var.subnets]
}

run "malformed_region" {
  command = plan
  variables {
    region  = "us-west2"
    subnets = { data = { cidr = "10.0.4.0/24", az = "us-west2b" } }
  }
  expect_failures = [var.region]
}

run "china_region" {
  command = plan
  variables {
    region  = "cn-north-1"
    subnets = { data = { cidr = "10.0.4.0/24", az = "cn-north-1a" } }
  }
  expect_failures = [var.region]
}

run "retention_cloudwatch_rejects" {
  command = plan
  variables { flow_log_retention_days = 42 }
  expect_failures = [var.flow_log_retention_days]
}

run "traffic_type" {
  command = plan
  variables { flow_log_traffic_type = "SOME" }
  expect_failures = [var.flow_log_traffic_type]
}

run "aggregation_interval" {
  command = plan
  variables { flow_log_max_aggregation_interval = 300 }
  expect_failures = [var.flow_log_max_aggregation_interval]
}

run "kms_window" {
  command = plan
  variables { kms_key_deletion_window_days = 3 }
  expect_failures = [var.kms_key_deletion_window_days]
}

run "bad_name" {
  command = plan
  variables { name = "Agent Core" }
  expect_failures = [var.name]
}

run "placed_by_az_id" {
  command = plan
  variables {
    subnets = {
      agent_runtime = { cidr = "10.0.3.0/24", az_id = "usw2-az1" }
      mcp_runtime   = { cidr = "10.0.1.0/24", az_id = "usw2-az3" }
    }
  }

  assert {
    condition     = aws_subnet.private["agent_runtime"].availability_zone_id == "usw2-az1" && aws_subnet.private["agent_runtime"].tags.Name == "agentcore-test-agent-runtime-usw2-az1"
    error_message = "A subnet placed by AZ ID is the same zone in every account."
  }
}

run "az_letter_that_does_not_exist" {
  command = plan
  variables {
    subnets = { agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2z" } }
  }
  expect_failures = [var.subnets]
}

run "runtime_in_an_az_id_agentcore_does_not_support" {
  command = plan
  variables {
    subnets         = { agent_runtime = { cidr = "10.0.3.0/24", az_id = "usw2-az4" } }
    runtime_subnets = ["agent_runtime"]
  }
  expect_failures = [var.runtime_subnets]
}

run "data_subnet_may_use_any_az_id" {
  command = plan
  variables {
    subnets         = { agent_runtime = { cidr = "10.0.3.0/24", az_id = "usw2-az1" }, data = { cidr = "10.0.4.0/24", az_id = "usw2-az4" } }
    runtime_subnets = ["agent_runtime"]
  }

  # One runtime subnet: AgentCore wants two AZs, a warning.
  expect_failures = [check.runtimes_in_two_azs]
}

run "undocumented_az_ids_warn" {
  command = plan
  variables {
    region  = "eu-west-2"
    subnets = { agent_runtime = { cidr = "10.0.3.0/24", az_id = "euw2-az1" } }
  }
  override_data {
    target = data.aws_region.current
    values = { id = "eu-west-2" }
  }
  expect_failures = [check.agentcore_runtime_az_ids_documented, check.runtimes_in_two_azs]
}

run "the_network_acl_allows_the_vpc_and_the_gateway_services_only" {
  command = plan

  assert {
    condition     = length(aws_default_network_acl.this.subnet_ids) == length(aws_subnet.private)
    error_message = "Every subnet is on the network ACL the module manages."
  }
  assert {
    condition     = alltrue([for entry in concat(tolist(aws_default_network_acl.this.ingress), tolist(aws_default_network_acl.this.egress)) : entry.cidr_block != "0.0.0.0/0" && entry.ipv6_cidr_block == null])
    error_message = "Nothing from or to anywhere (Security Hub EC2.21)."
  }
  assert {
    condition     = length(aws_default_network_acl.this.egress) == 5 && toset([for e in aws_default_network_acl.this.egress : e.rule_no]) == toset([100, 200, 201, 300, 301])
    error_message = "The VPC, then two CIDRs for each of dynamodb (200-) and s3 (300-)."
  }
  assert {
    condition     = alltrue([for e in aws_default_network_acl.this.egress : e.rule_no == 100 || (e.protocol == "tcp" && e.from_port == 443 && e.to_port == 443)])
    error_message = "Only HTTPS goes out to the gateway services."
  }
  assert {
    condition     = alltrue([for e in aws_default_network_acl.this.ingress : e.rule_no == 100 || (e.protocol == "tcp" && e.from_port == 1024 && e.to_port == 65535)])
    error_message = "Only the replies (ephemeral ports) come back from the gateway services."
  }
}

run "without_gateway_services_the_vpc_only" {
  command = plan
  variables { gateway_services = [] }

  assert {
    condition     = length(aws_default_network_acl.this.ingress) == 1 && length(aws_default_network_acl.this.egress) == 1
    error_message = "No gateway service: one entry each way, for the VPC CIDR."
  }
}

run "gateway_service_aws_does_not_offer" {
  command = plan
  variables { gateway_services = ["sqs"] }
  expect_failures = [var.gateway_services]
}

run "a_provider_in_another_region_is_refused" {
  command = plan
  override_data {
    target = data.aws_region.current
    values = { id = "eu-central-1" }
  }
  expect_failures = [aws_vpc.this]
}

run "the_teams_tags_on_every_resource_beside_its_name" {
  command = plan

  variables {
    tags = { Team = "agents", CostCenter = "4711" }
  }

  assert {
    condition = alltrue([for tags in concat(
      [aws_vpc.this.tags, aws_route_table.private.tags, aws_default_security_group.this.tags, aws_default_network_acl.this.tags],
      [for subnet in aws_subnet.private : subnet.tags],
      [aws_flow_log.this.tags, aws_cloudwatch_log_group.flow_logs.tags, aws_kms_key.flow_logs.tags, aws_iam_role.flow_logs.tags],
    ) : tags["Team"] == "agents" && tags["CostCenter"] == "4711"])
    error_message = "Every taggable resource carries the module's tags."
  }
  assert {
    condition     = aws_vpc.this.tags["Name"] == "agentcore-test-vpc" && aws_subnet.private["agent_runtime"].tags["Role"] == "agent_runtime"
    error_message = "Each resource keeps its own Name (and a subnet its Role)."
  }
}

run "a_reserved_tag_key_is_refused" {
  command = plan

  variables {
    tags = { Name = "mine" }
  }

  expect_failures = [var.tags]
}
