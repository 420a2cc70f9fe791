output "security_group_ids" {
  description = "Security group ID by role (vpc_endpoints, agent_runtime, mcp_runtime, gateway_lambda; data_tier when a selected flow reaches it)."
  value       = { for key, group in aws_security_group.this : key => group.id }
}

output "endpoint_ingress" {
  description = "Where the interface endpoints admit HTTPS from: vpc (its CIDR) or workloads (the groups whose flows reach them)."
  value       = var.endpoint_ingress
}
