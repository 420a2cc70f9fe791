"""VPC flow logs to a KMS-encrypted CloudWatch log group, delivered by a narrowly scoped role."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf import TerraformResourceLifecycle

from modules.kernel.aws import (
    CloudwatchLogGroup,
    FlowLog,
    IamRole,
    IamRolePolicy,
    KmsAlias,
    KmsKey,
)
from modules.kernel.module import Module, protected, reference
from modules.kernel.policy import policy_json
from modules.kernel.region import partition_of
from modules.kernel.tags import with_name
from modules.network.config import NetworkConfig


@dataclass(frozen=True)
class FlowLogs:
    """What the network exposes of its flow logs."""

    flow_log: FlowLog
    log_group: CloudwatchLogGroup
    key: KmsKey
    role: IamRole

    @property
    def flow_log_id(self) -> str:
        return reference(self.flow_log, "id")

    @property
    def log_group_name(self) -> str:
        return reference(self.log_group, "name")

    @property
    def kms_key_arn(self) -> str:
        return reference(self.key, "arn")


def add_flow_logs(
    scope: Module, *, config: NetworkConfig, vpc_id: str, account_id: str
) -> FlowLogs:
    """Create, inside ``scope``: aws_kms_key / aws_kms_alias / aws_cloudwatch_log_group /
    aws_iam_role / aws_iam_role_policy ``<scope>_flow_logs`` and aws_flow_log ``<scope>_this``.
    """
    partition = partition_of(config.region)
    region = config.region
    log_group_arn = f"arn:{partition}:logs:{region}:{account_id}:log-group:{config.log_group_name}"
    lifecycle = protected(config.prevent_destroy)

    key = scope.add(
        KmsKey,
        "flow_logs",
        description=f"Encrypts the VPC flow logs of {config.name}",
        enable_key_rotation=True,
        deletion_window_in_days=config.kms_key_deletion_window_days,
        policy=policy_json(_key_statements(partition, region, account_id, log_group_arn)),
        tags=with_name(config.tags, f"{config.name}-flow-logs"),
        lifecycle=lifecycle,
    )
    scope.add(
        KmsAlias,
        "flow_logs",
        name=f"alias/{config.name}-flow-logs",
        target_key_id=reference(key, "key_id"),
    )
    log_group = scope.add(
        CloudwatchLogGroup,
        "flow_logs",
        name=config.log_group_name,
        retention_in_days=config.flow_log_retention_days,
        kms_key_id=reference(key, "arn"),
        tags=with_name(config.tags, f"{config.name}-flow-logs"),
        lifecycle=lifecycle,
    )
    # IAM names are global to the account: the region keeps the same environment name in two
    # regions apart. The role and its policy are replaced create-before-destroy; the flow log
    # cannot be: AWS refuses a second flow log with the same configuration and destination
    # (FlowLogAlreadyExists), so a replaced flow log goes before its successor comes.
    replace_first = TerraformResourceLifecycle(create_before_destroy=True)
    role = scope.add(
        IamRole,
        "flow_logs",
        name=f"{config.name}-flow-logs-{region}",
        description=f"Lets VPC Flow Logs write to {config.log_group_name} only",
        assume_role_policy=policy_json(
            [
                {
                    "Sid": "VpcFlowLogsOfThisAccount",
                    "Effect": "Allow",
                    "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    # Confused-deputy guard: only flow logs of this account may assume it.
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account_id},
                        "ArnLike": {
                            "aws:SourceArn": f"arn:{partition}:ec2:{region}:{account_id}:vpc-flow-log/*"
                        },
                    },
                }
            ]
        ),
        tags=with_name(config.tags, f"{config.name}-flow-logs"),
        lifecycle=replace_first,
    )
    # A separate policy resource, not inline_policy: inline_policy shows cosmetic refresh drift.
    # The actions are those AWS CDK grants its flow-log role; no CreateLogGroup, no "*".
    role_policy = scope.add(
        IamRolePolicy,
        "flow_logs",
        name="write-flow-logs",
        role=reference(role, "id"),
        policy=policy_json(
            [
                {
                    "Sid": "WriteToTheFlowLogGroupOnly",
                    "Effect": "Allow",
                    "Action": [
                        "logs:CreateLogStream",
                        "logs:DescribeLogStreams",
                        "logs:PutLogEvents",
                    ],
                    "Resource": [reference(log_group, "arn"), f"{reference(log_group, 'arn')}:*"],
                }
            ]
        ),
        lifecycle=replace_first,
    )
    flow_log = scope.add(
        FlowLog,
        "this",
        vpc_id=vpc_id,
        traffic_type=config.flow_log_traffic_type,
        log_destination_type="cloud-watch-logs",
        log_destination=reference(log_group, "arn"),
        iam_role_arn=reference(role, "arn"),
        max_aggregation_interval=config.flow_log_max_aggregation_interval,
        tags=with_name(config.tags, f"{config.name}-flow-log"),
        # The role must be able to write before the first delivery attempt.
        depends_on=[role_policy],
    )
    return FlowLogs(flow_log=flow_log, log_group=log_group, key=key, role=role)


def _key_statements(
    partition: str, region: str, account_id: str, log_group_arn: str
) -> list[dict[str, object]]:
    return [
        {
            # Without this statement nobody could manage the key (AWS default key policy).
            "Sid": "AccountAdministersTheKey",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            # CloudWatch Logs may use the key for this one log group and nothing else
            # (docs: "Encrypt log data in CloudWatch Logs using AWS KMS").
            "Sid": "CloudWatchLogsForTheFlowLogGroupOnly",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": [
                "kms:Decrypt*",
                "kms:Describe*",
                "kms:Encrypt*",
                "kms:GenerateDataKey*",
                "kms:ReEncrypt*",
            ],
            "Resource": "*",
            "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": log_group_arn}},
        },
    ]
