# Production: same network as dev, with what production needs on top: every runtime role in
# two AZs, destroy protection, longer flow-log retention, the full KMS deletion window.

name   = "agentcore-prod"
region = "us-west-2"

vpc_cidr = "10.0.0.0/16"

# Highly available: each runtime role has subnets in two AZs (AgentCore Runtime wants at least
# two private subnets in different AZs). The AWS sample's three subnets keep their names and blocks.
subnets = {
  agent_runtime   = { cidr = "10.0.3.0/24", az = "us-west-2a" }
  agent_runtime_b = { cidr = "10.0.13.0/24", az = "us-west-2b", role = "agent_runtime" }
  data            = { cidr = "10.0.4.0/24", az = "us-west-2b" }
  mcp_runtime     = { cidr = "10.0.1.0/24", az = "us-west-2c" }
  mcp_runtime_a   = { cidr = "10.0.11.0/24", az = "us-west-2a", role = "mcp_runtime" }
}

# flows and endpoints are not set: the default flows and the 14 endpoints they go through (as dev).

# 1096 days (3 years) covers the 12 months hot + 18 months cold of OMB M-21-31 and
# the 1 year of PCI DSS 10.5.1.
flow_log_retention_days      = 1096
kms_key_deletion_window_days = 30

# The VPC, subnets, KMS key and log group refuse `terraform destroy`.
prevent_destroy = true

tags = {
  Project     = "agentcore-private-network"
  Environment = "prod"
}
