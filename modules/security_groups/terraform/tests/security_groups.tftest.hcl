# Offline tests of the security_groups module: a mock AWS provider, plan only.

mock_provider "aws" {}

variables {
  name            = "agentcore-test"
  vpc_id          = "vpc-0123456789abcdef0"
  vpc_cidr_block  = "10.0.0.0/16"
  prefix_list_ids = { dynamodb = "pl-0123456789abcdef0", s3 = "pl-0fedcba9876543210" }
}

run "the_groups_and_exactly_their_rules" {
  command = plan

  assert {
    condition     = toset(keys(aws_security_group.this)) == toset(["vpc_endpoints", "agent_runtime", "mcp_runtime", "gateway_lambda"])
    error_message = "The four groups of the AWS sample."
  }
  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.ingress) == ["vpc_endpoints_https_from_vpc"] && aws_vpc_security_group_ingress_rule.ingress["vpc_endpoints_https_from_vpc"].cidr_ipv4 == "10.0.0.0/16"
    error_message = "The endpoints admit HTTPS from the VPC only."
  }
  assert {
    condition     = length(aws_vpc_security_group_egress_rule.egress) == 7 && alltrue([for rule in aws_vpc_security_group_egress_rule.egress : rule.from_port == 443 && rule.to_port == 443 && rule.ip_protocol == "tcp" && rule.cidr_ipv4 == null])
    error_message = "Seven egress rules for the default flows, HTTPS only, none to a CIDR."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.egress["agent_runtime_to_s3"].prefix_list_id == "pl-0fedcba9876543210" && aws_vpc_security_group_egress_rule.egress["mcp_runtime_to_s3"].prefix_list_id == "pl-0fedcba9876543210"
    error_message = "Both runtimes reach the S3 gateway endpoint: image layers come through the VPC."
  }
  assert {
    condition     = !contains(keys(aws_vpc_security_group_egress_rule.egress), "gateway_lambda_to_s3")
    error_message = "No default flow sends the gateway Lambda to S3."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.egress["mcp_runtime_to_dynamodb"].prefix_list_id == "pl-0123456789abcdef0"
    error_message = "DynamoDB traffic goes to the gateway endpoint's prefix list."
  }
  assert {
    condition     = alltrue([for rule in merge(aws_vpc_security_group_ingress_rule.ingress, aws_vpc_security_group_egress_rule.egress) : rule.description != ""])
    error_message = "Every rule is described."
  }
}

run "egress_follows_the_flows" {
  command = plan
  variables { flows = ["agent_calls_bedrock"] }

  assert {
    condition     = keys(aws_vpc_security_group_egress_rule.egress) == ["agent_runtime_to_vpc_endpoints"]
    error_message = "One flow from the agent: one egress rule."
  }
}

run "dynamodb_prefix_list_missing" {
  command = plan
  variables { prefix_list_ids = { s3 = "pl-0fedcba9876543210" } }
  expect_failures = [var.prefix_list_ids]
}

run "endpoints_admit_only_the_workload_groups" {
  command = plan
  variables { endpoint_ingress = "workloads" }

  assert {
    condition     = toset(keys(aws_vpc_security_group_ingress_rule.ingress)) == toset(["vpc_endpoints_https_from_agent_runtime", "vpc_endpoints_https_from_gateway_lambda", "vpc_endpoints_https_from_mcp_runtime"])
    error_message = "One ingress rule per workload group whose flows reach the endpoints, none from the VPC CIDR."
  }
}

run "the_data_tier_only_when_a_flow_queries_it" {
  command = plan
  variables { flows = ["agent_calls_bedrock", "tools_query_database"] }

  assert {
    condition     = contains(keys(aws_security_group.this), "data_tier")
    error_message = "A flow queries the database: the data tier's group exists."
  }
  assert {
    condition     = toset([for key, rule in aws_vpc_security_group_ingress_rule.ingress : key if rule.from_port == 5432]) == toset(["data_tier_postgres_from_gateway_lambda", "data_tier_postgres_from_mcp_runtime"]) && alltrue([for rule in aws_vpc_security_group_ingress_rule.ingress : rule.to_port == rule.from_port])
    error_message = "The database admits PostgreSQL from the tools that query it, and from no one else."
  }
  assert {
    condition     = toset([for key, rule in aws_vpc_security_group_egress_rule.egress : key if rule.from_port == 5432]) == toset(["gateway_lambda_to_data_tier", "mcp_runtime_to_data_tier"])
    error_message = "Only the tools may send PostgreSQL to the database."
  }
}

run "no_data_tier_by_default" {
  command = plan

  assert {
    condition     = !contains(keys(aws_security_group.this), "data_tier")
    error_message = "No default flow reaches a database: no data tier group."
  }
}

run "the_teams_tags_on_every_group_beside_its_name" {
  command = plan

  variables {
    tags = { Team = "agents" }
  }

  assert {
    condition     = alltrue([for group in aws_security_group.this : group.tags["Team"] == "agents" && startswith(group.tags["Name"], "agentcore-test-")])
    error_message = "Every group carries the module's tags and keeps its Name."
  }
}
