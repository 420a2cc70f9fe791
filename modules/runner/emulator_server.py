"""Entry point of the embedded AWS: moto's server with seven fidelity fixes, bound to 127.0.0.1.

It can also play a change AWS makes on its own (a range added to a managed prefix list).

The seventh, RAM as AWS answers it, lives in emulator_ram.py.

Each fix makes moto answer as AWS does for resources this project creates; none changes
what we send. Each one names the moto behaviour it corrects, so it can go when moto fixes it.
The server also logs each request's action (server.log), for whoever debugs a local run, and
serves a request signed with a twelve-digit access key id from that account (accounts apart, as
in AWS: help/local-emulator.md#accounts).
"""

from __future__ import annotations

import collections
import hashlib
import inspect
import io
import json
import os
import re
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any

from modules.runner import emulator_ram

#: A JSON file that plays what AWS offers in a region where it differs from the emulator's
#: defaults: {"<region>": {"<service>": {"zones": ["<az>", ...], "policy": false, "offered":
#: false, "private_dns": false}}}.
#: For tests of the plan-time guard (a service missing an AZ, taking only full access, or absent).
SERVICES_OVERRIDE = "AGENTCORE_EMULATOR_ENDPOINT_SERVICES"
#: The emulator's directory (its record, log and archives): set by modules/runner/emulator.py.
DIRECTORY = "AGENTCORE_EMULATOR_DIRECTORY"
#: AWS's own changes to play on a running emulator, a JSON file in its directory, read on every
#: request that lists or reads a managed prefix list: {"prefix_lists": {"<account>": {"<list
#: name>": ["<cidr AWS added>", ...]}}} (modules/runner/emulator.py, play_prefix_list_change).
AWS_CHANGES = "aws-changes.json"
#: The access key id in a Signature V4 Authorization header, when it is an account number.
ACCESS_KEY_ID = re.compile(r"Credential=(\d{12})/")


def _keep_rule_descriptions() -> None:
    """moto 5.2.5 returns a rule's Description only for CIDR peers; a rule whose peer is a
    security group or a prefix list comes back without one, so every plan would show a
    description change that AWS would not."""
    from moto.ec2.models.security_groups import SecurityGroupRule

    original_init = SecurityGroupRule.__init__
    signature = inspect.signature(original_init)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs).arguments
        peer = bound.get("source_group") or bound.get("prefix_list_id") or {}
        self._peer_description = peer.get("Description")

    def description(self: Any) -> str | None:
        return self.ip_range.get("Description") or getattr(self, "_peer_description", None)

    SecurityGroupRule.__init__ = __init__  # type: ignore[method-assign]
    SecurityGroupRule.description = property(description)  # type: ignore[assignment,method-assign]


def _flow_logs_accept_log_group_arns() -> None:
    """moto 5.2.5 checks a CloudWatch flow-log destination only by LogGroupName; given the
    log group's ARN in LogDestination (what Terraform sends) it reports DeliverLogsStatus
    FAILED, "Access error", although AWS accepts the ARN."""
    from moto.ec2.models.flow_logs import FlowLogsBackend

    original = FlowLogsBackend.create_flow_logs

    def create_flow_logs(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(original).bind(self, *args, **kwargs)
        arguments = bound.arguments
        destination = arguments.get("log_destination") or ""
        if arguments.get("log_group_name") is None and ":log-group:" in destination:
            arguments["log_group_name"] = destination.split(":log-group:", 1)[1].removesuffix(":*")
        return original(*bound.args, **bound.kwargs)

    FlowLogsBackend.create_flow_logs = create_flow_logs  # type: ignore[method-assign]


def _endpoints_accept_private_dns_changes() -> None:
    """moto 5.2.5 ignores PrivateDnsEnabled in ModifyVpcEndpoint (the endpoint keeps private
    DNS on), so a console user turning private DNS off could not be reproduced; AWS applies it."""
    from moto.ec2.responses.vpcs import VPCs

    original = VPCs.modify_vpc_endpoint

    def modify_vpc_endpoint(self: Any) -> Any:
        result = original(self)
        private_dns = self._get_param("PrivateDnsEnabled")
        if private_dns is not None:
            endpoint_id = self._get_param("VpcEndpointId")
            endpoint = self.ec2_backend.describe_vpc_endpoints(vpc_end_point_ids=[endpoint_id])[0]
            endpoint.private_dns_enabled = str(private_dns).lower() == "true"
        return result

    VPCs.modify_vpc_endpoint = modify_vpc_endpoint  # type: ignore[method-assign]


def _subnets_with_network_interfaces_stay() -> None:
    """moto 5.2.5 deletes a subnet that still holds network interfaces; AWS refuses with
    DependencyViolation (AgentCore runtime ENIs linger up to 8 hours), and Terraform then waits.
    Without this, `destroy` could not be tested against that hang."""
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models import EC2Backend

    original = EC2Backend.delete_subnet

    def delete_subnet(self: Any, subnet_id: str) -> Any:
        if any(getattr(eni.subnet, "id", None) == subnet_id for eni in self.enis.values()):
            raise DependencyViolationError(
                f"The subnet '{subnet_id}' has dependencies and cannot be deleted."
            )
        return original(self, subnet_id)

    EC2Backend.delete_subnet = delete_subnet  # type: ignore[method-assign]


def _endpoint_services_as_aws_offers_them() -> None:
    """moto 5.2.5 knows no AgentCore endpoint service, so `data "aws_vpc_endpoint_service"`
    fails for them; it offers every service in every AZ, with any policy, and creates an
    endpoint whatever its subnets' AZs or its policy. AWS refuses an interface endpoint in an
    AZ the service is not offered in, and a custom policy on a service that supports only full
    access. Here the AgentCore services are offered where aws_constraints.json says AgentCore
    runs, in the AZ IDs AgentCore Runtime supports there (where known); SERVICES_OVERRIDE can
    play other offers; and CreateVpcEndpoint refuses what AWS refuses, with AWS's wording."""
    from moto.ec2.models import vpcs

    from modules.facts.aws_constraints import CONSTRAINTS_PATH

    constraints = json.loads(CONSTRAINTS_PATH.read_text())["regions"]
    override_path = os.environ.get(SERVICES_OVERRIDE)
    overrides = json.loads(Path(override_path).read_text()) if override_path else {}
    original_collect = vpcs.VPCBackend._collect_default_endpoint_services

    def offered(account_id: str, region: str) -> list[dict[str, Any]]:
        # copies: moto caches its list
        services = [dict(s) for s in original_collect(account_id, region)]
        services += _agentcore_offers(region, constraints.get(region, {}), services)
        return _as_overridden(region, overrides.get(region, {}), services)

    def collect(account_id: str, region: str) -> list[dict[str, Any]]:
        return offered(account_id, region)

    vpcs.VPCBackend._collect_default_endpoint_services = staticmethod(collect)  # type: ignore[method-assign]
    original_create = vpcs.VPCBackend.create_vpc_endpoint

    def create_vpc_endpoint(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(original_create).bind(self, *args, **kwargs).arguments
        _refuse_as_aws_does(self, bound, offered(self.account_id, self.region_name))
        return original_create(self, *args, **kwargs)

    vpcs.VPCBackend.create_vpc_endpoint = create_vpc_endpoint  # type: ignore[method-assign]


def _agentcore_offers(
    region: str, facts: dict[str, Any], services: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The AgentCore endpoint services moto lacks, where AgentCore runs (aws_constraints.json),
    in the AZs of the AZ IDs AgentCore Runtime supports there (all where unknown)."""
    from moto.core.base_backend import BaseBackend
    from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

    if not facts.get("agentcore"):
        return []
    supported = facts.get("runtime_az_ids")
    zones = RegionsAndZonesBackend.zones.get(region, [])
    names = [z.name for z in zones if not supported or z.zone_id in supported]
    added: list[dict[str, Any]] = []
    for agentcore in (
        "bedrock-agentcore",
        "bedrock-agentcore.gateway",
        "bedrock-agentcore-control",
    ):
        if not any(s["ServiceName"] == f"com.amazonaws.{region}.{agentcore}" for s in services):
            added += BaseBackend.default_vpc_endpoint_service_factory(region, names, agentcore)
    return added


def _as_overridden(
    region: str, overrides: dict[str, Any], services: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The offers as SERVICES_OVERRIDE plays them in ``region``: absent, in other AZs, taking
    only the full-access policy, or without a private DNS name."""
    absent = {
        f"com.amazonaws.{region}.{name}"
        for name, change in overrides.items()
        if change.get("offered") is False
    }
    services = [offer for offer in services if offer["ServiceName"] not in absent]
    for offer in services:
        change = overrides.get(offer["ServiceName"].split(".", 3)[-1], {})
        if "zones" in change:
            offer["AvailabilityZones"] = list(change["zones"])
        if "policy" in change:
            offer["VpcEndpointPolicySupported"] = bool(change["policy"])
        if change.get("private_dns") is False:
            for key in ("PrivateDnsName", "PrivateDnsNames", "PrivateDnsNameVerificationState"):
                offer.pop(key, None)
    return services


def _refuse_as_aws_does(backend: Any, bound: dict[str, Any], offers: list[dict[str, Any]]) -> None:
    """CreateVpcEndpoint's refusals, in AWS's words: a subnet in an AZ the service is not
    offered in; a policy on a service that takes only full access; private DNS on a service
    without a private DNS name."""
    from moto.ec2.exceptions import InvalidParameter

    name = bound["service_name"]
    kind = (bound.get("endpoint_type") or "Gateway").lower()
    service = next(
        (
            s
            for s in offers
            if s["ServiceName"] == name and s["ServiceType"][0]["ServiceType"].lower() == kind
        ),
        None,
    )
    if service is None:
        return
    for subnet_id in bound.get("subnet_ids") or []:
        zone = backend.get_subnet(subnet_id).availability_zone
        if zone not in service["AvailabilityZones"]:
            raise InvalidParameter(
                f"The VPC endpoint service {name} does not support the availability zone "
                f"of the subnet: {subnet_id}."
            )
    if bound.get("policy_document") and not service["VpcEndpointPolicySupported"]:
        raise InvalidParameter(
            f"The VPC endpoint service {name} only supports the full-access endpoint policy."
        )
    if str(bound.get("private_dns_enabled")).lower() == "true" and not service.get(
        "PrivateDnsName"
    ):
        raise InvalidParameter(
            f"Private DNS can't be enabled because the service {name} does not provide a "
            "private DNS name."
        )


class _Answers:
    """The last answers by SDK invocation id (bounded; the server's threads share it)."""

    def __init__(self, size: int = 1024) -> None:
        self.size, self.lock = size, threading.Lock()
        self.answers: collections.OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = (
            collections.OrderedDict()
        )

    def get(self, invocation: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        with self.lock:
            return self.answers.get(invocation)

    def put(self, invocation: str, answer: tuple[str, list[tuple[str, str]], bytes]) -> None:
        with self.lock:
            self.answers[invocation] = answer
            while len(self.answers) > self.size:
                self.answers.popitem(last=False)


def _answer_retries_as_before() -> None:
    """moto's development server (werkzeug) sometimes loses an answer under load after it has
    acted on the request. The AWS SDK then sends the same call again (same amz-sdk-invocation-id,
    attempt 2), and a create that succeeded the first time now fails: a security group rule, for
    one, with InvalidPermission.Duplicate, and the deploy stops. AWS does not lose answers this
    way, so a retried call gets the answer of its first attempt, as the client should have.

    Every request is also logged with its action, group, SDK attempt and a digest of its body, so
    that a retry can be told from a second, different request (server.log)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__
    answers = _Answers()

    def __call__(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        action = fields.get("Action", [environ.get("HTTP_X_AMZ_TARGET", "-")])[0]
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "")
        attempt = environ.get("HTTP_AMZ_SDK_REQUEST", "").split(";")[0]
        print(
            f"request {action} {fields.get('GroupId', [''])[0]} {attempt} "
            f"body={hashlib.sha256(body).hexdigest()[:12]}",
            file=sys.stderr,
            flush=True,
        )
        earlier = answers.get(invocation) if invocation else None
        if earlier is not None:
            print(
                f"replayed the first answer to invocation {invocation} ({action})",
                file=sys.stderr,
                flush=True,
            )
            start_response(earlier[0], earlier[1])
            return [earlier[2]]
        seen: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers]
            return (
                start_response(status, headers, exc_info)
                if exc_info
                else start_response(status, headers)
            )

        result = original(self, environ, remember)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if invocation and seen:
            answers.put(invocation, (seen[0], list(seen[1]), content))
        return [content]

    DomainDispatcherApplication.__call__ = __call__  # type: ignore[method-assign]


def _aws_changes_its_prefix_lists() -> None:
    """AWS adds ranges to its managed prefix lists (com.amazonaws.<region>.s3) from time to time;
    moto's lists never change, and moto cannot modify an AWS-owned list (neither can AWS's API).
    The ranges AWS_CHANGES names are added to the lists before they are read, so that a test
    can play AWS's change on a deployed network."""
    from moto.ec2.models.managed_prefixes import ManagedPrefixListBackend

    def apply(backend: Any) -> None:
        path = Path(os.environ.get(DIRECTORY, "")) / AWS_CHANGES
        if not os.environ.get(DIRECTORY) or not path.is_file():
            return
        added = json.loads(path.read_text()).get("prefix_lists", {}).get(backend.account_id, {})
        for prefix_list in backend.managed_prefix_lists.values():
            if prefix_list.resource_owner_id != "AWS" or prefix_list.prefix_list_name not in added:
                continue
            # moto answers with the last version's entries (an AWS-managed list has one).
            versions = prefix_list.entries or {prefix_list.version: []}
            prefix_list.entries = versions
            entries = list(versions.values())[-1]
            for cidr in added[prefix_list.prefix_list_name]:
                if cidr not in [e.get("Cidr") for e in entries]:
                    entries.append({"Cidr": cidr, "Description": "added by AWS"})

    for name in ("describe_managed_prefix_lists", "get_managed_prefix_list_entries"):
        original = getattr(ManagedPrefixListBackend, name)

        def read(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            apply(self)
            return _original(self, *args, **kwargs)

        setattr(ManagedPrefixListBackend, name, read)


def _accounts_named_by_access_keys() -> None:
    """Not a fidelity fix but a convenience moto offers in another form: a request signed with
    an access key id of twelve digits is served by the account of that number (moto reads the
    account from its x-moto-account-id header). Several deployments of the same names can so
    share one emulator, one account each, as they would in AWS (the test suite's workers do).
    Any other key id is served by moto's default account, as before."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__

    def __call__(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        signed_by = ACCESS_KEY_ID.search(environ.get("HTTP_AUTHORIZATION", ""))
        if signed_by and "HTTP_X_MOTO_ACCOUNT_ID" not in environ:
            environ["HTTP_X_MOTO_ACCOUNT_ID"] = signed_by.group(1)
        return original(self, environ, start_response)

    DomainDispatcherApplication.__call__ = __call__  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    _accounts_named_by_access_keys()
    _answer_retries_as_before()
    _keep_rule_descriptions()
    _flow_logs_accept_log_group_arns()
    _endpoints_accept_private_dns_changes()
    _subnets_with_network_interfaces_stay()
    _endpoint_services_as_aws_offers_them()
    _aws_changes_its_prefix_lists()
    emulator_ram.install()
    from moto.server import main as moto_main

    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
