"""VPC endpoints: the construct, its configuration and the catalog (modules/facts/catalog.py),
each loaded when first used (the construct loads the engine, which takes seconds)."""

from modules.kernel.exports import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {
        "VpcEndpoints": "modules.vpc_endpoints.construct",
        "Catalog": "modules.facts.catalog",
        "EndpointService": "modules.facts.catalog",
        "VpcEndpointsConfig": "modules.vpc_endpoints.config",
    },
)
