################################################################################
# Flow logs: to a KMS-encrypted CloudWatch log group, through a role that may
# write to that log group only. Twin of modules/network/flow_logs.py.
################################################################################

locals {
  log_group_name = "/aws/vpc-flow-logs/${var.name}"
  log_group_arn  = "arn:${local.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
}

resource "aws_kms_key" "flow_logs" {
  description             = "Encrypts the VPC flow logs of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_days

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        # Without this statement nobody could manage the key (AWS default key policy).
        Sid       = "AccountAdministersTheKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        # CloudWatch Logs may use the key for this one log group and nothing else.
        Sid       = "CloudWatchLogsForTheFlowLogGroupOnly"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
        Resource  = "*"
        Condition = { ArnEquals = { "kms:EncryptionContext:aws:logs:arn" = local.log_group_arn } }
      },
    ]
  })

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

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "VpcFlowLogsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "vpc-flow-logs.amazonaws.com" }
        Action    = "sts:AssumeRole"
        # Confused-deputy guard: only flow logs of this account may assume it.
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:ec2:${var.region}:${data.aws_caller_identity.current.account_id}:vpc-flow-log/*" }
        }
      },
    ]
  })

  tags = merge(var.tags, {
    Name = "${var.name}-flow-logs"
  })

  lifecycle {
    create_before_destroy = true
  }
}

# A separate policy resource, not inline_policy: inline_policy shows cosmetic refresh drift.
# The actions are those AWS CDK grants its flow-log role; no CreateLogGroup, no "*".
resource "aws_iam_role_policy" "flow_logs" {
  name = "write-flow-logs"
  role = aws_iam_role.flow_logs.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "WriteToTheFlowLogGroupOnly"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
        Resource = [aws_cloudwatch_log_group.flow_logs.arn, "${aws_cloudwatch_log_group.flow_logs.arn}:*"]
      },
    ]
  })

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
