"""`deploy-role`: the least-privilege IAM policy for the role that deploys an environment.

    python main.py deploy-role --env prod --account 123456789012 > deploy-role-policy.json

Generated from the environment's synthesized stack (modules/reports/deploy_role.py): the actions
each resource and data source type needs, this tool's own reads, the state bucket with the S3
backend. The policy goes to stdout; what it covers to stderr. No AWS access.
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from modules.cli import json_output
from modules.cli.commands.command import Command, environment_options
from modules.kernel.errors import CommandError
from modules.reports.deploy_role import deploy_policy, managed_types, missing_types
from modules.runner.synth import synthesize
from modules.runner.workspace import Workspace
from modules.stack.environment import load_environment


def account_id(value: str) -> str:
    if not re.fullmatch(r"\d{12}", value):
        raise argparse.ArgumentTypeError(f"not an AWS account id (twelve digits): {value!r}")
    return value


def run(args: argparse.Namespace) -> int:
    env = load_environment(args.env)
    workspace = Workspace.from_environment()
    synthesize([env], workspace, use_cache=args.use_cache)
    stack = json.loads(workspace.stack_file(env).read_text())
    missing = missing_types(stack)
    if missing:  # a type added to the stack without its permissions: a bug of this project
        raise CommandError(
            f"modules/reports/deploy_role.json lacks the permissions of {', '.join(missing)}: the "
            "policy would be refused at the first apply. Add them there."
        )
    partition = "aws-us-gov" if env.region.startswith("us-gov-") else "aws"
    policy = deploy_policy(env, stack, account=args.account or "*", partition=partition)
    resources, data = managed_types(stack)
    json_output.report(args).update(
        policy=policy, resource_types=sorted(resources), data_types=sorted(data)
    )
    if not args.json:
        print(json.dumps(policy, indent=2))
    print(
        f"# {env.stack_name}: {len(policy['Statement'])} statements covering {len(resources)} "
        f"resource types, {len(data)} data sources and this tool's reads"
        + ("" if args.account else "; --account ACCOUNT_ID narrows the ARNs to one account"),
        file=sys.stderr,
    )
    return 0


def options(parser: argparse.ArgumentParser) -> None:
    environment_options(parser, local=False)
    parser.add_argument(
        "--account",
        type=account_id,
        metavar="ID",
        help="the target account: its ARNs instead of any account's (*)",
    )


COMMAND = Command(
    name="deploy-role",
    summary=(
        "the least-privilege IAM policy of the role that deploys the environment, from its "
        "synthesized stack (no AWS access)"
    ),
    example="python main.py deploy-role --env prod --account 123456789012 > policy.json",
    exit_codes="0, 1 error",
    synopsis="`deploy-role [--account ID] [--json]`",
    does=(
        "the least-privilege IAM policy of the role that deploys the environment, from its "
        "synthesized stack (every resource and data source type it manages, this tool's reads, "
        "the S3 state), on stdout; no AWS access"
    ),
    json="reported",
    options=options,
    run=run,
    conflicts=(),
)
