"""The AWS provider bindings we use, imported without running the package's huge __init__.

``cdktf_cdktf_provider_aws/__init__.py`` imports all 2,139 submodules (~8 s, ~600 MB) although
we use a dozen. Registering the package module without executing its ``__init__`` lets Python
import just the submodules below; they load their own jsii assembly. This relies on package
internals, so the bindings are pinned exactly (requirements.txt) and a test synthesizes every
environment both ways and requires byte-identical output.
Set AGENTCORE_NAIVE_IMPORT=1 to import the normal way.
"""

from __future__ import annotations

import importlib.util
import os
import sys

_PACKAGE = "cdktf_cdktf_provider_aws"

if _PACKAGE not in sys.modules and os.environ.get("AGENTCORE_NAIVE_IMPORT") != "1":
    _spec = importlib.util.find_spec(_PACKAGE)
    if _spec is not None and _spec.loader is not None:
        sys.modules[_PACKAGE] = importlib.util.module_from_spec(_spec)

# The imports must follow the registration above.
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_availability_zone import (  # noqa: E402
    DataAwsAvailabilityZone,
)
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_ec2_managed_prefix_list import (  # noqa: E402
    DataAwsEc2ManagedPrefixList,
)
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_vpc_endpoint_service import (  # noqa: E402
    DataAwsVpcEndpointService,
)
from cdktf_cdktf_provider_aws.default_network_acl import (  # noqa: E402
    DefaultNetworkAcl,
    DefaultNetworkAclEgress,
    DefaultNetworkAclIngress,
)
from cdktf_cdktf_provider_aws.default_security_group import DefaultSecurityGroup  # noqa: E402
from cdktf_cdktf_provider_aws.flow_log import FlowLog  # noqa: E402
from cdktf_cdktf_provider_aws.iam_role import IamRole  # noqa: E402
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy  # noqa: E402
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias  # noqa: E402
from cdktf_cdktf_provider_aws.kms_key import KmsKey  # noqa: E402
from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags  # noqa: E402
from cdktf_cdktf_provider_aws.ram_principal_association import (  # noqa: E402
    RamPrincipalAssociation,
)
from cdktf_cdktf_provider_aws.ram_resource_association import RamResourceAssociation  # noqa: E402
from cdktf_cdktf_provider_aws.ram_resource_share import RamResourceShare  # noqa: E402
from cdktf_cdktf_provider_aws.route_table import RouteTable  # noqa: E402
from cdktf_cdktf_provider_aws.route_table_association import RouteTableAssociation  # noqa: E402
from cdktf_cdktf_provider_aws.security_group import SecurityGroup, SecurityGroupTimeouts  # noqa: E402
from cdktf_cdktf_provider_aws.subnet import Subnet, SubnetTimeouts  # noqa: E402
from cdktf_cdktf_provider_aws.vpc import Vpc  # noqa: E402
from cdktf_cdktf_provider_aws.vpc_endpoint import VpcEndpoint  # noqa: E402
from cdktf_cdktf_provider_aws.vpc_security_group_egress_rule import (  # noqa: E402
    VpcSecurityGroupEgressRule,
)
from cdktf_cdktf_provider_aws.vpc_security_group_ingress_rule import (  # noqa: E402
    VpcSecurityGroupIngressRule,
)

__all__ = [
    "AwsProvider",
    "AwsProviderDefaultTags",
    "CloudwatchLogGroup",
    "DataAwsAvailabilityZone",
    "DataAwsCallerIdentity",
    "DataAwsEc2ManagedPrefixList",
    "DataAwsRegion",
    "DataAwsVpcEndpointService",
    "DefaultNetworkAcl",
    "DefaultNetworkAclEgress",
    "DefaultNetworkAclIngress",
    "DefaultSecurityGroup",
    "FlowLog",
    "IamRole",
    "IamRolePolicy",
    "KmsAlias",
    "KmsKey",
    "RamPrincipalAssociation",
    "RamResourceAssociation",
    "RamResourceShare",
    "RouteTable",
    "RouteTableAssociation",
    "SecurityGroup",
    "SecurityGroupTimeouts",
    "Subnet",
    "SubnetTimeouts",
    "Vpc",
    "VpcEndpoint",
    "VpcSecurityGroupEgressRule",
    "VpcSecurityGroupIngressRule",
]
