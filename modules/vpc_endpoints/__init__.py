"""VPC endpoints: the catalog, its configuration and (lazily, it loads cdktf) the construct."""
from modules.vpc_endpoints.catalog import Catalog, EndpointService, catalog
from modules.vpc_endpoints.config import VpcEndpointsConfig

__all__ = ["Catalog", "EndpointService", "VpcEndpointsConfig", "catalog"]
