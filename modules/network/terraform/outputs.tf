output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "subnet_ids" {
  description = "Private subnet ID by name."
  value       = { for role, subnet in aws_subnet.private : role => subnet.id }
}

output "subnet_arns" {
  description = "Private subnet ARN by name (what AWS RAM shares)."
  value       = { for name, subnet in aws_subnet.private : name => subnet.arn }
}

output "route_table_id" {
  description = "ID of the private route table."
  value       = aws_route_table.private.id
}

output "network_acl_id" {
  description = "ID of the network ACL of every subnet (the VPC's default one, adopted: VPC CIDR and gateway services only)."
  value       = aws_default_network_acl.this.id
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

output "role_subnet_ids" {
  description = "The private subnet IDs of each role (agent_runtime, ...): give a runtime its role's list."
  value = {
    for role in distinct([for name in sort(keys(var.subnets)) : coalesce(var.subnets[name].role, name)]) :
    # contains(): a subnet deleted outside Terraform leaves a refresh (drift) able to evaluate this.
    role => [for name in sort(keys(var.subnets)) : aws_subnet.private[name].id if coalesce(var.subnets[name].role, name) == role && contains(keys(aws_subnet.private), name)]
  }
}

output "endpoint_subnet_ids" {
  description = "One subnet per AZ for the interface endpoints: the first by name in each AZ."
  value       = [for name in local.endpoint_subnets : aws_subnet.private[name].id]
}

output "endpoint_subnet_azs" {
  description = "The AZ names of the endpoint subnets: known at plan for subnets placed by name, after apply for those placed by AZ ID."
  value       = [for name in local.endpoint_subnets : var.subnets[name].az != null ? var.subnets[name].az : aws_subnet.private[name].availability_zone]
}

output "gateway_prefix_list_ids" {
  description = "Prefix list ID by gateway service (s3, dynamodb): the AWS-managed lists the network ACL admits, read by name; the security groups' prefix-list rules name them."
  value       = { for service, list in data.aws_ec2_managed_prefix_list.gateway : service => list.id }
}
