# A root module as a Terraform-native team would write it: our three modules, their own inputs
# (another region and CIDR, two AZs, a few flows and only the endpoints they go through), no
# tfvars of ours. The tests init, validate, plan, apply, re-plan and destroy it on the emulator.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0" # or "~> 6.0": the modules take both majors (help/reuse.md)
    }
  }
  backend "local" {}
}

provider "aws" {
  region = "eu-central-1"
  default_tags {
    tags = { Team = "payments-ml", CostCenter = "4711" }
  }
}

locals {
  name = "payments-agents"
  # What this team's workloads do; the endpoints are exactly those these flows go through.
  flows = ["agent_calls_bedrock", "agent_invokes_mcp_runtime", "container_pulls_from_ecr", "mcp_queries_dynamodb", "runtime_logs"]
}

module "network" {
  # Pin a commit in your own code (help/reuse.md): git::https://<host>/<repo>.git//modules/network/terraform?ref=ffb066a6b30741f0712614f6b914da27a66ad431
  source = "../../modules/network/terraform"

  name     = local.name
  region   = "eu-central-1"
  vpc_cidr = "172.16.0.0/20"
  subnets = {
    agents = { cidr = "172.16.0.0/24", az = "eu-central-1a", role = "agent_runtime" }
    tools  = { cidr = "172.16.1.0/24", az = "eu-central-1b", role = "mcp_runtime" }
  }
  flow_log_retention_days = 731
  # Beside the provider's default_tags: tags on this module's resources only.
  tags = { Component = "network" }
  # The network ACL admits the gateway services' CIDRs: S3 and DynamoDB answers come back.
  gateway_services = module.vpc_endpoints.gateway_services
}

module "security_groups" {
  source = "../../modules/security_groups/terraform"

  name            = local.name
  flows           = local.flows
  vpc_id          = module.network.vpc_id
  vpc_cidr_block  = module.network.vpc_cidr_block
  prefix_list_ids = module.network.gateway_prefix_list_ids
}

module "vpc_endpoints" {
  source = "../../modules/vpc_endpoints/terraform"

  name                      = local.name
  region                    = "eu-central-1"
  flows                     = local.flows
  endpoints                 = ["bedrock_runtime", "bedrock_agentcore", "ecr_api", "ecr_dkr", "logs", "s3", "dynamodb"]
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.endpoint_subnet_ids
  subnet_availability_zones = module.network.endpoint_subnet_azs
  route_table_ids           = [module.network.route_table_id]
  security_group_ids        = [module.security_groups.security_group_ids["vpc_endpoints"]]
}

output "agent_subnet_ids" {
  value = module.network.role_subnet_ids["agent_runtime"]
}

output "agent_security_group_id" {
  value = module.security_groups.security_group_ids["agent_runtime"]
}
