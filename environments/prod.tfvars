# Production: same network as dev, with what production needs on top:
# destroy protection, longer flow-log retention, the full KMS deletion window.

name   = "agentcore-prod"
region = "us-west-2"

vpc_cidr = "10.0.0.0/16"

subnets = {
  agent_runtime = { cidr = "10.0.3.0/24", az = "us-west-2a" }
  data          = { cidr = "10.0.4.0/24", az = "us-west-2b" }
  mcp_runtime   = { cidr = "10.0.1.0/24", az = "us-west-2c" }
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
