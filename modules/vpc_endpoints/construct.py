"""The VpcEndpoints construct: interface and gateway endpoints from the catalog."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from constructs import Construct

from modules.facts.aws_constraints import partition_of
from modules.facts.catalog import EndpointService, EndpointType
from modules.kernel.aws import (
    DataAwsCallerIdentity,
    DataAwsVpcEndpointService,
    VpcEndpoint,
)
from modules.kernel.core import TerraformIterator, Token
from modules.kernel.errors import ConfigError
from modules.kernel.module import (
    Module,
    address,
    dashed,
    each,
    for_each_map,
    instance_attribute,
)
from modules.kernel.policy import render
from modules.kernel.tags import with_name
from modules.vpc_endpoints.config import VpcEndpointsConfig


class VpcEndpoints(Module):
    """The selected catalog services, reached privately.

    Creates aws_vpc_endpoint.<id>_interface (for_each: private DNS on, one subnet per AZ, the
    endpoint security group) and aws_vpc_endpoint.<id>_gateway (for_each: on the given route
    tables). ``policies`` gives each selected endpoint its policy (None: AWS's full access), its
    placeholders (``${partition}``, ``${region}``, ``${account_id}``) filled here as the HCL twin
    fills them: ``endpoint_policies(config)`` (modules.flows.policies) allows exactly the calls of
    the selected flows through each, and is what the stack passes.
    Service names are built as ``com.amazonaws.<region>.<service>``; data.aws_vpc_endpoint_service
    .<id>_this reads what AWS offers at plan, and preconditions stop the plan where AWS would
    refuse an endpoint: its service not offered in an AZ of ``subnet_availability_zones``, or
    taking only the
    full-access policy.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: VpcEndpointsConfig,
        policies: Mapping[str, str | None],
        vpc_id: str,
        subnet_ids: Sequence[str],
        subnet_availability_zones: Sequence[str] | None = None,
        route_table_ids: Sequence[str],
        security_group_ids: Sequence[str],
    ) -> None:
        super().__init__(scope, construct_id)
        _check_policies(config, policies)
        account_id = self.add(DataAwsCallerIdentity, "current").account_id  # one token, reused
        filled = _filled(policies, config.region, account_id)
        interfaces, gateways = (
            _instances(config, kind, filled) for kind in ("Interface", "Gateway")
        )
        self._remember(config)
        self.interface_keys = tuple(interfaces)
        self.gateway_keys = tuple(gateways)

        offer = f"data.{address(self._offers(config))}[each.key]"
        only_full_access = _only_full_access(offer, config.region)
        interface = TerraformIterator.from_map(interfaces)
        self.interface = self.add(
            VpcEndpoint,
            "interface",
            for_each=interface,
            vpc_id=vpc_id,
            service_name=each("service_name"),
            vpc_endpoint_type="Interface",
            private_dns_enabled=interface.get_boolean("private_dns"),
            subnet_ids=list(subnet_ids),
            security_group_ids=list(security_group_ids),
            policy=each("policy"),
            tags=with_name(config.tags, each("name")),
        )
        in_every_az = _in_every_az(offer, subnet_availability_zones or ())
        private_dns = _private_dns_offered(offer, config.region)
        self.interface.add_override(
            "lifecycle", {"precondition": [in_every_az, only_full_access, private_dns]}
        )
        self.gateway = self.add(
            VpcEndpoint,
            "gateway",
            for_each=TerraformIterator.from_map(gateways),
            vpc_id=vpc_id,
            service_name=each("service_name"),
            vpc_endpoint_type="Gateway",
            route_table_ids=list(route_table_ids),
            policy=each("policy"),
            tags=with_name(config.tags, each("name")),
        )
        self.gateway.add_override("lifecycle", {"precondition": [only_full_access]})

    def _remember(self, config: VpcEndpointsConfig) -> None:
        """What the stack's outputs say of the endpoints: the flows their policies let through
        (sorted, as Terraform sorts), the code buckets, and the perimeter."""
        self.flows = sorted(config.selected_flows)
        self.code_buckets = list(config.code_buckets)
        self.organization_id = config.organization_id or ""
        self.principal_scope = config.principal_scope
        self.participants = list(config.participants)

    def _offers(self, config: VpcEndpointsConfig) -> DataAwsVpcEndpointService:
        """What AWS offers of each selected service, read at plan (its AZs, its policies)."""
        return self.add(
            DataAwsVpcEndpointService,
            "this",
            for_each=TerraformIterator.from_map(
                {
                    key: {"service_name": entry.service_name(config.region), "type": entry.type}
                    for key, entry in config.facts.catalog.endpoints.items()
                    if key in config.selected
                }
            ),
            service_name=each("service_name"),
            service_type=each("type"),
        )

    @functools.cached_property
    def prefix_list_ids(self) -> dict[str, str]:
        """Prefix list id by gateway endpoint key (``dynamodb``, ``s3``): for SG egress rules."""
        return {k: instance_attribute(self.gateway, k, "prefix_list_id") for k in self.gateway_keys}

    # Maps of every instance as for-expressions, not literal maps of instance references: an
    # endpoint deleted outside Terraform leaves the refresh (drift) able to evaluate them.
    @functools.cached_property
    def endpoint_ids(self) -> str:
        """Map expression: endpoint id by catalog key, interface and gateway."""
        interface, gateway = (
            for_each_map(r, "val.id")[2:-1] for r in (self.interface, self.gateway)
        )
        return f"${{merge({interface}, {gateway})}}"

    @functools.cached_property
    def dns_names(self) -> str:
        """Map expression: the regional DNS name of each interface endpoint."""
        return for_each_map(self.interface, "val.dns_entry[0].dns_name")

    @functools.cached_property
    def prefix_list_id_map(self) -> str:
        """Map expression: prefix list id by gateway endpoint key."""
        return for_each_map(self.gateway, "val.prefix_list_id")


def _only_full_access(offer: str, region: str) -> dict[str, str]:
    """The precondition that stops a narrowed policy on a service that takes only full access."""
    return {
        "condition": f"${{each.value.policy == null || {offer}.vpc_endpoint_policy_supported}}",
        "error_message": "endpoints: ${each.key}: ${each.value.service_name} only supports "
        f"the full-access endpoint policy in {region}, and this network narrows every "
        "endpoint to its flows. Drop the flows that go through ${each.key}, or accept full "
        "access (custom_policy = false for the service in "
        "modules/facts/catalog.json).",
    }


def _private_dns_offered(offer: str, region: str) -> dict[str, str]:
    """The precondition that stops private DNS on an endpoint whose service offers no private
    DNS name (help/sources.md#endpoint-service-private-dns): AWS refuses it at apply."""
    named = (
        f"try(length({offer}.private_dns_name), 0) > 0 || "
        f"try(length({offer}.private_dns_names), 0) > 0"
    )
    return {
        "condition": f"${{!each.value.private_dns || {named}}}",
        "error_message": "endpoints: ${each.key}: ${each.value.service_name} offers no private "
        f"DNS name in {region}, and the endpoint turns private DNS on (the workloads resolve "
        "the service's public name): AWS refuses that. Drop the flows that go through "
        "${each.key}, or take it out of private DNS (private_dns = false in "
        "modules/facts/catalog.json) and point its clients at the endpoint's DNS name.",
    }


def _in_every_az(offer: str, zones: Sequence[str]) -> dict[str, str]:
    """The precondition that stops an interface endpoint in an AZ its service is not offered in
    (``zones``: names, or Terraform expressions of them)."""
    azs = "[" + ", ".join(f'"{z}"' if "${" not in z else z[2:-1] for z in zones) + "]"
    missing = f"setsubtract({azs}, {offer}.availability_zones)"
    return {
        "condition": f"${{length({missing}) == 0}}",
        "error_message": "endpoints: ${each.key}: AWS does not offer "
        f'${{each.value.service_name}} in ${{join(", ", sort({missing}))}} '
        f'(only in ${{join(", ", sort({offer}.availability_zones))}}), '
        "and the endpoint takes a subnet in every AZ of the network. Move those subnets to "
        "AZs it is offered in, or drop the flows that go through ${each.key}.",
    }


def _check_policies(config: VpcEndpointsConfig, policies: Mapping[str, str | None]) -> None:
    """A policy for each selected endpoint and no other; none only where the service takes only
    AWS's full access (catalog.json, custom_policy)."""
    missing = [key for key in config.selected if key not in policies]
    extra = sorted(set(policies) - set(config.selected))
    if missing or extra:
        raise ConfigError(
            "policies",
            f"not one policy per selected endpoint (missing: {', '.join(missing) or 'none'}; "
            f"not selected: {', '.join(extra) or 'none'})",
            sorted(policies),
            "Pass policies=endpoint_policies(config) (modules.flows.policies), or one policy "
            f"for each of {', '.join(config.selected)}.",
        )
    unnarrowed = [
        key
        for key in config.selected
        if policies[key] is None and config.facts.catalog.endpoints[key].custom_policy
    ]
    if unnarrowed:
        raise ConfigError(
            "policies",
            f"no policy for {', '.join(unnarrowed)}: the endpoint would let every call through",
            sorted(policies),
            "Give each endpoint the policy of its flows (endpoint_policies(config)); None is "
            "only for a service that takes AWS's full access alone (catalog.json, custom_policy).",
        )


def _instances(
    config: VpcEndpointsConfig, endpoint_type: EndpointType, policies: Mapping[str, str | None]
) -> dict[str, dict[str, object]]:
    """The for_each instances of the selected endpoints of one type, by key."""
    return {
        key: _instance(entry, config, policies[key])
        for key, entry in config.facts.catalog.of_type(endpoint_type, config.selected).items()
    }


def _filled(
    policies: Mapping[str, str | None], region: str, account_id: str
) -> dict[str, str | None]:
    """The policies with their placeholders filled, as the HCL twin fills them."""
    partition = partition_of(region)
    return {
        key: None
        if policy is None
        else render(policy, partition=partition, region=region, account_id=account_id)
        for key, policy in policies.items()
    }


def _instance(
    entry: EndpointService, config: VpcEndpointsConfig, policy: str | None
) -> dict[str, object]:
    instance: dict[str, object] = {
        "service_name": entry.service_name(config.region),
        "policy": Token.null_value() if policy is None else policy,  # a None would drop the key
        "name": f"{config.name}-{dashed(entry.key)}",
    }
    if entry.type == "Interface":
        instance["private_dns"] = entry.private_dns
    return instance
