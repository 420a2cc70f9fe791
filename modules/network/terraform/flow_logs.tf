################################################################################
# Flow logs: to a KMS-encrypted CloudWatch log group, through a role that may
# write to that log group only. Twin of modules/network/flow_logs.py.
################################################################################

locals {
  log_group_name = "/aws/vpc-flow-logs/${var.name}"
  log_group_arn  = "arn:${local.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
  where = {
    partition  = local.partition
    region     = var.region
    account_id = data.aws_caller_identity.current.account_id
  }

  # The three policies are data, read by the Python construct too (../policies/*.json: why each
  # statement is there); templatefile fills in their placeholders, and their "//" notes stay
  # out of AWS. Three locals, not one map: the write policy names the log group, which needs
  # the key, whose policy must not wait for the log group.
  flow_log_key_policy = {
    for field, value in jsondecode(templatefile("${path.module}/../policies/flow_log_key.json", merge(local.where, { log_group_arn = local.log_group_arn }))) : field => value if field != "//"
  }
  flow_log_trust_policy = {
    for field, value in jsondecode(templatefile("${path.module}/../policies/flow_log_trust.json", local.where)) : field => value if field != "//"
  }
  flow_log_write_policy = {
    for field, value in jsondecode(templatefile("${path.module}/../policies/flow_log_write.json", { log_group_arn = aws_cloudwatch_log_group.flow_logs.arn })) : field => value if field != "//"
  }
}

resource "aws_kms_key" "flow_logs" {
  description             = "Encrypts the VPC flow logs of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_days

  policy = jsonencode(local.flow_log_key_policy)

  tags = merge(var.tags, {
    Name = "${var.name}-flow-logs"
  })
}

resource "aws_kms_alias" "flow_logs" {
  name          = "alias/${var.name}-flow-logs"
  target_key_id = aws_kms_key.flow_logs.key_id
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = local.log_group_name
  retention_in_days = var.flow_log_retention_days
  kms_key_id        = aws_kms_key.flow_logs.arn

  tags = merge(var.tags, {
    Name = "${var.name}-flow-logs"
  })
}

# IAM names are global to the account: the region keeps the same environment name in two
# regions apart. The role and its policy are replaced create-before-destroy; the flow log
# cannot be: AWS refuses a second flow log with the same configuration and destination
# (FlowLogAlreadyExists), so a replaced flow log goes before its successor comes.
resource "aws_iam_role" "flow_logs" {
  name        = "${var.name}-flow-logs-${var.region}"
  description = "Lets VPC Flow Logs write to ${local.log_group_name} only"

  assume_role_policy = jsonencode(local.flow_log_trust_policy)

  tags = merge(var.tags, {
    Name = "${var.name}-flow-logs"
  })

  lifecycle {
    create_before_destroy = true
  }
}

# A separate policy resource, not inline_policy: inline_policy shows cosmetic refresh drift.
resource "aws_iam_role_policy" "flow_logs" {
  name = "write-flow-logs"
  role = aws_iam_role.flow_logs.id

  policy = jsonencode(local.flow_log_write_policy)

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_flow_log" "this" {
  vpc_id                   = aws_vpc.this.id
  traffic_type             = var.flow_log_traffic_type
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = var.flow_log_max_aggregation_interval

  tags = merge(var.tags, {
    Name = "${var.name}-flow-log"
  })

  # The role must be able to write before the first delivery attempt.
  depends_on = [aws_iam_role_policy.flow_logs]
}
