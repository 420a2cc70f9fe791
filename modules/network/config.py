"""Typed, validated configuration of the network: VPC, subnets, route table, flow logs."""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from modules.facts.aws_constraints import (
    az_belongs_to_region,
    az_letters,
    constraints,
    validate_agentcore_region,
)
from modules.kernel.errors import ConfigError
from modules.kernel.tags import validate_tags

DEFAULT_VPC_CIDR = "10.0.0.0/16"
DEFAULT_FLOW_LOG_RETENTION_DAYS = 365
DEFAULT_FLOW_LOG_TRAFFIC_TYPE = "ALL"
DEFAULT_FLOW_LOG_MAX_AGGREGATION_INTERVAL = 600
DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS = 30

# The values CloudWatch Logs accepts for RetentionInDays (PutRetentionPolicy API reference).
# 0 is Terraform's "never expire".
CLOUDWATCH_RETENTION_DAYS = (
    0,
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
#: A year of evidence: Security Hub CloudWatch.16 and checkov CKV_AWS_338 (0 never expires).
MINIMUM_RETENTION_DAYS = 365
#: ALL or REJECT: an ACCEPT-only flow log does not record the traffic the network refuses.
FLOW_LOG_TRAFFIC_TYPES = ("ALL", "REJECT")
FLOW_LOG_AGGREGATION_INTERVALS = (60, 600)

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
ROLE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def validate_name(field_name: str, name: object) -> str:
    """Names prefix every resource name and tag (log group, KMS alias, IAM role, SGs)."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ConfigError(
            field_name,
            "not a resource name prefix",
            name,
            "Use 2-32 characters: lower-case letters, digits and '-', starting with a letter "
            "(e.g. 'agentcore-dev').",
        )
    return name


def _network(field_name: str, cidr: object) -> ipaddress.IPv4Network:
    try:
        if not isinstance(cidr, str) or "/" not in cidr:
            raise ValueError
        return ipaddress.IPv4Network(cidr, strict=True)
    except ValueError:
        raise ConfigError(
            field_name,
            "not an IPv4 CIDR block with its host bits zero",
            cidr,
            "Write it like '10.0.0.0/16'.",
        ) from None


@dataclass(frozen=True, kw_only=True)
class SubnetConfig:
    """One private subnet, placed by AZ name or AZ ID, with the role of what runs in it."""

    #: IPv4 CIDR inside the VPC, /16 to /28.
    cidr: str
    #: Availability Zone name in the region (``us-west-2a``): maps to a different zone in each
    #: account. Give this or ``az_id``.
    az: str | None = None
    #: Availability Zone ID (``usw2-az1``): the same zone in every account; AgentCore Runtime
    #: names the zones it supports by ID. Give this or ``az``.
    az_id: str | None = None
    #: What runs in it (a workload's subnet role in flows.json: ``agent_runtime``, ``data``...);
    #: several subnets in different AZs may share a role. Default: ``None``, the subnet's name.
    role: str | None = None

    @property
    def zone(self) -> str:
        """The AZ name or ID, whichever places it."""
        return str(self.az if self.az is not None else self.az_id)


@dataclass(frozen=True, kw_only=True)
class FlowLogSettings:
    """The flow-log fields the Network and FlowLogs both take, named as the HCL twin's variables
    (so that an error names the same field whichever was configured)."""

    #: Days CloudWatch keeps flow logs: 0 (never expire) or one of CLOUDWATCH_RETENTION_DAYS
    #: from MINIMUM_RETENTION_DAYS up. Default: 365.
    flow_log_retention_days: int = DEFAULT_FLOW_LOG_RETENTION_DAYS
    #: ALL or REJECT. Default: ALL.
    flow_log_traffic_type: str = DEFAULT_FLOW_LOG_TRAFFIC_TYPE
    #: Seconds per flow-log aggregation window, 60 or 600. Default: 600.
    flow_log_max_aggregation_interval: int = DEFAULT_FLOW_LOG_MAX_AGGREGATION_INTERVAL
    #: Waiting period before the flow-log KMS key is deleted, 7-30 days. Default: 30.
    kms_key_deletion_window_days: int = DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS

    def flow_log_settings(self) -> dict[str, object]:
        """These fields by name, to build one configuration from the other."""
        return {f.name: getattr(self, f.name) for f in fields(FlowLogSettings)}

    def _check_flow_log_settings(self) -> None:
        if self.flow_log_retention_days not in CLOUDWATCH_RETENTION_DAYS or isinstance(
            self.flow_log_retention_days, bool
        ):
            raise ConfigError(
                "flow_log_retention_days",
                "CloudWatch Logs does not accept this retention",
                self.flow_log_retention_days,
                f"Use one of {', '.join(map(str, CLOUDWATCH_RETENTION_DAYS))} (0 = never expire); "
                "365 or more keeps a year of logs.",
            )
        if 0 < self.flow_log_retention_days < MINIMUM_RETENTION_DAYS:
            raise ConfigError(
                "flow_log_retention_days",
                "keeps flow logs less than a year",
                self.flow_log_retention_days,
                f"Use 0 (never expire) or {MINIMUM_RETENTION_DAYS} or more: Security Hub "
                "CloudWatch.16 and CKV_AWS_338 ask for a year.",
            )
        if self.flow_log_traffic_type == "ACCEPT":
            raise ConfigError(
                "flow_log_traffic_type",
                "ACCEPT does not record the traffic the network refuses",
                self.flow_log_traffic_type,
                "Use ALL or REJECT.",
            )
        if self.flow_log_traffic_type not in FLOW_LOG_TRAFFIC_TYPES:
            raise ConfigError(
                "flow_log_traffic_type",
                "not a flow-log traffic type",
                self.flow_log_traffic_type,
                f"Use one of {', '.join(FLOW_LOG_TRAFFIC_TYPES)}.",
            )
        if self.flow_log_max_aggregation_interval not in FLOW_LOG_AGGREGATION_INTERVALS:
            raise ConfigError(
                "flow_log_max_aggregation_interval",
                "flow logs aggregate over 60 or 600 seconds",
                self.flow_log_max_aggregation_interval,
                "Use 60 or 600.",
            )
        window = self.kms_key_deletion_window_days
        if isinstance(window, bool) or not isinstance(window, int) or not 7 <= window <= 30:
            raise ConfigError(
                "kms_key_deletion_window_days",
                "KMS waits 7 to 30 days before deleting a key",
                window,
                "Use a whole number from 7 to 30.",
            )


@dataclass(frozen=True, kw_only=True)
class NetworkConfig(FlowLogSettings):
    """The VPC and what belongs to it: subnets, route table, default SG lockdown, flow logs."""

    #: Prefix for resource names and Name tags.
    name: str
    #: AWS region; AZs must belong to it.
    region: str
    #: IPv4 CIDR of the VPC, /16 to /28. Default: ``DEFAULT_VPC_CIDR``.
    vpc_cidr: str = DEFAULT_VPC_CIDR
    #: Private subnets by name; a name is also the subnet's role unless it says otherwise, so
    #: that a role (``agent_runtime``) can have subnets in several AZs.
    subnets: Mapping[str, SubnetConfig] = field(default_factory=dict)
    #: Subnets where AgentCore runtimes run: placed by AZ ID, they must be in zones AgentCore
    #: Runtime supports. Default: ``None``, any subnet may host a runtime.
    runtime_subnets: tuple[str, ...] | None = None
    #: Emit ``prevent_destroy`` on the VPC, subnets, KMS key and log group. Default: False.
    prevent_destroy: bool = False
    #: Tags on every resource of this module, beside its own Name tag (the stack tags every
    #: module at once with the provider's default_tags instead). Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        validate_agentcore_region("region", self.region)
        vpc = _network("vpc_cidr", self.vpc_cidr)
        if not 16 <= vpc.prefixlen <= 28:
            raise ConfigError(
                "vpc_cidr",
                "AWS allows VPC CIDRs from /16 to /28",
                self.vpc_cidr,
                "Use a prefix length between 16 and 28.",
            )
        self._check_subnets(vpc)
        self.flow_logs  # builds the FlowLogsConfig, which checks the flow-log fields

    def _check_subnets(self, vpc: ipaddress.IPv4Network) -> None:
        if not isinstance(self.subnets, Mapping) or not self.subnets:
            raise ConfigError(
                "subnets",
                "at least one private subnet is needed",
                self.subnets,
                'Add e.g. subnets = { agent_runtime = { cidr = "10.0.3.0/24", '
                'az = "us-west-2a" } }.',
            )
        unknown = sorted(set(self.runtime_subnets or ()) - set(self.subnets))
        if unknown:
            raise ConfigError(
                "runtime_subnets",
                f"{', '.join(unknown)} is not a subnet",
                list(self.runtime_subnets or ()),
                f"Name subnets of: {', '.join(sorted(self.subnets))}.",
            )
        seen_networks: dict[str, ipaddress.IPv4Network] = {}
        # Sorted, as Terraform iterates maps: both report the same first offender.
        for role, subnet in sorted(self.subnets.items()):
            where = f"subnets.{role}"
            if not ROLE_PATTERN.match(role):
                raise ConfigError(
                    "subnets",
                    "a subnet role is not an identifier",
                    role,
                    "Use lower-case letters, digits and '_' (e.g. 'agent_runtime').",
                )
            network = _network(f"{where}.cidr", subnet.cidr)
            if not network.subnet_of(vpc):
                raise ConfigError(
                    f"{where}.cidr",
                    f"not inside vpc_cidr {vpc}",
                    subnet.cidr,
                    f"Choose a block inside {vpc}.",
                )
            if not 16 <= network.prefixlen <= 28:
                raise ConfigError(
                    f"{where}.cidr",
                    "AWS allows subnet CIDRs from /16 to /28",
                    subnet.cidr,
                    "Use a prefix length between 16 and 28.",
                )
            for other_role, other in seen_networks.items():
                if network.overlaps(other):
                    raise ConfigError(
                        f"{where}.cidr",
                        f"overlaps subnets.{other_role}.cidr {other}",
                        subnet.cidr,
                        "Give every subnet its own, non-overlapping block.",
                    )
            self._check_zone(role, subnet)
            if subnet.role is not None and not ROLE_PATTERN.match(str(subnet.role)):
                raise ConfigError(
                    f"{where}.role",
                    "not a role name",
                    subnet.role,
                    "Use lower-case letters, digits and '_' (e.g. 'agent_runtime').",
                )
            seen_networks[role] = network

    def _check_zone(self, role: str, subnet: SubnetConfig) -> None:
        where, facts = f"subnets.{role}", constraints().regions[self.region]
        if (subnet.az is None) == (subnet.az_id is None):
            raise ConfigError(
                where,
                "give exactly one of az and az_id",
                {"az": subnet.az, "az_id": subnet.az_id},
                f'Write az = "{self.region}a" or az_id = "{facts.az_ids[0]}".',
            )
        kinds = {
            "az" if s.az is not None else "az_id"
            for s in self.subnets.values()
            if (s.az is None) != (s.az_id is None)
        }
        if len(kinds) > 1:
            raise ConfigError(
                where,
                "some subnets are placed by az and others by az_id",
                subnet.zone,
                "Use one of the two for every subnet, so that each AZ can be told apart.",
            )
        if subnet.az is not None:
            letters = az_letters(self.region)
            if (
                not isinstance(subnet.az, str)
                or not az_belongs_to_region(subnet.az, self.region)
                or subnet.az[-1] not in letters
            ):
                raise ConfigError(
                    f"{where}.az",
                    f"not an Availability Zone of region {self.region}",
                    subnet.az,
                    f"Use one of {', '.join(self.region + letter for letter in letters)}.",
                )
            return
        if subnet.az_id not in facts.az_ids:
            raise ConfigError(
                f"{where}.az_id",
                f"not an AZ ID of region {self.region}",
                subnet.az_id,
                f"Use one of {', '.join(facts.az_ids)}.",
            )
        runtime = self.runtime_subnets is None or role in self.runtime_subnets
        if (
            runtime
            and facts.runtime_az_ids is not None
            and subnet.az_id not in facts.runtime_az_ids
        ):
            raise ConfigError(
                f"{where}.az_id",
                f"AgentCore Runtime does not run in {subnet.az_id} (VPC mode)",
                subnet.az_id,
                f"Place runtime subnets in {', '.join(facts.runtime_az_ids)} (AgentCore VPC guide, "
                "Supported Availability Zones).",
            )

    def runtime_subnets_by_az_name(self) -> dict[str, str]:
        """Subnet name -> AZ name, for the subnets AgentCore runtimes run in (every subnet when
        none is said to) that are placed by name: their AZ IDs are known only at plan."""
        return {
            name: str(subnet.az)
            for name, subnet in sorted(self.subnets.items())
            if subnet.az is not None
            and (self.runtime_subnets is None or name in self.runtime_subnets)
        }

    def role_of(self, name: str) -> str:
        """The role of a subnet: its own, or its name."""
        subnet = self.subnets[name]
        return subnet.role if subnet.role is not None else name

    def subnets_by_role(self) -> dict[str, list[str]]:
        """Role -> the names of its subnets, both sorted."""
        roles: dict[str, list[str]] = {}
        for name in sorted(self.subnets):
            roles.setdefault(self.role_of(name), []).append(name)
        return dict(sorted(roles.items()))

    def zones(self) -> list[str]:
        """The AZs (names or IDs) the subnets are in, each once, sorted."""
        return sorted({s.zone for s in self.subnets.values()})

    def endpoint_subnets(self) -> list[str]:
        """One subnet per AZ for the interface endpoints: the first by name in each AZ."""
        first: dict[str, str] = {}
        for name in sorted(self.subnets):
            first.setdefault(self.subnets[name].zone, name)
        return sorted(first.values())

    @functools.cached_property
    def flow_logs(self) -> FlowLogsConfig:
        """The flow-log settings of this network, for its FlowLogs construct: built (and so
        checked) once, when the network configuration is."""
        return FlowLogsConfig(
            name=self.name,
            region=self.region,
            prevent_destroy=self.prevent_destroy,
            tags=self.tags,
            **self.flow_log_settings(),  # type: ignore[arg-type]
        )

    @property
    def log_group_name(self) -> str:
        """Name of the flow-log group; the KMS key policy and IAM policy are scoped to it."""
        return self.flow_logs.log_group_name


@dataclass(frozen=True, kw_only=True)
class FlowLogsConfig(FlowLogSettings):
    """Flow logs of one VPC: a KMS-encrypted CloudWatch log group and a role that may write to
    it only; the flow-log fields of :class:`FlowLogSettings`, as the Network takes them."""

    #: Prefix of the names: the log group ``/aws/vpc-flow-logs/<name>``, the key alias, the role.
    name: str
    #: AWS region (the role's trust and the key policy name it).
    region: str
    #: Emit ``prevent_destroy`` on the KMS key and the log group. Default: False.
    prevent_destroy: bool = False
    #: Tags on every resource, beside its own Name tag. Default: none.
    tags: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", validate_tags("tags", self.tags))
        validate_name("name", self.name)
        validate_agentcore_region("region", self.region)
        self._check_flow_log_settings()

    @property
    def log_group_name(self) -> str:
        """Name of the flow-log group; the KMS key policy and IAM policy are scoped to it."""
        return f"/aws/vpc-flow-logs/{self.name}"
