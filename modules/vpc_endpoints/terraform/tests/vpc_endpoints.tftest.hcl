# Offline tests of the vpc_endpoints module: a mock AWS provider, plan only.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  # What AWS offers, as read at plan: every service in every AZ, custom policies accepted,
  # a private DNS name.
  mock_data "aws_vpc_endpoint_service" {
    defaults = {
      availability_zones            = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
      vpc_endpoint_policy_supported = true
      private_dns_name              = "service.eu-central-1.amazonaws.com"
    }
  }
}

variables {
  name               = "agentcore-test"
  region             = "eu-central-1"
  vpc_id             = "vpc-0123456789abcdef0"
  subnet_ids         = ["subnet-0a", "subnet-0b"]
  route_table_ids    = ["rtb-0a"]
  security_group_ids = ["sg-0a"]
}

run "the_endpoints_of_the_default_flows" {
  command = plan

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 12 && length(aws_vpc_endpoint.gateway) == 2
    error_message = "The default flows go through 12 interface and 2 gateway endpoints."
  }
  assert {
    condition     = alltrue([for endpoint in aws_vpc_endpoint.interface : endpoint.private_dns_enabled && length(endpoint.subnet_ids) == 2])
    error_message = "Interface endpoints use private DNS and every subnet."
  }
  assert {
    condition     = aws_vpc_endpoint.interface["ecr_api"].service_name == "com.amazonaws.eu-central-1.ecr.api"
    error_message = "Service names are built from the region."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.gateway["s3"].policy, "arn:aws:s3:::prod-eu-central-1-starport-layer-bucket/*")
    error_message = "The S3 policy lets ECR image layers through."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["bedrock_agentcore_gateway"].policy, "arn:aws:bedrock-agentcore:eu-central-1:123456789012:gateway/*")
    error_message = "AgentCore ARNs carry the account id."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["bedrock_agentcore"].policy, "arn:aws:bedrock-agentcore:eu-central-1:123456789012:code-interpreter-custom/*") && !strcontains(aws_vpc_endpoint.interface["bedrock_agentcore"].policy, ":aws:code-interpreter/")
    error_message = "This account's custom tools get through; the AWS-managed ones (account 'aws') only when their flows are selected."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["xray"].policy, "xray:PutSpans")
    error_message = "ADOT's OTLP spans get through."
  }
  assert {
    condition     = !strcontains(join("", [for endpoint in merge(aws_vpc_endpoint.interface, aws_vpc_endpoint.gateway) : endpoint.policy]), "$${")
    error_message = "Every placeholder is filled in."
  }
}

run "a_subset_of_flows" {
  command = plan
  variables {
    flows        = ["agent_calls_bedrock", "runtime_loads_code_from_s3"]
    code_buckets = ["agent-code"]
  }

  assert {
    condition     = keys(aws_vpc_endpoint.interface) == ["bedrock_runtime"] && keys(aws_vpc_endpoint.gateway) == ["s3"]
    error_message = "Only the endpoints the flows go through."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.gateway["s3"].policy, "arn:aws:s3:::agent-code/*") && !strcontains(aws_vpc_endpoint.gateway["s3"].policy, "starport")
    error_message = "The S3 policy lets exactly the code bucket through."
  }
}

run "a_database_flow_needs_no_endpoint" {
  command = plan
  variables { flows = ["agent_calls_bedrock", "agent_queries_database"] }

  assert {
    condition     = keys(aws_vpc_endpoint.interface) == ["bedrock_runtime"] && length(aws_vpc_endpoint.gateway) == 0
    error_message = "A connection to the data tier stays inside the VPC: no endpoint for it."
  }
}

run "endpoint_a_flow_needs_is_missing" {
  command = plan
  variables { endpoints = ["bedrock_runtime"] }
  expect_failures = [var.endpoints]
}

run "endpoint_no_flow_uses" {
  command = plan
  variables {
    flows     = ["agent_calls_bedrock"]
    endpoints = ["bedrock_runtime", "ec2"]
  }
  expect_failures = [var.endpoints]
}

run "unknown_flow" {
  command = plan
  variables { flows = ["agent_calls_bedrock", "agent_calls_the_internet"] }
  expect_failures = [var.flows]
}

run "code_flow_without_buckets" {
  command = plan
  variables { flows = ["runtime_loads_code_from_s3"] }
  expect_failures = [var.code_buckets]
}

run "govcloud_partition" {
  command = plan
  variables { region = "us-gov-west-1" }

  # AgentCore Memory in GovCloud is unconfirmed: a warning, not a silent pass.
  expect_failures = [check.agentcore_features_confirmed]

  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["kms"].policy, "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/*")
    error_message = "GovCloud ARNs use the aws-us-gov partition."
  }
}

run "unknown_endpoint" {
  command = plan
  variables { endpoints = ["ecr_api", "ecr-dkr"] }
  expect_failures = [var.endpoints]
}

run "endpoint_listed_twice" {
  command = plan
  variables { endpoints = ["s3", "s3"] }
  expect_failures = [var.endpoints]
}

run "malformed_region" {
  command = plan
  variables { region = "eu-central" }
  expect_failures = [var.region]
}

run "region_that_does_not_exist" {
  command = plan
  variables { region = "us-west-9" }
  expect_failures = [var.region]
}

run "region_without_agentcore" {
  command = plan
  variables { region = "af-south-1" }
  expect_failures = [var.region]
}

run "memory_where_agentcore_has_none" {
  command = plan
  variables { region = "us-west-1" }
  expect_failures = [var.flows]
}

run "calls_only_the_workloads_sign_are_scoped_by_default" {
  command = plan

  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["bedrock_runtime"].policy, "\"aws:PrincipalAccount\":[\"123456789012\"]")
    error_message = "Statements of calls the workloads sign carry aws:PrincipalAccount (the identity perimeter is on by default)."
  }
  assert {
    condition     = !strcontains(aws_vpc_endpoint.interface["bedrock_agentcore_gateway"].policy, "PrincipalAccount")
    error_message = "OAuth callers of the gateway are never scoped."
  }
  assert {
    condition     = !strcontains(aws_vpc_endpoint.gateway["s3"].policy, "PrincipalAccount")
    error_message = "ECR's image layers come through URLs an ECR account signs: never scoped to ours."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["monitoring"].policy, "\"StringEquals\":{\"aws:PrincipalAccount\":[\"123456789012\"],\"cloudwatch:namespace\":\"bedrock-agentcore\"}")
    error_message = "The scope joins a call's own condition."
  }
}

run "participants_are_inside_both_perimeters" {
  command = plan
  variables { participants = ["444455556666"] }

  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["logs"].policy, "\"aws:PrincipalAccount\":[\"123456789012\",\"444455556666\"],\"aws:ResourceAccount\":[\"123456789012\",\"444455556666\"]")
    error_message = "Participants' credentials and their own resources are inside the perimeter."
  }
  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["logs"].policy, "arn:aws:logs:eu-central-1:*:log-group:")
    error_message = "With participants, ARNs of the workloads' own resources name any account."
  }
}

run "an_organization_perimeter_with_participants" {
  command = plan
  variables {
    principal_scope = "organization"
    organization_id = "o-a1b2c3d4e5"
    participants    = ["444455556666", "arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34"]
  }

  assert {
    condition     = strcontains(aws_vpc_endpoint.interface["logs"].policy, "\"aws:PrincipalOrgID\":[\"o-a1b2c3d4e5\"],\"aws:ResourceOrgID\":[\"o-a1b2c3d4e5\"]")
    error_message = "With the organization scope, the organization's keys hold both perimeters."
  }
  assert {
    condition     = !strcontains(aws_vpc_endpoint.interface["monitoring"].policy, "ResourceOrgID")
    error_message = "An action that names no resource gets no resource perimeter."
  }
}

run "no_identity_perimeter" {
  command = plan
  variables { principal_scope = "any" }

  assert {
    condition     = !strcontains(join("", [for endpoint in aws_vpc_endpoint.interface : endpoint.policy]), "aws:Principal")
    error_message = "principal_scope = any: no identity perimeter."
  }
}

run "an_ou_needs_the_organization_scope" {
  command = plan
  variables { participants = ["arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34"] }
  expect_failures = [var.participants]
}

run "organization_scope_needs_the_organization" {
  command = plan
  variables { principal_scope = "organization" }
  expect_failures = [var.organization_id]
}

run "service_not_offered_in_an_az_of_the_network" {
  command = plan
  variables { subnet_availability_zones = ["eu-central-1a", "eu-central-1c"] }

  override_data {
    target = data.aws_vpc_endpoint_service.this["bedrock_runtime"]
    values = { availability_zones = ["eu-central-1a", "eu-central-1b"], vpc_endpoint_policy_supported = true }
  }
  expect_failures = [aws_vpc_endpoint.interface]
}

run "service_offered_in_every_az_of_the_network" {
  command = plan
  variables { subnet_availability_zones = ["eu-central-1a", "eu-central-1c"] }

  assert {
    condition     = length(aws_vpc_endpoint.interface) == 12
    error_message = "Every service is offered in both AZs: nothing stops the plan."
  }
}

run "service_that_takes_only_full_access" {
  command = plan

  override_data {
    target = data.aws_vpc_endpoint_service.this["s3"]
    values = { availability_zones = [], vpc_endpoint_policy_supported = false }
  }
  expect_failures = [aws_vpc_endpoint.gateway]
}

run "service_without_a_private_dns_name" {
  command = plan

  override_data {
    target = data.aws_vpc_endpoint_service.this["ssm"]
    values = { availability_zones = ["eu-central-1a", "eu-central-1b"], vpc_endpoint_policy_supported = true, private_dns_name = "", private_dns_names = [] }
  }
  expect_failures = [aws_vpc_endpoint.interface]
}

run "the_teams_tags_on_every_endpoint_beside_its_name" {
  command = plan

  variables {
    tags = { Team = "agents" }
  }

  assert {
    condition     = alltrue([for endpoint in merge(aws_vpc_endpoint.interface, aws_vpc_endpoint.gateway) : endpoint.tags["Team"] == "agents" && startswith(endpoint.tags["Name"], "agentcore-test-")])
    error_message = "Every endpoint carries the module's tags and keeps its Name."
  }
}
