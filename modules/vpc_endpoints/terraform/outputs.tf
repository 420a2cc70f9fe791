output "endpoint_ids" {
  description = "VPC endpoint ID by catalog key."
  value = merge(
    { for key, endpoint in aws_vpc_endpoint.interface : key => endpoint.id },
    { for key, endpoint in aws_vpc_endpoint.gateway : key => endpoint.id },
  )
}

output "endpoint_dns_names" {
  description = "Regional DNS name of each interface endpoint, by catalog key."
  value       = { for key, endpoint in aws_vpc_endpoint.interface : key => endpoint.dns_entry[0].dns_name }
}

output "gateway_services" {
  description = "Services of the gateway endpoints (s3, dynamodb), sorted: the network ACL lets the subnets reach them."
  value       = sort([for key, endpoint in local.gateway : endpoint.service])
}

output "prefix_list_ids" {
  description = "Prefix list ID of each gateway endpoint (s3, dynamodb), for security group rules."
  value       = { for key, endpoint in aws_vpc_endpoint.gateway : key => endpoint.prefix_list_id }
}

# Both as tuples (for expressions), like the Python stack's literal lists: Terraform compares
# an output's type too, and would see list(string) -> tuple as a change after a state move.
output "flows" {
  description = "The flows the endpoint policies let through (keys of ../../facts/flows.json), sorted."
  value       = [for key in local.flows : key]
}

output "code_buckets" {
  description = "S3 buckets whose code packages the S3 endpoint lets through (direct code deploys)."
  value       = [for bucket in var.code_buckets : bucket]
}

output "organization_id" {
  description = "The organization whose principals the endpoint policies admit for calls this account signs ('' for none)."
  value       = var.organization_id == null ? "" : var.organization_id
}

output "principal_scope" {
  description = "The identity perimeter of the endpoint policies: account, organization, or any (none)."
  value       = var.principal_scope
}

output "participants" {
  description = "The other accounts (or the organization's OUs) whose workloads the endpoint policies admit, with their own resources: the subnet-sharing principals."
  value       = [for principal in var.participants : principal]
}
