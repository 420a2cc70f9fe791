"""A second opinion from AWS itself: verify's claims as Network Access Analyzer scopes.

Network Access Analyzer reasons over the deployed VPC's routes, security groups, network ACLs,
gateways and endpoints, and reports every path a scope matches that it does not exclude
(help/sources.md#network-access-analyzer). Two scopes state what verify proves:

- ``no-internet``: no path between the VPC and an internet gateway, NAT gateway, transit gateway
  attachment, peering connection or VPN, either way;
- ``runtime-subnets-reach-only-endpoints``: from the runtime subnets, no path but to the VPC
  endpoints and the gateway services' prefix lists (and, where a selected flow queries it, the
  data tier's subnets on its port).

Each is written as the input of ``aws ec2 create-network-insights-access-scope
--cli-input-json`` and, together, as a CloudFormation template of
``AWS::EC2::NetworkInsightsAccessScope`` resources; an analysis with no finding confirms the
claim on the real VPC (help/deploy-to-aws.md#a-second-opinion-from-aws).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from modules.stack.environment import Environment

#: What connects a VPC to other networks, as Network Access Analyzer names resource types.
OUTSIDE = [
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::VPNGateway",
]
TAG_KEY = "agentcore-network:claim"


def _resources(*ids: str) -> dict[str, Any]:
    return {"ResourceStatement": {"Resources": list(ids)}}


def _types(*types: str) -> dict[str, Any]:
    return {"ResourceStatement": {"ResourceTypes": list(types)}}


def _no_internet(outputs: Mapping[str, Any]) -> dict[str, Any]:
    vpc = str(outputs["vpc_id"])
    return {
        "MatchPaths": [
            {"Source": _resources(vpc), "Destination": _types(*OUTSIDE)},
            {"Source": _types(*OUTSIDE), "Destination": _resources(vpc)},
        ],
    }


def _data_tier_exclusions(env: Environment, outputs: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The data tier's subnets on the database port, where a selected flow queries it."""
    ports = sorted(
        {
            str(call.port)
            for key in env.vpc_endpoints.selected_flows
            for call in env.facts.flows.flows[key].calls
            if call.target is not None
        }
    )
    data = list(outputs.get("role_subnet_ids", {}).get("data", []))
    if not ports or not data:
        return []
    return [
        {
            "Destination": {
                **_resources(*data),
                "PacketHeaderStatement": {"DestinationPorts": ports, "Protocols": ["tcp"]},
            }
        }
    ]


def _runtime_only_endpoints(env: Environment, outputs: Mapping[str, Any]) -> dict[str, Any]:
    runtime = env.network.runtime_subnets or tuple(env.network.subnets)
    subnet_ids = sorted(str(outputs["subnet_ids"][name]) for name in runtime)
    prefix_lists = sorted(str(p) for p in outputs.get("prefix_list_ids", {}).values())
    excluded: list[dict[str, Any]] = [{"Destination": _types("AWS::EC2::VPCEndpoint")}]
    if prefix_lists:
        excluded.append(
            {"Destination": {"PacketHeaderStatement": {"DestinationPrefixLists": prefix_lists}}}
        )
    return {
        "MatchPaths": [{"Source": _resources(*subnet_ids)}],
        "ExcludePaths": excluded + _data_tier_exclusions(env, outputs),
    }


def access_scopes(env: Environment, outputs: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Claim name -> the CreateNetworkInsightsAccessScope input that states it, for the
    deployed network of ``outputs``."""
    scopes = {
        "no-internet": _no_internet(outputs),
        "runtime-subnets-reach-only-endpoints": _runtime_only_endpoints(env, outputs),
    }
    for name, scope in scopes.items():
        scope["TagSpecifications"] = [
            {
                "ResourceType": "network-insights-access-scope",
                "Tags": [
                    {"Key": "Name", "Value": f"{env.network.name}-{name}"},
                    {"Key": TAG_KEY, "Value": name},
                ],
            }
        ]
    return scopes


def cloudformation(scopes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The same scopes as a CloudFormation template (AWS::EC2::NetworkInsightsAccessScope)."""
    resources = {}
    for name, scope in scopes.items():
        logical = "".join(part.title() for part in name.split("-"))
        properties: dict[str, Any] = {"MatchPaths": scope["MatchPaths"]}
        if scope.get("ExcludePaths"):
            properties["ExcludePaths"] = scope["ExcludePaths"]
        properties["Tags"] = scope["TagSpecifications"][0]["Tags"]
        resources[logical] = {
            "Type": "AWS::EC2::NetworkInsightsAccessScope",
            "Properties": properties,
        }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "verify's claims about the AgentCore private network, for Network "
        "Access Analyzer: an analysis with no finding confirms each on the deployed VPC.",
        "Resources": resources,
    }


def write_access_scopes(
    directory: Path, env: Environment, outputs: Mapping[str, Any]
) -> list[Path]:
    """Each scope as <claim>.json (aws ec2 create-network-insights-access-scope
    --cli-input-json) and all of them as access-scopes.template.json; the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    scopes = access_scopes(env, outputs)
    written = []
    for name, scope in scopes.items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(scope, indent=2) + "\n")
        written.append(path)
    template = directory / "access-scopes.template.json"
    template.write_text(json.dumps(cloudformation(scopes), indent=2) + "\n")
    return [*written, template]
