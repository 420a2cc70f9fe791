"""Network: VPC, private subnets, route table, default SG lockdown, network ACL and flow logs.
The configuration and the construct, each loaded when first used (the construct loads cdktf)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "Network": "modules.network.construct",
        "FlowLogs": "modules.network.flow_logs",
        "FlowLogsConfig": "modules.network.config",
        "NetworkConfig": "modules.network.config",
        "SubnetConfig": "modules.network.config",
    },
)
