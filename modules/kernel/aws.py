"""The AWS provider bindings we use, from the engine AGENTCORE_ENGINE selects, imported without
running the package's huge __init__.

``cdktf_cdktf_provider_aws/__init__.py`` imports all 2,139 submodules (~8 s, ~600 MB) although
we use a dozen. Registering the package module without executing its ``__init__`` lets Python
import just the submodules below; they load their own jsii assembly. This relies on package
internals, so the bindings are pinned exactly (requirements.txt) and a test synthesizes every
environment both ways and requires byte-identical output.
Set AGENTCORE_NAIVE_IMPORT=1 to import the normal way.

The imports name the default engine's package. With cdktn selected (modules/kernel/engine.py),
that name is bound to cdktn's bindings (``cdktn_provider_aws``: its files, its jsii assembly,
hashicorp/aws 6.x), which have the same submodules and classes: one list serves both engines,
and the type checker reads it against the default's. cdktn's venv holds nothing of cdktf
(tests/unit/kernel/test_engines.py), so there the name can only be cdktn's.
"""

from __future__ import annotations

import importlib.util
import os
import sys

from modules.kernel.engine import selected_engine

_PACKAGE = "cdktf_cdktf_provider_aws"
_BINDINGS = selected_engine().bindings


def _register() -> None:
    spec = importlib.util.find_spec(_BINDINGS)
    if spec is None or spec.loader is None:
        engine = selected_engine()
        raise ModuleNotFoundError(
            f"{_BINDINGS} is not installed for {sys.executable}: run `make "
            f"{engine.make_target}`, then run main.py with {engine.venv}/bin/python.",
            name=_BINDINGS,
        )
    if os.environ.get("AGENTCORE_NAIVE_IMPORT") != "1":
        sys.modules[_PACKAGE] = importlib.util.module_from_spec(spec)
        return
    importlib.import_module(_BINDINGS)
    for name, module in list(sys.modules.items()):  # the package and every submodule it loaded
        if name == _BINDINGS or name.startswith(f"{_BINDINGS}."):
            sys.modules[_PACKAGE + name[len(_BINDINGS) :]] = module


if _PACKAGE not in sys.modules:
    _register()

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
