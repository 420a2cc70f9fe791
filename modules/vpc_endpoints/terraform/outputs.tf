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

output "prefix_list_ids" {
  description = "Prefix list ID of each gateway endpoint (s3, dynamodb), for security group rules."
  value       = { for key, endpoint in aws_vpc_endpoint.gateway : key => endpoint.prefix_list_id }
}
