# The outputs of the Python stack (modules/stack/construct.py), same names and descriptions.

output "vpc_id" {
  description = "ID of the VPC."
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = module.network.vpc_cidr_block
}

output "subnet_ids" {
  description = "Private subnet ID by name."
  value       = module.network.subnet_ids
}

output "role_subnet_ids" {
  description = "The private subnet IDs of each role (agent_runtime, ...): give a runtime its role's list."
  value       = module.network.role_subnet_ids
}

output "route_table_id" {
  description = "ID of the private route table."
  value       = module.network.route_table_id
}

output "network_acl_id" {
  description = "ID of the network ACL of every subnet (the VPC's default one, adopted: VPC CIDR and gateway services only)."
  value       = module.network.network_acl_id
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group (no rules; attach nothing to it)."
  value       = module.network.default_security_group_id
}

output "security_group_ids" {
  description = "Security group ID by role (vpc_endpoints, agent_runtime, mcp_runtime, gateway_lambda; data_tier when a selected flow reaches it)."
  value       = module.security_groups.security_group_ids
}

output "endpoint_ids" {
  description = "VPC endpoint ID by catalog key."
  value       = module.vpc_endpoints.endpoint_ids
}

output "endpoint_dns_names" {
  description = "Regional DNS name of each interface endpoint, by catalog key."
  value       = module.vpc_endpoints.endpoint_dns_names
}

output "prefix_list_ids" {
  description = "Prefix list ID of each gateway endpoint (s3, dynamodb), for security group rules."
  value       = module.vpc_endpoints.prefix_list_ids
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = module.network.flow_log_id
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the flow logs."
  value       = module.network.flow_log_group_name
}

output "flow_log_kms_key_arn" {
  description = "ARN of the KMS key encrypting the flow logs."
  value       = module.network.flow_log_kms_key_arn
}

output "flows" {
  description = "The flows this network serves (keys of modules/facts/flows.json); verify proves each gets through."
  value       = module.vpc_endpoints.flows
}

output "code_buckets" {
  description = "S3 buckets whose code packages the S3 endpoint lets through (direct code deploys)."
  value       = module.vpc_endpoints.code_buckets
}

output "organization_id" {
  description = "The organization whose principals the endpoint policies admit for calls this account signs ('' for none)."
  value       = module.vpc_endpoints.organization_id
}

output "endpoint_ingress" {
  description = "Where the interface endpoints admit HTTPS from: vpc (its CIDR) or workloads (the groups whose flows reach them)."
  value       = module.security_groups.endpoint_ingress
}

output "subnet_share_arn" {
  description = "ARN of the AWS RAM share of the subnets ('' when the environment shares none)."
  value       = try(module.subnet_sharing[0].share_arn, "")
}

output "shared_subnet_ids" {
  description = "The shared private subnet IDs of each shared role ({} when the environment shares none): participants place their runtimes in them."
  value       = try(module.subnet_sharing[0].shared_subnet_ids, {})
}

output "principal_scope" {
  description = "The identity perimeter of the endpoint policies: account, organization, or any (none)."
  value       = module.vpc_endpoints.principal_scope
}

output "participants" {
  description = "The other accounts (or the organization's OUs) whose workloads the endpoint policies admit, with their own resources: the subnet-sharing principals."
  value       = module.vpc_endpoints.participants
}
