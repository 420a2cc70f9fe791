"""The FlowLogs construct: VPC flow logs to a KMS-encrypted CloudWatch log group, delivered by a
role that may write to that log group only. Its three policies are data
(modules/network/policies/), read here and by the HCL twin alike."""

from __future__ import annotations

from constructs import Construct

from modules.facts.aws_constraints import partition_of
from modules.kernel.aws import (
    CloudwatchLogGroup,
    DataAwsCallerIdentity,
    FlowLog,
    IamRole,
    IamRolePolicy,
    KmsAlias,
    KmsKey,
)
from modules.kernel.core import TerraformResourceLifecycle
from modules.kernel.module import Module, protected, reference
from modules.kernel.tags import with_name
from modules.network.config import FlowLogsConfig
from modules.network.policies import policy


class FlowLogs(Module):
    """Flow logs of one VPC.

    Creates aws_kms_key / aws_kms_alias / aws_cloudwatch_log_group / aws_iam_role /
    aws_iam_role_policy ``<prefix>_flow_logs`` and aws_flow_log ``<prefix>_this``, where the
    prefix is this construct's path, or ``address_prefix`` when given: the Network construct
    passes its own, so its flow logs keep the addresses of the HCL twin
    (``module.network.aws_flow_log.this``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: FlowLogsConfig,
        vpc_id: str,
        account_id: str | None = None,
        address_prefix: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id, address_prefix=address_prefix)
        if account_id is None:
            account_id = self.add(DataAwsCallerIdentity, "current").account_id
        where = {
            "partition": partition_of(config.region),
            "region": config.region,
            "account_id": account_id,
        }
        self._encrypted_log_group(config, where)
        role_policy = self._delivery_role(config, where)
        self.flow_log = self.add(
            FlowLog,
            "this",
            vpc_id=vpc_id,
            traffic_type=config.flow_log_traffic_type,
            log_destination_type="cloud-watch-logs",
            log_destination=reference(self.log_group, "arn"),
            iam_role_arn=reference(self.role, "arn"),
            max_aggregation_interval=config.flow_log_max_aggregation_interval,
            tags=with_name(config.tags, f"{config.name}-flow-log"),
            # The role must be able to write before the first delivery attempt.
            depends_on=[role_policy],
        )

    def _encrypted_log_group(self, config: FlowLogsConfig, where: dict[str, str]) -> None:
        """The KMS key (its policy: this log group only), its alias, the log group."""
        lifecycle = protected(config.prevent_destroy)
        tags = with_name(config.tags, f"{config.name}-flow-logs")
        log_group_arn = (
            f"arn:{where['partition']}:logs:{where['region']}:{where['account_id']}"
            f":log-group:{config.log_group_name}"
        )
        self.key = self.add(
            KmsKey,
            "flow_logs",
            description=f"Encrypts the VPC flow logs of {config.name}",
            enable_key_rotation=True,
            deletion_window_in_days=config.kms_key_deletion_window_days,
            policy=policy("flow_log_key", **where, log_group_arn=log_group_arn),
            tags=tags,
            lifecycle=lifecycle,
        )
        self.add(
            KmsAlias,
            "flow_logs",
            name=f"alias/{config.name}-flow-logs",
            target_key_id=reference(self.key, "key_id"),
        )
        self.log_group = self.add(
            CloudwatchLogGroup,
            "flow_logs",
            name=config.log_group_name,
            retention_in_days=config.flow_log_retention_days,
            kms_key_id=reference(self.key, "arn"),
            tags=tags,
            lifecycle=lifecycle,
        )

    def _delivery_role(self, config: FlowLogsConfig, where: dict[str, str]) -> IamRolePolicy:
        """The role VPC Flow Logs assumes, and its policy (write to the log group only)."""
        # IAM names are global to the account: the region keeps the same environment name in two
        # regions apart. The role and its policy are replaced create-before-destroy; the flow log
        # cannot be: AWS refuses a second flow log with the same configuration and destination
        # (FlowLogAlreadyExists), so a replaced flow log goes before its successor comes.
        replace_first = TerraformResourceLifecycle(create_before_destroy=True)
        self.role = self.add(
            IamRole,
            "flow_logs",
            name=f"{config.name}-flow-logs-{config.region}",
            description=f"Lets VPC Flow Logs write to {config.log_group_name} only",
            assume_role_policy=policy("flow_log_trust", **where),
            tags=with_name(config.tags, f"{config.name}-flow-logs"),
            lifecycle=replace_first,
        )
        # A separate policy resource, not inline_policy: inline_policy shows cosmetic refresh drift.
        return self.add(
            IamRolePolicy,
            "flow_logs",
            name="write-flow-logs",
            role=reference(self.role, "id"),
            policy=policy("flow_log_write", log_group_arn=reference(self.log_group, "arn")),
            lifecycle=replace_first,
        )

    @property
    def flow_log_id(self) -> str:
        """ID of the VPC flow log."""
        return reference(self.flow_log, "id")

    @property
    def log_group_name(self) -> str:
        """Name of the CloudWatch log group the flow logs go to."""
        return reference(self.log_group, "name")

    @property
    def kms_key_arn(self) -> str:
        """ARN of the KMS key that encrypts the flow-log group."""
        return reference(self.key, "arn")
