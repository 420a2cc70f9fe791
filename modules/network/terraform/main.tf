################################################################################
# Network: a VPC with no way to the internet. Twin of modules/network/construct.py.
################################################################################

locals {
  partition = startswith(var.region, "us-gov-") ? "aws-us-gov" : "aws"

  # One subnet per AZ for the interface endpoints: the first by name in each AZ.
  endpoint_subnets = sort([for zone, names in { for name in sort(keys(var.subnets)) : coalesce(var.subnets[name].az, var.subnets[name].az_id) => name... } : names[0]])
}

data "aws_caller_identity" "current" {}

# The provider's region must be var.region: ARNs, AZs and service names use it.
# Its id is the region's name in aws 5.x and 6.x alike (6.x deprecates its `name`).
data "aws_region" "current" {}

resource "aws_vpc" "this" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # private DNS of interface endpoints needs both

  tags = merge(var.tags, {
    Name = "${var.name}-vpc"
  })

  lifecycle {
    precondition {
      condition     = data.aws_region.current.id == var.region
      error_message = "region: the AWS provider is configured for ${data.aws_region.current.id}, but region is ${var.region}: ARNs, AZs and endpoint service names would name the wrong region. Configure the provider for that region, or set region to the provider's."
    }
  }
}

################################################################################
# Private subnets by name, each with its role; a role may have subnets in several AZs
################################################################################

resource "aws_subnet" "private" {
  for_each = var.subnets

  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value.cidr
  availability_zone       = each.value.az
  availability_zone_id    = each.value.az_id
  map_public_ip_on_launch = false

  # Role: what runs here (flows.json workloads); verify and doctor read it back.
  tags = merge(var.tags, {
    Name = "${var.name}-${replace(each.key, "_", "-")}-${coalesce(each.value.az, each.value.az_id)}"
    Role = coalesce(each.value.role, each.key)
  })

  # AgentCore runtime ENIs can hold a subnet for hours after the runtime is gone.
  timeouts {
    delete = "60m"
  }
}

################################################################################
# Runtime subnets placed by AZ name: their AZ IDs read at plan. AgentCore Runtime runs only in
# some AZ IDs (help/sources.md#agentcore-vpc-az-ids), and in regions older than November 2012
# a name maps to a different zone in each older account (help/sources.md#az-ids).
################################################################################

data "aws_availability_zone" "runtime" {
  for_each = length(local.runtime_az_ids) == 0 ? {} : {
    for name in sort(keys(var.subnets)) : name => var.subnets[name].az
    if var.subnets[name].az != null && (var.runtime_subnets == null || contains(coalesce(var.runtime_subnets, []), name))
  }

  name = each.value

  lifecycle {
    postcondition {
      condition     = contains(local.runtime_az_ids, self.zone_id)
      error_message = "subnets.${each.key}.az: AgentCore Runtime does not run in ${self.zone_id} (VPC mode), the zone ${each.value} is in this account; got '${each.value}'. Place runtime subnets in ${join(", ", local.runtime_az_ids)}: give az_id, or an AZ name that maps to one of them in this account (aws ec2 describe-availability-zones)."
    }
  }
}

################################################################################
# Route table: no routes. `route = []` makes Terraform own the route list, so a
# route added outside Terraform (0.0.0.0/0 to an internet gateway) is drift that
# the next apply removes. Gateway endpoint routes belong to the endpoints.
################################################################################

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  route  = []

  tags = merge(var.tags, {
    Name = "${var.name}-private"
  })
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

################################################################################
# Default security group: adopted with no rules (Security Hub EC2.2, CKV2_AWS_12).
# Empty lists, not omitted blocks, so that a rule added later is drift.
################################################################################

resource "aws_default_security_group" "this" {
  vpc_id  = aws_vpc.this.id
  ingress = []
  egress  = []

  tags = merge(var.tags, {
    Name = "${var.name}-default-do-not-use"
  })
}

################################################################################
# What no source confirms: a warning on every plan, never a silent pass
# (the Python configuration prints the same sentences).
################################################################################

check "agentcore_runtime_az_ids_documented" {
  assert {
    condition     = length(local.undocumented_az_ids) == 0
    error_message = try("subnets.${local.undocumented_az_ids[0]}.az_id: which AZ IDs AgentCore Runtime supports in ${var.region} is not documented (modules/facts/aws_constraints.json); check the AgentCore VPC guide.", "")
  }
}

check "runtimes_in_two_azs" {
  assert {
    condition     = length(local.single_az_runtimes) == 0
    error_message = try(local.single_az_runtimes[0], "")
  }
}

check "region_facts_confirmed" {
  assert {
    condition     = length(local.unconfirmed_region_facts) == 0
    error_message = try("region: ${local.unconfirmed_region_facts[0]} of ${var.region} are unconfirmed (modules/facts/aws_constraints.json).", "")
  }
}
