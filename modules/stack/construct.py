"""NetworkStack: the provider, the backend, the construct modules and every output."""

from __future__ import annotations

from constructs import Construct

from modules.flows.policies import endpoint_policies, groups_and_rules
from modules.kernel.aws import AwsProvider, AwsProviderDefaultTags
from modules.kernel.core import LocalBackend, S3Backend, TerraformOutput, TerraformStack
from modules.network.construct import Network
from modules.security_groups.construct import SecurityGroups
from modules.stack.environment import Environment
from modules.subnet_sharing.config import SubnetSharingConfig
from modules.subnet_sharing.construct import SubnetSharing
from modules.vpc_endpoints.construct import VpcEndpoints


class NetworkStack(TerraformStack):
    """The whole private network of one environment.

    The configuration is the same for real AWS and the local emulator: the emulator is reached
    through ``AWS_ENDPOINT_URL`` in Terraform's environment, never through provider settings.
    """

    def __init__(self, scope: Construct, env: Environment, *, backend_path: str) -> None:
        super().__init__(scope, env.stack_name)
        AwsProvider(
            self,
            "aws",
            region=env.region,
            default_tags=[AwsProviderDefaultTags(tags=dict(env.tags))] if env.tags else None,
        )
        self._backend(env, backend_path)

        # The network ACL lets the subnets reach the gateway services (S3, DynamoDB) the endpoints
        # serve.
        gateways = env.facts.catalog.of_type("Gateway", tuple(env.vpc_endpoints.selected))
        self.network = Network(
            self,
            "network",
            config=env.network,
            gateway_services=[entry.service for entry in gateways.values()],
        )
        # One step: the prefix-list rules name the AWS-managed lists the network reads by name.
        prefix_lists = self.network.gateway_prefix_list_ids
        self.security_groups = SecurityGroups(
            self,
            "security_groups",
            config=env.security_groups,
            rules=groups_and_rules(env.security_groups),
            vpc_id=self.network.vpc_id,
            vpc_cidr_block=self.network.vpc_cidr_block,
            prefix_list_ids={key: prefix_lists[entry.service] for key, entry in gateways.items()},
        )
        self.vpc_endpoints = VpcEndpoints(
            self,
            "vpc_endpoints",
            config=env.vpc_endpoints,
            policies=endpoint_policies(env.vpc_endpoints),
            vpc_id=self.network.vpc_id,
            subnet_ids=self.network.endpoint_subnet_ids,
            subnet_availability_zones=self.network.endpoint_subnet_azs,
            route_table_ids=[self.network.route_table_id],
            security_group_ids=[self.security_groups.ids["vpc_endpoints"]],
        )
        self.subnet_sharing = (
            self._subnet_sharing(env, env.subnet_sharing) if env.subnet_sharing else None
        )
        self._outputs()

    def _subnet_sharing(self, env: Environment, config: SubnetSharingConfig) -> SubnetSharing:
        network = self.network
        return SubnetSharing(
            self,
            "subnet_sharing",
            config=config,
            subnets={
                name: {
                    "id": network.subnet_ids[name],
                    "arn": network.subnet_arns[name],
                    "role": role,
                }
                for name, role in env.shared_subnets.items()
            },
        )

    def _backend(self, env: Environment, local_path: str) -> None:
        backend = env.state_backend
        if backend.type == "local":
            LocalBackend(self, path=local_path)
            return
        s3 = S3Backend(
            self,
            bucket=str(backend.bucket),
            key=backend.s3_key(env.network.name),
            region=backend.region or env.region,
            encrypt=True,
        )
        # Native S3 locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
        s3.add_override("use_lockfile", True)

    def _outputs(self) -> None:
        sharing = self.subnet_sharing
        outputs = {
            **self._network_outputs(),
            **self._endpoint_and_log_outputs(),
            "subnet_share_arn": (
                sharing.share_arn if sharing else "",
                "ARN of the AWS RAM share of the subnets ('' when the environment shares none).",
            ),
            "shared_subnet_ids": (
                sharing.shared_subnet_ids if sharing else {},
                "The shared private subnet IDs of each shared role ({} when the environment "
                "shares none): participants place their runtimes in them.",
            ),
        }
        for name, (value, description) in outputs.items():
            TerraformOutput(self, name, value=value, description=description)

    def _network_outputs(self) -> dict[str, tuple[object, str]]:
        network = self.network
        return {
            "vpc_id": (network.vpc_id, "ID of the VPC."),
            "vpc_cidr_block": (network.vpc_cidr_block, "IPv4 CIDR block of the VPC."),
            "subnet_ids": (network.subnet_id_map, "Private subnet ID by name."),
            "role_subnet_ids": (
                network.role_subnet_id_map,
                "The private subnet IDs of each role (agent_runtime, ...): give a runtime its "
                "role's list.",
            ),
            "route_table_id": (network.route_table_id, "ID of the private route table."),
            "network_acl_id": (
                network.network_acl_id,
                "ID of the network ACL of every subnet (the VPC's default one, adopted: VPC CIDR "
                "and gateway services only).",
            ),
            "default_security_group_id": (
                network.default_security_group_id,
                "ID of the VPC's default security group (no rules; attach nothing to it).",
            ),
            "security_group_ids": (
                self.security_groups.ids,
                "Security group ID by role (vpc_endpoints, agent_runtime, mcp_runtime, "
                "gateway_lambda; data_tier when a selected flow reaches it).",
            ),
        }

    def _endpoint_and_log_outputs(self) -> dict[str, tuple[object, str]]:
        endpoints, flow_logs = self.vpc_endpoints, self.network.flow_logs
        return {
            "endpoint_ids": (endpoints.endpoint_ids, "VPC endpoint ID by catalog key."),
            "endpoint_dns_names": (
                endpoints.dns_names,
                "Regional DNS name of each interface endpoint, by catalog key.",
            ),
            "prefix_list_ids": (
                endpoints.prefix_list_id_map,
                "Prefix list ID of each gateway endpoint (s3, dynamodb), for security group rules.",
            ),
            "flow_log_id": (flow_logs.flow_log_id, "ID of the VPC flow log."),
            "flow_log_group_name": (
                flow_logs.log_group_name,
                "CloudWatch log group of the flow logs.",
            ),
            "flow_log_kms_key_arn": (
                flow_logs.kms_key_arn,
                "ARN of the KMS key encrypting the flow logs.",
            ),
            "flows": (
                endpoints.flows,
                "The flows this network serves (keys of modules/facts/flows.json); verify proves "
                "each gets through.",
            ),
            "code_buckets": (
                endpoints.code_buckets,
                "S3 buckets whose code packages the S3 endpoint lets through (direct code "
                "deploys).",
            ),
            "endpoint_ingress": (
                self.security_groups.endpoint_ingress,
                "Where the interface endpoints admit HTTPS from: vpc (its CIDR) or workloads (the "
                "groups whose flows reach them).",
            ),
            "organization_id": (
                endpoints.organization_id,
                "The organization whose principals the endpoint policies admit for calls this "
                "account signs ('' for none).",
            ),
            "principal_scope": (
                endpoints.principal_scope,
                "The identity perimeter of the endpoint policies: account, organization, or any "
                "(none).",
            ),
            "participants": (
                endpoints.participants,
                "The other accounts (or the organization's OUs) whose workloads the endpoint "
                "policies admit, with their own resources: the subnet-sharing principals.",
            ),
        }
