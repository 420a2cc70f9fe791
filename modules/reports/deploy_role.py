"""The least-privilege IAM policy of the role that deploys an environment, from what its
synthesized stack manages (modules/reports/deploy_role.json: the actions each Terraform type's
create, read, update and delete call, and this tool's own reads).

Each statement is one scope: EC2 in the environment's region; the IAM roles, log groups and KMS
aliases the stack names (their names are in cdk.tf.json); the KMS keys and RAM shares of the
region; the state bucket and key with the S3 backend. `python main.py deploy-role` prints it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from modules.stack.environment import Environment

PERMISSIONS_PATH = Path(__file__).with_name("deploy_role.json")


@functools.cache
def permissions() -> dict[str, Any]:
    return dict(json.loads(PERMISSIONS_PATH.read_text()))


def managed_types(stack: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The resource types and the data source types of a synthesized stack."""
    return set(stack.get("resource", {})), set(stack.get("data", {}))


def missing_types(stack: dict[str, Any]) -> list[str]:
    """Types the stack uses that deploy_role.json does not know (the policy would miss them)."""
    resources, data = managed_types(stack)
    known = permissions()
    return sorted(
        [f"resource {t}" for t in resources - set(known["resources"])]
        + [f"data {t}" for t in data - set(known["data"])]
    )


def _names(stack: dict[str, Any], terraform_type: str) -> list[str]:
    return sorted(
        str(body["name"])
        for body in stack.get("resource", {}).get(terraform_type, {}).values()
        if "name" in body
    )


def _scoped_actions(stack: dict[str, Any], sharing: bool) -> dict[str, set[str]]:
    """Every action the deploy needs, by scope."""
    known = permissions()
    resources, data = managed_types(stack)
    by_scope: dict[str, set[str]] = {}

    def add(scope: str, actions: Iterable[str]) -> None:
        by_scope.setdefault(scope, set()).update(actions)

    for kind, types in (("resources", resources), ("data", data)):
        for terraform_type in sorted(types):
            entry = known[kind][terraform_type]
            add(entry["scope"], entry["actions"])
            for scope, actions in entry.get("also", {}).items():
                add(scope, actions)
    for scope, actions in known["tool"].items():
        if not scope.startswith("/"):
            add(scope, actions)
    if sharing:
        for scope, actions in known["tool_sharing"].items():
            add(scope, actions)
    return {scope: actions for scope, actions in by_scope.items() if actions}


def deploy_policy(
    env: Environment, stack: dict[str, Any], account: str = "*", partition: str = "aws"
) -> dict[str, Any]:
    """The IAM policy document (identity-based) for the role that plans, deploys, verifies and
    destroys ``env``; ``account`` narrows the ARNs to one account."""
    region = env.region
    arn = f"arn:{partition}"
    roles = [f"{arn}:iam::{account}:role/{name}" for name in _names(stack, "aws_iam_role")]
    groups = _names(stack, "aws_cloudwatch_log_group")
    resources_of = {
        "ec2": ["*"],
        "iam_role": roles,
        "pass_role": roles,
        "log_group": [f"{arn}:logs:{region}:{account}:log-group:{g}" for g in groups]
        + [f"{arn}:logs:{region}:{account}:log-group:{g}:*" for g in groups],
        "log_groups_any": [f"{arn}:logs:{region}:{account}:log-group:*"],
        "kms_key": [f"{arn}:kms:{region}:{account}:key/*"],
        "kms_alias": [f"{arn}:kms:{region}:{account}:{a}" for a in _names(stack, "aws_kms_alias")]
        + [f"{arn}:kms:{region}:{account}:key/*"],
        "kms_create": ["*"],
        "ram": [f"{arn}:ram:{region}:{account}:resource-share/*"],
        "ram_org": ["*"],
        "caller": ["*"],
    }
    regional = {"StringEquals": {"aws:RequestedRegion": region}}
    conditions = {
        "ec2": regional,
        "kms_create": regional,
        "pass_role": {"StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}},
    }
    statements = []
    for scope, actions in sorted(_scoped_actions(stack, env.subnet_sharing is not None).items()):
        statement: dict[str, Any] = {
            "Sid": "".join(word.capitalize() for word in scope.split("_")),
            "Effect": "Allow",
            "Action": sorted(actions),
            "Resource": _one_or_many(resources_of[scope]),
        }
        if scope in conditions:
            statement["Condition"] = conditions[scope]
        statements.append(statement)
    statements += _backend_statements(stack, arn)
    return {"Version": "2012-10-17", "Statement": statements}


def _one_or_many(arns: list[str]) -> str | list[str]:
    return arns[0] if len(arns) == 1 else arns


def _backend_statements(stack: dict[str, Any], arn: str) -> list[dict[str, Any]]:
    """The state bucket and key (S3 backend with its lock file), as the stack configures them."""
    backend = stack.get("terraform", {}).get("backend", {}).get("s3")
    if backend is None:
        return []
    s3 = permissions()["backend_s3"]
    bucket = f"{arn}:s3:::{backend['bucket']}"
    state = f"{bucket}/{backend['key']}"
    return [
        {"Sid": "StateBucket", "Effect": "Allow", "Action": s3["bucket"], "Resource": bucket},
        {"Sid": "State", "Effect": "Allow", "Action": s3["state"], "Resource": state},
        {
            "Sid": "StateLock",
            "Effect": "Allow",
            "Action": s3["lock"],
            "Resource": f"{state}.tflock",
        },
    ]
