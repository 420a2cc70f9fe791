"""Entry point of the embedded AWS: moto's server with four fidelity fixes, bound to 127.0.0.1.

Each fix makes moto answer as AWS does for resources this project creates; none changes
what we send. Each one names the moto behaviour it corrects, so it can go when moto fixes it.
"""
from __future__ import annotations

import inspect
import sys
from typing import Any


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
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return original(self, subnet_id)

    EC2Backend.delete_subnet = delete_subnet  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> None:
    _keep_rule_descriptions()
    _flow_logs_accept_log_group_arns()
    _endpoints_accept_private_dns_changes()
    _subnets_with_network_interfaces_stay()
    from moto.server import main as moto_main

    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
