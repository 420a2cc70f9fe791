"""Subnet sharing: the private subnets of chosen roles shared with other accounts of the
organization through AWS RAM, so that their workloads use this network's endpoints.
The configuration and the construct, each loaded when first used (the construct loads cdktf)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "SubnetSharing": "modules.subnet_sharing.construct",
        "SubnetSharingConfig": "modules.subnet_sharing.config",
    },
)
