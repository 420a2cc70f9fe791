# The full private network for AgentCore from plain Terraform: the three modules with their
# defaults (every default flow, the 14 endpoints they go through), three private subnets in
# three AZs, as in the AWS sample. The tests init, validate, plan, apply, re-plan and destroy
# it on the emulator.

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

variable "name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "agentcore-example"
}

provider "aws" {
  region = "us-west-2"
  default_tags {
    tags = { Project = var.name }
  }
}

module "network" {
  # Pin a commit in your own code (help/reuse.md): git::https://<host>/<repo>.git//modules/network/terraform?ref=ffb066a6b30741f0712614f6b914da27a66ad431
  source = "../../modules/network/terraform"

  name     = var.name
  region   = "us-west-2"
  vpc_cidr = "10.0.0.0/16"
  subnets = {
    agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2a" }
    data          = { cidr = "10.0.4.0/24", az = "us-west-2b" }
    mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2c" }
  }
  gateway_services = module.vpc_endpoints.gateway_services
}

module "security_groups" {
  source = "../../modules/security_groups/terraform"

  name            = var.name
  vpc_id          = module.network.vpc_id
  vpc_cidr_block  = module.network.vpc_cidr_block
  prefix_list_ids = module.network.gateway_prefix_list_ids
}

module "vpc_endpoints" {
  source = "../../modules/vpc_endpoints/terraform"

  name                      = var.name
  region                    = "us-west-2"
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.endpoint_subnet_ids
  subnet_availability_zones = module.network.endpoint_subnet_azs
  route_table_ids           = [module.network.route_table_id]
  security_group_ids        = [module.security_groups.security_group_ids["vpc_endpoints"]]
}

output "vpc_id" {
  value = module.network.vpc_id
}

output "role_subnet_ids" {
  description = "Where each workload runs: give these to the AgentCore runtimes' network configuration."
  value       = module.network.role_subnet_ids
}

output "security_group_ids" {
  value = module.security_groups.security_group_ids
}

output "endpoint_ids" {
  value = module.vpc_endpoints.endpoint_ids
}
