"""Runs checklist.json against one snapshot of the live network; every failure names its fix."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modules.checks.live import live_endpoints, live_rules, vpc_dns_attributes
from modules.checks.live_view import live_view
from modules.flows.model import flow_catalog
from modules.flows.proof import FlowResult, prove, summary_line
from modules.stack.environment import Environment

CHECKLIST_PATH = Path(__file__).with_name("checklist.json")


@functools.cache
def checklist() -> dict[str, Any]:
    return {
        k: v for k, v in json.loads(CHECKLIST_PATH.read_text()).items() if not k.startswith("//")
    }


@dataclass(frozen=True)
class Result:
    symptom: str
    check: str
    ok: bool
    detail: str = ""
    fix: str = ""


@dataclass
class Snapshot:
    """What the checks need, read once from AWS."""

    outputs: Mapping[str, Any]
    heal: str
    #: The flows the environment serves, each proven end to end on the live network.
    flows: dict[str, FlowResult] = field(default_factory=dict)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id, none being deleted
    vpc_attributes: dict[str, bool] = field(default_factory=dict)
    routes: list[dict[str, Any]] = field(default_factory=list)
    rules: set[tuple[str, str, str, int, int, str]] = field(default_factory=set)
    log_groups: set[str] = field(default_factory=set)

    @classmethod
    def read(
        cls, env: Environment, outputs: Mapping[str, Any], client: Callable[[str], Any], heal: str
    ) -> Snapshot:
        ec2, logs = client("ec2"), client("logs")
        snapshot = cls(outputs, heal)
        vpc = outputs["vpc_id"]
        snapshot.endpoints = live_endpoints(ec2, vpc)
        snapshot.vpc_attributes = vpc_dns_attributes(ec2, vpc)
        tables = ec2.describe_route_tables(
            Filters=[{"Name": "route-table-id", "Values": [outputs["route_table_id"]]}]
        )["RouteTables"]
        snapshot.routes = [r for t in tables for r in t["Routes"]]
        snapshot.rules = live_rules(ec2, list(outputs["security_group_ids"].values()))
        prefix = str(outputs["flow_log_group_name"])
        snapshot.log_groups = {
            g["logGroupName"]
            for g in logs.describe_log_groups(logGroupNamePrefix=prefix)["logGroups"]
        }
        account_id = str(client("sts").get_caller_identity()["Account"])
        view = live_view(
            env,
            outputs,
            ec2,
            account_id=account_id,
            endpoints=snapshot.endpoints,
            dns=snapshot.vpc_attributes,
            heal=heal,
        )
        snapshot.flows = {result.flow.key: result for result in prove(view)}
        return snapshot

    def endpoint(self, key: str) -> dict[str, Any] | None:
        return self.endpoints.get(self.outputs["endpoint_ids"].get(key, ""))


Outcome = tuple[str, bool, str, str]  # check description, ok, detail, fix


def _endpoint_available(s: Snapshot, endpoint: str, **_: Any) -> Outcome:
    live = s.endpoint(endpoint)
    state = live["State"] if live else "missing"
    return (
        f"{endpoint} endpoint exists and is available",
        state.lower() == "available",
        f"state: {state}",
        f"{s.heal} recreates it",
    )


def _private_dns(s: Snapshot, endpoint: str, **_: Any) -> Outcome:
    live = s.endpoint(endpoint)
    enabled = bool(live and live.get("PrivateDnsEnabled"))
    fix = (
        f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {live['VpcEndpointId']} --private-dns-enabled, or {s.heal}"
        if live
        else f"{s.heal} recreates the endpoint"
    )
    return (
        f"{endpoint} endpoint resolves the service's name privately (private DNS)",
        enabled,
        "private DNS is off" if live else "no endpoint",
        fix,
    )


def _vpc_dns(s: Snapshot, **_: Any) -> Outcome:
    off = [a for a, on in s.vpc_attributes.items() if not on]
    return (
        "VPC DNS support and DNS hostnames are on",
        not off,
        f"off: {', '.join(off)}",
        f"aws ec2 modify-vpc-attribute --vpc-id {s.outputs['vpc_id']} --enable-dns-hostnames "
        "'{\"Value\":true}' (and --enable-dns-support), or " + s.heal,
    )


def _gateway_route(s: Snapshot, endpoint: str, **_: Any) -> Outcome:
    live = s.endpoint(endpoint)
    prefix_list = s.outputs["prefix_list_ids"].get(endpoint)
    # Both: the endpoint lists the table, and the table routes the prefix list to the endpoint.
    attached = s.outputs["route_table_id"] in (live or {}).get("RouteTableIds", [])
    routed = attached and any(
        r.get("DestinationPrefixListId") == prefix_list
        and r.get("GatewayId") == (live or {}).get("VpcEndpointId")
        for r in s.routes
    )
    return (
        f"the route table sends {endpoint} traffic to its gateway endpoint",
        routed,
        f"no route to {prefix_list} on {s.outputs['route_table_id']}",
        f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {(live or {}).get('VpcEndpointId', '<endpoint>')} "
        f"--add-route-table-ids {s.outputs['route_table_id']}, or {s.heal}",
    )


def _group(s: Snapshot, group: str) -> str:
    return str(s.outputs["security_group_ids"][group])


def _egress_to_endpoints(s: Snapshot, group: str, **_: Any) -> Outcome:
    endpoint_group = _group(s, "vpc_endpoints")
    found = (_group(s, group), "egress", "tcp", 443, 443, endpoint_group) in s.rules
    return (
        f"{group} security group allows HTTPS out to the endpoint security group",
        found,
        "no egress rule tcp/443 to the endpoint group",
        f"{s.heal} restores the rule",
    )


def _egress_to_prefix_list(s: Snapshot, group: str, endpoint: str, **_: Any) -> Outcome:
    prefix_list = str(s.outputs["prefix_list_ids"].get(endpoint))
    found = (_group(s, group), "egress", "tcp", 443, 443, prefix_list) in s.rules
    return (
        f"{group} security group allows HTTPS out to the {endpoint} prefix list",
        found,
        f"no egress rule tcp/443 to {prefix_list}",
        f"{s.heal} restores the rule",
    )


def _endpoints_admit_vpc(s: Snapshot, **_: Any) -> Outcome:
    found = (
        _group(s, "vpc_endpoints"),
        "ingress",
        "tcp",
        443,
        443,
        s.outputs["vpc_cidr_block"],
    ) in s.rules
    return (
        "the endpoint security group admits HTTPS from the VPC",
        found,
        "no ingress rule tcp/443 from the VPC",
        f"{s.heal} restores the rule",
    )


def _flow_log_group_exists(s: Snapshot, **_: Any) -> Outcome:
    name = str(s.outputs["flow_log_group_name"])
    return (f"log group {name} exists", name in s.log_groups, "missing", f"{s.heal} recreates it")


CHECKS: dict[str, Callable[..., Outcome]] = {
    "endpoint_available": _endpoint_available,
    "private_dns": _private_dns,
    "vpc_dns": _vpc_dns,
    "gateway_route": _gateway_route,
    "egress_to_endpoints": _egress_to_endpoints,
    "egress_to_prefix_list": _egress_to_prefix_list,
    "endpoints_admit_vpc": _endpoints_admit_vpc,
    "flow_log_group_exists": _flow_log_group_exists,
}


def diagnose(snapshot: Snapshot, selected: list[str] | None = None) -> list[Result]:
    """Every check of every (or the selected) symptom, in checklist order."""
    results = []
    for key, symptom in checklist().items():
        if selected and key not in selected:
            continue
        for item in symptom["checks"]:
            params = {k: v for k, v in item.items() if k != "check"}
            if (
                params.get("endpoint")
                and params["endpoint"] not in snapshot.outputs["endpoint_ids"]
            ):
                results.append(
                    Result(
                        key,
                        f"{params['endpoint']} endpoint",
                        False,
                        "not in this environment's endpoints",
                        f'add "{params["endpoint"]}" to endpoints in the environment file, then deploy',
                    )
                )
                continue
            description, ok, detail, fix = CHECKS[item["check"]](snapshot, **params)
            results.append(Result(key, description, ok, "" if ok else detail, "" if ok else fix))
        results.extend(_flow_result(snapshot, key, flow) for flow in symptom.get("flows", []))
    return results


def _flow_result(snapshot: Snapshot, symptom: str, flow: str) -> Result:
    """Whether one flow of a symptom gets through end to end, and where it stops."""
    check = f"flow {flow} gets through end to end ({flow_catalog().flows[flow].title})"
    result = snapshot.flows.get(flow)
    if result is None:
        return Result(
            symptom,
            check,
            False,
            "not among this environment's flows",
            f'add "{flow}" to flows in the environment file, then {snapshot.heal}',
        )
    blocked = result.blocked_at
    if blocked is None:
        return Result(symptom, check, True)
    return Result(symptom, check, False, summary_line(result), blocked.fix)
