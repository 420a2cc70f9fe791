# Development: the network of the AWS sample (help/sources.md#aws-sample), with its defects fixed.
# Read by `python main.py --env dev` and, as -var-file, by the HCL twins.

name   = "agentcore-dev"
region = "us-west-2"

vpc_cidr = "10.0.0.0/16"

# One private subnet per AZ, named by what runs in it (the AWS sample's "Layer 1").
subnets = {
  agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2a" } # agent runtime
  data          = { cidr = "10.0.4.0/24", az = "us-west-2b" } # Aurora, gateway Lambda
  mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2c" } # MCP runtime
}

# flows is not set: the default flows (modules/facts/flows.json), the AWS sample's four and what
# AgentCore runtimes need besides. They go through all 14 endpoints of the sample, 12 interface
# + 2 gateway (the AWS sample's "13" is a miscount); listed here, so that the list is checked.
endpoints = [
  "bedrock_runtime", "bedrock_agentcore", "bedrock_agentcore_gateway",
  "ecr_api", "ecr_dkr",
  "logs", "monitoring", "xray",
  "secretsmanager", "ssm", "kms", "rds_data",
  "s3", "dynamodb",
]

flow_log_retention_days      = 365 # the sample keeps 7 days; CKV_AWS_338 asks for a year
kms_key_deletion_window_days = 7   # dev keys may go quickly
prevent_destroy              = false

tags = {
  Project     = "agentcore-private-network"
  Environment = "dev"
}
