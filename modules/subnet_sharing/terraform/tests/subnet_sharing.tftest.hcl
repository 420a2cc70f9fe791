# Offline tests of the subnet_sharing module: a mock AWS provider, plan only.

mock_provider "aws" {}

variables {
  name       = "agentcore-test"
  principals = ["111122223333", "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-a1b2-f6g7h8i9"]
  subnets = {
    agent_runtime   = { id = "subnet-0123456789abcdef0", arn = "arn:aws:ec2:us-west-2:123456789012:subnet/subnet-0123456789abcdef0", role = "agent_runtime" }
    agent_runtime_b = { id = "subnet-0123456789abcdef1", arn = "arn:aws:ec2:us-west-2:123456789012:subnet/subnet-0123456789abcdef1", role = "agent_runtime" }
  }
}

run "one_share_its_subnets_and_principals" {
  command = plan

  assert {
    condition     = aws_ram_resource_share.this.name == "agentcore-test-subnets" && aws_ram_resource_share.this.allow_external_principals == false
    error_message = "One share named after the network, external principals off by default."
  }
  assert {
    condition     = keys(aws_ram_resource_association.subnet) == ["agent_runtime", "agent_runtime_b"]
    error_message = "One association per shared subnet, by subnet name."
  }
  assert {
    condition     = output.shared_subnet_ids == { agent_runtime = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] }
    error_message = "The shared subnet ids, by role."
  }
  assert {
    condition     = length(aws_ram_principal_association.principal) == 2
    error_message = "One association per principal."
  }
}

run "a_malformed_principal_is_refused" {
  command = plan

  variables {
    principals = ["11112222333"]
  }

  expect_failures = [var.principals]
}

run "no_principal_is_refused" {
  command = plan

  variables {
    principals = []
  }

  expect_failures = [var.principals]
}

run "a_repeated_principal_is_refused" {
  command = plan

  variables {
    principals = ["111122223333", "111122223333"]
  }

  expect_failures = [var.principals]
}

run "the_teams_tags_beside_the_shares_name" {
  command = plan

  variables {
    tags = { Team = "agents" }
  }

  assert {
    condition     = aws_ram_resource_share.this.tags["Team"] == "agents" && aws_ram_resource_share.this.tags["Name"] == "agentcore-test-subnets"
    error_message = "The share carries the module's tags and its own Name."
  }
}
