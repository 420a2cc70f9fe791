"""Reads the deployed network back from AWS (or the emulator) and checks it against the config."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from modules.checks.acl_freshness import StaleEntry, stale_entries
from modules.checks.compare import Comparison, RuleKey, compare_routes, compare_rules, rules_of
from modules.checks.finding import Finding, Suppression, suppress_failures
from modules.checks.live_view import endpoint_view, live_view
from modules.checks.registry import rule
from modules.checks.snapshot import Snapshot
from modules.checks.suppressions import load_suppressions, say_unused
from modules.checks.verify.checks import OPEN, policy_problems, ports_of
from modules.console.say import mark
from modules.facts.aws_constraints import constraints
from modules.flows.perimeter import stranger_access
from modules.flows.policies import Perimeter
from modules.flows.proof import FlowResult, prove, summary_line
from modules.flows.view import EndpointView, NetworkView, RouteView, SubnetView
from modules.stack.environment import Environment


@dataclass(frozen=True)
class Check:
    """One property of the live network: the rule (modules/checks/registry.json), what was
    checked, whether it holds, the detail; and the suppression that accepts its failure."""

    rule: str
    name: str
    ok: bool
    detail: str = ""
    suppressed: Suppression | None = None

    @property
    def counts(self) -> bool:
        """A failure that counts against the network (not an accepted exception)."""
        return not self.ok and self.suppressed is None

    def line(self) -> str:
        """``ok   name`` or ``FAIL name: detail``, as deploy and verify --live print it; an
        accepted failure ``skip`` with its suppression."""
        shown = mark(self.ok) if self.suppressed is None else "skip"
        return (
            f"{shown} {self.name}"
            + (f": {self.detail}" if self.detail else "")
            + (f" ({self.suppressed.words()})" if self.suppressed else "")
        )

    def finding(self) -> Finding:
        """The failed check as a finding: its rule, the check for address, the detail."""
        return Finding(
            self.rule,
            self.name,
            None,
            self.detail,
            fix=rule(self.rule).fix,
            suppressed=self.suppressed,
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "suppressed": self.suppressed and self.suppressed.as_dict()}


def _listed(items: Iterable[Any]) -> str:
    """Items for a sentence: ``a, b, c`` (or ``none``), never a Python list."""
    return ", ".join(sorted(str(item) for item in items)) or "none"


def _rule(rule: RuleKey) -> str:
    group, direction, _, _, _, peer = rule
    return (
        f"{group} {direction} {ports_of(rule)} {'to' if direction == 'egress' else 'from'} {peer}"
    )


@dataclass
class LiveNetwork:
    """The deployed network as boto3 reads it, what several checks need read once; and the
    network as its synthesized stack configures it (``configured``), which the checks that
    compare the two read."""

    env: Environment
    outputs: Mapping[str, Any]
    snapshot: Snapshot
    logs: Any
    account_id: str
    configured: NetworkView
    heal: str = ""

    @property
    def vpc_id(self) -> str:
        return str(self.outputs["vpc_id"])

    @property
    def ec2(self) -> Any:
        return self.snapshot.ec2

    @property
    def dns(self) -> dict[str, bool]:
        return self.snapshot.dns

    @functools.cached_property
    def endpoints(self) -> dict[str, Any]:
        """The VPC's endpoints by id, those being deleted left out."""
        return {e["VpcEndpointId"]: e for e in self.snapshot.vpc_endpoints}

    def endpoint(self, key: str) -> dict[str, Any] | None:
        """The live endpoint of a catalog key, if the network has it and it is not being deleted."""
        return self.endpoints.get(self.outputs["endpoint_ids"].get(key, ""))

    @functools.cached_property
    def subnets(self) -> dict[str, dict[str, Any]]:
        """The VPC's subnets by id, as deployed."""
        return {s["SubnetId"]: s for s in self.snapshot.subnets}

    @functools.cached_property
    def stale_acl(self) -> list[StaleEntry]:
        """Where the network ACL and the gateway prefix lists, as AWS serves them now, disagree."""
        return stale_entries(
            self.snapshot, str(self.outputs["network_acl_id"]), self.outputs["prefix_list_ids"]
        )

    def runtime_zone_problems(self) -> list[str]:
        """Runtime subnets in AZ IDs AgentCore Runtime does not support (none where no source
        gives the supported IDs)."""
        supported = constraints().regions[self.env.region].runtime_az_ids
        runtime = self.env.network.runtime_subnets or tuple(self.env.network.subnets)
        problems = []
        for name in sorted(runtime):
            subnet = self.subnets.get(str(self.outputs["subnet_ids"].get(name, "")))
            if supported is not None and subnet and subnet["AvailabilityZoneId"] not in supported:
                problems.append(
                    f"{name} is in {subnet['AvailabilityZoneId']} ({subnet['AvailabilityZone']})"
                )
        return problems

    @functools.cached_property
    def route_comparison(self) -> Comparison[RouteView]:
        """The configured routes against those of the private route table, as deployed."""
        return compare_routes(self.configured, self.view, str(self.outputs["route_table_id"]))

    @functools.cached_property
    def rule_comparison(self) -> Comparison[RuleKey]:
        """The configured rules against those of the network's security groups, in ids."""
        return compare_rules(self.configured, self.view)

    @property
    def rules(self) -> frozenset[RuleKey]:
        """Every rule of the network's security groups, in ids."""
        return self.rule_comparison.found

    @functools.cached_property
    def log_groups(self) -> dict[str, dict[str, Any]]:
        """The log groups named like the flow-log group, by name."""
        prefix = self.env.network.log_group_name
        found = self.logs.describe_log_groups(logGroupNamePrefix=prefix)["logGroups"]
        return {g["logGroupName"]: g for g in found}

    @functools.cached_property
    def suppressions(self) -> tuple[Suppression, ...]:
        """The exceptions the environment accepts, read once for every check of this reading."""
        return load_suppressions(self.env)

    @functools.cached_property
    def view(self) -> NetworkView:
        """What was read, as the flow proof sees it."""
        return live_view(
            self.env,
            self.outputs,
            self.snapshot,
            account_id=self.account_id,
            endpoints=self.endpoints,
            heal=self.heal,
        )

    @functools.cached_property
    def flows(self) -> dict[str, FlowResult]:
        """Every flow the environment serves, proven end to end on what was read."""
        return {result.flow.key: result for result in prove(self.view)}

    @classmethod
    def read(
        cls,
        env: Environment,
        outputs: Mapping[str, Any],
        client: Callable[[str], Any],
        *,
        configured: NetworkView,
        heal: str = "",
    ) -> LiveNetwork:
        """The deployed network of ``outputs``; ``client(service)`` returns a boto3 client for the
        deployment's AWS; ``configured`` is the network as its synthesized stack configures it
        (modules.checks.compare.configured_view); ``heal`` is the command that puts the network
        back. Each part is read from AWS when a check first asks for it, and once."""
        account_id = str(client("sts").get_caller_identity()["Account"])
        snapshot = Snapshot(client("ec2"), str(outputs["vpc_id"]))
        return cls(env, outputs, snapshot, client("logs"), account_id, configured, heal)


def _verdict(rule_id: str, name: str, ok: bool, detail: str = "") -> Check:
    return Check(rule_id, name, ok, "" if ok else detail)


#: The VPC's DNS attributes as EC2 names them, and the network view's.
DNS_ATTRIBUTES = (("enableDnsSupport", "dns_support"), ("enableDnsHostnames", "dns_hostnames"))


def _vpc(live: LiveNetwork) -> Iterator[Check]:
    """DNS as configured (on: private DNS needs both flags), and nothing that connects the VPC
    elsewhere (the configured network has nothing of the kind: verify refuses it)."""
    for attribute, name in DNS_ATTRIBUTES:
        wanted, found = getattr(live.configured, name), getattr(live.view, name)
        yield _verdict(
            "live.vpc_dns",
            f"VPC {attribute} is {_on(wanted)}",
            found == wanted,
            f"{attribute} is {_on(found)} on {live.vpc_id}",
        )
    yield _verdict(
        "live.connections",
        "no internet, NAT, egress-only, VPN or transit gateway and no peering",
        not live.view.connections,
        f"found {_listed(live.view.connections)}",
    )


def _on(enabled: bool) -> str:
    return "on" if enabled else "off"


def _subnets(live: LiveNetwork) -> Iterator[Check]:
    """Each deployed subnet as configured (the configured view against the live one): its CIDR,
    its AZ, no public IPs; the runtimes' in AZ IDs AgentCore Runtime supports; no other subnet."""
    for role in live.outputs["subnet_ids"]:
        subnet, wanted = live.view.subnets.get(role), live.configured.subnets.get(role)
        if wanted is None:
            yield _verdict(
                "live.subnet",
                f"subnet {role} is configured",
                False,
                f"deployed but no longer configured: {live.heal or 'deploy'} removes it",
            )
            continue
        yield _verdict(
            "live.subnet",
            f"subnet {role} is {wanted.cidr} in {wanted.zone}, no public IPs",
            subnet is not None and _as_configured(subnet, wanted),
            "not found"
            if subnet is None
            else f"got {subnet.cidr} in {subnet.az}"
            + (", public IPs on launch" if subnet.public_ips else ""),
        )
    supported = constraints().regions[live.env.region].runtime_az_ids
    if supported is not None:
        wrong = live.runtime_zone_problems()
        yield _verdict(
            "live.runtime_az_ids",
            f"runtime subnets in AZ IDs AgentCore Runtime supports ({', '.join(supported)})",
            not wrong,
            f"{_listed(wrong)}: runtimes cannot be created there; place the subnets by az_id "
            "(help/sources.md#agentcore-vpc-az-ids)",
        )
    extra_subnets = sorted(
        s.address for name, s in live.view.subnets.items() if name not in live.outputs["subnet_ids"]
    )
    yield _verdict(
        "live.extra_subnets",
        "no subnets besides the configured ones",
        not extra_subnets,
        f"found {_listed(extra_subnets)}",
    )


def _as_configured(subnet: SubnetView, wanted: SubnetView) -> bool:
    """A live subnet where and as its configuration puts it (in the AZ it names, by name or ID),
    without public IPs."""
    zone = subnet.az if wanted.az is not None else subnet.az_id
    return subnet.cidr == wanted.cidr and zone == wanted.zone and not subnet.public_ips


def _routes(live: LiveNetwork) -> Iterator[Check]:
    """Every subnet on the private route table, whose routes are those configured: the local
    one and one to each gateway endpoint."""
    table = str(live.outputs["route_table_id"])
    on_table = {s.address for s in live.view.subnets.values() if s.route_table == table}
    yield _verdict(
        "live.route_table_association",
        "every subnet uses the private route table",
        on_table >= set(live.outputs["subnet_ids"].values()),
        f"associated: {_listed(on_table)}",
    )
    routes = live.route_comparison
    yield _verdict(
        "live.routes",
        "routes: only local and the gateway endpoints",
        not routes.unexpected,
        f"found {_listed(r.address for r in routes.unexpected)}",
    )
    yield _verdict(
        "live.gateway_routes",
        "gateway endpoint routes are on the route table",
        not routes.missing,
        f"missing {_listed(_prefix_list(live.view, r.destination) for r in routes.missing)}",
    )


def _prefix_list(view: NetworkView, destination: str) -> str:
    """A route's destination in the live network's ids (a gateway endpoint's prefix list)."""
    return view.prefix_lists.get(destination, destination)


def _endpoints(network: LiveNetwork) -> Iterator[Check]:
    """Each deployed endpoint as configured (the configured view against the live one): there,
    private DNS, a subnet in every AZ, the endpoint group, a narrow policy; no other endpoint."""
    deployed = network.outputs["endpoint_ids"]
    for key in network.env.vpc_endpoints.selected:
        wanted, live = network.configured.endpoints[key], network.endpoint(key)
        if live is None:
            yield _verdict("live.endpoint", f"endpoint {key} exists", False, "not found in the VPC")
            continue
        found = endpoint_view(key, live, network.outputs)
        problems = policy_problems(
            network.env.facts.catalog.endpoints[key].service_name(network.env.region),
            found.policy,
            network.env.vpc_endpoints.selected_flows,
            network.env.vpc_endpoints.code_buckets,
            network.account_id,
            Perimeter.of(network.env.vpc_endpoints),
            facts=network.env.facts,
        )
        yield _verdict(
            "live.endpoint_policy",
            f"endpoint {key}: policy no broader than its flows need",
            not problems,
            "; ".join(p for _, p in problems),
        )
        yield _endpoint_placement(network, key, wanted, found)
    extra = sorted(set(network.endpoints) - set(deployed.values()))
    yield _verdict(
        "live.extra_endpoints",
        "no endpoints besides the configured ones",
        not extra,
        f"found {_listed(extra)}",
    )


def _endpoint_placement(
    network: LiveNetwork, key: str, wanted: EndpointView, found: EndpointView
) -> Check:
    """An interface endpoint's private DNS, subnets and groups as configured (and its DNS names
    given out); a gateway endpoint on the private route table."""
    if wanted.type != "Interface":
        return _verdict(
            "live.gateway_endpoint",
            f"endpoint {key}: on the private route table",
            found.route_tables == {network.outputs["route_table_id"]},
            f"route tables {_listed(found.route_tables)}",
        )
    subnet_ids, group_ids = network.outputs["subnet_ids"], network.outputs["security_group_ids"]
    return _verdict(
        "live.interface_endpoint",
        f"endpoint {key}: private DNS, a subnet in every AZ, the endpoint SG",
        found.private_dns == wanted.private_dns
        and found.subnets == wanted.subnets
        and found.groups == wanted.groups
        and bool(found.dns_entries),
        f"private DNS {'on' if found.private_dns else 'off'}, subnets "
        f"{_listed(subnet_ids.get(s, s) for s in found.subnets)}, groups "
        f"{_listed(group_ids.get(g, g) for g in found.groups)}",
    )


def _rules(live: LiveNetwork) -> Iterator[Check]:
    """The security group rules are exactly those the configuration gives (the flows' rules of
    rules.json); none open to anywhere; the default group empty."""
    rules = live.rule_comparison
    yield _verdict(
        "live.security_group_rules",
        "security group rules are exactly those the flows need (rules.json)",
        rules.configured == rules.found,
        f"missing {_listed(map(_rule, rules.missing))}; unexpected "
        f"{_listed(map(_rule, rules.unexpected))}",
    )
    open_rules = [r for r in rules.found if r[5] in OPEN]
    yield _verdict(
        "live.open_rules",
        "no rule open to 0.0.0.0/0 or ::/0",
        not open_rules,
        f"found {_listed(map(_rule, open_rules))}",
    )
    default_rules = rules_of(live.view, live.view, {live.outputs["default_security_group_id"]})
    yield _verdict(
        "live.default_security_group",
        "default security group has no rules",
        not default_rules,
        f"found {_listed(map(_rule, default_rules))}",
    )


def _network_acls(live: LiveNetwork) -> Iterator[Check]:
    """Every subnet on the managed network ACL, which allows nothing from or to anywhere."""
    acl = live.outputs.get("network_acl_id")
    off_acl = sorted(
        name for name in live.outputs["subnet_ids"] if live.view.nacls.get(name, (None,))[0] != acl
    )
    yield _verdict(
        "live.network_acl_association",
        "every subnet on the network ACL the network manages",
        not off_acl,
        f"elsewhere: {_listed(off_acl)}",
    )
    associated = dict(live.view.nacls.values())
    anywhere = [
        f"{acl_id} rule {e.rule_no} ({'egress' if e.egress else 'ingress'}) {e.cidr}"
        for acl_id, entries in associated.items()
        for e in entries
        if e.action == "allow" and e.cidr in OPEN
    ]
    yield _verdict(
        "live.network_acl_open",
        "no network ACL entry allows 0.0.0.0/0 or ::/0 (Security Hub EC2.21)",
        not anywhere,
        f"found {_listed(anywhere)}",
    )
    yield _verdict(
        "live.network_acl_prefix_lists",
        "the network ACL holds the gateway prefix lists' CIDRs as AWS serves them now",
        not live.stale_acl,
        f"{_listed(e.words() for e in live.stale_acl)}: AWS changed a prefix list since the last "
        f"deploy; {live.heal or 'deploy'} rewrites the ACL (help/drift.md#when-aws-changes-a-"
        "prefix-list)",
    )


def _flow_logs(live: LiveNetwork) -> Iterator[Check]:
    """The flow log on the VPC and delivering; its log group kept as configured and
    KMS-encrypted."""
    flow_logs = live.ec2.describe_flow_logs(FlowLogIds=[live.outputs["flow_log_id"]])["FlowLogs"]
    flow_log = flow_logs[0] if flow_logs else None
    yield _verdict(
        "live.flow_log",
        f"flow log on the VPC ({live.env.network.flow_log_traffic_type}), delivering",
        flow_log is not None
        and flow_log["ResourceId"] == live.vpc_id
        and flow_log["TrafficType"] == live.env.network.flow_log_traffic_type
        and flow_log.get("DeliverLogsStatus") == "SUCCESS",
        "no flow log"
        if flow_log is None
        else f"got {flow_log['TrafficType']} on {flow_log['ResourceId']}, delivery "
        f"{flow_log.get('DeliverLogsStatus')}"
        + (
            f" ({flow_log['DeliverLogsErrorMessage']})"
            if flow_log.get("DeliverLogsErrorMessage")
            else ""
        ),
    )
    group = live.log_groups.get(live.env.network.log_group_name)
    retention = (
        live.env.network.flow_log_retention_days or None
    )  # 0 = never expire: no retention set
    yield _verdict(
        "live.flow_log_group",
        f"flow log group kept {live.env.network.flow_log_retention_days or 'forever'} days, "
        "KMS-encrypted",
        group is not None
        and group.get("retentionInDays") == retention
        and group.get("kmsKeyId") == live.outputs["flow_log_kms_key_arn"],
        "no log group"
        if group is None
        else f"got {group.get('retentionInDays') or 'no'} retention days, key "
        f"{group.get('kmsKeyId') or 'none'}",
    )


def _flows(live: LiveNetwork) -> Iterator[Check]:
    """Every selected flow end to end, hop by hop, on what was read."""
    for result in live.flows.values():
        yield _verdict(
            "live.flow",
            f"flow {result.flow.key} reachable ({result.flow.title})",
            result.status == "reachable",
            f"{summary_line(result)}"
            + (
                f"; fix: {result.blocked_at.fix}"
                if result.blocked_at and result.blocked_at.fix
                else ""
            ),
        )


def _perimeter(live: LiveNetwork) -> Iterator[Check]:
    """The deployed endpoint policies keep foreign credentials and foreign resources out, but
    where AWS's design (OAuth callers, presigned URLs) or the configuration leaves them in."""
    broken = [a for a in stranger_access(live.view) if not a.expected]
    yield _verdict(
        "live.perimeter",
        "endpoint policies keep strangers out (identity and resource perimeter)",
        not broken,
        _listed(f"{a.endpoint} {a.sid}: {a.why} ({a.who}, on {a.on})" for a in broken),
    )


#: Every property of the live network that deploy's read-back and verify --live check, in order.
LIVE_CHECKS: tuple[Callable[[LiveNetwork], Iterator[Check]], ...] = (
    _vpc,
    _subnets,
    _routes,
    _endpoints,
    _rules,
    _network_acls,
    _flow_logs,
    _flows,
    _perimeter,
)


def check_network(
    env: Environment,
    outputs: Mapping[str, Any],
    client: Callable[[str], Any],
    *,
    configured: NetworkView,
    heal: str = "",
) -> list[Check]:
    """Every check of LIVE_CHECKS, in order (the flows end to end last); ``client(service)``
    returns a boto3 client for the deployment's AWS; ``configured`` is the network as its
    synthesized stack configures it; ``heal`` is the command that puts the network back."""
    return run_checks(LiveNetwork.read(env, outputs, client, configured=configured, heal=heal))


def run_checks(live: LiveNetwork) -> list[Check]:
    """Every check of LIVE_CHECKS on one reading of the network; the failures the environment
    accepts (its suppressions) marked so, and those it did not need said."""
    checks = suppress_failures(
        [check for group in LIVE_CHECKS for check in group(live)], live.suppressions
    )
    say_unused(live.suppressions, checks, "live")
    return checks
