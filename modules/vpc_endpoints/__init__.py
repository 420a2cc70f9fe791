"""VPC endpoints: the catalog, its configuration and the construct, each loaded when first used
(the construct loads cdktf; the configuration reads the flows, which read the catalog)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "VpcEndpoints": "modules.vpc_endpoints.construct",
        "Catalog": "modules.vpc_endpoints.catalog",
        "EndpointService": "modules.vpc_endpoints.catalog",
        "VpcEndpointsConfig": "modules.vpc_endpoints.config",
    },
)
