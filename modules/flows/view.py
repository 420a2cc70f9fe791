"""What the flow proof knows of one network: its subnets, rules, endpoints, ACLs and who it
serves, read from a configuration, a plan or the live VPC (no cdktf import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from modules.facts.facts import Facts


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


#: A value only known after apply (a first plan leaves ids and some attributes unknown).
UNKNOWN: Any = _Unknown()


@dataclass
class SubnetView:
    address: str
    cidr: Any
    #: Route table the subnet uses (an address or id); None: the VPC's main route table.
    route_table: Any
    #: What runs in it (its Role tag; its name where it has none).
    role: str = ""
    #: Its AZ name and AZ ID (a configuration gives one of them, None for the other).
    az: Any = UNKNOWN
    az_id: Any = UNKNOWN
    #: Whether instances launched in it get public IPs.
    public_ips: Any = UNKNOWN

    @property
    def zone(self) -> Any:
        """The AZ as configured: its name where given, else its ID."""
        return self.az if self.az is not None else self.az_id


@dataclass
class RuleView:
    address: str
    group: str
    direction: str
    protocol: str
    from_port: int
    to_port: int
    #: ``security_group`` (peer: group name), ``prefix_list`` (gateway endpoint key), ``cidr``.
    peer_kind: str
    peer: str

    def allows(self, port: int) -> bool:
        return self.protocol == "-1" or (
            self.protocol in ("tcp", "6") and self.from_port <= port <= self.to_port
        )

    def allows_https(self) -> bool:
        return self.allows(443)


@dataclass
class EndpointView:
    key: str
    address: str
    type: str
    private_dns: Any = UNKNOWN
    subnets: Any = UNKNOWN  # set of subnet names
    groups: Any = UNKNOWN  # set of group names
    route_tables: Any = UNKNOWN  # set of route table addresses or ids
    policy: Any = UNKNOWN  # JSON string, or None for AWS's default full-access policy
    id: str | None = None
    #: Whether AWS gave the endpoint its DNS names (the live network only).
    dns_entries: Any = UNKNOWN


@dataclass(frozen=True)
class RouteView:
    """A route of a route table, compared by where it leads and through what."""

    #: A CIDR, or a gateway endpoint's key for the route to its prefix list (the prefix list's
    #: id where no endpoint of the network has it).
    destination: str
    #: ``local``, a gateway endpoint's key, or the id of what else carries the route.
    target: str
    #: The route as the network names it (``destination -> target`` in its ids), for reports.
    address: str = field(default="", compare=False)


@dataclass
class NetworkView:
    """What the flow proof needs to know about one network."""

    source: str
    region: str
    partition: str
    #: As it appears in the policies: an account id, or a placeholder for a configuration.
    account_id: str
    vpc_address: str
    dns_support: Any
    dns_hostnames: Any
    vpc_cidr: Any
    subnets: dict[str, SubnetView]
    groups: dict[str, str]  # name -> address
    rules: Any  # list[RuleView], or UNKNOWN when a rule's group or peer is not known yet
    endpoints: dict[str, EndpointView]
    #: The flows the network is meant to serve, and where that was read.
    flows: tuple[str, ...]
    #: The catalog, rules and flows its keys name (the shipped ones, or a library user's).
    facts: Facts
    code_buckets: tuple[str, ...] = ()
    #: Request context the network itself decides (aws:SourceVpc), when known.
    context: dict[str, Any] = field(default_factory=dict)
    #: The organization this account belongs to, where the network says so (organization_id).
    organization_id: str = ""
    #: The identity perimeter the network is meant to have (principal_scope); ``any`` where
    #: the network does not say.
    principal_scope: str = "any"
    #: Other accounts (or OUs) whose workloads use the network: the subnet-sharing principals.
    participants: tuple[str, ...] = ()
    #: How an operator puts a live network back as configured ("" for files).
    heal: str = ""
    #: Subnet name -> its network ACL (address, entries); a subnet missing here uses AWS's
    #: default ACL, which allows everything. UNKNOWN: known only after apply.
    nacls: Any = field(default_factory=dict)
    #: Gateway service (s3) -> the CIDRs of its prefix list, where known (a plan, the live VPC).
    prefix_list_cidrs: dict[str, list[str]] = field(default_factory=dict)
    #: Gateway endpoint key (s3) -> the id of its prefix list, where known (the live VPC).
    prefix_lists: dict[str, str] = field(default_factory=dict)
    #: Route table (address or id) -> its routes, the local one included.
    routes: dict[str, frozenset[RouteView]] = field(default_factory=dict)
    #: What connects the VPC to the internet or to other networks (gateways, peerings,
    #: attachments), by address or id: nothing, in a network as this project builds it.
    connections: tuple[str, ...] = ()
