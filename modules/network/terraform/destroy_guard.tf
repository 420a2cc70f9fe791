################################################################################
# Destroy protection driven by a variable.
#
# Terraform does not allow variables in `lifecycle { prevent_destroy }`
# (hashicorp/terraform#22544). The Python construct writes the literal on each
# protected resource; this module gets the same effect with one guard per protected
# object: each guard has a literal prevent_destroy and is replaced whenever its object
# would be, so destroying or replacing the VPC, a subnet, the KMS key or the log group
# is refused. To lift the protection: set prevent_destroy = false and apply (that
# removes the guards), then destroy.
################################################################################

locals {
  protected = var.prevent_destroy ? merge(
    {
      vpc       = aws_vpc.this.id
      kms_key   = aws_kms_key.flow_logs.arn
      log_group = aws_cloudwatch_log_group.flow_logs.arn
    },
    { for role, subnet in aws_subnet.private : "subnet_${role}" => subnet.id },
  ) : {}
}

resource "terraform_data" "destroy_guard" {
  for_each = local.protected

  triggers_replace = each.value

  lifecycle {
    prevent_destroy = true
  }
}
