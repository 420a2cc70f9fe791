"""The Network construct: VPC, private subnets, route table, default SG lockdown, flow logs."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

from constructs import Construct

from modules.facts.aws_constraints import constraints
from modules.kernel.aws import (
    DataAwsAvailabilityZone,
    DataAwsCallerIdentity,
    DataAwsEc2ManagedPrefixList,
    DataAwsRegion,
    DefaultNetworkAcl,
    DefaultNetworkAclEgress,
    DefaultNetworkAclIngress,
    DefaultSecurityGroup,
    RouteTable,
    RouteTableAssociation,
    Subnet,
    SubnetTimeouts,
    Vpc,
)
from modules.kernel.core import TerraformIterator, TerraformResourceLifecycle
from modules.kernel.module import (
    Module,
    address,
    dashed,
    each,
    for_each_map,
    instance_attribute,
    null,
    protected,
    reference,
)
from modules.kernel.tags import with_name
from modules.kernel.timeouts import LONG_DELETE_TIMEOUT
from modules.network.config import NetworkConfig
from modules.network.flow_logs import FlowLogs
from modules.network.nacl import (
    EPHEMERAL_PORTS,
    GATEWAY_RULE_BASE,
    GATEWAY_RULE_STRIDE,
    HTTPS,
    MAX_RULES_PER_DIRECTION,
    VPC_RULE_NUMBER,
    prefix_list_name,
)


class Network(Module):
    """A private VPC with no way to the internet.

    Creates aws_vpc.<id>_this (DNS support and hostnames on), aws_subnet.<id>_private (one per
    role, for_each, no public IPs), aws_route_table.<id>_private (no routes, managed
    exclusively), aws_route_table_association.<id>_private, aws_default_security_group.<id>_this
    (adopted, every rule removed), aws_default_network_acl.<id>_this (adopted for every subnet:
    the VPC CIDR, and HTTPS to the CIDRs of each gateway service's prefix list, read by
    data.aws_ec2_managed_prefix_list.<id>_gateway; :mod:`modules.network.nacl`) and its
    :class:`~modules.network.flow_logs.FlowLogs` (``self.flow_logs``, addressed as this module's).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: NetworkConfig,
        gateway_services: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        lifecycle = protected(config.prevent_destroy)
        account_id = self.add(DataAwsCallerIdentity, "current").account_id  # one token, reused
        self.vpc = self._vpc(lifecycle)
        self.subnets = self._subnets(lifecycle)
        self._runtime_zones()
        self.route_table = self._route_table()
        # Security Hub EC2.2 / CKV2_AWS_12: the default security group allows nothing.
        # Empty lists (not omitted blocks) make a rule added later show up as drift.
        self.default_security_group = self.add(
            DefaultSecurityGroup,
            "this",
            vpc_id=self.vpc_id,
            ingress=[],
            egress=[],
            tags=with_name(config.tags, f"{config.name}-default-do-not-use"),
        )
        #: The gateway services (s3, dynamodb) whose prefix lists the network ACL admits.
        self.gateway_services = sorted(gateway_services)
        self.network_acl = self._network_acl()
        self._gateway_prefix_lists: DataAwsEc2ManagedPrefixList | None = None
        if self.gateway_services:
            self._gateway_prefix_lists = self._managed_prefix_lists(self.gateway_services)
            self._admit_gateway_services(self.network_acl, self._gateway_prefix_lists)
        # Its own construct, addressed as this module's (the twin's
        # module.network.aws_flow_log.this).
        self.flow_logs = FlowLogs(
            self,
            "flow_logs",
            config=config.flow_logs,
            vpc_id=self.vpc_id,
            account_id=account_id,
            address_prefix=self._logical_prefix,
        )

    def _vpc(self, lifecycle: TerraformResourceLifecycle | None) -> Vpc:
        """The VPC, refusing a provider configured for another region than the config's."""
        config = self.config
        vpc = self.add(
            Vpc,
            "this",
            cidr_block=config.vpc_cidr,
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=with_name(config.tags, f"{config.name}-vpc"),
            lifecycle=lifecycle,
        )
        # The provider's region must be the configured one: ARNs, AZs and service names use it.
        # Its id (the region's name in aws 5.x and 6.x alike; 6.x deprecates `name`).
        provider_region = f"data.{address(self.add(DataAwsRegion, 'current'))}.id"
        vpc.add_override(
            "lifecycle.precondition",
            [
                {
                    "condition": f'${{{provider_region} == "{config.region}"}}',
                    "error_message": "region: the AWS provider is configured for "
                    f"${{{provider_region}}}, but region is {config.region}: ARNs, AZs and "
                    "endpoint service names would name the wrong region. Configure the provider "
                    "for that region, or set region to the provider's.",
                }
            ],
        )
        return vpc

    def _subnets(self, lifecycle: TerraformResourceLifecycle | None) -> Subnet:
        """One private subnet per name (for_each), tagged with the role of what runs there."""
        config = self.config
        # Every instance carries az and az_id, null where unused: one object type, as in the twin.
        subnets = TerraformIterator.from_map(
            {
                name: {
                    "cidr": s.cidr,
                    "az": s.az if s.az is not None else null(),
                    "az_id": s.az_id if s.az_id is not None else null(),
                    "role": config.role_of(name),
                    "name": f"{config.name}-{dashed(name)}-{s.zone}",
                }
                for name, s in config.subnets.items()
            }
        )
        return self.add(
            Subnet,
            "private",
            for_each=subnets,
            vpc_id=self.vpc_id,
            cidr_block=each("cidr"),
            availability_zone=each("az"),
            availability_zone_id=each("az_id"),
            map_public_ip_on_launch=False,
            # Role: what runs here (flows.json workloads); verify and doctor read it back.
            tags=with_name(config.tags, each("name"), Role=each("role")),
            timeouts=SubnetTimeouts(delete=LONG_DELETE_TIMEOUT),
            lifecycle=lifecycle,
        )

    def _runtime_zones(self) -> None:
        """Runtime subnets placed by AZ name: their AZ IDs read at plan, where AgentCore Runtime
        supports only some (help/sources.md#agentcore-vpc-az-ids). In regions older than
        November 2012 a name maps to a different zone in each older account
        (help/sources.md#az-ids), so only the plan, in the target account, can tell."""
        # Declared in every network, empty where nothing is to be read: as in the twin.
        supported = constraints().regions[self.config.region].runtime_az_ids or ()
        named = self.config.runtime_subnets_by_az_name() if supported else {}
        ids = "[" + ", ".join(f'"{z}"' for z in supported) + "]"
        zones = self.add(
            DataAwsAvailabilityZone,
            "runtime",
            for_each=TerraformIterator.from_map(named),
            name="${each.value}",
        )
        zones.add_override(
            "lifecycle",
            {
                "postcondition": [
                    {
                        "condition": f"${{contains({ids}, self.zone_id)}}",
                        "error_message": "subnets.${each.key}.az: AgentCore Runtime does not run "
                        "in ${self.zone_id} (VPC mode), the zone ${each.value} is in this "
                        "account; got '${each.value}'. Place runtime subnets in "
                        f"{', '.join(supported)}: give az_id, or an AZ name that maps to one "
                        "of them in this account (aws ec2 describe-availability-zones).",
                    }
                ]
            },
        )

    def _route_table(self) -> RouteTable:
        """The subnets' one route table: no routes of its own, associated with every subnet."""
        # route = [] makes Terraform own the route list: a route added outside Terraform
        # (0.0.0.0/0 to an internet gateway, say) is drift that the next apply removes.
        # Gateway endpoint routes are managed by the endpoints and ignored here by the provider.
        route_table = self.add(
            RouteTable,
            "private",
            vpc_id=self.vpc_id,
            route=[],
            tags=with_name(self.config.tags, f"{self.config.name}-private"),
        )
        self.add(
            RouteTableAssociation,
            "private",
            for_each=TerraformIterator.from_resources(self.subnets),
            subnet_id=each("id"),
            route_table_id=reference(route_table, "id"),
        )
        return route_table

    def _network_acl(self) -> DefaultNetworkAcl:
        """The VPC's default network ACL, adopted for every subnet (modules/network/nacl.py)."""
        vpc_cidr = reference(self.vpc, "cidr_block")
        everything = {
            "protocol": "-1",
            "from_port": 0,
            "to_port": 0,
            "action": "allow",
            "cidr_block": vpc_cidr,
            "rule_no": VPC_RULE_NUMBER,
        }  # all protocols: the security groups decide inside the VPC
        acl = self.add(
            DefaultNetworkAcl,
            "this",
            default_network_acl_id=reference(self.vpc, "default_network_acl_id"),
            # Explicit: a subnet left out would show as drift, on real AWS too (toolchain notes).
            subnet_ids=list(self.subnet_ids.values()),
            ingress=[DefaultNetworkAclIngress(**everything)],
            egress=[DefaultNetworkAclEgress(**everything)],
            tags=with_name(self.config.tags, f"{self.config.name}-private"),
        )
        return acl

    def _managed_prefix_lists(self, services: list[str]) -> DataAwsEc2ManagedPrefixList:
        """The AWS-managed prefix lists of the gateway services, read by name at plan."""
        return self.add(
            DataAwsEc2ManagedPrefixList,
            "gateway",
            for_each=TerraformIterator.from_list(services),
            name=prefix_list_name(self.config.region, "${each.value}"),
        )

    def _admit_gateway_services(
        self, acl: DefaultNetworkAcl, prefix_lists: DataAwsEc2ManagedPrefixList
    ) -> None:
        """Let the ACL pass HTTPS to the CIDRs of each gateway service's list, and the replies."""
        services = self.gateway_services
        cidrs = {s: f'sort(data.{address(prefix_lists)}["{s}"].entries[*].cidr)' for s in services}
        # Stateless: HTTPS out to each CIDR of the prefix list, the replies back in; one dynamic
        # block per service and direction, rule numbers 200 + 100 x (service index) + (CIDR index).
        dynamic: dict[str, list[dict[str, object]]] = {"ingress": [], "egress": []}
        for index, service in enumerate(services):
            base = GATEWAY_RULE_BASE + GATEWAY_RULE_STRIDE * index
            for direction, (low, high) in (
                ("ingress", EPHEMERAL_PORTS),
                ("egress", (HTTPS, HTTPS)),
            ):
                dynamic[direction].append(
                    {
                        "for_each": f"${{{cidrs[service]}}}",
                        "content": {
                            "rule_no": f"${{{base} + {direction}.key}}",
                            "action": "allow",
                            "protocol": "tcp",
                            "from_port": low,
                            "to_port": high,
                            "cidr_block": f"${{{direction}.value}}",
                        },
                    }
                )
        acl.add_override("dynamic", dynamic)
        counted = " + ".join(f"length({cidrs[s]})" for s in services)
        sizes = "{ " + ", ".join(f'"{s}" = length({cidrs[s]})' for s in services) + " }"
        empty = f'try([for service, size in {sizes} : service if size == 0][0], "")'
        acl.add_override(
            "lifecycle",
            {
                "precondition": [
                    {
                        "condition": f"${{alltrue([for service, size in {sizes} : size > 0])}}",
                        "error_message": "The prefix list "
                        f"com.amazonaws.{self.config.region}.${{{empty}}} has no CIDRs: the "
                        "network ACL could not let the subnets reach it through its gateway "
                        "endpoint.",
                    },
                    {
                        "condition": f"${{1 + {counted} <= {MAX_RULES_PER_DIRECTION}}}",
                        "error_message": f"The network ACL needs 1 + ${{{counted}}} rules per "
                        "direction (the VPC CIDR and the "
                        f"CIDRs of the prefix lists of {', '.join(services)}); AWS allows "
                        f"{MAX_RULES_PER_DIRECTION} by default. Ask AWS to raise 'Rules per "
                        "network ACL'.",
                    },
                ]
            },
        )

    @property
    def vpc_id(self) -> str:
        """ID of the VPC."""
        return reference(self.vpc, "id")

    @property
    def vpc_cidr_block(self) -> str:
        """IPv4 CIDR block of the VPC (the peer of rules that admit the VPC)."""
        return reference(self.vpc, "cidr_block")

    @property
    def route_table_id(self) -> str:
        """ID of the private route table (the gateway endpoints' routes go here)."""
        return reference(self.route_table, "id")

    @property
    def network_acl_id(self) -> str:
        """ID of the network ACL of every subnet (the VPC's default one, adopted)."""
        return reference(self.network_acl, "id")

    @property
    def default_security_group_id(self) -> str:
        """ID of the VPC's default security group (no rules; attach nothing to it)."""
        return reference(self.default_security_group, "id")

    @functools.cached_property
    def gateway_prefix_list_ids(self) -> dict[str, str]:
        """Prefix list id by gateway service (``s3``, ``dynamodb``): the AWS-managed lists the
        network ACL admits, read by name; the gateway endpoints route to these same lists. The
        peers of the security groups' prefix-list rules, known before any endpoint exists."""
        if self._gateway_prefix_lists is None:
            return {}
        lists = f"data.{address(self._gateway_prefix_lists)}"
        return {service: f'${{{lists}["{service}"].id}}' for service in self.gateway_services}

    @functools.cached_property
    def subnet_ids(self) -> dict[str, str]:
        """Subnet id by name, in name order (as Terraform orders map keys)."""
        return {
            name: instance_attribute(self.subnets, name, "id")
            for name in sorted(self.config.subnets)
        }

    @functools.cached_property
    def subnet_arns(self) -> dict[str, str]:
        """Subnet ARN by name (what AWS RAM shares), in name order."""
        return {
            name: instance_attribute(self.subnets, name, "arn")
            for name in sorted(self.config.subnets)
        }

    @functools.cached_property
    def role_subnet_ids(self) -> dict[str, list[str]]:
        """The subnet ids of each role (a role may have subnets in several AZs)."""
        return {
            role: [self.subnet_ids[name] for name in names]
            for role, names in self.config.subnets_by_role().items()
        }

    # For outputs: maps over every instance as for-expressions, not literal maps of instance
    # references, so that a refresh (drift) still evaluates them when a subnet was deleted
    # outside Terraform (as the endpoints' endpoint_ids).
    @functools.cached_property
    def subnet_id_map(self) -> str:
        """Map expression: subnet id by name."""
        return for_each_map(self.subnets, "val.id")

    @functools.cached_property
    def role_subnet_id_map(self) -> str:
        """Map expression: the subnet ids of each role, leaving out a subnet no longer in state."""
        subnets = address(self.subnets)
        roles = ", ".join(  # JSON strings and lists are HCL literals too
            f"{json.dumps(role)} = {json.dumps(names)}"
            for role, names in self.config.subnets_by_role().items()
        )
        return (
            f"${{{{ for role, names in {{ {roles} }} : role => "
            f"[for name in names : {subnets}[name].id if contains(keys({subnets}), name)] }}}}"
        )

    @functools.cached_property
    def endpoint_subnet_ids(self) -> list[str]:
        """One subnet per AZ for the interface endpoints: the first by name in each AZ."""
        return [self.subnet_ids[name] for name in self.config.endpoint_subnets()]

    @functools.cached_property
    def endpoint_subnet_azs(self) -> list[str]:
        """The AZ names of those subnets: known at plan for subnets placed by name, after apply
        for those placed by AZ ID (the name an ID has differs between accounts)."""
        subnets = self.config.subnets
        return [
            subnets[name].az or instance_attribute(self.subnets, name, "availability_zone")
            for name in self.config.endpoint_subnets()
        ]
