output "share_arn" {
  description = "ARN of the AWS RAM share of the subnets."
  value       = aws_ram_resource_share.this.arn
}

output "shared_subnet_ids" {
  description = "The shared private subnet IDs of each shared role: participants place their runtimes in them."
  value = {
    for role in distinct([for name in sort(keys(var.subnets)) : var.subnets[name].role]) :
    role => [for name in sort(keys(var.subnets)) : var.subnets[name].id if var.subnets[name].role == role]
  }
}
