"""Runs checklist.json against one reading of the live network, then every check of the live
registry (modules/checks/live.py: LIVE_CHECKS, what deploy's read-back and verify --live check);
every failure names its fix."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from modules.checks.finding import Finding, Suppression, suppress_failures
from modules.checks.live import LiveNetwork, run_checks
from modules.checks.suppressions import say_unused
from modules.flows.proof import summary_line

CHECKLIST_PATH = Path(__file__).with_name("checklist.json")


@functools.cache
def checklist() -> dict[str, Any]:
    return {
        k: v for k, v in json.loads(CHECKLIST_PATH.read_text()).items() if not k.startswith("//")
    }


@dataclass(frozen=True)
class Result:
    """One check of a symptom (or of the network section): its rule (modules/checks/
    registry.json), what was checked, whether it holds, the detail and fix; and the suppression
    that accepts its failure."""

    symptom: str
    rule: str
    check: str
    ok: bool
    detail: str = ""
    fix: str = ""
    suppressed: Suppression | None = None

    @property
    def counts(self) -> bool:
        """A failure that counts against the network (not an accepted exception)."""
        return not self.ok and self.suppressed is None

    def finding(self) -> Finding:
        return Finding(
            self.rule, self.check, None, self.detail, fix=self.fix, suppressed=self.suppressed
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "suppressed": self.suppressed and self.suppressed.as_dict()}


Outcome = tuple[str, bool, str, str]  # check description, ok, detail, fix


def _endpoint_available(network: LiveNetwork, endpoint: str, **_: Any) -> Outcome:
    found = network.endpoint(endpoint)
    state = found["State"] if found else "missing"
    return (
        f"{endpoint} endpoint exists and is available",
        state.lower() == "available",
        f"state: {state}",
        f"{network.heal} recreates it",
    )


def _private_dns(network: LiveNetwork, endpoint: str, **_: Any) -> Outcome:
    found = network.endpoint(endpoint)
    enabled = bool(found and found.get("PrivateDnsEnabled"))
    fix = (
        f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {found['VpcEndpointId']} "
        f"--private-dns-enabled, or {network.heal}"
        if found
        else f"{network.heal} recreates the endpoint"
    )
    return (
        f"{endpoint} endpoint resolves the service's name privately (private DNS)",
        enabled,
        "private DNS is off" if found else "no endpoint",
        fix,
    )


def _vpc_dns(live: LiveNetwork, **_: Any) -> Outcome:
    off = [a for a, on in live.dns.items() if not on]
    return (
        "VPC DNS support and DNS hostnames are on",
        not off,
        f"off: {', '.join(off)}",
        f"aws ec2 modify-vpc-attribute --vpc-id {live.outputs['vpc_id']} --enable-dns-hostnames "
        "'{\"Value\":true}' (and --enable-dns-support), or " + live.heal,
    )


def _gateway_route(network: LiveNetwork, endpoint: str, **_: Any) -> Outcome:
    found = network.endpoint(endpoint)
    prefix_list = network.outputs["prefix_list_ids"].get(endpoint)
    # Both: the endpoint lists the table, and the table routes the prefix list to the endpoint.
    attached = network.outputs["route_table_id"] in (found or {}).get("RouteTableIds", [])
    routed = attached and any(
        r.get("DestinationPrefixListId") == prefix_list
        and r.get("GatewayId") == (found or {}).get("VpcEndpointId")
        for r in (network.snapshot.route_table(network.outputs["route_table_id"]) or {}).get(
            "Routes", []
        )
    )
    return (
        f"the route table sends {endpoint} traffic to its gateway endpoint",
        routed,
        f"no route to {prefix_list} on {network.outputs['route_table_id']}",
        "aws ec2 modify-vpc-endpoint --vpc-endpoint-id "
        f"{(found or {}).get('VpcEndpointId', '<endpoint>')} --add-route-table-ids "
        f"{network.outputs['route_table_id']}, or {network.heal}",
    )


def _group(live: LiveNetwork, group: str) -> str:
    return str(live.outputs["security_group_ids"][group])


def _egress_to_endpoints(live: LiveNetwork, group: str, **_: Any) -> Outcome:
    endpoint_group = _group(live, "vpc_endpoints")
    found = (_group(live, group), "egress", "tcp", 443, 443, endpoint_group) in live.rules
    return (
        f"{group} security group allows HTTPS out to the endpoint security group",
        found,
        "no egress rule tcp/443 to the endpoint group",
        f"{live.heal} restores the rule",
    )


def _egress_to_prefix_list(live: LiveNetwork, group: str, endpoint: str, **_: Any) -> Outcome:
    prefix_list = str(live.outputs["prefix_list_ids"].get(endpoint))
    found = (_group(live, group), "egress", "tcp", 443, 443, prefix_list) in live.rules
    return (
        f"{group} security group allows HTTPS out to the {endpoint} prefix list",
        found,
        f"no egress rule tcp/443 to {prefix_list}",
        f"{live.heal} restores the rule",
    )


def _endpoints_admit_vpc(live: LiveNetwork, **_: Any) -> Outcome:
    found = (
        _group(live, "vpc_endpoints"),
        "ingress",
        "tcp",
        443,
        443,
        live.outputs["vpc_cidr_block"],
    ) in live.rules
    return (
        "the endpoint security group admits HTTPS from the VPC",
        found,
        "no ingress rule tcp/443 from the VPC",
        f"{live.heal} restores the rule",
    )


def _flow_log_group_exists(live: LiveNetwork, **_: Any) -> Outcome:
    name = str(live.outputs["flow_log_group_name"])
    return (
        f"log group {name} exists",
        name in live.log_groups,
        "missing",
        f"{live.heal} recreates it",
    )


def _runtime_az_ids(live: LiveNetwork, **_: Any) -> Outcome:
    wrong = live.runtime_zone_problems()
    return (
        "runtime subnets are in AZ IDs AgentCore Runtime supports",
        not wrong,
        "; ".join(wrong),
        "move those subnets to a supported AZ ID (az_id = ...; "
        f"help/sources.md#agentcore-vpc-az-ids), then {live.heal}",
    )


def _network_acl_current(live: LiveNetwork, **_: Any) -> Outcome:
    return (
        "the network ACL holds the gateway prefix lists' CIDRs as AWS serves them now",
        not live.stale_acl,
        "; ".join(e.words() for e in live.stale_acl),
        f"{live.heal} rewrites the ACL from the prefix lists (help/drift.md#when-aws-changes-a-"
        "prefix-list)",
    )


CHECKS: dict[str, Callable[..., Outcome]] = {
    "endpoint_available": _endpoint_available,
    "private_dns": _private_dns,
    "vpc_dns": _vpc_dns,
    "gateway_route": _gateway_route,
    "egress_to_endpoints": _egress_to_endpoints,
    "egress_to_prefix_list": _egress_to_prefix_list,
    "endpoints_admit_vpc": _endpoints_admit_vpc,
    "flow_log_group_exists": _flow_log_group_exists,
    "runtime_az_ids": _runtime_az_ids,
    "network_acl_current": _network_acl_current,
}


#: The section of every check of the live registry, after the checklist's symptoms.
NETWORK = "network"
NETWORK_TITLE = "The network as deploy and verify --live check it"


def diagnose(live: LiveNetwork, selected: list[str] | None = None) -> list[Result]:
    """Every check of every (or the selected) symptom, in checklist order; then, unless symptoms
    were selected, every check of the live registry (what else is wrong: a route to the internet,
    a rule open to anywhere, an endpoint nobody configured). The failures the environment
    accepts (its suppressions) are marked so."""
    results = _symptom_results(live, selected)
    if not selected:
        fix = f"{live.heal} puts back what Terraform manages; `drift` names what it does not"
        results.extend(
            Result(NETWORK, c.rule, c.name, c.ok, c.detail, "" if c.ok else fix, c.suppressed)
            for c in run_checks(live)
        )
    return results


def _symptom_results(live: LiveNetwork, selected: list[str] | None) -> list[Result]:
    results = []
    for key, symptom in checklist().items():
        if selected and key not in selected:
            continue
        for item in symptom["checks"]:
            results.append(_symptom_check(live, key, item))
        results.extend(_flow_result(live, key, flow) for flow in symptom.get("flows", []))
    results = suppress_failures(results, live.suppressions)
    if not selected:  # every symptom checked: a suppression none of them needed is said
        say_unused(live.suppressions, results, "symptom")
    return results


def _symptom_check(live: LiveNetwork, symptom: str, item: dict[str, str]) -> Result:
    params = {k: v for k, v in item.items() if k != "check"}
    endpoint = params.get("endpoint")
    if endpoint and endpoint not in live.outputs["endpoint_ids"]:
        return Result(
            symptom,
            "doctor.configured",
            f"{endpoint} endpoint",
            False,
            "not in this environment's endpoints",
            f'add "{endpoint}" to endpoints in the environment file, then deploy',
        )
    description, ok, detail, fix = CHECKS[item["check"]](live, **params)
    return Result(
        symptom, f"doctor.{item['check']}", description, ok, "" if ok else detail, "" if ok else fix
    )


def _flow_result(live: LiveNetwork, symptom: str, flow: str) -> Result:
    """Whether one flow of a symptom gets through end to end, and where it stops."""
    check = f"flow {flow} gets through end to end ({live.env.facts.flows.flows[flow].title})"
    result = live.flows.get(flow)
    if result is None:
        return Result(
            symptom,
            "doctor.configured",
            check,
            False,
            "not among this environment's flows",
            f'add "{flow}" to flows in the environment file, then {live.heal}',
        )
    blocked = result.blocked_at
    if blocked is None:
        return Result(symptom, "doctor.flow", check, True)
    return Result(symptom, "doctor.flow", check, False, summary_line(result), blocked.fix)
