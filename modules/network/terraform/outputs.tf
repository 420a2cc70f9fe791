output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "subnet_ids" {
  description = "Private subnet ID by role."
  value       = { for role, subnet in aws_subnet.private : role => subnet.id }
}

output "route_table_id" {
  description = "ID of the private route table."
  value       = aws_route_table.private.id
}

output "default_security_group_id" {
  description = "ID of the VPC's default security group (no rules; attach nothing to it)."
  value       = aws_default_security_group.this.id
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = aws_flow_log.this.id
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_log_kms_key_arn" {
  description = "ARN of the KMS key encrypting the flow logs."
  value       = aws_kms_key.flow_logs.arn
}
