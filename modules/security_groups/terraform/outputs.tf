output "security_group_ids" {
  description = "Security group ID by role (vpc_endpoints, agent_runtime, mcp_runtime, gateway_lambda)."
  value       = { for key, group in aws_security_group.this : key => group.id }
}
