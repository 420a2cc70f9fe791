# Production in London: prod.tfvars with this file on top (extends), merged the way Terraform
# merges repeated -var-file: a variable set here replaces prod's whole value, maps included.
#   python main.py plan --env prod-eu-west-2
#   terraform plan -var-file=../../../environments/prod.tfvars -var-file=../../../environments/prod-eu-west-2.tfvars
# Everything not set here (flows, endpoints, retention, the KMS window, destroy protection) is
# prod's. Its own state: .state/<target>/prod-eu-west-2/.
extends = "prod"

region = "eu-west-2"

# The same roles, blocks and two AZs per runtime role, in London's AZs.
subnets = {
  agent_runtime   = { cidr = "10.0.3.0/24", az = "eu-west-2a" }
  agent_runtime_b = { cidr = "10.0.13.0/24", az = "eu-west-2b", role = "agent_runtime" }
  data            = { cidr = "10.0.4.0/24", az = "eu-west-2b" }
  mcp_runtime     = { cidr = "10.0.1.0/24", az = "eu-west-2c" }
  mcp_runtime_a   = { cidr = "10.0.11.0/24", az = "eu-west-2a", role = "mcp_runtime" }
}

# A map replaces prod's tags entirely: restate the ones to keep.
tags = {
  Project     = "agentcore-private-network"
  Environment = "prod"
  Region      = "eu-west-2"
}
