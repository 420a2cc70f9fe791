"""Network: VPC, private subnets, route table, default SG lockdown and flow logs."""

from modules.network.config import NetworkConfig, SubnetConfig

__all__ = ["NetworkConfig", "SubnetConfig"]
