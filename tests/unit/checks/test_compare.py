"""The configured network against the live one, as two views: the configuration's rules and the
live network's, compared in the live network's ids."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from modules.checks.compare import compare_routes, compare_rules, configured_view
from modules.facts.facts import shipped
from modules.flows.view import NetworkView, RouteView, RuleView

VPC_CIDR = "10.0.0.0/16"


def _live(configured: NetworkView, rules: list[RuleView]) -> NetworkView:
    """The configured network as a deployment names it: ids for its groups and prefix lists."""
    return dataclasses.replace(
        configured,
        groups={name: f"sg-{name}" for name in configured.groups},
        prefix_lists={"s3": "pl-s3", "dynamodb": "pl-ddb"},
        vpc_cidr=VPC_CIDR,
        rules=rules,
    )


def _configured(synth_outdir: Path) -> NetworkView:
    return configured_view(synth_outdir / "stacks" / "network-dev" / "cdk.tf.json", shipped())


def test_the_same_rules_compare_equal_in_ids(synth_outdir: Path) -> None:
    configured = _configured(synth_outdir)
    rules = compare_rules(configured, _live(configured, list(configured.rules)))
    assert rules.configured == rules.found and not rules.missing and not rules.unexpected
    assert ("sg-vpc_endpoints", "ingress", "tcp", 443, 443, VPC_CIDR) in rules.found
    assert ("sg-agent_runtime", "egress", "tcp", 443, 443, "pl-s3") in rules.found
    assert ("sg-agent_runtime", "egress", "tcp", 443, 443, "sg-vpc_endpoints") in rules.found


def test_a_rule_added_or_removed_in_the_console_is_named_in_ids(synth_outdir: Path) -> None:
    configured = _configured(synth_outdir)
    kept: list[Any] = [r for r in configured.rules if r.peer_kind != "prefix_list"]
    opened = RuleView("sgr-1", "agent_runtime", "egress", "tcp", 22, 22, "cidr", "0.0.0.0/0")
    foreign = RuleView("sgr-2", "sg-other", "egress", "-1", -1, -1, "cidr", "0.0.0.0/0")
    rules = compare_rules(configured, _live(configured, [*kept, opened, foreign]))
    assert rules.unexpected == {("sg-agent_runtime", "egress", "tcp", 22, 22, "0.0.0.0/0")}
    assert ("sg-agent_runtime", "egress", "tcp", 443, 443, "pl-s3") in rules.missing
    assert {r[5] for r in rules.missing} == {"pl-s3", "pl-ddb"}  # only the prefix-list rules


def test_a_group_the_deployment_lacks_keeps_its_name(synth_outdir: Path) -> None:
    """A group the configuration has and the deployed network does not (configured since the
    last deploy): its rules are missing, named by the group's name."""
    configured = _configured(synth_outdir)
    live = _live(configured, [r for r in configured.rules if r.group != "gateway_lambda"])
    live = dataclasses.replace(
        live, groups={k: v for k, v in live.groups.items() if k != "gateway_lambda"}
    )
    rules = compare_rules(configured, live)
    assert {r[0] for r in rules.missing} == {"gateway_lambda"} and not rules.unexpected


def test_the_configured_subnets_say_where_they_are(synth_outdir: Path) -> None:
    """What the live subnets are compared with: the AZ by name or by ID, as configured, and no
    public IPs."""
    by_name = _configured(synth_outdir).subnets["agent_runtime"]
    assert (by_name.az, by_name.az_id, by_name.zone, by_name.public_ips) == (
        "us-west-2a",
        None,
        "us-west-2a",
        False,
    )
    stack = synth_outdir / "stacks" / "network-shared-accounts" / "cdk.tf.json"
    by_id = configured_view(stack, shipped()).subnets["mcp_runtime_a"]
    assert (by_id.az, by_id.zone) == (None, "usw2-az1") and by_id.public_ips is False


def _with_routes(configured: NetworkView, routes: list[RouteView]) -> NetworkView:
    return dataclasses.replace(
        _live(configured, list(configured.rules)), routes={"rtb-1": frozenset(routes)}
    )


def test_the_configured_routes_are_the_local_one_and_one_per_gateway_endpoint(
    synth_outdir: Path,
) -> None:
    """The private route table of a configuration routes nowhere but inside the VPC and to the
    gateway endpoints (the routes their route_table_ids put there)."""
    configured = _configured(synth_outdir)
    [routes] = configured.routes.values()
    assert {(r.destination, r.target) for r in routes} == {
        (VPC_CIDR, "local"),
        ("s3", "s3"),
        ("dynamodb", "dynamodb"),
    }
    assert configured.connections == ()


def test_a_route_added_or_removed_in_the_console_is_named(synth_outdir: Path) -> None:
    """A route to a NAT gateway is unexpected, named as the live table names it; a gateway
    endpoint's route removed is missing; a gateway route sent elsewhere is both."""
    configured = _configured(synth_outdir)
    live = _with_routes(
        configured,
        [
            RouteView(VPC_CIDR, "local"),
            RouteView("dynamodb", "nat-1", "pl-ddb -> nat-1"),
            RouteView("0.0.0.0/0", "nat-1", "0.0.0.0/0 -> nat-1"),
        ],
    )
    routes = compare_routes(configured, live, "rtb-1")
    assert sorted(r.address for r in routes.unexpected) == ["0.0.0.0/0 -> nat-1", "pl-ddb -> nat-1"]
    assert {(r.destination, r.target) for r in routes.missing} == {
        ("s3", "s3"),
        ("dynamodb", "dynamodb"),
    }
    untouched = _with_routes(configured, [r for rs in configured.routes.values() for r in rs])
    same = compare_routes(configured, untouched, "rtb-1")
    assert not same.missing and not same.unexpected
    assert not compare_routes(configured, untouched, "rtb-other").found
