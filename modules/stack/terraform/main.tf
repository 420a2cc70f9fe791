################################################################################
# The whole private network, from the three modules: the HCL twin of
# modules/stack/construct.py (NetworkStack), wired the same way.
################################################################################

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

module "network" {
  source = "../../network/terraform"

  name                              = var.name
  region                            = var.region
  vpc_cidr                          = var.vpc_cidr
  subnets                           = var.subnets
  runtime_subnets                   = length(local.runtime_subnets) > 0 ? local.runtime_subnets : null
  flow_log_retention_days           = var.flow_log_retention_days
  flow_log_traffic_type             = var.flow_log_traffic_type
  flow_log_max_aggregation_interval = var.flow_log_max_aggregation_interval
  kms_key_deletion_window_days      = var.kms_key_deletion_window_days
  prevent_destroy                   = var.prevent_destroy
  gateway_services                  = module.vpc_endpoints.gateway_services
}

# The endpoints need the endpoint security group, and two rules of the security groups
# need the DynamoDB endpoint's prefix list: the modules refer to each other, their
# resources do not form a cycle.
module "security_groups" {
  source = "../../security_groups/terraform"

  name             = var.name
  flows            = var.flows
  endpoint_ingress = var.endpoint_ingress
  vpc_id           = module.network.vpc_id
  vpc_cidr_block   = module.network.vpc_cidr_block
  prefix_list_ids  = module.network.gateway_prefix_list_ids
}

module "vpc_endpoints" {
  source = "../../vpc_endpoints/terraform"

  name                      = var.name
  region                    = var.region
  flows                     = var.flows
  code_buckets              = var.code_buckets
  principal_scope           = var.principal_scope
  organization_id           = var.organization_id
  participants              = var.subnet_sharing == null ? [] : var.subnet_sharing.principals
  endpoints                 = var.endpoints
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.endpoint_subnet_ids
  subnet_availability_zones = module.network.endpoint_subnet_azs
  route_table_ids           = [module.network.route_table_id]
  security_group_ids        = [module.security_groups.security_group_ids["vpc_endpoints"]]
}

# Only when the environment shares subnets (count 0 otherwise): addresses gain [0].
module "subnet_sharing" {
  source = "../../subnet_sharing/terraform"
  count  = var.subnet_sharing == null ? 0 : 1

  name                      = var.name
  principals                = var.subnet_sharing.principals
  allow_external_principals = var.subnet_sharing.allow_external_principals
  subnets                   = { for name, role in local.shared_subnets : name => { id = module.network.subnet_ids[name], arn = module.network.subnet_arns[name], role = role } }
}
